"""validate_order_form, action_place_order, action_order_status."""

from __future__ import annotations

from decimal import Decimal

import pytest
from rasa_sdk.events import SlotSet

from actions.orders import ActionOrderStatus, ActionPlaceOrder, ValidateOrderForm, idempotency_key
from crm_backend.models import ActivityKind, OrderStatus, QuoteStatus
from crm_backend.services import accounts, orders, quotes
from crm_backend.services.pricing import LineRequest
from crm_backend.uow import SqlAlchemyUnitOfWork
from tests.actions.trackers import (
    CALL_DAY,
    CALL_START,
    SENDER,
    entity,
    form_tracker,
    slot_event,
    tracker,
    user_event,
)

X = "\N{MULTIPLICATION SIGN}"
ECLIPSE_AND_BAG = [{"sku": "ECL-3000", "quantity": 1}, {"sku": "BAG-ECL", "quantity": 1}]


def shown(summary, total, delivery="04/03/2026", quote=None):
    return [
        SlotSet("order_quote_number", quote),
        SlotSet("order_summary", summary),
        SlotSet("order_total", total),
        SlotSet("delivery_date", delivery),
    ]


ECLIPSE_AND_BAG_SHOWN = shown(f"1 {X} Éclipse 3000, 1 {X} Éclipse Laptop Bag", "1 358,00 €")


def positioned(name, value, start):
    found = entity(name, value)
    found.update(start=start, end=start + 1)
    return found


ORDER_WORDS = "I'd like to order the Éclipse 3000 and the laptop bag"
ORDER_ENTITIES = [positioned("product", "ECL-3000", 22), positioned("product", "BAG-ECL", 43)]


async def validate(dispatcher, domain, tracker_):
    return await ValidateOrderForm().run(dispatcher, tracker_, domain)


def starting(pierre, *, intent, text="", entities=None, events=None, **slots):
    if events is None:
        return form_tracker(
            "order_form",
            requested_slot=None,
            intent=intent,
            text=text,
            entities=entities,
            slots={"account_id": str(pierre.id), **slots},
        )
    return tracker(
        slots={"account_id": str(pierre.id), **slots},
        intent=intent,
        text=text,
        events=events,
        active_loop="order_form",
    )


# --- the form ---------------------------------------------------------------------------


async def test_the_products_named_are_shown_for_confirmation(crm, pierre, dispatcher, domain):
    ordering = starting(
        pierre,
        intent="place_order",
        text=ORDER_WORDS,
        entities=ORDER_ENTITIES,
        focus_product="ECL-3000",
    )
    events = await validate(dispatcher, domain, ordering)
    assert events == [SlotSet("order_lines", ECLIPSE_AND_BAG), *ECLIPSE_AND_BAG_SHOWN]


async def test_on_the_phone_the_confirmation_is_said(crm, pierre, dispatcher, domain):
    ordering = starting(
        pierre, intent="place_order", text=ORDER_WORDS, entities=ORDER_ENTITIES, channel="voice"
    )
    events = await validate(dispatcher, domain, ordering)
    assert events[1:] == shown(
        "one Éclipse 3000 and one Éclipse Laptop Bag", "1,358 euros", "Wednesday the 4th of March"
    )


async def test_an_order_asked_before_the_identification_goes_on_after_it(
    crm, pierre, dispatcher, domain
):
    events = [
        user_event(
            "I'd like to buy 2 Nova 14",
            intent="place_order",
            entities=[positioned("quantity", "2", 16), positioned("product", "NOV-14", 18)],
        ),
        {"event": "action", "name": "utter_identify_first"},
        user_event("yes", intent="affirm"),
        {"event": "action", "name": "action_give_account_context"},
    ]
    after = starting(pierre, intent="affirm", events=events, identity_status="verified")
    result = await validate(dispatcher, domain, after)
    assert result == [
        SlotSet("order_lines", [{"sku": "NOV-14", "quantity": 2}]),
        *shown(f"2 {X} Nova 14", "1 498,00 €"),
    ]


