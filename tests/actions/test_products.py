"""action_product_info, action_propose_accessories, action_propose_alternatives."""

from __future__ import annotations

import pytest
from rasa_sdk.events import SlotSet

from actions.products import (
    ActionProductInfo,
    ActionProposeAccessories,
    ActionProposeAlternatives,
)
from crm_backend.services import products
from crm_backend.uow import SqlAlchemyUnitOfWork
from tests.actions.trackers import entity, tracker, user_event

ECLIPSE_DETAILS = (
    "Intel Core i7-1360P (12 cores, up to 5.0 GHz), 16 GB LPDDR5 RAM, 512 GB NVMe SSD, "
    '14" OLED, 2880 x 1800, 90 Hz screen, 1.3 kg, battery up to 14 hours, '
    "ports: 2 x USB-C (Thunderbolt 4), 1 x USB-A, HDMI 2.0, headphone jack, Windows 11 Pro"
)


def asking_about(sku=None, text="", **slots):
    entities = [entity("product", sku)] if sku else []
    return tracker(intent="ask_product_info", entities=entities, text=text, slots=slots)


async def test_the_eclipse_3000_with_its_specs_price_and_delivery(crm, dispatcher):
    events = await ActionProductInfo().run(dispatcher, asking_about("ECL-3000"), {})
    assert events == [
        SlotSet("product_found", True),
        SlotSet("focus_product", "ECL-3000"),
        SlotSet("product_name", "Éclipse 3000"),
        SlotSet("product_details", ECLIPSE_DETAILS),
        SlotSet("product_price", "1 299,00 €"),
        SlotSet("delivery_date", "04/03/2026"),  # in stock: two working days from Monday
        SlotSet("result", "product_info"),
    ]
    assert dispatcher.messages == []


async def test_it_means_the_product_in_focus(crm, dispatcher):
    events = await ActionProductInfo().run(
        dispatcher, asking_about(text="tell me more about it", focus_product="BAT-ECL3000"), {}
    )
    assert events[:3] == [
        SlotSet("product_found", True),
        SlotSet("focus_product", "BAT-ECL3000"),
        SlotSet("product_name", "Éclipse 3000 Spare Battery"),
    ]


async def test_with_none_in_focus_it_means_the_order_being_taken(crm, dispatcher):
    """ "elle pèse combien la machine ?" at the confirmation of an Éclipse and its bag."""
    lines = [{"sku": "ECL-3000", "quantity": 1}, {"sku": "BAG-ECL", "quantity": 1}]
    asked = asking_about(text="au fait elle pèse combien la machine ?", order_lines=lines)
    events = await ActionProductInfo().run(dispatcher, asked, {})
    assert events[:3] == [
        SlotSet("product_found", True),
        SlotSet("focus_product", "ECL-3000"),
        SlotSet("product_name", "Éclipse 3000"),
    ]


@pytest.mark.parametrize("sku", [None, "NOPE-1", "ECL-1000"])  # none, unknown, no longer sold
async def test_no_product_to_describe_asks_which_one(crm, dispatcher, sku):
    events = await ActionProductInfo().run(dispatcher, asking_about(sku), {})
    assert events == [SlotSet("product_found", False), SlotSet("result", "product_unknown")]


async def test_product_info_with_the_crm_down(down, dispatcher):
    events = await ActionProductInfo().run(dispatcher, asking_about("ECL-3000"), {})
    assert events == [SlotSet("product_found", False), SlotSet("result", "technical_problem")]


async def test_the_bag_and_the_battery_are_proposed_with_the_eclipse(crm, dispatcher):
    after_info = tracker(intent="ask_product_info", slots={"focus_product": "ECL-3000"})
    events = await ActionProposeAccessories().run(dispatcher, after_info, {})
    assert events == [
        SlotSet("focus_product", "ECL-3000"),
        SlotSet("product_name", "Éclipse 3000"),
        SlotSet(
            "proposals_text", "Éclipse Laptop Bag, 59,00 €; Éclipse 3000 Spare Battery, 129,00 €"
        ),
        SlotSet("proposed_products", ["BAG-ECL", "BAT-ECL3000"]),
        SlotSet("result", "accessories"),
    ]


def ordering(*skus):
    """A product question while order_form asks to confirm these lines."""
    lines = [{"sku": sku, "quantity": 1} for sku in skus]
    return tracker(
        intent="ask_product_info",
        slots={"focus_product": "ECL-3000", "order_lines": lines},
        active_loop="order_form",
        requested_slot="order_confirmed",
    )


async def test_during_an_order_what_is_in_it_is_not_proposed(crm, dispatcher):
    events = await ActionProposeAccessories().run(dispatcher, ordering("ECL-3000", "BAG-ECL"), {})
    [proposed] = [e["value"] for e in events if e["name"] == "proposed_products"]
    assert "BAT-ECL3000" in proposed
    assert "BAG-ECL" not in proposed
    assert events[-1] == SlotSet("result", "accessories_for_order")


