"""``python -m crm_backend erase | export | purge``: a person's rights, and retention.

| command | what it does |
| --- | --- |
| ``erase --account C-… / --phone +33… / --email …`` | remove or anonymize the person in the CRM and in Rasa's tracker store |
| ``export --account C-… [--out FILE]`` | write everything held about the customer as one JSON document |
| ``purge [--days N]`` | delete transcripts, received messages, handoff slots and notes, tracker events older than ``ICBOT_RETENTION_DAYS`` |

The tracker store is ``ICBOT_TRACKER_STORE_URL`` (:mod:`crm_backend.settings`).
Erasure deletes the tracker events first and commits the CRM last: when the
tracker cannot be reached, nothing is committed and the command can run again.
"""  # noqa: E501 - a table reads better on one line

from __future__ import annotations

import argparse
import datetime as dt
import json
from pathlib import Path
from typing import TextIO

from sqlalchemy.orm import Session, sessionmaker

from ..errors import InvalidRequest
from ..models import utcnow
from ..services import personal_export, privacy
from ..settings import CrmSettings
from ..tracker_store import TrackerStore
from ..uow import SqlAlchemyUnitOfWork
from .database import sessions


def add_commands(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``erase``, ``export`` and ``purge`` to the command line."""
    erase = commands.add_parser("erase", help="erase a person from the CRM and Rasa's tracker")
    who = erase.add_mutually_exclusive_group(required=True)
    who.add_argument("--account", metavar="C-…", help="a customer number: the whole account")
    who.add_argument("--phone", help="a phone number, with or without an account")
    who.add_argument("--email", help="an e-mail address, with or without an account")
    export = commands.add_parser("export", help="write all data of a customer as JSON")
    export.add_argument("--account", metavar="C-…", required=True, help="the customer number")
    export.add_argument("--out", type=Path, help="the JSON file to write (default: stdout)")
    purge = commands.add_parser("purge", help="delete conversation data past the retention period")
    purge.add_argument(
        "--days", type=int, help="keep this many days (default ICBOT_RETENTION_DAYS)"
    )


def run(settings: CrmSettings, out: TextIO, args: argparse.Namespace) -> None:
    """Run ``erase``, ``export`` or ``purge``."""
    with sessions(settings) as factory:
        if args.command == "erase":
            erase(settings, factory, out, args)
        elif args.command == "export":
            export(factory, out, args)
        else:
            purge(settings, factory, out, args)


def erase(
    settings: CrmSettings, factory: sessionmaker[Session], out: TextIO, args: argparse.Namespace
) -> None:
    """Erase the person named by ``--account``, ``--phone`` or ``--email``."""
    tracker = TrackerStore(settings.tracker_store_url)
    try:
        with SqlAlchemyUnitOfWork(factory) as uow:
            person = privacy.find_person(
                uow, customer_number=args.account, phone=args.phone, email=args.email
            )
            in_tracker = tracker.senders_mentioning(person.needles)
            erasure = privacy.erase_person(uow, person=person, conversation_ids=in_tracker)
            events = tracker.delete_senders(erasure.conversation_ids)
            uow.commit()
    finally:
        tracker.close()
    print(
        f"erased: {erasure.accounts} account(s) anonymized, "
        f"{len(erasure.conversation_ids)} conversation(s), {erasure.rows_deleted} row(s) "
        f"and {events} tracker event(s) deleted, {erasure.suppressions} refusal(s) kept as "
        "suppressions",
        file=out,
    )


def export(factory: sessionmaker[Session], out: TextIO, args: argparse.Namespace) -> None:
    """Write the customer's data as JSON to ``--out`` or ``out``."""
    with SqlAlchemyUnitOfWork(factory) as uow:
        document = personal_export.export_person(uow, customer_number=args.account)
    text = json.dumps(document, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
    if args.out is None:
        out.write(text)
        return
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text, encoding="utf-8")
    args.out.chmod(0o600)  # personal data: for the person who asked, nobody else
    print(f"export of {args.account} written to {args.out}", file=out)


def purge(
    settings: CrmSettings,
    factory: sessionmaker[Session],
    out: TextIO,
    args: argparse.Namespace,
    *,
    now: dt.datetime | None = None,
) -> None:
    """Delete what is older than the retention period, in the CRM and the tracker store."""
    days = args.days if args.days is not None else settings.retention_days
    if days < 1:
        raise InvalidRequest("--days must be at least 1")
    cutoff = (now or utcnow()) - dt.timedelta(days=days)
    with SqlAlchemyUnitOfWork(factory) as uow:
        counts = privacy.purge_before(uow, cutoff=cutoff)
        uow.commit()
    tracker = TrackerStore(settings.tracker_store_url)
    try:
        counts["tracker events"] = tracker.delete_before(cutoff)
    finally:
        tracker.close()
    done = ", ".join(f"{count} {kind}" for kind, count in counts.items())
    print(f"purged data older than {days} days ({cutoff:%Y-%m-%d}): {done}", file=out)