def after_the_proposal(pierre, said):
    events = [
        {"event": "bot", "metadata": {"utter_action": "utter_propose_accessories_result"}},
        user_event(said, intent="affirm"),
    ]
    return starting(
        pierre,
        intent="affirm",
        text=said,
        events=events,
        focus_product="ECL-3000",
        proposed_products=["BAG-ECL", "BAT-ECL3000"],
    )


@pytest.mark.parametrize(
    ("said", "skus"),
    [
        ("yes", ["ECL-3000"]),
        ("yes, without them", ["ECL-3000"]),
        ("yes, with the bag", ["ECL-3000", "BAG-ECL"]),
        ("yes, both please", ["ECL-3000", "BAG-ECL", "BAT-ECL3000"]),
        ("yes with the battery too", ["ECL-3000", "BAT-ECL3000"]),
    ],
)
async def test_yes_to_the_accessories_orders_the_product_and_what_was_named(
    crm, pierre, dispatcher, domain, said, skus
):
    events = await validate(dispatcher, domain, after_the_proposal(pierre, said))
    assert events[0] == SlotSet("order_lines", [{"sku": s, "quantity": 1} for s in skus])


async def test_generic_words_name_the_products_in_focus_and_proposed(
    crm, pierre, dispatcher, domain
):
    asked = starting(
        pierre,
        intent="place_order",
        text="I'll take the laptop and the battery",
        focus_product="ECL-3000",
        proposed_products=["BAG-ECL", "BAT-ECL3000"],
    )
    events = await validate(dispatcher, domain, asked)
    assert events[0] == SlotSet(
        "order_lines", [{"sku": "ECL-3000", "quantity": 1}, {"sku": "BAT-ECL3000", "quantity": 1}]
    )


async def test_the_products_named_last_when_nothing_else_says(crm, pierre, dispatcher, domain):
    asked = starting(
        pierre, intent="place_order", text="order them", mentioned_products=["NOV-14", "BAG-ECL"]
    )
    events = await validate(dispatcher, domain, asked)
    assert events[0] == SlotSet(
        "order_lines", [{"sku": "NOV-14", "quantity": 1}, {"sku": "BAG-ECL", "quantity": 1}]
    )


async def test_nothing_to_order_yet_asks_what(crm, pierre, dispatcher, domain):
    asking = starting(pierre, intent="place_order", text="I want to place an order")
    assert await validate(dispatcher, domain, asking) == []


async def test_an_answer_naming_no_product_is_asked_again(crm, pierre, dispatcher, domain):
    asked = form_tracker(
        "order_form",
        requested_slot="order_lines",
        text="the shiny thing",
        slots={"account_id": str(pierre.id)},
    )
    events = await validate(dispatcher, domain, asked)
    assert events == [SlotSet("order_lines", None), SlotSet("form_notice", "unknown_product")]


def make_quote(crm, account_id, lines):
    with SqlAlchemyUnitOfWork(crm) as uow:
        quote = quotes.create_quote(
            uow,
            account_id=account_id,
            lines=[LineRequest(sku, quantity) for sku, quantity in lines],
            today=CALL_DAY,
        )
        uow.commit()
        return quote.number


async def test_accepting_a_quote_orders_its_lines_at_its_prices(crm, pierre, dispatcher, domain):
    number = make_quote(crm, pierre.id, [("ECL-3000", 5)])
    accepting = starting(
        pierre,
        intent="accept_quote",
        text=f"I accept quote {number}",
        entities=[entity("quote_number", number)],
    )
    events = await validate(dispatcher, domain, accepting)
    assert events == [
        SlotSet("order_lines", [{"sku": "ECL-3000", "quantity": 5}]),
        *shown(f"5 {X} Éclipse 3000", "6 170,25 €", quote=number),
    ]


