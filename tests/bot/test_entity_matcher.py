"""The rule-based entity matcher: catalog products and contact-centre values.

Run in the rasa env: ``.venv/rasa/bin/python -m pytest tests/bot``.
"""

from __future__ import annotations

import pytest
from sample_catalog import CATALOG

from bot.entity_matcher import EntityMatcher, fold


@pytest.fixture(scope="module")
def matcher() -> EntityMatcher:
    return EntityMatcher(CATALOG)


def found(matcher: EntityMatcher, text: str) -> list[tuple[str, str, str]]:
    """(entity, text span, value) of everything found, in text order."""
    return [(f.entity, text[f.start : f.end], f.value) for f in matcher.find(text)]


def test_fold_keeps_one_character_per_character() -> None:
    text = "ÉCLIPSE Laptop Bag — Crème brûlée"
    assert fold(text) == "eclipse laptop bag — creme brulee"
    assert len(fold(text)) == len(text)


@pytest.mark.parametrize(
    ("text", "span", "sku"),
    [
        ("Tell me about the Éclipse 3000", "Éclipse 3000", "ECL-3000"),
        ("tell me about the ECLIPSE 3000", "ECLIPSE 3000", "ECL-3000"),
        ("is the eclipse 3k any good", "eclipse 3k", "ECL-3000"),
        ("what about ecl-3000?", "ecl-3000", "ECL-3000"),
        ("the eclipse laptop bag please", "eclipse laptop bag", "BAG-ECL"),
        ("I need a second battery", "second battery", "BAT-ECL3000"),
        ("the Nova 14", "Nova 14", "NOV-14"),
        ("ok id buy the nova14", "nova14", "NOV-14"),
        ("price of an eclipse3000?", "eclipse3000", "ECL-3000"),
        ("Zenith Pro 15 specs", "Zenith Pro 15", "ZEN-PRO"),
    ],
)
def test_products_are_found_by_name_sku_or_alias(
    matcher: EntityMatcher, text: str, span: str, sku: str
) -> None:
    assert found(matcher, text) == [("product", span, sku)]


def test_the_longest_name_wins_over_the_names_inside_it(matcher: EntityMatcher) -> None:
    # "eclipse 3000" and "battery" are inside "Éclipse 3000 Spare Battery".
    text = "add an Éclipse 3000 Spare Battery"
    assert found(matcher, text) == [("product", "Éclipse 3000 Spare Battery", "BAT-ECL3000")]


def test_plurals_of_names_are_found(matcher: EntityMatcher) -> None:
    assert found(matcher, "two laptop bags and three spare batteries") == [
        ("quantity", "two", "2"),
        ("product", "laptop bags", "BAG-ECL"),
        ("quantity", "three", "3"),
        ("product", "spare batteries", "BAT-ECL3000"),
    ]


def test_an_alias_of_two_products_names_neither(matcher: EntityMatcher) -> None:
    assert found(matcher, "the pro one") == []


