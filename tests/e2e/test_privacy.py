"""Erasure on the real stack: after a full conversation and `erase`, nothing of the person is left.

The e2e session shares one stack and database, where other tests rely on
Pierre Moreau: this test makes its own customer, with the same kinds of data
as Pierre (name, number, e-mail, postcode, an order), talks as them through the
chat API, erases them with the command line an operator would run, and then
searches every CRM table, Rasa's tracker store (its rows and the file's bytes)
and every log file of the stack.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import secrets
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import select

from crm_backend.models import Base, ConsentStatus, ContactChannel
from crm_backend.services import consent
from crm_backend.uow import SqlAlchemyUnitOfWork
from launcher.stack import REPO_ROOT
from tests.e2e.conftest import API_TOKEN, Chat, LiveStack
from tests.factories import make_account, make_order

NAME = ("Zéphyrin", "Quillardet")
PHONE = "+33798765431"
EMAIL = "zephyrin.quillardet@example.fr"
POSTCODE = "04870"
CUSTOMER = "C-947361"
# Each way the person shows up in text. The postcode is matched as a whole word: Rasa's
# float timestamps ("….04870") and the hex message ids of every user event ("…f04870b…")
# may hold any five digits.
TRACES = [
    re.compile(re.escape(text), re.IGNORECASE)
    for text in (
        "Quillardet",
        "Zéphyrin",
        EMAIL,
        PHONE,
        "0798765431",
        "798765431",
        "07 98 76 54 31",
    )
] + [re.compile(rf"(?<![\w.]){POSTCODE}(?!\w)")]


def found(text: str) -> list[str]:
    return [trace.pattern for trace in TRACES if trace.search(text)]


def crm_dump(live: LiveStack) -> str:
    with live.sessions() as session:
        return "\n".join(
            f"{table.name}: {tuple(row)}"
            for table in Base.metadata.sorted_tables
            for row in session.execute(select(table))
        )


def tracker_rows(path: Path) -> str:
    with sqlite3.connect(path) as connection:
        return "\n".join(str(row) for row in connection.execute("SELECT * FROM events"))


def logs(live: LiveStack) -> str:
    return "\n".join(
        p.read_text(encoding="utf-8", errors="replace")
        for p in sorted(Path(live.stack.log_dir).iterdir())
        if p.is_file()
    )


def make_customer(live: LiveStack) -> None:
    with SqlAlchemyUnitOfWork(live.sessions) as uow:
        account = make_account(
            uow,
            first_name=NAME[0],
            last_name=NAME[1],
            customer_number=CUSTOMER,
            phones=(PHONE,),
            emails=(EMAIL,),
            street="3 chemin des Lavandes",
            postcode=POSTCODE,
            city="Forcalquier",
            consents={ContactChannel.SMS: ConsentStatus.OPT_IN},
        )
        uow.flush()
        make_order(uow, account, number="SO-947361", promised=dt.date(2026, 1, 15))
        consent.set_do_not_contact(uow, account_id=account.id, source="e2e")
        uow.commit()


def test_after_a_conversation_and_erase_nothing_of_the_person_is_left(
    live: LiveStack, monkeypatch: pytest.MonkeyPatch
) -> None:
    env = {**os.environ, **live.stack.child_env()}
    # The consent check below reads the stack's suppression key, in its var folder.
    monkeypatch.setenv("ICBOT_VAR_DIR", env["ICBOT_VAR_DIR"])
    make_customer(live)
    tracker_db = Path(env["ICBOT_TRACKER_DB"])
    conversation = f"e2e-privacy-{secrets.token_hex(8)}"
    with Chat(live.url, conversation, token=API_TOKEN) as chat:
        chat.say("hello", phone=PHONE, channel="web")
        chat.say("where is my order?", phone=PHONE)
        chat.say("yes")
        chat.say(POSTCODE)
        chat.say(f"my e-mail is {EMAIL} and my number {PHONE}")
        chat.say("I want to talk to a person")
        chat.say("thanks, bye")
    # The test sees what it looks for, where it looks.
    assert "Quillardet" in crm_dump(live)
    assert PHONE in tracker_rows(tracker_db)

    erased = subprocess.run(
        [sys.executable, "-m", "crm_backend", "erase", "--account", CUSTOMER],
        cwd=REPO_ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )

    assert erased.returncode == 0, erased.stderr
    assert erased.stdout.startswith("erased: 1 account(s) anonymized"), erased.stdout
    assert found(crm_dump(live)) == []
    assert found(tracker_rows(tracker_db)) == []
    assert found(tracker_db.read_bytes().decode("utf-8", errors="replace")) == []
    assert found(logs(live)) == []
    # The refusal outlives the person: the number is still not to be contacted.
    with SqlAlchemyUnitOfWork(live.sessions) as uow:
        assert consent.number_refusal(uow, phone=PHONE, channel="sms") == consent.DO_NOT_CONTACT
