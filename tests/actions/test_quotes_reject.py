"""action_reject_quote: declining a quote records the decision and the reason, never an order."""

from __future__ import annotations

from rasa_sdk.events import SlotSet

from actions.quotes import ActionRejectQuote
from crm_backend.models import QuoteStatus
from crm_backend.services import quotes
from crm_backend.services.pricing import LineRequest
from crm_backend.uow import SqlAlchemyUnitOfWork
from tests.actions.trackers import CALL_DAY, entity, tracker, user_event


def quotes_of(crm, account_id):
    with SqlAlchemyUnitOfWork(crm) as uow:
        orders = len(uow.orders.list_by(account_id=account_id))
        return [
            (q.number, q.status, q.feedback, orders)
            for q in quotes.quotes_for(uow, account_id=account_id, today=CALL_DAY)
        ]


def new_quote(crm, account_id):
    with SqlAlchemyUnitOfWork(crm) as uow:
        quote = quotes.create_quote(
            uow,
            account_id=account_id,
            lines=[LineRequest(sku="NOV-14", quantity=2)],
            today=CALL_DAY,
        )
        uow.commit()
        return quote.number


async def test_a_quote_declined_before_identification_is_rejected_with_the_reason(
    crm, seeded_account, dispatcher
):
    petit = seeded_account("C-100005")  # one open quote
    said = "we won't go on with the offer, a shop down the road sells it for less"
    events = [user_event(said, intent="reject_quote"), user_event("yes", intent="affirm")]
    confirmed = tracker(slots={"account_id": str(petit.id)}, intent="affirm", events=events)

    result = await ActionRejectQuote().run(dispatcher, confirmed, {})

    [(number, status, feedback, orders)] = quotes_of(crm, petit.id)
    assert (status, feedback, orders) == (QuoteStatus.REJECTED, said, 0)
    assert result == [
        SlotSet("quote_number", number),
        SlotSet("quote_number_said", number),
        SlotSet("quote_state", "rejected"),
        SlotSet("result", "quote_rejected"),
    ]


async def test_the_quote_named_is_the_one_declined(crm, seeded_account, dispatcher):
    petit = seeded_account("C-100005")
    [(older, *_)] = quotes_of(crm, petit.id)
    newer = new_quote(crm, petit.id)
    said = tracker(
        slots={"account_id": str(petit.id)},
        intent="reject_quote",
        text=f"scrap {older}",
        entities=[entity("quote_number", older)],
    )

    await ActionRejectQuote().run(dispatcher, said, {})

    statuses = {number: status for number, status, *_ in quotes_of(crm, petit.id)}
    assert statuses == {older: QuoteStatus.REJECTED, newer: QuoteStatus.OPEN}


async def test_with_several_open_quotes_and_none_named_the_customer_is_asked(
    crm, seeded_account, dispatcher
):
    petit = seeded_account("C-100005")
    new_quote(crm, petit.id)
    said = tracker(slots={"account_id": str(petit.id)}, intent="reject_quote", text="no thanks")

    assert await ActionRejectQuote().run(dispatcher, said, {}) == [SlotSet("result", "quote_which")]
    assert {status for _, status, *_ in quotes_of(crm, petit.id)} == {QuoteStatus.OPEN}


async def test_a_quote_already_decided_is_not_changed(crm, seeded_account, dispatcher):
    petit = seeded_account("C-100005")
    [(number, *_)] = quotes_of(crm, petit.id)
    with SqlAlchemyUnitOfWork(crm) as uow:
        quotes.record_quote_feedback(
            uow, number=number, feedback="ok", decision=QuoteStatus.ACCEPTED, today=CALL_DAY
        )
        uow.commit()
    said = tracker(
        slots={"account_id": str(petit.id), "quote_number": number},
        intent="reject_quote",
        text="cancel it",
    )

    events = await ActionRejectQuote().run(dispatcher, said, {})

    assert events[-2:] == [SlotSet("quote_state", "accepted"), SlotSet("result", "quote_not_open")]
    assert quotes_of(crm, petit.id)[0][1] == QuoteStatus.ACCEPTED


async def test_another_customers_quote_cannot_be_declined(crm, pierre, seeded_account, dispatcher):
    theirs = seeded_account("C-100005")
    [(number, *_)] = quotes_of(crm, theirs.id)
    said = tracker(
        slots={"account_id": str(pierre.id)},
        intent="reject_quote",
        entities=[entity("quote_number", number)],
    )

    assert await ActionRejectQuote().run(dispatcher, said, {}) == [
        SlotSet("result", "quote_not_found")
    ]
    assert quotes_of(crm, theirs.id)[0][1] == QuoteStatus.OPEN
