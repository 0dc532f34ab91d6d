"""Changes of mind about an order: at its confirmation, in the request itself, with add-ons."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest
from rasa_sdk.events import SlotSet

from actions.identification import ValidateIdentifyForm
from actions.identification_new_account import ValidateNewAccountForm
from actions.orders_edit import as_meant, changes_the_order, edited, wants_to_order
from actions.orders_form import ValidateOrderForm
from crm_backend.uow import SqlAlchemyUnitOfWork
from tests.actions.orders_fixtures import X
from tests.actions.trackers import form_tracker, tracker, user_event

SURFACES = {
    "MON-24FHD": ("vista 24",),
    "MON-27QHD": ("vista 27",),
    "MON-32UHD": ("vista 32",),
    "NOV-14": ("nova 14",),
    "ZEN-PRO": ("zenith pro",),
    "ECL-2000": ("eclipse 2000", "éclipse 2000"),
    "BAT-ECL3000": ("extra battery", "spare battery"),
    "BAG-ECL": ("laptop bag",),
    "PHN-ASTRA": ("astra 5g",),
    "SRV-DATA": ("data transfer",),
    "SRV-INSTALL": ("installation",),
    "MOUSE-WL": ("mouse",),
    "INK-IJ200": ("ink packs",),
    "PRN-IJ200": ("lumio 200",),
}
NUMBERS = {"2": 2, "3": 3, "4": 4, "two": 2, "three": 3, "four": 4, "a pair of": 2}


def message(text: str, intent: str = "inform") -> dict[str, Any]:
    """The message with its product and quantity entities where the catalog matcher puts them."""
    folded = text.lower()
    entities: list[dict[str, Any]] = []
    for sku, surfaces in SURFACES.items():
        for surface in surfaces:
            start = folded.find(surface)
            while start >= 0:
                end = start + len(surface)
                entities.append({"entity": "product", "value": sku, "start": start, "end": end})
                before = folded[:start].rstrip()
                for word, value in NUMBERS.items():
                    if before.endswith(" " + word) or before == word:
                        at = len(before) - len(word)
                        entities.append(
                            {
                                "entity": "quantity",
                                "value": str(value),
                                "start": at,
                                "end": len(before),
                            }
                        )
                start = folded.find(surface, end)
    entities.sort(key=lambda e: e["start"])
    return {"text": text, "intent": {"name": intent}, "entities": entities}


def lines(*pairs: tuple[str, int]) -> list[dict[str, Any]]:
    return [{"sku": sku, "quantity": quantity} for sku, quantity in pairs]


@pytest.fixture
def catalog(crm):
    with SqlAlchemyUnitOfWork(crm) as uow:
        # What the reading uses of each product, kept after the unit of work ends.
        return [
            SimpleNamespace(sku=p.sku, name=p.name, category=p.category)
            for p in uow.products.list_active()
        ]


# --- at the confirmation -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("before", "said", "after"),
    [
        # another product of the same kind replaces the one in the order
        (lines(("MON-24FHD", 1)), "hmm actually i'd prefer the vista 32", lines(("MON-32UHD", 1))),
        (
            lines(("MON-24FHD", 1)),
            "No - drop the Vista 24 and put the Vista 32",
            lines(("MON-32UHD", 1)),
        ),
        (lines(("MON-24FHD", 2)), "change it to the vista 32 please", lines(("MON-32UHD", 2))),
        (
            lines(("NOV-14", 1)),
            "oh sorry, I meant the Zenith Pro, not the Nova 14",
            lines(("ZEN-PRO", 1)),
        ),
        # a new quantity
        (lines(("NOV-14", 2)), "hold on, four nova 14 actually", lines(("NOV-14", 4))),
        (lines(("NOV-14", 2)), "can you make that 4", lines(("NOV-14", 4))),
        (lines(("NOV-14", 2)), "4 rather than 2", lines(("NOV-14", 4))),
        (
            lines(("NOV-14", 2), ("MOUSE-WL", 1)),
            "no, 4 instead of 2",
            lines(("NOV-14", 4), ("MOUSE-WL", 1)),
        ),
        (lines(("NOV-14", 1)), "and one more please", lines(("NOV-14", 2))),
        # add-ons and products added, products taken out
        (
            lines(("ZEN-PRO", 1)),
            "oh and add the extended warranty as well",
            lines(("ZEN-PRO", 1), ("WAR-EXT2", 1)),
        ),
        (
            lines(("MON-24FHD", 1)),
            "plus the home setup",
            lines(("MON-24FHD", 1), ("SRV-INSTALL", 1)),
        ),
        (lines(("ECL-2000", 1)), "with data transfer too", lines(("ECL-2000", 1), ("SRV-DATA", 1))),
        (lines(("ZEN-PRO", 1)), "also a vista 27 please", lines(("ZEN-PRO", 1), ("MON-27QHD", 1))),
        (
            lines(("PHN-ASTRA", 1), ("CASE-ASTRA", 1)),
            "remove the protective case",
            lines(("PHN-ASTRA", 1)),
        ),
        (lines(("MON-24FHD", 1), ("MON-27QHD", 1)), "only the vista 27", lines(("MON-27QHD", 1))),
        # a product declined is no line of the order, and takes no other's place
        (
            lines(("ECL-2000", 1), ("BAG-ECL", 1)),
            "just 1 of each, no need for the extra battery",
            None,
        ),
        (
            lines(("ECL-2000", 1), ("BAG-ECL", 1), ("BAT-ECL3000", 1)),
            "no need for the spare battery",
            lines(("ECL-2000", 1), ("BAG-ECL", 1)),
        ),
        (
            lines(("ECL-2000", 1), ("BAG-ECL", 1), ("BAT-ECL3000", 1)),
            "pas besoin de la spare battery",
            lines(("ECL-2000", 1), ("BAG-ECL", 1)),
        ),
    ],
)
def test_a_change_of_mind_gives_the_new_lines(catalog, before, said, after):
    assert edited(before, message(said), catalog) == after


@pytest.mark.parametrize(
    "said",
    [
        "no",
        "nope, don't",
        "yes",
        "yes please go ahead",
        "no thanks, not today",
        "that one",
        "yes, delivered by 9 december is fine",
        "ok for the 2-year plan",
    ],
)
def test_a_plain_yes_or_no_changes_nothing(catalog, said):
    assert edited(lines(("NOV-14", 2)), message(said), catalog) is None


def test_naming_what_is_in_the_order_changes_nothing(catalog):
    assert edited(lines(("NOV-14", 2)), message("yes, the nova 14"), catalog) is None


def test_a_question_about_a_product_is_not_a_change():
    assert not changes_the_order(message("does the vista 27 have usb-c?", "ask_product_info"))
    assert changes_the_order(message("can I have the vista 27 instead?", "ask_product_info"))
    assert changes_the_order(message("no, the vista 27", "deny"))


# --- in the request itself -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("said", "as_read", "meant"),
    [
        (
            "a vista 24... sorry, I mean a vista 27",
            lines(("MON-24FHD", 1), ("MON-27QHD", 1)),
            lines(("MON-27QHD", 1)),
        ),
        ("two nova 14, er no, make it three nova 14", lines(("NOV-14", 5)), lines(("NOV-14", 3))),
        ("the full hd one, the vista 24", lines(("MON-24FHD", 2)), lines(("MON-24FHD", 1))),
        (
            "the zenith pro with the extended warranty",
            lines(("ZEN-PRO", 1)),
            lines(("ZEN-PRO", 1), ("WAR-EXT2", 1)),
        ),
        (
            "a vista 24 and a vista 27",
            lines(("MON-24FHD", 1), ("MON-27QHD", 1)),
            lines(("MON-24FHD", 1), ("MON-27QHD", 1)),
        ),
        ("2 nova 14 and a laptop", lines(("NOV-14", 2)), lines(("NOV-14", 2))),
        (
            "the zenith pro and the mouse",
            lines(("ZEN-PRO", 1), ("MOUSE-WL", 1)),
            lines(("ZEN-PRO", 1), ("MOUSE-WL", 1)),
        ),
        # Named twice, and the printer only says whose ink: it is no line.
        (
            "running low on ink packs, can i get 2 ink packs for the lumio 200",
            lines(("INK-IJ200", 2)),
            lines(("INK-IJ200", 2)),
        ),
    ],
)
def test_a_request_is_read_with_its_own_corrections(catalog, said, as_read, meant):
    found = message(said, "place_order")
    if said.startswith("the full hd one"):  # "full hd monitor" is an alias of the Vista 24 too
        found["entities"].insert(
            0, {"entity": "product", "value": "MON-24FHD", "start": 4, "end": 11}
        )
    assert as_meant(found, as_read, catalog) == meant


@pytest.mark.parametrize(
    ("said", "intent", "wants"),
    [
        ("paul martin 69002, 2 nova 14 please", "inform", True),
        ("i want to buy a zenith pro but i'm new here", "create_account", True),
        ("my email is x@example.com, what does the nova 14 weigh?", "ask_product_info", False),
        ("C-100034", "inform", False),
        ("the nova 14", "inform", False),
        ("a quote for 3 nova 14", "request_quote", False),
    ],
)
def test_a_wish_to_order_said_while_identifying(said, intent, wants):
    assert wants_to_order(message(said, intent)) is wants


# --- the order form ------------------------------------------------------------------------


def confirming(pierre, said, intent, order_lines, filled=None):
    return form_tracker(
        "order_form",
        requested_slot="order_confirmed",
        text=said,
        intent=intent,
        entities=message(said)["entities"],
        slots={"account_id": str(pierre.id), "order_lines": order_lines},
        filled=filled,
    )


async def test_a_new_quantity_at_the_confirmation_asks_again(crm, pierre, dispatcher, domain):
    said = "no hang on, four nova 14"
    asked = confirming(pierre, said, "deny", lines(("NOV-14", 2)), {"order_confirmed": False})
    events = await ValidateOrderForm().run(dispatcher, asked, domain)
    assert SlotSet("order_lines", lines(("NOV-14", 4))) in events
    assert SlotSet("order_summary", f"4 {X} Nova 14") in events
    assert SlotSet("order_confirmed", None) in events


async def test_another_product_at_the_confirmation_asks_again(crm, pierre, dispatcher, domain):
    said = "hmm, I'd rather have the vista 32"
    asked = confirming(pierre, said, "place_order", lines(("MON-24FHD", 1)))
    events = await ValidateOrderForm().run(dispatcher, asked, domain)
    assert SlotSet("order_lines", lines(("MON-32UHD", 1))) in events
    assert SlotSet("order_confirmed", None) in events


async def test_a_plain_no_at_the_confirmation_declines(crm, pierre, dispatcher, domain):
    asked = confirming(pierre, "no", "deny", lines(("NOV-14", 2)), {"order_confirmed": False})
    events = await ValidateOrderForm().run(dispatcher, asked, domain)
    assert events == [SlotSet("order_confirmed", False)]


async def test_a_yes_at_the_confirmation_confirms(crm, pierre, dispatcher, domain):
    asked = confirming(
        pierre, "yes go on", "affirm", lines(("NOV-14", 2)), {"order_confirmed": True}
    )
    events = await ValidateOrderForm().run(dispatcher, asked, domain)
    assert events == [SlotSet("order_confirmed", True)]


@pytest.mark.parametrize("said", ["ok ben je confirme la commande, une de chaque", "place it"])
async def test_the_order_asked_for_again_at_its_confirmation_confirms(
    crm, pierre, dispatcher, domain, said
):
    """The slot's mapping reads place_order as a yes there (domain/orders.yml)."""
    asked = confirming(pierre, said, "place_order", lines(("NOV-14", 2)), {"order_confirmed": True})
    events = await ValidateOrderForm().run(dispatcher, asked, domain)
    assert events == [SlotSet("order_confirmed", True)]


