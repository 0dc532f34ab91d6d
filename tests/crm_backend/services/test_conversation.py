"""Interaction records: one per contact, identity confirmed once, links, outcome."""

from __future__ import annotations

import datetime as dt

import pytest

from crm_backend.errors import (
    AccountNotFound,
    InteractionNotFound,
    InvalidRequest,
    InvalidStatusChange,
    LeadNotFound,
    OrderNotFound,
    QuoteNotFound,
)
from crm_backend.services import conversation, leads
from tests.factories import columns, make_account, make_order, make_quote

START = dt.datetime(2025, 11, 3, 10, 15, tzinfo=dt.UTC)
END = dt.datetime(2025, 11, 3, 10, 24, tzinfo=dt.UTC)


def start(uow, conversation_id="web-42", **changes):
    return conversation.start_interaction(
        uow, channel="webchat", conversation_id=conversation_id, now=START, **changes
    )


def test_start_interaction_writes_an_open_unconfirmed_record(any_uow):
    pierre = make_account(any_uow)

    interaction = conversation.start_interaction(
        any_uow, channel=" Phone ", conversation_id="CA123", account_id=pierre.id, now=START
    )

    assert columns(interaction) == {
        "id": 1,
        "conversation_id": "CA123",
        "channel": "phone",
        "direction": "inbound",
        "account_id": pierre.id,
        "identity_confirmed": False,
        "started_at": START,
        "ended_at": None,
        "duration_seconds": None,
        "outcome": None,
        "summary": None,
        "quote_id": None,
        "order_id": None,
        "lead_id": None,
        "campaign_id": None,
        "call_list_entry_id": None,
        "wrap_up_code": None,
        "wrap_up_summary": None,
        "stir_verstat": None,
        "feedback": None,
        "feedback_kind": None,
        "satisfaction_asked_at": None,
        "satisfaction_score": None,
        "satisfaction_comment": None,
        "satisfaction_answered_at": None,
    }


def test_twilios_verdict_on_the_caller_number_is_kept_once(any_uow):
    first = conversation.ensure_interaction(
        any_uow, channel="voice", conversation_id="CA123", now=START, stir_verstat=None
    )
    again = conversation.ensure_interaction(
        any_uow,
        channel="voice",
        conversation_id="CA123",
        now=START,
        stir_verstat="TN-Validation-Passed-A",
    )
    later = conversation.ensure_interaction(
        any_uow, channel="voice", conversation_id="CA123", stir_verstat="TN-Validation-Failed"
    )

    assert first is again is later
    assert later.stir_verstat == "TN-Validation-Passed-A"


@pytest.mark.parametrize(
    ("changes", "error"),
    [
        ({"channel": ""}, InvalidRequest),
        ({"conversation_id": " "}, InvalidRequest),
        ({"direction": "sideways"}, InvalidRequest),
        ({"account_id": 7}, AccountNotFound),
    ],
)
def test_start_interaction_refuses_bad_values(any_uow, changes, error):
    given = {"channel": "sms", "conversation_id": "SM1", **changes}

    with pytest.raises(error):
        conversation.start_interaction(any_uow, **given)
    assert any_uow.interactions.count() == 0


def test_open_interaction_is_the_latest_not_ended(any_uow):
    first = start(any_uow)
    conversation.end_interaction(
        any_uow, interaction_id=first.id, outcome="abandoned", ended_at=END
    )
    second = start(any_uow)
    start(any_uow, conversation_id="web-43")

    assert conversation.open_interaction_for(any_uow, conversation_id="web-42") is second
    conversation.end_interaction(any_uow, interaction_id=second.id, outcome="done", ended_at=END)
    assert conversation.open_interaction_for(any_uow, conversation_id="web-42") is None


def test_ensure_interaction_starts_once(any_uow):
    first = conversation.ensure_interaction(
        any_uow, channel="sms", conversation_id="SM1", now=START
    )
    again = conversation.ensure_interaction(any_uow, channel="sms", conversation_id="SM1")

    assert again is first
    assert any_uow.interactions.count() == 1


def test_confirm_identity(any_uow):
    pierre = make_account(any_uow)
    interaction = start(any_uow)

    conversation.confirm_identity(any_uow, interaction_id=interaction.id, account_id=pierre.id)

    assert (interaction.account_id, interaction.account, interaction.identity_confirmed) == (
        pierre.id,
        pierre,
        True,
    )
    with pytest.raises(AccountNotFound):
        conversation.confirm_identity(any_uow, interaction_id=interaction.id, account_id=99)
    with pytest.raises(InteractionNotFound):
        conversation.confirm_identity(any_uow, interaction_id=99, account_id=pierre.id)


def test_link_what_the_contact_produced(any_uow):
    pierre = make_account(any_uow)
    quote = make_quote(any_uow, pierre, number="Q-000001", valid_until=dt.date(2025, 12, 3))
    order = make_order(any_uow, pierre, number="SO-000001", promised=dt.date(2025, 11, 5))
    lead = leads.create_lead(any_uow, account_id=pierre.id, source_channel="webchat")
    interaction = start(any_uow)

    conversation.link_interaction(any_uow, interaction_id=interaction.id, quote_id=quote.id)
    conversation.link_interaction(
        any_uow, interaction_id=interaction.id, order_id=order.id, lead_id=lead.id
    )

    assert (interaction.quote_id, interaction.order_id, interaction.lead_id) == (
        quote.id,
        order.id,
        lead.id,
    )


@pytest.mark.parametrize(
    ("link", "error"),
    [
        ({"quote_id": 9}, QuoteNotFound),
        ({"order_id": 9}, OrderNotFound),
        ({"lead_id": 9}, LeadNotFound),
    ],
)
def test_links_must_exist(any_uow, link, error):
    interaction = start(any_uow)

    with pytest.raises(error):
        conversation.link_interaction(any_uow, interaction_id=interaction.id, **link)


def test_end_interaction_once_with_outcome_and_summary(any_uow):
    interaction = start(any_uow)

    conversation.end_interaction(
        any_uow,
        interaction_id=interaction.id,
        outcome=" order_placed ",
        summary="Bought the Éclipse 3000 and its bag.",
        ended_at=END,
    )

    assert (interaction.outcome, interaction.summary, interaction.ended_at) == (
        "order_placed",
        "Bought the Éclipse 3000 and its bag.",
        END,
    )
    with pytest.raises(InvalidStatusChange):
        conversation.end_interaction(any_uow, interaction_id=interaction.id, outcome="again")
    with pytest.raises(InvalidStatusChange):
        conversation.confirm_identity(
            any_uow, interaction_id=interaction.id, account_id=make_account(any_uow).id
        )


@pytest.mark.parametrize(
    ("outcome", "ended_at"), [("", END), ("done", START - dt.timedelta(seconds=1))]
)
def test_end_interaction_refuses_bad_values(any_uow, outcome, ended_at):
    interaction = start(any_uow)

    with pytest.raises(InvalidRequest):
        conversation.end_interaction(
            any_uow, interaction_id=interaction.id, outcome=outcome, ended_at=ended_at
        )
    assert interaction.ended_at is None


def test_interactions_of_an_account_newest_first(any_uow):
    pierre = make_account(any_uow)
    first = start(any_uow, account_id=pierre.id)
    start(any_uow, conversation_id="web-43")
    second = start(any_uow, conversation_id="web-44")
    conversation.confirm_identity(any_uow, interaction_id=second.id, account_id=pierre.id)

    assert conversation.interactions_for(any_uow, account_id=pierre.id) == [second, first]
