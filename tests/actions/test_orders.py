"""action_place_order and action_order_status."""

from __future__ import annotations

from decimal import Decimal

from rasa_sdk.events import SlotSet

from actions.orders import ActionOrderStatus, ActionPlaceOrder, idempotency_key
from crm_backend.models import ActivityKind, OrderStatus, QuoteStatus
from crm_backend.services import accounts, orders, quotes
from crm_backend.uow import SqlAlchemyUnitOfWork
from tests.actions.orders_fixtures import ECLIPSE_AND_BAG, X, make_quote
from tests.actions.trackers import CALL_DAY, CALL_START, SENDER, entity, tracker, user_event

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


def asked(timestamp):
    return {"event": "bot", "timestamp": timestamp, "text": "Shall I place the order?"}


async def test_a_yes_said_again_after_a_lost_answer_places_one_order(crm, pierre, dispatcher):
    # The first "yes" reached the CRM, then its server died before saving the turn:
    # the saved conversation still ends on the question, and the customer says yes again.
    question = asked(1_772_441_990.0)
    for said_at in (1_772_442_000.0, 1_772_442_030.0):
        yes = user_event("yes", intent="affirm", timestamp=said_at)
        again = tracker(slots={**CONFIRMED, "account_id": str(pierre.id)}, events=[question, yes])
        await ActionPlaceOrder().run(dispatcher, again, {})
    assert len(orders_of(crm, pierre.id)) == 1


def test_another_question_is_another_key():
    yes = user_event("yes", intent="affirm")
    first = idempotency_key(tracker(events=[asked(1.0), yes]))
    second = idempotency_key(tracker(events=[asked(1.0), yes, asked(2.0), yes]))
    assert first == f"{SENDER}:after:1.0"
    assert second == f"{SENDER}:after:2.0"


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


async def test_the_latest_order_delivered_says_when_it_arrived(crm, pierre, dispatcher):
    events = await ActionOrderStatus().run(dispatcher, asking_status(pierre.id), {})
    with SqlAlchemyUnitOfWork(crm) as uow:
        latest = orders.latest_order(uow, account_id=pierre.id)
        number = latest.number
        [arrived] = [c.at for c in latest.history if c.status == OrderStatus.DELIVERED]
    assert events == [
        SlotSet("order_number", number),
        SlotSet("order_number_said", number),
        SlotSet("order_summary", f"1 {X} Lumio InkJet 200, 2 {X} Lumio 200 Ink Cartridge Pack"),
        SlotSet("order_state", "delivered"),
        SlotSet("delivery_date", f"{arrived:%d/%m/%Y}"),
        # Not "expected by" a day gone by.
        SlotSet("result", "order_delivered"),
    ]


async def test_a_cancelled_order_is_not_expected(crm, pierre, dispatcher):
    with SqlAlchemyUnitOfWork(crm) as uow:
        latest = orders.latest_order(uow, account_id=pierre.id)
        latest.status = OrderStatus.CANCELLED
        uow.commit()
    events = await ActionOrderStatus().run(dispatcher, asking_status(pierre.id), {})
    assert events[-1] == SlotSet("result", "order_cancelled")


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
