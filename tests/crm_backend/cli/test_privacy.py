"""A person's rights by command (erase, export, purge): erasure everywhere, what outlives it."""

from __future__ import annotations

import datetime as dt
import io
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import insert, select
from sqlalchemy.orm import Session, sessionmaker

from crm_backend.cli import main
from crm_backend.db import build_engine
from crm_backend.models import (
    Activity,
    ActivityKind,
    Agent,
    Base,
    Handoff,
    HandoffNote,
    HandoffReason,
    HandoffStatus,
    InboundMessage,
    Interaction,
    Lead,
    Preference,
    Quote,
    SalesOrder,
    ScriptAnswer,
    Suppression,
    TranscriptEntry,
    VerificationFailure,
)
from crm_backend.services import consent, privacy
from crm_backend.tracker_store import EVENTS, TrackerStore
from crm_backend.uow import SqlAlchemyUnitOfWork
from tests.crm_backend.seed_day import SEED_DAY

PIERRE = "C-100001"
HIS_CONVERSATION = "web-7d1c0b5e"  # identified by the bot: his interaction names it
HIS_SMS = "sms-+33612345678"
OTHER = "web-someone-else"
# Everything that names Pierre Moreau: none of it may be left after his erasure.
HIS_TRACES = (
    "C-100001",
    "+33612345678",
    "0612345678",
    "pierre.moreau@example.fr",
    "69002",
    "Moreau",
)
NOW = dt.datetime(2026, 3, 2, 9, 30, tzinfo=dt.UTC)


@pytest.fixture
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    """One command's environment; the suppression key is read from ICBOT_VAR_DIR."""
    values = {
        "DATABASE_URL": f"sqlite:///{tmp_path / 'crm.db'}",
        "ICBOT_VAR_DIR": str(tmp_path / "var"),
        "ICBOT_TRACKER_STORE_URL": f"sqlite:///{tmp_path / 'tracker.db'}",
    }
    for name, value in values.items():
        monkeypatch.setenv(name, value)
    return values


@pytest.fixture
def sessions(env: dict[str, str]) -> Iterator[sessionmaker[Session]]:
    """The seeded CRM of the command."""
    from crm_backend.seed import seed_database

    engine = build_engine(env["DATABASE_URL"])
    Base.metadata.create_all(engine)
    factory = sessionmaker(bind=engine, expire_on_commit=False)
    seed_database(factory, today=SEED_DAY)
    yield factory
    engine.dispose()


@pytest.fixture
def tracker(env: dict[str, str]) -> Iterator[TrackerStore]:
    """Rasa's tracker store as Rasa leaves it: Pierre's conversations and someone else's."""
    engine = build_engine(env["ICBOT_TRACKER_STORE_URL"])
    EVENTS.metadata.create_all(engine)
    rows = [
        (HIS_CONVERSATION, NOW, {"text": "my postcode is 69002"}),
        (HIS_SMS, NOW, {"text": "where is my order"}),
        # Not tied to him in the CRM, but his address is in what he typed.
        ("web-anonymous", NOW, {"text": "write to pierre.moreau@example.fr"}),
        (OTHER, NOW, {"text": "hello"}),
        (OTHER, NOW - dt.timedelta(days=400), {"text": "last year"}),
    ]
    with engine.begin() as connection:
        connection.execute(
            insert(EVENTS),
            [
                {
                    "sender_id": s,
                    "type_name": "user",
                    "timestamp": at.timestamp(),
                    "data": json.dumps(d),
                }
                for s, at, d in rows
            ],
        )
    engine.dispose()
    store = TrackerStore(env["ICBOT_TRACKER_STORE_URL"])
    yield store
    store.close()


