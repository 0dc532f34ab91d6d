"""action_quote_status and action_record_quote_feedback: what a customer hears of their quotes."""

from __future__ import annotations

from rasa_sdk.events import SlotSet

from actions.quotes import ActionQuoteStatus, ActionRecordQuoteFeedback
from crm_backend.models import QuoteStatus
from crm_backend.services import quotes
from crm_backend.uow import SqlAlchemyUnitOfWork
from tests.actions.trackers import CALL_DAY, entity, tracker, user_event

X = "\N{MULTIPLICATION SIGN}"


async def test_the_status_of_the_newest_quote(crm, seeded_account, dispatcher):
    petit = seeded_account("C-100005")  # a quote that expires in two days
    asked = tracker(slots={"account_id": str(petit.id)}, intent="ask_quote_status")
    events = await ActionQuoteStatus().run(dispatcher, asked, {})
    with SqlAlchemyUnitOfWork(crm) as uow:
        [quote] = quotes.quotes_for(uow, account_id=petit.id, today=CALL_DAY)
        number = quote.number
    assert events == [
        SlotSet("quote_number", number),
        SlotSet("quote_number_said", number),
        SlotSet("quote_summary", f"1 {X} Éclipse 3000, 1 {X} Éclipse Laptop Bag"),
        SlotSet("quote_total", "1 358,00 €"),
        SlotSet("quote_discount", "none"),
        SlotSet("delivery_date", "07/03/2026"),
        SlotSet("quote_valid_until", "04/03/2026"),
        SlotSet("quote_state", "open"),
        SlotSet("result", "quote_status"),
    ]


async def test_no_quotes_yet(crm, pierre, dispatcher):
    asked = tracker(slots={"account_id": str(pierre.id)}, intent="ask_quote_status")
    assert await ActionQuoteStatus().run(dispatcher, asked, {}) == [SlotSet("result", "no_quotes")]


async def test_another_customers_quote_is_not_found(crm, pierre, seeded_account, dispatcher):
    with SqlAlchemyUnitOfWork(crm) as uow:
        [theirs] = quotes.quotes_for(uow, account_id=seeded_account("C-100005").id, today=CALL_DAY)
        number = theirs.number
    asked = tracker(
        slots={"account_id": str(pierre.id), "quote_number": number},
        intent="ask_quote_status",
        entities=[entity("quote_number", number)],
    )
    events = await ActionQuoteStatus().run(dispatcher, asked, {})
    assert events == [SlotSet("result", "quote_not_found")]


async def test_feedback_given_before_identification_is_recorded_after_it(
    crm, seeded_account, dispatcher
):
    petit = seeded_account("C-100005")
    events = [
        user_event("your quote is too expensive for me", intent="give_quote_feedback"),
        user_event("yes", intent="affirm"),
    ]
    confirmed = tracker(slots={"account_id": str(petit.id)}, intent="affirm", events=events)
    result = await ActionRecordQuoteFeedback().run(dispatcher, confirmed, {})
    with SqlAlchemyUnitOfWork(crm) as uow:
        [quote] = quotes.quotes_for(uow, account_id=petit.id, today=CALL_DAY)
        kept = (quote.number, quote.feedback, quote.status)
    assert kept[1:] == ("your quote is too expensive for me", QuoteStatus.OPEN)
    assert result == [
        SlotSet("quote_number", kept[0]),
        SlotSet("quote_number_said", kept[0]),
        SlotSet("result", "quote_feedback_recorded"),
    ]


async def test_feedback_picked_from_the_clarifying_buttons_keeps_the_words_before_them(
    crm, seeded_account, dispatcher
):
    """The button "Feedback on a quote" says what the words were; the words are kept."""
    petit = seeded_account("C-100005")
    events = [
        user_event("honestly the offer is way too expensive", intent="nlu_fallback"),
        user_event("/give_quote_feedback", intent="give_quote_feedback"),
        user_event("yes", intent="affirm"),
    ]
    confirmed = tracker(slots={"account_id": str(petit.id)}, intent="affirm", events=events)
    await ActionRecordQuoteFeedback().run(dispatcher, confirmed, {})
    with SqlAlchemyUnitOfWork(crm) as uow:
        [quote] = quotes.quotes_for(uow, account_id=petit.id, today=CALL_DAY)
        assert quote.feedback == "honestly the offer is way too expensive"


async def test_feedback_without_a_quote(crm, pierre, dispatcher):
    said = tracker(
        slots={"account_id": str(pierre.id)}, intent="give_quote_feedback", text="too dear"
    )
    events = await ActionRecordQuoteFeedback().run(dispatcher, said, {})
    assert events == [SlotSet("result", "quote_not_found")]
