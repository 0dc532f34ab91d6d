"""Snapshots, their difference, and what the runner reads and tidies in the CRM."""

from __future__ import annotations

from sqlalchemy import func, select, text

from converse.crm import (
    Change,
    diff,
    forget_failed_checks,
    give_open_quote,
    leave_waiting_queue,
    persona_facts,
    snapshot,
)
from crm_backend.models import HandoffStatus, VerificationFailure
from crm_backend.opening_hours import OpeningHours
from crm_backend.services import accounts, handoff
from crm_backend.services.verification_lock import record_failed_verification
from crm_backend.settings import HandoffSettings


def test_a_snapshot_difference_lists_added_changed_and_removed_rows(crm):
    before = snapshot(crm.engine)
    with crm.uow() as uow:
        accounts.update_email(uow, account_id=1, email="p.moreau@example.org")
        uow.commit()
    with crm.engine.begin() as connection:
        connection.execute(text("DELETE FROM preferences WHERE id = 1"))

    changes = diff(before, snapshot(crm.engine))

    assert [(c.table, c.kind) for c in changes] == [
        ("emails", "changed"),
        ("emails", "added"),
        ("preferences", "removed"),
    ]
    moved = changes[0]
    assert moved.columns == ("is_primary",)
    assert moved.describe() == f"emails #{moved.id} changed (is_primary: True → False)"
    assert diff(before, before) == []


def test_a_timestamp_moving_alone_is_no_change():
    row = {"id": 1, "value": "sms", "recorded_at": "2026-12-05T10:00:00"}
    later = {**row, "recorded_at": "2026-12-05T11:00:00"}

    assert diff({"preferences": {1: row}}, {"preferences": {1: later}}) == []
    added = Change(table="preferences", kind="added", id=2, row={"id": 2, "value": "sms"})
    assert added.describe() == "preferences #2 added {'id': 2, 'value': 'sms'}"


def test_a_demo_customer_knows_their_own_facts(crm):
    pierre = persona_facts(crm.sessions, "C-100001")
    camille = persona_facts(crm.sessions, "C-100002")
    nicolas = persona_facts(crm.sessions, "C-100005")

    assert {k: pierre[k] for k in ("name", "email", "phone", "postcode", "city")} == {
        "name": "Pierre Moreau",
        "email": "pierre.moreau@example.fr",
        "phone": "+33612345678",
        "postcode": "69002",
        "city": "Lyon",
    }
    assert "open_order" not in pierre  # his one order was delivered
    assert pierre["latest_order"].startswith("SO-")
    assert camille["open_order"] == camille["latest_order"]
    assert nicolas["open_quote"] == "Q-000001"


def test_a_setup_quote_becomes_the_customers_open_quote(crm):
    number = give_open_quote(crm.sessions, "C-100001", {"NOV-14": 2})

    assert persona_facts(crm.sessions, "C-100001")["open_quote"] == number


def test_the_runner_forgets_failed_checks_and_takes_a_left_conversation_out_of_the_queue(crm):
    settings = HandoffSettings(hours=OpeningHours.parse("mon-sun 00:00-24:00"))
    with crm.uow() as uow:
        record_failed_verification(uow, account_id=1, channel="web")
        handoff.request_handoff(
            uow, conversation_id="web-abc.def", channel="web", reason="requested",
            settings=settings,
        )  # fmt: skip
        uow.commit()

    forget_failed_checks(crm.engine)

    assert leave_waiting_queue(crm.sessions, "abc.def") == 1
    assert leave_waiting_queue(crm.sessions, "abc.def") == 0
    with crm.sessions() as session:
        assert session.scalar(select(func.count()).select_from(VerificationFailure)) == 0
        assert session.scalars(select(handoff.Handoff.status)).all() == [HandoffStatus.CANCELLED]
