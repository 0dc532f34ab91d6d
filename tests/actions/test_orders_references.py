"""The order and quote forms read references: "the least expensive one", "both", "a case for it"."""

from __future__ import annotations

from rasa_sdk.events import SlotSet

from actions.orders_form import ValidateOrderForm
from actions.quotes import ValidateQuoteForm
from tests.actions.trackers import form_tracker, tracker, user_event

ALTERNATIVES = ["ECL-2000", "NOV-14", "ZEN-PRO"]  # 899, 749, 1 799 €


def at(text, entity, value, words):
    start = text.lower().index(words.lower())
    return {"entity": entity, "value": value, "start": start, "end": start + len(words)}


def after_identification(pierre, said, *, intent="place_order", entities=(), form="order_form"):
    """The request said before the identification, the form starting after it."""
    events = [
        user_event(said, intent=intent, entities=list(entities)),
        {"event": "action", "name": "utter_identify_first"},
        user_event("yes that's me", intent="affirm"),
        {"event": "action", "name": "action_give_account_context"},
    ]
    return tracker(
        slots={
            "account_id": str(pierre.id),
            "identity_status": "verified",
            "focus_product": "ECL-3000",
            "proposed_products": ALTERNATIVES,
        },
        intent="affirm",
        text="yes that's me",
        events=events,
        active_loop=form,
    )


async def test_the_least_expensive_one_shown_is_ordered_not_the_one_asked_about(
    crm, pierre, dispatcher, domain
):
    asked = after_identification(pierre, "ok I'll have the least expensive one of those")
    events = await ValidateOrderForm().run(dispatcher, asked, domain)
    assert events[0] == SlotSet("order_lines", [{"sku": "NOV-14", "quantity": 1}])


async def test_both_after_three_shown_is_asked_not_guessed(crm, pierre, dispatcher, domain):
    asked = after_identification(pierre, "fine, I want both")
    events = await ValidateOrderForm().run(dispatcher, asked, domain)
    assert events == [SlotSet("order_lines", None), SlotSet("form_notice", "which_products")]


async def test_an_answer_names_a_product_and_its_accessory_one_of_each(
    crm, pierre, dispatcher, domain
):
    said = "an Astra 5G and a case to go with it, one of each"
    answering = form_tracker(
        "order_form",
        requested_slot="order_lines",
        text=said,
        entities=[at(said, "product", "PHN-ASTRA", "Astra 5G")],
        slots={"account_id": str(pierre.id)},
    )
    events = await ValidateOrderForm().run(dispatcher, answering, domain)
    assert events[0] == SlotSet(
        "order_lines",
        [{"sku": "PHN-ASTRA", "quantity": 1}, {"sku": "CASE-ASTRA", "quantity": 1}],
    )


async def test_ink_for_the_printer_the_customer_owns(crm, pierre, dispatcher, domain):
    said = "I'd like to order two packs of ink for my printer"
    answering = form_tracker(
        "order_form",
        requested_slot=None,
        intent="place_order",
        text=said,
        entities=[
            at(said, "quantity", "2", "two"),
            at(said, "product", "INK-IJ200", "ink"),
        ],
        slots={"account_id": str(pierre.id)},
    )
    events = await ValidateOrderForm().run(dispatcher, answering, domain)
    assert events[0] == SlotSet("order_lines", [{"sku": "INK-IJ200", "quantity": 2}])


async def test_a_quote_asked_before_the_identification_keeps_its_reference_and_quantity(
    crm, pierre, dispatcher, domain
):
    said = "a quote for 4 of the second one please"
    asked = after_identification(pierre, said, intent="request_quote", form="quote_form")
    events = await ValidateQuoteForm().run(dispatcher, asked, domain)
    assert events == [SlotSet("quote_lines", [{"sku": "NOV-14", "quantity": 4}])]


async def test_a_quote_for_the_cheaper_one_with_nothing_shown_is_asked(crm, dispatcher, domain):
    asking = form_tracker(
        "quote_form",
        requested_slot=None,
        intent="request_quote",
        text="can I get a quote for the cheaper one",
        slots={"focus_product": "ECL-3000"},
    )
    events = await ValidateQuoteForm().run(dispatcher, asking, domain)
    assert events == [SlotSet("quote_lines", None), SlotSet("form_notice", "which_products")]
