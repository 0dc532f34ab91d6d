"""validate_new_account_form and action_create_account: a new customer's account.

An e-mail already on another account is not revealed, only flagged for an agent.
"""

from __future__ import annotations

import pytest
from rasa_sdk.events import SlotSet

from actions.identification_new_account import ActionCreateAccount, ValidateNewAccountForm
from crm_backend.services import accounts
from crm_backend.uow import SqlAlchemyUnitOfWork
from tests.actions.trackers import SENDER, form_tracker, tracker


@pytest.mark.parametrize(
    ("slot", "value", "notice"),
    [
        ("new_name", "Camille", "not_understood"),
        ("new_email", "camille at example", "invalid_email"),
        ("new_postcode", "Bordeaux", "invalid_postcode"),
    ],
)
async def test_new_account_details_that_do_not_parse_are_asked_again(
    crm, dispatcher, domain, slot, value, notice
):
    events = await ValidateNewAccountForm().run(
        dispatcher,
        form_tracker("new_account_form", requested_slot=slot, filled={slot: value}),
        domain,
    )
    assert events == [SlotSet(slot, None), SlotSet("form_notice", notice)]


@pytest.mark.parametrize(
    ("slot", "value", "kept"),
    [
        ("new_name", "  Camille   Girard ", "Camille Girard"),
        ("new_name", "I'm Camille Girard", "Camille Girard"),
        ("new_name", "my name is Jean-Luc O'Neill", "Jean-Luc O'Neill"),
        ("new_name", "hi, it's Anna Roux", "Anna Roux"),
        ("new_name", "Imogen Isaacs", "Imogen Isaacs"),
        ("new_email", "Camille.Girard@example.fr", "Camille.Girard@example.fr"),
        ("new_postcode", "33 000", "33000"),
    ],
)
async def test_new_account_details_are_kept(crm, dispatcher, domain, slot, value, kept):
    events = await ValidateNewAccountForm().run(
        dispatcher,
        form_tracker("new_account_form", requested_slot=slot, filled={slot: value}),
        domain,
    )
    assert events == [SlotSet(slot, kept)]


NEW_EMPTIED = [SlotSet("new_name", None), SlotSet("new_email", None), SlotSet("new_postcode", None)]
NEW_CUSTOMER = {
    "new_name": "Camille Girard",
    "new_email": "Camille.Girard@example.fr",
    "new_postcode": "33000",
    "channel": "web",
}


async def test_a_new_account_is_opened_and_verified(crm, dispatcher):
    events = await ActionCreateAccount().run(dispatcher, tracker(slots=NEW_CUSTOMER), {})
    with SqlAlchemyUnitOfWork(crm) as uow:
        [account] = accounts.find_accounts(uow, email="camille.girard@example.fr")
        [interaction] = uow.interactions.list_by(conversation_id=SENDER)
        assert (account.name, account.first_name, account.last_name, account.postcode) == (
            "Camille Girard",
            "Camille",
            "Girard",
            "33000",
        )
        assert (interaction.account_id, interaction.identity_confirmed) == (account.id, True)
        assert events == [
            SlotSet("account_id", str(account.id)),
            SlotSet("customer_name", "Camille Girard"),
            SlotSet("customer_number", account.customer_number),
            SlotSet("customer_number_said", account.customer_number),
            SlotSet("identity_status", "verified"),
            *NEW_EMPTIED,
            SlotSet("result", "account_created"),
        ]
        assert (account.phones, account.script_answers) == ([], [])
    assert dispatcher.messages == []


async def test_an_email_already_known_is_not_revealed_but_flagged(crm, pierre, dispatcher):
    slots = {
        **NEW_CUSTOMER,
        "new_name": "Pierre Moreau",
        "new_email": "pierre.moreau@example.fr",
        "session_started_metadata": {"channel": "voice", "caller_phone": "+33700000001"},
    }
    events = await ActionCreateAccount().run(dispatcher, tracker(slots=slots), {})
    assert events[-1] == SlotSet("result", "account_created")
    with SqlAlchemyUnitOfWork(crm) as uow:
        [_, new] = accounts.find_accounts(uow, email="pierre.moreau@example.fr")
        flags = [(a.script, a.question, a.answer) for a in new.script_answers]
        assert flags == [("new account", "possible duplicate of", "C-100001")]
        assert [p.number for p in new.phones] == ["+33700000001"]


async def test_no_account_without_its_details(crm, dispatcher):
    slots = {**NEW_CUSTOMER, "new_email": None}
    events = await ActionCreateAccount().run(dispatcher, tracker(slots=slots), {})
    assert events == [*NEW_EMPTIED, SlotSet("result", "account_not_created")]
    with SqlAlchemyUnitOfWork(crm) as uow:
        assert uow.interactions.list_by(conversation_id=SENDER) == []


async def test_no_account_when_the_crm_is_down(down, dispatcher):
    events = await ActionCreateAccount().run(dispatcher, tracker(slots=NEW_CUSTOMER), {})
    assert events == [SlotSet("result", "technical_problem")]


@pytest.mark.parametrize(
    ("said", "kept"),
    [("kwame mensah", "Kwame Mensah"), ("tell me a joke", None), ("what is this", None)],
)
async def test_a_name_the_nlu_never_saw_is_kept_a_request_is_not(
    crm, dispatcher, domain, said, kept
):
    # Unknown words read as out of scope: while the name is asked, a name is the answer.
    events = await ValidateNewAccountForm().run(
        dispatcher,
        form_tracker(
            "new_account_form",
            requested_slot="new_name",
            intent="out_of_scope",
            text=said,
            filled={"new_name": said},
        ),
        domain,
    )
    expected = [SlotSet("new_name", kept)]
    if kept is None:
        expected.append(SlotSet("form_notice", "not_understood"))
    assert events == expected