async def test_during_an_order_holding_every_accessory_none_is_proposed(crm, dispatcher):
    with SqlAlchemyUnitOfWork(crm) as uow:
        every = [p.sku for p in products.accessories_of(products.get_product(uow, sku="ECL-3000"))]
    asked = ordering("ECL-3000", *every)
    events = await ActionProposeAccessories().run(dispatcher, asked, {})
    assert events == [
        SlotSet("focus_product", "ECL-3000"),
        SlotSet("product_name", "Éclipse 3000"),
        SlotSet("result", "accessories_in_order"),
    ]


async def test_which_accessory_fits_a_product_named_with_it_proposes_that_products(crm, dispatcher):
    asked = tracker(
        intent="ask_accessories",
        text="what bag goes with my eclipse 3000?",
        entities=[entity("product", "BAG-ECL"), entity("product", "ECL-3000")],
    )
    events = await ActionProposeAccessories().run(dispatcher, asked, {})
    assert events[:2] == [
        SlotSet("focus_product", "ECL-3000"),
        SlotSet("product_name", "Éclipse 3000"),
    ]
    assert events[-1] == SlotSet("result", "accessories")


def asked_again(intent, text, response, proposed):
    """The customer asks for more right after the bot proposed ``proposed`` for the Éclipse 3000."""
    events = [
        {"event": "bot", "text": "...", "metadata": {"utter_action": response}},
        user_event(text, intent=intent),
    ]
    slots = {"focus_product": "ECL-3000", "proposed_products": proposed}
    return tracker(intent=intent, text=text, slots=slots, events=events)


async def test_asked_for_more_the_next_accessories_come(crm, dispatcher):
    more = asked_again(
        "ask_accessories",
        "any other accessories?",
        "utter_propose_accessories_result",
        ["BAG-ECL", "BAT-ECL3000"],
    )
    events = await ActionProposeAccessories().run(dispatcher, more, {})
    assert events[2:] == [
        SlotSet(
            "proposals_text", "USB-C Docking Station, 149,00 €; 2-Year Extended Warranty, 149,00 €"
        ),
        # Everything heard stays proposed: "the bag" still means the Éclipse Laptop Bag.
        SlotSet("proposed_products", ["BAG-ECL", "BAT-ECL3000", "DOCK-USBC", "WAR-EXT2"]),
        SlotSet("result", "accessories"),
    ]


async def test_all_accessories_heard_the_best_come_again(crm, dispatcher):
    everything = ["BAG-ECL", "BAT-ECL3000", "DOCK-USBC", "WAR-EXT2", "SRV-DATA"]
    more = asked_again("ask_accessories", "more?", "utter_propose_accessories_result", everything)
    events = await ActionProposeAccessories().run(dispatcher, more, {})
    assert events[3] == SlotSet("proposed_products", ["BAG-ECL", "BAT-ECL3000"])


async def test_the_same_accessories_when_not_asked_right_after(crm, dispatcher):
    later = asked_again(
        "ask_accessories",
        "what goes with it?",
        "utter_product_info_result",
        ["BAG-ECL", "BAT-ECL3000"],
    )
    events = await ActionProposeAccessories().run(dispatcher, later, {})
    assert events[3] == SlotSet("proposed_products", ["BAG-ECL", "BAT-ECL3000"])


async def test_asked_for_more_alternatives_only_the_ones_not_heard(crm, dispatcher):
    more = asked_again(
        "ask_alternatives",
        "any other options?",
        "utter_propose_alternatives_result",
        ["ECL-2000", "NOV-14"],
    )
    events = await ActionProposeAlternatives().run(dispatcher, more, {})
    assert events[2:] == [
        SlotSet("proposals_text", "Zenith Pro 15, 1 799,00 €"),
        SlotSet("proposed_products", ["ECL-2000", "NOV-14", "ZEN-PRO"]),
        SlotSet("result", "alternatives"),
    ]


async def test_a_product_without_accessories(crm, dispatcher):
    asked = tracker(intent="ask_accessories", entities=[entity("product", "BAG-ECL")])
    events = await ActionProposeAccessories().run(dispatcher, asked, {})
    assert events == [
        SlotSet("focus_product", "BAG-ECL"),
        SlotSet("product_name", "Éclipse Laptop Bag"),
        SlotSet("result", "no_accessories"),
    ]


async def test_accessories_of_no_product(crm, dispatcher):
    events = await ActionProposeAccessories().run(dispatcher, tracker(intent="ask_accessories"), {})
    assert events == [SlotSet("result", "accessories_need_product")]


