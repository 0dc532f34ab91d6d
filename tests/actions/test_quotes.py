"""validate_quote_form and action_create_quote: what a quote asks, prices and promises."""

from __future__ import annotations

from decimal import Decimal

import pytest
from rasa_sdk.events import SlotSet

from actions.quotes import (
    ActionCreateQuote,
    ValidateQuoteForm,
)
from crm_backend.models import QuoteStatus
from crm_backend.services import quotes
from crm_backend.uow import SqlAlchemyUnitOfWork
from tests.actions.trackers import (
    CALL_DAY,
    SENDER,
    entity,
    form_tracker,
    slot_event,
    tracker,
    user_event,
)

FIVE_ECLIPSES = [{"sku": "ECL-3000", "quantity": 5}]
FORM_EMPTIED = [SlotSet("quote_lines", None), SlotSet("requested_date", None)]
X = "\N{MULTIPLICATION SIGN}"


def positioned(name, value, start):
    found = entity(name, value)
    found.update(start=start, end=start + 1)
    return found


async def validate(dispatcher, domain, **kwargs):
    return await ValidateQuoteForm().run(dispatcher, form_tracker("quote_form", **kwargs), domain)


# --- the form ---------------------------------------------------------------------------


async def test_products_and_quantities_said_start_the_quote(crm, dispatcher, domain):
    events = await validate(
        dispatcher,
        domain,
        requested_slot=None,
        intent="request_quote",
        text="a quote for 3 Éclipse 3000 and 3 laptop bags",
        entities=[
            positioned("quantity", "3", 12),
            positioned("product", "ECL-3000", 14),
            positioned("quantity", "3", 31),
            positioned("product", "BAG-ECL", 33),
        ],
    )
    assert events == [
        SlotSet(
            "quote_lines",
            [{"sku": "ECL-3000", "quantity": 3}, {"sku": "BAG-ECL", "quantity": 3}],
        )
    ]


async def test_the_product_in_focus_is_quoted_once_when_none_is_named(crm, dispatcher, domain):
    events = await validate(
        dispatcher,
        domain,
        requested_slot=None,
        intent="request_quote",
        slots={"focus_product": "ECL-3000"},
    )
    assert events == [SlotSet("quote_lines", [{"sku": "ECL-3000", "quantity": 1}])]


async def test_an_earlier_quote_is_not_quoted_again(crm, dispatcher, domain):
    # Rasa hands the form its old values after the form's own action event.
    events = [
        user_event("I'd like another quote", intent="request_quote"),
        {"event": "action", "name": "quote_form"},
        slot_event("quote_lines", FIVE_ECLIPSES),
        slot_event("requested_date", "2026-03-06"),
    ]
    leftover = tracker(
        slots={"quote_lines": FIVE_ECLIPSES, "requested_date": "2026-03-06"},
        intent="request_quote",
        events=events,
        active_loop="quote_form",
    )
    result = await ValidateQuoteForm().run(dispatcher, leftover, domain)
    assert result == [SlotSet("quote_lines", None), SlotSet("requested_date", None)]


async def test_a_request_made_before_the_identification_keeps_its_lines_and_date(
    crm, dispatcher, domain
):
    request = [
        positioned("quantity", "5", 10),
        positioned("product", "NOV-14", 12),
        positioned("date", "the 20th of march", 30),
    ]
    events = [
        user_event("quote for 5 nova 14 delivered by the 20th of march", intent="request_quote",
                   entities=request),
        user_event("C-100001", intent="inform", entities=[entity("customer_number", "C-100001")]),
        user_event("69002", intent="inform"),
        user_event("yes it's me", intent="affirm"),
    ]  # fmt: skip
    confirmed = tracker(
        intent="affirm", text="yes it's me", events=events, active_loop="quote_form"
    )

    result = await ValidateQuoteForm().run(dispatcher, confirmed, domain)

    assert result == [
        SlotSet("quote_lines", [{"sku": "NOV-14", "quantity": 5}]),
        SlotSet("requested_date", "2026-03-20"),
    ]


