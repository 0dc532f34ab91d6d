"""What the bot knew, as the agent reads it: plain labels, readable values, no bookkeeping."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from channels.desk.bot_knew import HIDDEN, LABELS, TIMES, Fact, facts, readable
from tests.factories import demo_catalog, make_discount_rule

ROOT = Path(__file__).resolve().parents[3]

# What action_handoff keeps of a conversation in which Pierre ordered ten laptops and a bag.
LARGE_ORDER = {
    "customer_name": "Pierre Moreau",
    "customer_number": "C-100001",
    "account_id": "1",
    "account_candidate_id": "1",
    "identify_attempts": 1.0,
    "identity_status": "verified",
    "identified_by": "email",
    "pending_task": "order",
    "channel": "web",
    "order_lines": [{"sku": "ECL-3000", "quantity": 10}, {"sku": "BAG-ECL", "quantity": 1}],
    "order_total": "13 049,90 €",
    "order_limit": "10 000,00 €",
    "order_confirmed": True,
    "focus_product": "ECL-3000",
    "proposed_products": ["BAG-ECL", "BAT-ECL3000", "BAG-ECL"],
    "write_questions": {"place_order": "place an order"},
    "suggestion_1": "place_order",
    "context_orders": "SO-000001",
}


def test_the_agent_reads_labels_and_values_not_slots_and_reprs(uow):
    demo_catalog(uow)

    shown = facts(uow, LARGE_ORDER)

    assert shown == [
        Fact("Customer", "Pierre Moreau"),
        Fact("Customer number", "C-100001"),
        Fact("Identity check", "verified"),
        Fact("Identified by", "e-mail"),
        Fact("What the customer wanted", "place an order"),
        Fact(
            "Order lines",
            f"10 {TIMES} Éclipse 3000: 12 990,00 €; 1 {TIMES} Sacoche Éclipse: 59,90 €",
        ),
        Fact("Order total", "13 049,90 €"),
        Fact("Product in question", "Éclipse 3000"),
        Fact("Products the bot proposed", "Sacoche Éclipse, Batterie Éclipse 3000"),
    ]


def test_lines_are_priced_with_the_discount_the_bot_gives(uow):
    catalog = demo_catalog(uow)
    make_discount_rule(uow, percent="5", min_quantity=10, product=catalog.laptop)

    shown = facts(uow, {"quote_lines": [{"sku": "ecl-3000", "quantity": 10.0}]})

    assert shown == [
        Fact("Quote lines", f"10 {TIMES} Éclipse 3000: 12 340,50 € (5 % off)"),
        Fact("Quote total", "12 340,50 €"),
    ]


def test_lines_the_catalog_cannot_price_read_as_the_bot_had_them(uow):
    demo_catalog(uow)

    shown = facts(
        uow,
        {
            "order_lines": [{"sku": "GONE-1", "quantity": 2}],
            "quote_lines": "unclear",
            "focus_product": "GONE-1",
        },
    )

    assert shown == [
        Fact("Order lines", f"2 {TIMES} GONE-1"),
        Fact("Quote lines", "unclear"),
        Fact("Product in question", "GONE-1"),
    ]


def test_a_slot_nobody_labelled_still_shows_under_its_name_in_words(uow):
    assert facts(uow, {"loyalty_tier": "  gold\n", "lead_need": "  ten laptops "}) == [
        Fact("Lead: need", "ten laptops"),
        Fact("Loyalty tier", "gold"),
    ]


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (True, "yes"),
        (False, "no"),
        (3.0, "3"),
        (["sms", "", "e-mail"], "sms, e-mail"),
        ({"budget_max": "2000", "when": "soon", "empty": None}, "budget max: 2000; when: soon"),
        ("  two\n  lines ", "two lines"),
    ],
)
def test_values_read_as_text(value, shown):
    assert readable(value) == shown


def domain_slots() -> set[str]:
    names: set[str] = set()
    for path in sorted((ROOT / "domain").glob("*.yml")):
        names |= set((yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("slots") or {})
    return names


def test_every_slot_of_the_domain_is_labelled_or_held_back():
    slots = domain_slots()

    assert slots, "no slots read from domain/"
    assert sorted(slots - set(LABELS) - HIDDEN) == []
    assert sorted(set(LABELS) & HIDDEN) == []
    # Nothing labelled that the domain does not have (a renamed slot would show raw).
    assert sorted(set(LABELS) - slots) == []