async def test_an_order_of_what_is_already_there_asks_again(crm, pierre, dispatcher, domain):
    """A product named with the order request, changing nothing, is no plain yes."""
    said = "i want to order the nova 14"
    asked = confirming(pierre, said, "place_order", lines(("NOV-14", 2)), {"order_confirmed": True})
    events = await ValidateOrderForm().run(dispatcher, asked, domain)
    assert SlotSet("order_confirmed", None) in events
    assert SlotSet("order_confirmed", True) not in events


async def test_an_order_without_anything_left_asks_what_to_order(crm, pierre, dispatcher, domain):
    said = "no, remove the data transfer"
    asked = confirming(pierre, said, "deny", lines(("SRV-DATA", 1)), {"order_confirmed": False})
    events = await ValidateOrderForm().run(dispatcher, asked, domain)
    assert SlotSet("order_lines", None) in events
    assert SlotSet("order_confirmed", None) in events


async def test_the_wish_told_with_the_identification_is_ordered(crm, pierre, dispatcher, domain):
    wish = message("pierre moreau 69002 - three nova 14 please")
    events = [
        user_event(wish["text"], intent="inform", entities=wish["entities"]),
        {"event": "action", "name": "identify_form"},
        user_event("yes it's me", intent="affirm"),
        {"event": "action", "name": "action_give_account_context"},
        {"event": "bot", "metadata": {"utter_action": "utter_give_account_context_result"}},
    ]
    after = tracker(
        slots={"account_id": str(pierre.id), "identity_status": "verified"},
        intent="affirm",
        text="yes it's me",
        events=events,
        active_loop="order_form",
    )
    result = await ValidateOrderForm().run(dispatcher, after, domain)
    assert result[0] == SlotSet("order_lines", lines(("NOV-14", 3)))
    # Later on (that order left with "never mind"), the old wish is not ordered again.
    events += [
        user_event("never mind", intent="cancel"),
        {"event": "action", "name": "action_cancel_form"},
        user_event("tell me about the zenith pro", intent="ask_product_info"),
        {"event": "bot", "metadata": {"utter_action": "utter_propose_accessories_result"}},
        user_event("yes let's order", intent="affirm"),
    ]
    later = tracker(
        slots={"account_id": str(pierre.id), "focus_product": "ZEN-PRO"},
        intent="affirm",
        text="yes let's order",
        events=events,
        active_loop="order_form",
    )
    result = await ValidateOrderForm().run(dispatcher, later, domain)
    assert result[0] == SlotSet("order_lines", lines(("ZEN-PRO", 1)))