async def test_products_said_now_come_before_an_earlier_request(crm, dispatcher, domain):
    # The request was cancelled (or misread); the products named when the form starts again win.
    request = [positioned("quantity", "5", 10), positioned("product", "NOV-14", 12)]
    now = [positioned("quantity", "3", 0), positioned("product", "ECL-3000", 2)]
    events = [
        user_event("quote for 5 nova 14", intent="request_quote", entities=request),
        {"event": "action", "name": "action_cancel_form"},
        user_event("3 Éclipse 3000, please", intent="inform", entities=now),
    ]
    restarted = tracker(
        intent="inform",
        text="3 Éclipse 3000, please",
        entities=now,
        events=events,
        active_loop="quote_form",
    )

    result = await ValidateQuoteForm().run(dispatcher, restarted, domain)

    assert result[0] == SlotSet("quote_lines", [{"sku": "ECL-3000", "quantity": 3}])


async def test_an_answer_without_a_product_is_asked_again(crm, dispatcher, domain):
    events = await validate(
        dispatcher, domain, requested_slot="quote_lines", text="the shiny one", intent="inform"
    )
    assert events == [SlotSet("quote_lines", None), SlotSet("form_notice", "unknown_product")]


@pytest.mark.parametrize(
    ("intent", "said"),
    [("order_status", "where is my order?"), ("nlu_fallback", "the thing about the stuff")],
)
async def test_another_topic_or_a_misunderstanding_is_no_answer(
    crm, dispatcher, domain, intent, said
):
    events = await validate(
        dispatcher, domain, requested_slot="quote_lines", text=said, intent=intent
    )
    assert events == []  # Rasa's form rejects the turn: the rule for the message answers it


async def test_a_product_no_longer_sold_is_refused(crm, dispatcher, domain):
    events = await validate(
        dispatcher,
        domain,
        requested_slot="quote_lines",
        entities=[positioned("product", "ECL-1000", 0)],
    )
    assert events == [SlotSet("quote_lines", None), SlotSet("form_notice", "unknown_product")]


@pytest.mark.parametrize(
    ("language", "said", "kept"),
    [
        ("en", "next Friday", "2026-03-06"),
        ("en", "15 December", "2026-12-15"),
        ("en", "in two weeks", "2026-03-16"),
        ("en", "as soon as possible", "asap"),
        ("en", "no specific day, it doesn't matter", "asap"),
        ("en", "we're in no rush", "asap"),
        ("en", "whenever, no hurry", "asap"),
        ("fr", "le 15 décembre", "2026-12-15"),
        ("fr", "dès que possible", "asap"),
        ("fr", "des que possible svp", "asap"),
        ("fr", "au plus vite", "asap"),
        ("fr", "peu importe, rien ne presse", "asap"),
    ],
)
async def test_the_date_wanted_is_kept_as_a_day(crm, dispatcher, domain, language, said, kept):
    events = await validate(
        dispatcher,
        domain,
        requested_slot="requested_date",
        slots={"quote_lines": FIVE_ECLIPSES},
        filled={"requested_date": said},
        metadata={"language": language},
    )
    assert events == [SlotSet("requested_date", kept)]


@pytest.mark.parametrize("said", ["yesterday", "blue", "no"])
async def test_a_date_that_is_none_or_past_is_asked_again(crm, dispatcher, domain, said):
    events = await validate(
        dispatcher,
        domain,
        requested_slot="requested_date",
        slots={"quote_lines": FIVE_ECLIPSES},
        filled={"requested_date": said},
    )
    assert events == [SlotSet("requested_date", None), SlotSet("form_notice", "invalid_date")]


async def test_a_date_before_the_earliest_delivery_says_the_earliest(crm, dispatcher, domain):
    events = await validate(
        dispatcher,
        domain,
        requested_slot="requested_date",
        slots={"quote_lines": FIVE_ECLIPSES},
        filled={"requested_date": "tomorrow"},
    )
    assert events == [
        SlotSet("requested_date", None),
        SlotSet("form_notice", "date_too_early"),
        SlotSet("delivery_date", "04/03/2026"),
    ]


# --- the quote ---------------------------------------------------------------------------


def quoting(pierre, lines=FIVE_ECLIPSES, requested_date="2026-03-06"):
    return tracker(
        slots={
            "account_id": str(pierre.id),
            "quote_lines": lines,
            "requested_date": requested_date,
            "channel": "web",
        }
    )