async def test_yes_to_a_new_quote_orders_it(crm, pierre, dispatcher, domain):
    number = make_quote(crm, pierre.id, [("NOV-14", 1)])
    events = [
        {"event": "bot", "metadata": {"utter_action": "utter_create_quote_result"}},
        user_event("yes", intent="affirm"),
    ]
    yes = starting(pierre, intent="affirm", events=events, quote_number=number)
    result = await validate(dispatcher, domain, yes)
    assert result[1] == SlotSet("order_quote_number", number)


async def test_more_than_can_be_delivered_is_refused(crm, pierre, dispatcher, domain):
    asked = form_tracker(
        "order_form",
        requested_slot="order_lines",
        entities=[positioned("quantity", "10", 0), positioned("product", "MON-32UHD", 3)],
        slots={"account_id": str(pierre.id)},
    )
    events = await validate(dispatcher, domain, asked)
    assert events == [
        SlotSet("order_lines", None),
        SlotSet("form_notice", "out_of_stock"),
        SlotSet("product_name", "Vista 32 4K Monitor"),
    ]


async def test_an_earlier_orders_confirmation_is_no_confirmation(crm, pierre, dispatcher, domain):
    events = [
        user_event("I want to place an order", intent="place_order"),
        {"event": "action", "name": "order_form"},
        slot_event("order_lines", ECLIPSE_AND_BAG),
        slot_event("order_confirmed", True),
    ]
    leftover = starting(
        pierre,
        intent="place_order",
        events=events,
        order_lines=ECLIPSE_AND_BAG,
        order_confirmed=True,
    )
    result = await validate(dispatcher, domain, leftover)
    assert result == [SlotSet("order_lines", None), SlotSet("order_confirmed", None)]


async def test_yes_and_no_are_the_confirmation(crm, dispatcher, domain):
    for answer in (True, False):
        confirming = form_tracker(
            "order_form",
            requested_slot="order_confirmed",
            intent="affirm" if answer else "deny",
            slots={"order_lines": ECLIPSE_AND_BAG},
            filled={"order_confirmed": answer},
        )
        assert await validate(dispatcher, domain, confirming) == [
            SlotSet("order_confirmed", answer)
        ]


# --- placing it -------------------------------------------------------------------------

CONFIRMED = {
    "order_lines": ECLIPSE_AND_BAG,
    "order_confirmed": True,
    "identity_status": "verified",
    "channel": "web",
}
FORM_EMPTIED = [
    SlotSet("order_lines", None),
    SlotSet("order_confirmed", None),
    SlotSet("order_quote_number", None),
]


def confirmed(pierre, *, timestamp=1_772_442_000.0, **slots):
    yes = user_event("yes", intent="affirm", timestamp=timestamp)
    return tracker(
        slots={**CONFIRMED, "account_id": str(pierre.id), **slots}, intent="affirm", events=[yes]
    )


def orders_of(crm, account_id):
    with SqlAlchemyUnitOfWork(crm) as uow:
        made_here = orders.orders_for(uow, account_id=account_id)
        return [
            {
                "number": o.number,
                "key": o.idempotency_key,
                "status": o.status,
                "lines": [(li.product.sku, li.quantity) for li in o.lines],
                "total": o.total,
                "promised": str(o.promised_delivery_date),
                "quote_id": o.quote_id,
            }
            for o in made_here
            if o.created_at == CALL_START
        ]


def surveys_and_links(crm, account_id):
    with SqlAlchemyUnitOfWork(crm) as uow:
        surveys = [
            (a.order_id, str(a.due_at))
            for a in uow.activities.list_by(account_id=account_id)
            if a.kind == ActivityKind.SURVEY_CALL
        ]
        here = uow.interactions.list_by(conversation_id=SENDER)
        links = [(i.order_id, i.account_id) for i in here]
        ids = {o.number: o.id for o in orders.orders_for(uow, account_id=account_id)}
        return surveys, links, ids