# --- the identification keeps the wish -----------------------------------------------------


async def test_identifying_with_a_wish_keeps_it_as_the_pending_order(crm, dispatcher, domain):
    wish = message("hi, 2 vista 24 please, my number is C-100001")
    starting = form_tracker(
        "identify_form",
        requested_slot=None,
        text=wish["text"],
        entities=wish["entities"],
        filled={"identity_key": "C-100001"},
    )
    events = await ValidateIdentifyForm().run(dispatcher, starting, domain)
    assert events[-1] == SlotSet("pending_task", "order")


async def test_a_task_already_pending_is_not_replaced(crm, dispatcher, domain):
    wish = message("2 vista 24 please, C-100001")
    starting = form_tracker(
        "identify_form",
        requested_slot=None,
        text=wish["text"],
        entities=wish["entities"],
        slots={"pending_task": "quote"},
    )
    events = await ValidateIdentifyForm().run(dispatcher, starting, domain)
    assert SlotSet("pending_task", "order") not in events


async def test_a_wish_for_a_quote_is_no_order(crm, dispatcher, domain):
    wish = message("C-100001 - 2 vista 24 please")
    starting = form_tracker(
        "identify_form",
        requested_slot=None,
        text=wish["text"],
        entities=wish["entities"],
        filled={"identity_key": "C-100001"},
    )
    starting.events.insert(0, user_event("can you do me a quotation for some screens"))
    events = await ValidateIdentifyForm().run(dispatcher, starting, domain)
    assert SlotSet("pending_task", "order") not in events


async def test_a_new_customer_who_wants_to_buy_keeps_the_wish(crm, dispatcher, domain):
    wish = message("I want to buy the zenith pro but I don't have an account", "create_account")
    starting = form_tracker(
        "new_account_form",
        requested_slot=None,
        text=wish["text"],
        intent="create_account",
        entities=wish["entities"],
    )
    events = await ValidateNewAccountForm().run(dispatcher, starting, domain)
    assert events[-1] == SlotSet("pending_task", "order")