async def test_a_quote_with_volume_discount_and_the_date_wanted(crm, pierre, dispatcher):
    events = await ActionCreateQuote().run(dispatcher, quoting(pierre), {})
    with SqlAlchemyUnitOfWork(crm) as uow:
        [quote] = quotes.quotes_for(uow, account_id=pierre.id, today=CALL_DAY)
        [interaction] = uow.interactions.list_by(conversation_id=SENDER)
        row = (
            quote.status,
            quote.total,
            [
                (ln.product.sku, ln.quantity, ln.discount_percent, ln.line_total)
                for ln in quote.lines
            ],
            str(quote.requested_delivery_date),
            str(quote.delivery_date),
            str(quote.valid_until),
            interaction.quote_id == quote.id,
        )
        number = quote.number
    assert row == (
        QuoteStatus.OPEN,
        Decimal("6170.25"),
        [("ECL-3000", 5, Decimal("5.00"), Decimal("6170.25"))],
        "2026-03-06",
        "2026-03-06",
        "2026-04-01",
        True,
    )
    assert events == [
        SlotSet("quote_number", number),
        SlotSet("quote_number_said", number),
        SlotSet("quote_summary", f"5 {X} Éclipse 3000"),
        SlotSet("quote_total", "6 170,25 €"),
        SlotSet("quote_discount", "324,75 €"),
        SlotSet("delivery_date", "06/03/2026"),
        SlotSet("quote_valid_until", "01/04/2026"),
        *FORM_EMPTIED,
        SlotSet("result", "quote_ready"),
    ]


async def test_as_soon_as_possible_is_the_earliest_date(crm, pierre, dispatcher):
    lines = [{"sku": "ECL-3000", "quantity": 1}, {"sku": "BAG-ECL", "quantity": 1}]
    events = await ActionCreateQuote().run(dispatcher, quoting(pierre, lines, "asap"), {})
    assert events[2:6] == [
        SlotSet("quote_summary", f"1 {X} Éclipse 3000, 1 {X} Éclipse Laptop Bag"),
        SlotSet("quote_total", "1 358,00 €"),
        SlotSet("quote_discount", "none"),
        SlotSet("delivery_date", "04/03/2026"),
    ]


async def test_on_the_phone_the_quote_is_said(crm, pierre, dispatcher):
    voice = tracker(slots={**quoting(pierre).slots, "channel": "voice"})
    events = await ActionCreateQuote().run(dispatcher, voice, {})
    number = events[0]["value"]
    assert events[1:7] == [
        SlotSet("quote_number_said", "Q, " + " ".join(number[2:5]) + ", " + " ".join(number[5:])),
        SlotSet("quote_summary", "five Éclipse 3000"),
        SlotSet("quote_total", "6,170 euros and 25 cents"),
        SlotSet("quote_discount", "324 euros and 75 cents"),
        SlotSet("delivery_date", "Friday the 6th of March"),
        SlotSet("quote_valid_until", "Wednesday the 1st of April"),
    ]


async def test_more_than_can_ever_be_delivered_is_no_quote(crm, pierre, dispatcher):
    lines = [{"sku": "MON-32UHD", "quantity": 10}]  # four left, never restocked
    events = await ActionCreateQuote().run(dispatcher, quoting(pierre, lines, "asap"), {})
    assert events == [
        *FORM_EMPTIED,
        SlotSet("delivery_date", "a date we will confirm"),
        SlotSet("result", "quote_unavailable"),
    ]
    with SqlAlchemyUnitOfWork(crm) as uow:
        assert quotes.quotes_for(uow, account_id=pierre.id, today=CALL_DAY) == []


async def test_no_quote_when_the_crm_is_down(down, pierre_id_free_tracker, dispatcher):
    events = await ActionCreateQuote().run(dispatcher, pierre_id_free_tracker, {})
    assert events == [SlotSet("result", "technical_problem")]


@pytest.fixture
def pierre_id_free_tracker():
    return tracker(
        slots={"account_id": "1", "quote_lines": FIVE_ECLIPSES, "requested_date": "asap"}
    )