def pierre_everywhere(factory: sessionmaker[Session]) -> None:
    """Give Pierre a trace in every kind of row that can hold one."""
    with SqlAlchemyUnitOfWork(factory) as uow:
        pierre = uow.accounts.get_by(customer_number=PIERRE)
        assert pierre is not None
        agent = Agent(username="ana", display_name="Ana", password_hash="x")
        interaction = Interaction(
            conversation_id=HIS_CONVERSATION,
            channel="web",
            account_id=pierre.id,
            summary="Pierre Moreau asked about order; phone +33612345678",
            wrap_up_summary="call him on 06 12 34 56 78",
            satisfaction_score=5,
            satisfaction_comment="Moreau here: quick and kind",
        )
        handoff = Handoff(
            conversation_id=HIS_SMS,
            channel="sms",
            reply_to="+33612345678",
            account_id=pierre.id,
            reason=HandoffReason.REQUESTED,
            detail="I am Pierre Moreau, 69002",
            slots={"email": "pierre.moreau@example.fr"},
            status=HandoffStatus.CLOSED,
            summary="Moreau wants a refund",
            notes=[HandoffNote(agent=agent, text="Moreau is angry")],
        )
        rows: list[Any] = [
            agent,
            interaction,
            handoff,
            TranscriptEntry(
                conversation_id=HIS_CONVERSATION, channel="web", role="customer", text="69002"
            ),
            TranscriptEntry(
                conversation_id=HIS_CONVERSATION,
                channel="web",
                role="bot",
                text="Am I speaking with Pierre Moreau?",
            ),
            TranscriptEntry(conversation_id=HIS_SMS, channel="sms", role="customer", text="hi"),
            TranscriptEntry(
                conversation_id="web-anonymous",
                channel="web",
                role="customer",
                text="my number is 06 12 34 56 78",
            ),
            TranscriptEntry(
                conversation_id="web-callback", channel="web", role="customer", text="0612345678"
            ),
            TranscriptEntry(conversation_id=OTHER, channel="web", role="customer", text="hello"),
            InboundMessage(
                message_id="SM1",
                channel="sms",
                conversation_id=HIS_SMS,
                reply=["Hello Pierre Moreau"],
            ),
            Activity(
                account_id=pierre.id,
                kind=ActivityKind.CALLBACK,
                subject="call +33612345678 about 69002",
                due_at=NOW,
            ),
            Lead(
                account_id=pierre.id,
                source_channel="web",
                qualification_answers={"email": "pierre.moreau@example.fr"},
            ),
            Preference(account_id=pierre.id, key="contact", value="pierre.moreau@example.fr"),
            ScriptAnswer(account_id=pierre.id, script="s", question="q", answer="Moreau family"),
            VerificationFailure(account_id=pierre.id, channel="web"),
        ]
        rows.append(
            Quote(
                account_id=pierre.id,
                number="Q-000901",
                delivery_date=NOW.date(),
                valid_until=NOW.date(),
                feedback="Moreau found it too dear",
            )
        )
        uow.session.add_all(rows)
        consent.set_do_not_contact(uow, account_id=pierre.id, source="test", now=NOW)
        consent.opt_out_number(uow, phone="+33612345678", channel="sms", source="test", now=NOW)
        uow.commit()


def dump(factory: sessionmaker[Session]) -> str:
    """Every value of every table of the CRM, as text."""
    lines = []
    with factory() as session:
        for table in Base.metadata.sorted_tables:
            for row in session.execute(select(table)):
                lines.append(f"{table.name}: {' | '.join(str(v) for v in row)}")
    return "\n".join(lines)


def tracker_dump(url: str) -> str:
    engine = build_engine(url)
    try:
        with engine.connect() as connection:
            return "\n".join(str(tuple(row)) for row in connection.execute(select(EVENTS)))
    finally:
        engine.dispose()


def test_erase_leaves_nothing_of_pierre_in_any_table_nor_the_tracker(
    env: dict[str, str], sessions: sessionmaker[Session], tracker: TrackerStore
) -> None:
    pierre_everywhere(sessions)
    before = dump(sessions)
    assert [t for t in HIS_TRACES if t not in before] == []  # the test sees what it looks for

    out = io.StringIO()
    assert main(["erase", "--account", PIERRE], environ=env, out=out) == 0

    after, events = dump(sessions), tracker_dump(env["ICBOT_TRACKER_STORE_URL"])
    assert [t for t in HIS_TRACES if t in after] == []
    assert [t for t in HIS_TRACES if t in events] == []
    assert "612345678" not in after + events
    # Other people's conversations stay, and so do his orders, anonymized.
    assert tracker.count(OTHER) == 2
    assert tracker.count() == 2
    with SqlAlchemyUnitOfWork(sessions) as uow:
        assert [e.text for e in uow.transcripts.for_conversation(OTHER)] == ["hello"]
        orders = uow.session.scalars(select(SalesOrder).where(SalesOrder.account_id == 1)).all()
        assert len(orders) == 1
        assert orders[0].account.name == privacy.ERASED_NAME
        assert orders[0].account.customer_number.startswith("X-")
        quotes = uow.session.scalars(select(Quote).where(Quote.account_id == 1)).all()
        assert [(q.number, q.feedback) for q in quotes] == [("Q-000901", None)]
    assert out.getvalue().startswith("erased: 1 account(s) anonymized, 4 conversation(s)")


def test_a_do_not_contact_outlives_erasure_as_a_salted_hash(
    env: dict[str, str], sessions: sessionmaker[Session], tracker: TrackerStore
) -> None:
    pierre_everywhere(sessions)

    assert main(["erase", "--account", PIERRE], environ=env, out=io.StringIO()) == 0

    with SqlAlchemyUnitOfWork(sessions) as uow:
        kept = sorted((s.kind, s.channel) for s in uow.session.scalars(select(Suppression)))
        assert kept == [
            ("email", "all"),
            ("email", "email"),
            ("phone", "all"),
            ("phone", "phone"),
            ("phone", "sms"),
        ]
        assert all(len(s.digest) == 64 for s in uow.session.scalars(select(Suppression)))
        # The number is free of any consent row, and still refused.
        assert uow.number_consents.count() == 0
        for channel in ("sms", "phone"):
            assert (
                consent.number_refusal(uow, phone="06 12 34 56 78", channel=channel)
                == consent.DO_NOT_CONTACT
            )
            assert consent.number_opted_out(uow, phone="+33612345678", channel=channel)
        assert (
            consent.number_refusal(uow, phone="+33611111111", channel="sms") == consent.NO_CONSENT
        )