async def test_the_confirmed_order_is_placed_once_even_when_the_action_is_retried(
    crm, pierre, dispatcher
):
    first = await ActionPlaceOrder().run(dispatcher, confirmed(pierre), {})
    again = await ActionPlaceOrder().run(dispatcher, confirmed(pierre), {})
    [placed] = orders_of(crm, pierre.id)
    assert placed == {
        "number": placed["number"],
        "key": f"{SENDER}:1772442000.0",
        "status": OrderStatus.CREATED,
        "lines": [("ECL-3000", 1), ("BAG-ECL", 1)],
        "total": Decimal("1358.00"),
        "promised": "2026-03-04",
        "quote_id": None,
    }
    assert (
        first
        == again
        == [
            SlotSet("order_number", placed["number"]),
            SlotSet("order_number_said", placed["number"]),
            SlotSet("order_total", "1 358,00 €"),
            SlotSet("delivery_date", "04/03/2026"),
            *FORM_EMPTIED,
            SlotSet("result", "order_placed"),
        ]
    )
    surveys, links, ids = surveys_and_links(crm, pierre.id)
    order_id = ids[placed["number"]]
    # Seven days after the promised date, at 10:00 in Paris (9:00 UTC), a weekday.
    assert surveys == [(order_id, "2026-03-11 09:00:00+00:00")]
    assert links == [(order_id, pierre.id)]
    assert dispatcher.messages == []


def test_the_key_is_the_confirming_messages_id_when_rasa_gives_one():
    yes = {**user_event("yes", intent="affirm"), "message_id": "5b1e0c"}
    assert idempotency_key(tracker(events=[yes])) == f"{SENDER}:5b1e0c"


async def test_another_confirmation_is_another_order(crm, pierre, dispatcher):
    await ActionPlaceOrder().run(dispatcher, confirmed(pierre), {})
    await ActionPlaceOrder().run(dispatcher, confirmed(pierre, timestamp=1_772_442_600.0), {})
    assert len(orders_of(crm, pierre.id)) == 2


async def test_an_order_from_a_quote_keeps_its_prices_and_accepts_it(crm, pierre, dispatcher):
    number = make_quote(crm, pierre.id, [("ECL-3000", 5)])
    lines = [{"sku": "ECL-3000", "quantity": 5}]
    from_quote = confirmed(pierre, order_lines=lines, order_quote_number=number)
    events = await ActionPlaceOrder().run(dispatcher, from_quote, {})
    [placed] = orders_of(crm, pierre.id)
    with SqlAlchemyUnitOfWork(crm) as uow:
        quote = quotes.get_quote(uow, number=number, today=CALL_DAY)
        assert (quote.status, placed["quote_id"]) == (QuoteStatus.ACCEPTED, quote.id)
    assert (placed["lines"], placed["total"]) == ([("ECL-3000", 5)], Decimal("6170.25"))
    assert events[-1] == SlotSet("result", "order_placed")


async def test_no_is_no_order(crm, pierre, dispatcher):
    events = await ActionPlaceOrder().run(dispatcher, confirmed(pierre, order_confirmed=False), {})
    assert events == [*FORM_EMPTIED, SlotSet("result", "order_not_placed")]
    assert orders_of(crm, pierre.id) == []


async def test_no_order_without_a_verified_identity(crm, pierre, dispatcher):
    events = await ActionPlaceOrder().run(dispatcher, confirmed(pierre, identity_status=None), {})
    assert events == [*FORM_EMPTIED, SlotSet("result", "order_not_placed")]
    assert orders_of(crm, pierre.id) == []


async def test_what_cannot_be_delivered_any_more_is_not_ordered(crm, pierre, dispatcher):
    lines = [{"sku": "MON-32UHD", "quantity": 10}]
    events = await ActionPlaceOrder().run(dispatcher, confirmed(pierre, order_lines=lines), {})
    assert events == [*FORM_EMPTIED, SlotSet("result", "order_failed")]
    assert orders_of(crm, pierre.id) == []


