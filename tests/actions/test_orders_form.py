"""validate_order_form: the lines to order, shown for an explicit "yes"."""

from __future__ import annotations

import pytest
from rasa_sdk.events import SlotSet

from actions.orders_form import ValidateOrderForm
from tests.actions.orders_fixtures import ECLIPSE_AND_BAG, X, make_quote
from tests.actions.trackers import entity, form_tracker, slot_event, tracker, user_event


def shown(summary, total, delivery="04/03/2026", quote=None):
    # An order from a quote names the quote in its confirmation question.
    from_quote = [SlotSet("order_quote_said", quote)] if quote else []
    return [
        SlotSet("order_quote_number", quote),
        SlotSet("order_from_quote", quote is not None),
        *from_quote,
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


async def test_a_product_named_before_its_accessory_only_says_whose_it_is(
    crm, pierre, dispatcher, domain
):
    said = [
        entity("quantity", "2") | {"start": 0, "end": 1},
        entity("product", "PRN-IJ200") | {"start": 2, "end": 11},
        entity("product", "INK-IJ200") | {"start": 12, "end": 15},
    ]
    ordering = starting(pierre, intent="inform", text="2 lumio 200 ink", entities=said)
    events = await validate(dispatcher, domain, ordering)
    assert events[0] == SlotSet("order_lines", [{"sku": "INK-IJ200", "quantity": 2}])


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


@pytest.mark.parametrize(
    ("named", "skus"),
    [
        # "the eclipse 3000 + data transfer", then "yes" to the accessories proposed
        (["ECL-3000", "SRV-DATA"], ["ECL-3000", "SRV-DATA"]),
        # "the eclipse 3000 or the nova 14?": a comparison, not a second product to buy
        (["ECL-3000", "NOV-14"], ["ECL-3000"]),
        # the data transfer named earlier, without the laptop: not asked for with it
        (["SRV-DATA"], ["ECL-3000"]),
    ],
)
async def test_yes_to_the_accessories_keeps_the_add_ons_named_with_the_product(
    crm, pierre, dispatcher, domain, named, skus
):
    asked = after_the_proposal(pierre, "yes please")
    asked.slots["mentioned_products"] = named
    events = await validate(dispatcher, domain, asked)
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
