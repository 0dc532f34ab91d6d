"""validate_order_form, action_place_order, action_order_status."""

from __future__ import annotations

from decimal import Decimal

from rasa_sdk.events import SlotSet

from actions.orders import ActionOrderStatus, ActionPlaceOrder, ValidateOrderForm
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

ECLIPSE_AND_BAG = [{"sku": "ECL-3000", "quantity": 1}, {"sku": "BAG-ECL", "quantity": 1}]
ECLIPSE_AND_BAG_SHOWN = [
    SlotSet("order_summary", "1 x Éclipse 3000 and 1 x Éclipse Laptop Bag"),
    SlotSet("order_total", "1,358.00 EUR"),
    SlotSet("delivery_date", "4 March"),
]


def positioned(name, value, start):
    found = entity(name, value)
    found.update(start=start, end=start + 1)
    return found


ORDER_WORDS = "I'd like to order the Éclipse 3000 and the laptop bag"
ORDER_ENTITIES = [positioned("product", "ECL-3000", 22), positioned("product", "BAG-ECL", 43)]


async def validate(dispatcher, domain, tracker_):
    return await ValidateOrderForm().run(dispatcher, tracker_, domain)


# --- the form ---------------------------------------------------------------------------


async def test_the_products_named_are_shown_for_confirmation(crm, pierre, dispatcher, domain):
    ordering = form_tracker(
        "order_form",
        requested_slot=None,
        intent="place_order",
        text=ORDER_WORDS,
        entities=ORDER_ENTITIES,
        slots={"account_id": str(pierre.id), "focus_product": "ECL-3000"},
    )
    events = await validate(dispatcher, domain, ordering)
    assert events == [SlotSet("order_lines", ECLIPSE_AND_BAG), *ECLIPSE_AND_BAG_SHOWN]


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
    after = tracker(
        slots={"account_id": str(pierre.id), "identity_status": "verified"},
        intent="affirm",
        events=events,
        active_loop="order_form",
    )
    result = await validate(dispatcher, domain, after)
    assert result == [
        SlotSet("order_lines", [{"sku": "NOV-14", "quantity": 2}]),
        SlotSet("order_summary", "2 x Nova 14"),
        SlotSet("order_total", "1,498.00 EUR"),
        SlotSet("delivery_date", "4 March"),
    ]


async def test_yes_to_the_accessories_orders_the_product_in_focus(crm, pierre, dispatcher, domain):
    yes = form_tracker(
        "order_form",
        requested_slot=None,
        intent="affirm",
        text="yes",
        slots={"account_id": str(pierre.id), "focus_product": "ECL-3000"},
    )
    events = await validate(dispatcher, domain, yes)
    assert events == [
        SlotSet("order_lines", [{"sku": "ECL-3000", "quantity": 1}]),
        SlotSet("order_summary", "1 x Éclipse 3000"),
        SlotSet("order_total", "1,299.00 EUR"),
        SlotSet("delivery_date", "4 March"),
    ]


async def test_nothing_to_order_yet_asks_what(crm, pierre, dispatcher, domain):
    asking = form_tracker(
        "order_form",
        requested_slot=None,
        intent="place_order",
        text="I want to place an order",
        slots={"account_id": str(pierre.id)},
    )
    assert await validate(dispatcher, domain, asking) == []


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
    accepting = form_tracker(
        "order_form",
        requested_slot=None,
        intent="accept_quote",
        text="I accept the quote",
        slots={"account_id": str(pierre.id), "quote_number": number},
    )
    events = await validate(dispatcher, domain, accepting)
    assert events == [
        SlotSet("order_lines", [{"sku": "ECL-3000", "quantity": 5, "quote_number": number}]),
        SlotSet("order_summary", "5 x Éclipse 3000"),
        SlotSet("order_total", "6,170.25 EUR"),
        SlotSet("delivery_date", "4 March"),
    ]


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


async def test_an_earlier_order_is_not_ordered_again(crm, pierre, dispatcher, domain):
    events = [
        user_event("I want to place an order", intent="place_order"),
        {"event": "action", "name": "order_form"},
        slot_event("order_lines", ECLIPSE_AND_BAG),
        slot_event("order_confirmed", True),
    ]
    leftover = tracker(
        slots={
            "account_id": str(pierre.id),
            "order_lines": ECLIPSE_AND_BAG,
            "order_confirmed": True,
        },
        intent="place_order",
        events=events,
        active_loop="order_form",
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


def confirmed(pierre, *, timestamp=1_772_442_000.0, **slots):
    yes = user_event("yes", intent="affirm", timestamp=timestamp)
    return tracker(
        slots={**CONFIRMED, "account_id": str(pierre.id), **slots}, intent="affirm", events=[yes]
    )


def orders_of(crm, account_id):
    with SqlAlchemyUnitOfWork(crm) as uow:
        placed = [
            o for o in orders.orders_for(uow, account_id=account_id) if o.created_at == CALL_START
        ]
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
            for o in placed
        ]