async def test_no_order_when_the_crm_is_down(down, dispatcher):
    yes = user_event("yes", intent="affirm")
    asked = tracker(slots={**CONFIRMED, "account_id": "1"}, intent="affirm", events=[yes])
    events = await ActionPlaceOrder().run(dispatcher, asked, {})
    assert events == [SlotSet("result", "technical_problem")]


# --- where is my order? -----------------------------------------------------------------


def asking_status(account_id, *, number=None, channel="web"):
    entities = [entity("order_number", number)] if number else []
    return tracker(
        slots={"account_id": str(account_id), "channel": channel},
        intent="order_status",
        text="where is my order?",
        entities=entities,
    )


async def test_the_latest_order(crm, pierre, dispatcher):
    events = await ActionOrderStatus().run(dispatcher, asking_status(pierre.id), {})
    with SqlAlchemyUnitOfWork(crm) as uow:
        latest = orders.latest_order(uow, account_id=pierre.id)
        number, promised = latest.number, latest.promised_delivery_date
    assert events == [
        SlotSet("order_number", number),
        SlotSet("order_number_said", number),
        SlotSet("order_summary", f"1 {X} Lumio InkJet 200, 2 {X} Lumio 200 Ink Cartridge Pack"),
        SlotSet("order_state", "delivered"),
        SlotSet("delivery_date", f"{promised:%d/%m/%Y}"),
        SlotSet("result", "order_status"),
    ]


async def test_an_order_by_its_number(crm, seeded_account, dispatcher):
    laurent = seeded_account("C-100002")
    with SqlAlchemyUnitOfWork(crm) as uow:
        [late] = orders.orders_for(uow, account_id=laurent.id)
        number = late.number
    asked = asking_status(laurent.id, number=number.lower(), channel="voice")
    events = await ActionOrderStatus().run(dispatcher, asked, {})
    assert events == [
        SlotSet("order_number", number),
        SlotSet("order_number_said", "S O, " + " ".join(number[3:6]) + ", " + " ".join(number[6:])),
        SlotSet("order_summary", "one Nova 14 and one Wireless Mouse"),
        SlotSet("order_state", "confirmed and being prepared"),
        SlotSet("delivery_date", "Thursday the 26th of February"),
        SlotSet("result", "order_status"),
    ]


async def test_another_customers_order_is_not_found(crm, pierre, seeded_account, dispatcher):
    with SqlAlchemyUnitOfWork(crm) as uow:
        [theirs] = orders.orders_for(uow, account_id=seeded_account("C-100002").id)
        number = theirs.number
    events = await ActionOrderStatus().run(dispatcher, asking_status(pierre.id, number=number), {})
    assert events == [SlotSet("result", "order_not_found")]


async def test_the_number_asked_before_the_identification_is_the_one_told(
    crm, seeded_account, dispatcher
):
    laurent = seeded_account("C-100002")
    with SqlAlchemyUnitOfWork(crm) as uow:
        [late] = orders.orders_for(uow, account_id=laurent.id)
        number = late.number
    events = [
        user_event(
            f"where is {number}?",
            intent="order_status",
            entities=[entity("order_number", number)],
        ),
        user_event("yes", intent="affirm"),
    ]
    after = tracker(slots={"account_id": str(laurent.id)}, intent="affirm", events=events)
    result = await ActionOrderStatus().run(dispatcher, after, {})
    assert result[0] == SlotSet("order_number", number)


async def test_no_orders_yet(crm, dispatcher):
    with SqlAlchemyUnitOfWork(crm) as uow:
        new = accounts.create_account(uow, first_name="Léa", last_name="Roux", postcode="31000")
        uow.commit()
        new_id = new.id
    events = await ActionOrderStatus().run(dispatcher, asking_status(new_id), {})
    assert events == [SlotSet("result", "no_orders")]