def test_the_reference_order(matcher: EntityMatcher) -> None:
    text = "I'd like to order the Éclipse 3000 and the bag"
    assert found(matcher, text) == [
        ("product", "Éclipse 3000", "ECL-3000"),
        ("product", "bag", "BAG-ECL"),
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2 Éclipse 3000", [("quantity", "2", "2"), ("product", "Éclipse 3000", "ECL-3000")]),
        ("3 x Nova 14", [("quantity", "3", "3"), ("product", "Nova 14", "NOV-14")]),
        ("need 4x nova 14", [("quantity", "4", "4"), ("product", "nova 14", "NOV-14")]),
        ("two extra batteries",
         [("quantity", "two", "2"), ("product", "extra batteries", "BAT-ECL3000")]),
        ("two of the bags", [("quantity", "two", "2"), ("product", "bags", "BAG-ECL")]),
        ("a couple of batteries",
         [("quantity", "a couple of", "2"), ("product", "batteries", "BAT-ECL3000")]),
        ("Nova 14, quantity 4", [("product", "Nova 14", "NOV-14"), ("quantity", "4", "4")]),
        ("5 units", [("quantity", "5", "5")]),
        ("8 laptops", [("quantity", "8", "8")]),
        ("one laptop", [("quantity", "one", "1")]),
        ("3", [("quantity", "3", "3")]),
        ("just 2 please", [("quantity", "2", "2")]),
        # Numbers that count nothing are no quantities.
        ("delivery in 3 days", [("date", "in 3 days", "in 3 days")]),
        ("I have 2 questions", []),
    ],
)  # fmt: skip
def test_quantities_count_products_or_units(
    matcher: EntityMatcher, text: str, expected: list[tuple[str, str, str]]
) -> None:
    assert found(matcher, text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("my email is Pierre.Moreau@example.fr",
         [("email", "Pierre.Moreau@example.fr", "Pierre.Moreau@example.fr")]),
        ("My new phone number is +33698765432", [("phone", "+33698765432", "+33698765432")]),
        ("call me on 06 12 34 56 78", [("phone", "06 12 34 56 78", "0612345678")]),
        ("+33 6 98 76 54 32", [("phone", "+33 6 98 76 54 32", "+33698765432")]),
        ("0033 6 12 34 56 78", [("phone", "0033 6 12 34 56 78", "+33612345678")]),
        ("customer number c100001", [("customer_number", "c100001", "C-100001")]),
        ("it's C-100001", [("customer_number", "C-100001", "C-100001")]),
        ("my customer no is C 100001", [("customer_number", "C 100001", "C-100001")]),
        ("ref C. 100001 thx", [("customer_number", "C. 100001", "C-100001")]),
        ("where is SO-000123?", [("order_number", "SO-000123", "SO-000123")]),
        ("order so 000123 please", [("order_number", "so 000123", "SO-000123")]),
        ("quote q-000045 please", [("quote_number", "q-000045", "Q-000045")]),
        ("my postcode is 69002", [("postcode", "69002", "69002")]),
    ],
)  # fmt: skip
def test_contact_data_and_references(
    matcher: EntityMatcher, text: str, expected: list[tuple[str, str, str]]
) -> None:
    assert found(matcher, text) == expected


def test_a_postcode_inside_a_phone_number_is_no_postcode(matcher: EntityMatcher) -> None:
    assert found(matcher, "0612345678") == [("phone", "0612345678", "0612345678")]


@pytest.mark.parametrize(
    "span",
    [
        "next Friday", "friday", "tomorrow", "the day after tomorrow", "next week",
        "the end of the month", "15 December", "15 December 2026", "December 15th",
        "the 3rd of January", "15/12", "2026-12-15", "in 2 weeks", "within a week",
        "as soon as possible", "early January",
    ],
)  # fmt: skip
def test_dates_are_kept_as_written(matcher: EntityMatcher, span: str) -> None:
    text = f"deliver it by {span} please"
    assert found(matcher, text) == [("date", span, span)]