def surveys_and_links(crm, account_id):
    with SqlAlchemyUnitOfWork(crm) as uow:
        surveys = [
            (a.order_id, str(a.due_at))
            for a in uow.activities.list_by(account_id=account_id)
            if a.kind == ActivityKind.SURVEY_CALL
        ]
        links = [
            (i.order_id, i.account_id) for i in uow.interactions.list_by(conversation_id=SENDER)
        ]
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
            SlotSet("order_total", "1,358.00 EUR"),
            SlotSet("delivery_date", "4 March"),
            SlotSet("result", "order_placed"),
        ]
    )
    surveys, links, ids = surveys_and_links(crm, pierre.id)
    order_id = ids[placed["number"]]
    # Seven days after the promised date, at 10:00 in Paris (9:00 UTC), a weekday.
    assert surveys == [(order_id, "2026-03-11 09:00:00+00:00")]
    assert links == [(order_id, pierre.id)]
    assert dispatcher.messages == []


async def test_another_confirmation_is_another_order(crm, pierre, dispatcher):
    await ActionPlaceOrder().run(dispatcher, confirmed(pierre), {})
    await ActionPlaceOrder().run(dispatcher, confirmed(pierre, timestamp=1_772_442_600.0), {})
    assert len(orders_of(crm, pierre.id)) == 2


async def test_an_order_from_a_quote_keeps_its_prices_and_accepts_it(crm, pierre, dispatcher):
    number = make_quote(crm, pierre.id, [("ECL-3000", 5)])
    lines = [{"sku": "ECL-3000", "quantity": 5, "quote_number": number}]
    events = await ActionPlaceOrder().run(dispatcher, confirmed(pierre, order_lines=lines), {})
    [placed] = orders_of(crm, pierre.id)
    with SqlAlchemyUnitOfWork(crm) as uow:
        quote = quotes.get_quote(uow, number=number, today=CALL_DAY)
        assert (quote.status, placed["quote_id"]) == (QuoteStatus.ACCEPTED, quote.id)
    assert (placed["lines"], placed["total"]) == ([("ECL-3000", 5)], Decimal("6170.25"))
    assert events[-1] == SlotSet("result", "order_placed")


async def test_no_is_no_order(crm, pierre, dispatcher):
    events = await ActionPlaceOrder().run(dispatcher, confirmed(pierre, order_confirmed=False), {})
    assert events == [SlotSet("result", "order_not_placed")]
    assert orders_of(crm, pierre.id) == []


async def test_no_order_without_a_verified_identity(crm, pierre, dispatcher):
    events = await ActionPlaceOrder().run(dispatcher, confirmed(pierre, identity_status=None), {})
    assert events == [SlotSet("result", "order_not_placed")]
    assert orders_of(crm, pierre.id) == []


async def test_what_cannot_be_delivered_any_more_is_not_ordered(crm, pierre, dispatcher):
    lines = [{"sku": "MON-32UHD", "quantity": 10}]
    events = await ActionPlaceOrder().run(dispatcher, confirmed(pierre, order_lines=lines), {})
    assert events == [SlotSet("result", "order_failed")]
    assert orders_of(crm, pierre.id) == []


async def test_no_order_when_the_crm_is_down(down, dispatcher):
    yes = user_event("yes", intent="affirm")
    asked = tracker(slots={**CONFIRMED, "account_id": "1"}, intent="affirm", events=[yes])
    events = await ActionPlaceOrder().run(dispatcher, asked, {})
    assert events == [SlotSet("result", "technical_problem")]


# --- where is my order? -----------------------------------------------------------------


def asking_status(account_id, *, number=None):
    entities = [entity("order_number", number)] if number else []
    return tracker(
        slots={"account_id": str(account_id)},
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
        SlotSet("order_summary", "1 x Lumio InkJet 200 and 2 x Lumio 200 Ink Cartridge Pack"),
        SlotSet("order_state", "delivered"),
        SlotSet("delivery_date", f"{promised.day} {promised:%B} {promised.year}"),
        SlotSet("result", "order_status"),
    ]


async def test_an_order_by_its_number(crm, seeded_account, dispatcher):
    laurent = seeded_account("C-100002")
    with SqlAlchemyUnitOfWork(crm) as uow:
        [late] = orders.orders_for(uow, account_id=laurent.id)
        number = late.number
    events = await ActionOrderStatus().run(
        dispatcher, asking_status(laurent.id, number=number.lower()), {}
    )
    assert events == [
        SlotSet("order_number", number),
        SlotSet("order_summary", "1 x Nova 14 and 1 x Wireless Mouse"),
        SlotSet("order_state", "confirmed and being prepared"),
        SlotSet("delivery_date", "26 February"),
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