async def test_something_cheaper_than_the_eclipse(crm, dispatcher):
    asked = tracker(
        intent="ask_alternatives",
        text="do you have something cheaper?",
        slots={"focus_product": "ECL-3000"},
    )
    events = await ActionProposeAlternatives().run(dispatcher, asked, {})
    assert events == [
        SlotSet("focus_product", "ECL-3000"),
        SlotSet("product_name", "Éclipse 3000"),
        SlotSet("proposals_text", "Nova 14, 749,00 €; Éclipse 2000, 899,00 €"),
        SlotSet("proposed_products", ["NOV-14", "ECL-2000"]),
        SlotSet("result", "alternatives"),
    ]


async def test_alternatives_in_rank_order(crm, dispatcher):
    asked = tracker(
        intent="ask_alternatives",
        text="any alternatives to the eclipse 3000?",
        entities=[entity("product", "ECL-3000")],
    )
    events = await ActionProposeAlternatives().run(dispatcher, asked, {})
    assert events[2:] == [
        SlotSet(
            "proposals_text", "Éclipse 2000, 899,00 €; Nova 14, 749,00 €; Zenith Pro 15, 1 799,00 €"
        ),
        SlotSet("proposed_products", ["ECL-2000", "NOV-14", "ZEN-PRO"]),
        SlotSet("result", "alternatives"),
    ]


async def test_nothing_cheaper_than_the_cheapest_shows_the_others(crm, dispatcher):
    asked = tracker(
        intent="ask_alternatives", text="anything cheaper?", entities=[entity("product", "NOV-14")]
    )
    events = await ActionProposeAlternatives().run(dispatcher, asked, {})
    assert events == [
        SlotSet("focus_product", "NOV-14"),
        SlotSet("product_name", "Nova 14"),
        SlotSet("proposals_text", "Éclipse 2000, 899,00 €; Éclipse 3000, 1 299,00 €"),
        SlotSet("proposed_products", ["ECL-2000", "ECL-3000"]),
        SlotSet("result", "alternatives"),
    ]


async def test_a_product_without_alternatives(crm, dispatcher):
    asked = tracker(intent="ask_alternatives", entities=[entity("product", "BAG-ECL")])
    events = await ActionProposeAlternatives().run(dispatcher, asked, {})
    assert events == [
        SlotSet("focus_product", "BAG-ECL"),
        SlotSet("product_name", "Éclipse Laptop Bag"),
        SlotSet("result", "no_alternatives"),
    ]


async def test_on_the_phone_prices_and_dates_are_said(crm, dispatcher):
    voice = asking_about("ECL-3000", channel="voice")
    events = await ActionProductInfo().run(dispatcher, voice, {})
    assert events[4:6] == [
        SlotSet("product_price", "1,299 euros"),
        SlotSet("delivery_date", "Wednesday the 4th of March"),
    ]
    proposed = await ActionProposeAccessories().run(
        dispatcher, tracker(slots={"focus_product": "ECL-3000", "channel": "voice"}), {}
    )
    assert proposed[2] == SlotSet(
        "proposals_text",
        "the Éclipse Laptop Bag at 59 euros and the Éclipse 3000 Spare Battery at 129 euros",
    )


async def test_by_sms_and_on_the_phone_the_key_specs(crm, dispatcher):
    texted = await ActionProductInfo().run(dispatcher, asking_about("ECL-3000", channel="sms"), {})
    said = await ActionProductInfo().run(dispatcher, asking_about("ECL-3000", channel="voice"), {})
    assert texted[3:6] == [
        SlotSet(
            "product_details",
            'Intel Core i7, 16 GB RAM, 512 GB SSD, 14" OLED screen, 1.3 kg, battery up to 14 hours',
        ),
        SlotSet("product_price", "1 299 €"),
        SlotSet("delivery_date", "04/03"),
    ]
    assert said[3] == SlotSet(
        "product_details",
        "Intel Core i7, 16 gigabytes RAM, 512 gigabytes SSD, 14-inch OLED screen, 1.3 kilos, "
        "battery up to 14 hours",
    )


async def test_alternatives_to_what(crm, dispatcher):
    asked = tracker(intent="ask_alternatives", text="other models?")
    events = await ActionProposeAlternatives().run(dispatcher, asked, {})
    assert events == [SlotSet("result", "alternatives_need_product")]


async def test_product_information_picked_from_the_menu_means_the_product_not_understood(
    crm, dispatcher
):
    events = [
        user_event("zenith pro available? need it fast", intent="nlu_fallback",
                   entities=[entity("product", "ZEN-PRO")]),
        {"event": "action", "name": "action_clarify"},
        {"event": "bot", "text": "Did you mean one of these?",
         "metadata": {"utter_action": "utter_ask_rephrase"}},
        user_event("/ask_product_info", intent="ask_product_info"),
    ]  # fmt: skip
    picked = tracker(intent="ask_product_info", text="/ask_product_info", events=events)

    result = await ActionProductInfo().run(dispatcher, picked, {})

    assert result[1] == SlotSet("focus_product", "ZEN-PRO")
