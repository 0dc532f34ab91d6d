"""action_give_account_context: the verified customer's context, or a failed identification."""

from __future__ import annotations

from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.identification_context import ActionGiveAccountContext
from crm_backend.uow import SqlAlchemyUnitOfWork
from tests.actions.trackers import SENDER, tracker


def interaction_of(crm):
    with SqlAlchemyUnitOfWork(crm) as uow:
        [interaction] = uow.interactions.list_by(conversation_id=SENDER)
        return interaction.channel, interaction.account_id, interaction.identity_confirmed


async def test_pierre_gets_his_context_and_the_interaction_knows_him(crm, pierre, dispatcher):
    verified = tracker(slots={"account_id": str(pierre.id), "channel": "web"})
    events = await ActionGiveAccountContext().run(dispatcher, verified, {})
    assert events == [
        SlotSet("identity_status", "verified"),
        SlotSet("customer_name", "Pierre Moreau"),
        SlotSet("customer_number", "C-100001"),
        # No open order: no "Your open orders: none", the words say there is none.
        SlotSet("context_orders", None),
        SlotSet("context_products", " Your products: Lumio InkJet 200."),
        SlotSet("context_alerts", None),
        SlotSet("result", "account_context_no_orders"),
    ]
    assert dispatcher.messages == []
    assert interaction_of(crm) == ("web", pierre.id, True)


async def test_with_a_task_waiting_the_context_asks_nothing(
    crm, pierre, seeded_account, dispatcher
):
    # The order asked for before the identification goes on: no "How can I help you?".
    waiting = tracker(slots={"account_id": str(pierre.id), "pending_task": "order"})
    events = await ActionGiveAccountContext().run(dispatcher, waiting, {})
    assert events[-1] == SlotSet("result", "account_context_task_no_orders")
    laurent = seeded_account("C-100002")
    waiting = tracker(slots={"account_id": str(laurent.id), "pending_task": "order_status"})
    events = await ActionGiveAccountContext().run(CollectingDispatcher(), waiting, {})
    assert events[-1] == SlotSet("result", "account_context_alerts_task")


async def test_a_late_order_is_an_open_order_and_an_alert(crm, seeded_account, dispatcher):
    laurent = seeded_account("C-100002")
    verified = tracker(slots={"account_id": str(laurent.id), "channel": "voice"})
    events = await ActionGiveAccountContext().run(dispatcher, verified, {})
    with SqlAlchemyUnitOfWork(crm) as uow:
        [late] = uow.orders.list_by(account_id=laurent.id)
        number = late.number
    # On the phone the number is heard character by character: "S O, 0 0 0, 0 0 2".
    said = " ".join(number[:2]) + ", " + " ".join(number[3:6]) + ", " + " ".join(number[6:])
    assert events == [
        SlotSet("identity_status", "verified"),
        SlotSet("customer_name", "Camille Laurent"),
        SlotSet("customer_number", "C-100002"),
        SlotSet("context_orders", f"order {said}, confirmed, due Thursday the 26th of February"),
        # No product: the greeting says nothing of products, not "Your products: none".
        SlotSet("context_products", ""),
        SlotSet("context_alerts", f"Your order {said} is late: it was promised for 26 February"),
        SlotSet("result", "account_context_alerts"),
    ]
    assert interaction_of(crm) == ("voice", laurent.id, True)


async def test_without_a_confirmed_account_the_identification_failed(crm, pierre, dispatcher):
    # A candidate, even with its name, is no confirmed account: nothing of it is set.
    stranger = tracker(slots={"account_candidate_id": str(pierre.id), "identify_attempts": 2.0})
    events = await ActionGiveAccountContext().run(dispatcher, stranger, {})
    assert events == [
        SlotSet("identity_status", "failed"),
        SlotSet("result", "identity_failed"),
    ]
    with SqlAlchemyUnitOfWork(crm) as uow:
        assert uow.interactions.list_by(account_id=pierre.id) == []


async def test_an_identification_cut_short_by_the_crm_says_so(crm, dispatcher):
    # validate_identify_form ended the form after one attempt: the CRM could not be reached.
    cut_short = tracker(slots={"identify_attempts": 0.0, "result": "technical_problem"})
    events = await ActionGiveAccountContext().run(dispatcher, cut_short, {})
    assert events == [
        SlotSet("identity_status", "failed"),
        SlotSet("result", "technical_problem"),
    ]


async def test_a_confirmed_account_stays_verified_when_the_crm_is_down(down, dispatcher):
    verified = tracker(slots={"account_id": "1", "channel": "web"})
    events = await ActionGiveAccountContext().run(dispatcher, verified, {})
    assert events == [
        SlotSet("identity_status", "verified"),
        SlotSet("result", "technical_problem"),
    ]