def test_export_holds_his_account_orders_conversations_and_consents(
    env: dict[str, str], sessions: sessionmaker[Session], tmp_path: Path
) -> None:
    pierre_everywhere(sessions)
    target = tmp_path / "pierre.json"

    assert (
        main(["export", "--account", PIERRE, "--out", str(target)], environ=env, out=io.StringIO())
        == 0
    )

    document = json.loads(target.read_text(encoding="utf-8"))
    assert document["account"]["customer_number"] == PIERRE
    assert document["account"]["name"] == "Pierre Moreau"
    assert [p["number"] for p in document["phones"]] == ["+33612345678"]
    assert [e["address"] for e in document["emails"]] == ["pierre.moreau@example.fr"]
    assert sorted((c["channel"], c["status"]) for c in document["consents"]) == [
        ("email", "opt_out"),
        ("phone", "opt_out"),
        ("sms", "opt_out"),
    ]
    assert [(c["number"], c["status"]) for c in document["number_consents"]] == [
        ("+33612345678", "opt_out")
    ]
    assert len(document["orders"]) == 1
    assert document["orders"][0]["lines"] != []
    assert [c["conversation_id"] for c in document["conversations"]] == [HIS_SMS, HIS_CONVERSATION]
    assert [e["text"] for e in document["conversations"][1]["transcript"]] == [
        "69002",
        "Am I speaking with Pierre Moreau?",
    ]
    assert document["handoffs"][0]["notes"][0]["text"] == "Moreau is angry"
    assert (target.stat().st_mode & 0o777) == 0o600


def test_purge_deletes_conversation_data_past_the_retention_period(
    env: dict[str, str], sessions: sessionmaker[Session], tracker: TrackerStore
) -> None:
    old, recent = NOW - dt.timedelta(days=400), NOW - dt.timedelta(days=10)
    with SqlAlchemyUnitOfWork(sessions) as uow:
        agent = Agent(username="ana", display_name="Ana", password_hash="x")
        for conversation, at in (("old", old), ("recent", recent)):
            uow.session.add_all(
                [
                    TranscriptEntry(
                        conversation_id=conversation,
                        channel="web",
                        role="customer",
                        text=conversation,
                        at=at,
                    ),
                    InboundMessage(
                        message_id=f"SM-{conversation}",
                        channel="sms",
                        conversation_id=conversation,
                        claimed_at=at,
                    ),
                    Handoff(
                        conversation_id=conversation,
                        channel="sms",
                        reply_to="+33600000000",
                        reason=HandoffReason.REQUESTED,
                        detail=conversation,
                        slots={"said": conversation},
                        status=HandoffStatus.CLOSED,
                        requested_at=at,
                        notes=[HandoffNote(agent=agent, text=conversation, created_at=at)],
                    ),
                ]
            )
        uow.commit()
    out = io.StringIO()

    assert main(["purge", "--days", "365"], environ=env, out=out) == 0

    with SqlAlchemyUnitOfWork(sessions) as uow:
        assert [e.conversation_id for e in uow.session.scalars(select(TranscriptEntry))] == [
            "recent"
        ]
        assert [m.conversation_id for m in uow.session.scalars(select(InboundMessage))] == [
            "recent"
        ]
        assert [n.text for n in uow.session.scalars(select(HandoffNote))] == ["recent"]
        handoffs = {
            h.conversation_id: (h.detail, h.slots, h.reply_to)
            for h in uow.session.scalars(select(Handoff))
        }
        assert handoffs == {
            "old": ("", {}, None),
            "recent": ("recent", {"said": "recent"}, "+33600000000"),
        }
    assert tracker.count(OTHER) == 1  # last year's event went, today's stayed
    assert tracker.count() == 4
    assert (
        "1 transcript entries, 1 received messages, 1 handoff notes, 1 handoffs cleared, "
        "0 review marks unlinked, 1 tracker events" in out.getvalue()
    )


def test_erase_by_phone_removes_the_number_but_not_the_accounts_that_held_it(
    env: dict[str, str], sessions: sessionmaker[Session], tracker: TrackerStore
) -> None:
    pierre_everywhere(sessions)

    assert main(["erase", "--phone", "06 12 34 56 78"], environ=env, out=io.StringIO()) == 0

    after = dump(sessions)
    assert [t for t in ("+33612345678", "612345678") if t in after] == []
    assert "pierre.moreau@example.fr" in after  # his account stays: the number alone went
    # His web conversation goes too: its summary held the number.
    assert (tracker.count(HIS_SMS), tracker.count(HIS_CONVERSATION), tracker.count(OTHER)) == (
        0,
        0,
        2,
    )