def test_a_month_alone_needs_in_or_by(matcher: EntityMatcher) -> None:
    assert found(matcher, "in March") == [("date", "March", "March")]
    assert found(matcher, "may I ask something") == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("please contact me by SMS in the mornings",
         [("channel_pref", "SMS", "sms"), ("contact_time", "in the mornings", "in the mornings")]),
        ("I prefer e-mail, after 6pm",
         [("channel_pref", "e-mail", "email"), ("contact_time", "after 6pm", "after 6pm")]),
        ("text me", [("channel_pref", "text", "sms")]),
        ("I'd rather you e-mailed me", [("channel_pref", "e-mailed", "email")]),
        ("please use text messages", [("channel_pref", "text messages", "sms")]),
        ("contact me via sms, not email", [("channel_pref", "sms", "sms")]),
        ("I'd rather have a phone call between 9 and 11",
         [("channel_pref", "phone call", "phone"),
          ("contact_time", "between 9 and 11", "between 9 and 11")]),
        ("weekends are best", [("contact_time", "weekends", "weekends")]),
        ("call me in the afternoon", [("contact_time", "in the afternoon", "in the afternoon")]),
        ("good morning", []),
    ],
)  # fmt: skip
def test_contact_preferences(
    matcher: EntityMatcher, text: str, expected: list[tuple[str, str, str]]
) -> None:
    assert found(matcher, text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("I'd like to change my address", [("contact_field", "address", "address")]),
        ("please update my phone number", [("contact_field", "phone number", "phone")]),
        ("my new number", [("contact_field", "number", "phone")]),
        ("my phone is broken", [("contact_field", "phone", "phone")]),
        ("can someone phone me?", []),
        ("change my e-mail address", [("contact_field", "e-mail address", "email")]),
        # With the value present, the value names the field.
        ("my new email is a@b.fr", [("email", "a@b.fr", "a@b.fr")]),
        ("where is my order number SO-000001", [("order_number", "SO-000001", "SO-000001")]),
    ],
)  # fmt: skip
def test_contact_fields(
    matcher: EntityMatcher, text: str, expected: list[tuple[str, str, str]]
) -> None:
    assert found(matcher, text) == expected


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("My name is Pierre Moreau", "Pierre Moreau"),
        ("my name is pierre moreau", "pierre moreau"),
        ("I'm Pierre Moreau and my postcode is 69002", "Pierre Moreau"),
        ("this is Marie-Claire de la Fontaine", "Marie-Claire de la Fontaine"),
        ("Pierre Moreau", "Pierre Moreau"),
        ("Hi, it's Anne O'Neil", "Anne O'Neil"),
        ("Alice Gérard, I live in Angers", "Alice Gérard"),
        ("Jean-Luc Picard - postcode 75001", "Jean-Luc Picard"),
    ],
)
def test_person_names(matcher: EntityMatcher, text: str, name: str) -> None:
    names = [
        (span, value) for entity, span, value in found(matcher, text) if entity == "person_name"
    ]
    assert names == [(name, name)]


@pytest.mark.parametrize(
    "text",
    ["I'm interested in the Nova 14", "I'm looking for a laptop", "Thank You", "Good Morning",
     "This is great", "Zenith Pro", "Order Status", "Zenith Pro, is it in stock",
     "Good Morning, I need help", "Hello There, anyone"],
)  # fmt: skip
def test_no_person_name_where_there_is_none(matcher: EntityMatcher, text: str) -> None:
    assert [e for e, _, _ in found(matcher, text) if e == "person_name"] == []


def test_a_plural_no_rule_makes_is_found() -> None:
    mice = EntityMatcher(
        [{"sku": "MOUSE-WL", "name": "Wireless Mouse", "category": "accessories", "aliases": []}]
    )
    assert found(mice, "3 wireless mice please") == [
        ("quantity", "3", "3"),
        ("product", "wireless mice", "MOUSE-WL"),
    ]
    assert found(mice, "two wireless mouses")[1] == ("product", "wireless mouses", "MOUSE-WL")


def test_a_quantity_of_your_products_counts(matcher: EntityMatcher) -> None:
    assert found(matcher, "Three of your Nova 14, please")[:2] == [
        ("quantity", "Three", "3"),
        ("product", "Nova 14", "NOV-14"),
    ]


@pytest.mark.parametrize("text", ["two packs", "2 boxes", "a couple of sets"])
def test_packs_and_boxes_count(matcher: EntityMatcher, text: str) -> None:
    assert [f[0] for f in found(matcher, text)] == ["quantity"]


def test_a_number_written_against_its_x_counts(matcher: EntityMatcher) -> None:
    assert found(matcher, "a quote for 5x Nova 14") == [
        ("quantity", "5", "5"),
        ("product", "Nova 14", "NOV-14"),
    ]
