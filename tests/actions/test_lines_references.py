"""What the customer's words point to: the list shown, the product in focus, its accessories."""

from __future__ import annotations

import re

import pytest

from actions.lines_references import Context, resolve
from crm_backend.services import accounts
from crm_backend.services import products as catalog
from crm_backend.uow import SqlAlchemyUnitOfWork

# Catalog names as the matcher finds them (folded text), and their SKUs.
NAMES = {
    "nova 14": "NOV-14",
    "eclipse 2000": "ECL-2000",
    "eclipse 3000": "ECL-3000",
    "zenith pro": "ZEN-PRO",
    "astra 5g": "PHN-ASTRA",
    "astra case": "CASE-ASTRA",
    "wireless mice": "MOUSE-WL",
    "wireless mouse": "MOUSE-WL",
    "keyboards": "KB-WL",
    "keyboard": "KB-WL",
    "sleeves": "SLV-14",
    "ink": "INK-IJ200",
    "lumio inkjet 200": "PRN-IJ200",
}
QUANTITY = re.compile(
    r"\b(\d+|one|two|three)\b(?= (?:wireless|keyboards?|sleeves|of them|eclipse|packs|ink|more))"
)


def at(entity, value, match):
    return {"entity": entity, "value": value, "start": match.start(), "end": match.end()}


def entities(text):
    """The entities the catalog matcher gives for ``text`` (names above, quantities before them)."""
    folded = text.lower().replace("é", "e")
    found = []
    for name, sku in NAMES.items():
        for m in re.finditer(rf"\b{re.escape(name)}\b", folded):
            if not any(f["start"] <= m.start() < f["end"] for f in found):
                found.append(at("product", sku, m))
    names = [(f["start"], f["end"]) for f in found]
    for m in QUANTITY.finditer(folded):
        if not any(start <= m.start() < end for start, end in names):
            found.append(at("quantity", m.group(1), m))
    return found


def lines_for(crm, text, *, focus=None, shown=(), owner=None):
    with SqlAlchemyUnitOfWork(crm) as uow:
        context = Context(
            focus=focus,
            shown=[catalog.get_product(uow, sku=s) for s in shown],
            owned=[
                r.product
                for r in accounts.owned_products(
                    accounts.get_account_by_number(uow, customer_number=owner)
                )
            ]
            if owner
            else [],
            catalog=list(uow.products.list_active()),
        )
        resolved = resolve(text, entities(text), context)
    if resolved.unclear:
        return "unclear"
    return {line["sku"]: line["quantity"] for line in resolved.lines}


ALTERNATIVES = ("ECL-2000", "NOV-14", "ZEN-PRO")  # 899, 749, 1 799 €


@pytest.mark.parametrize(
    ("said", "lines"),
    [
        ("ok the less expensive one please", {"NOV-14": 1}),
        ("give me the cheapest", {"NOV-14": 1}),
        ("i want the priciest one", {"ZEN-PRO": 1}),
        ("the second one", {"NOV-14": 1}),
        ("I'll have the last one", {"ZEN-PRO": 1}),
        ("all of them, two of each", {"ECL-2000": 2, "NOV-14": 2, "ZEN-PRO": 2}),
        ("three of the first one", {"ECL-2000": 3}),
        # Three were shown: "both" says which two no more than "the laptop" does.
        ("both of them", "unclear"),
        ("the laptop", "unclear"),
    ],
)
def test_words_about_the_list_shown_point_into_it(crm, said, lines):
    assert lines_for(crm, said, focus="ECL-3000", shown=ALTERNATIVES) == lines


@pytest.mark.parametrize(
    ("said", "lines"),
    [
        ("we want both", {"NOV-14": 1, "ECL-2000": 1}),
        ("yes one of each for the kids", {"NOV-14": 1, "ECL-2000": 1}),
        ("let me get the pair of them, 2 each", {"NOV-14": 2, "ECL-2000": 2}),
        ("go for the cheaper of the two", {"NOV-14": 1}),
    ],
)
def test_two_shown_both_and_each_take_them_all(crm, said, lines):
    assert lines_for(crm, said, focus="ECL-3000", shown=("NOV-14", "ECL-2000")) == lines


def test_the_cheaper_one_without_a_list_shown_is_asked_never_guessed(crm):
    assert lines_for(crm, "i'll take the cheaper one", focus="ECL-3000") == "unclear"


@pytest.mark.parametrize(
    ("said", "lines"),
    [
        ("the Astra 5G plus its protective case, one of each", {"PHN-ASTRA": 1, "CASE-ASTRA": 1}),
        ("an astra 5g and a case to go with it", {"PHN-ASTRA": 1, "CASE-ASTRA": 1}),
        ("Astra 5G & the case, two of each", {"PHN-ASTRA": 2, "CASE-ASTRA": 2}),
    ],
)
def test_an_accessory_by_its_kind_is_the_one_of_the_product_named(crm, said, lines):
    assert lines_for(crm, said) == lines


def test_an_accessory_by_its_kind_is_the_one_of_the_product_in_focus(crm):
    assert lines_for(crm, "i'd like the case too", focus="PHN-ASTRA") == {"CASE-ASTRA": 1}


def test_an_accessory_for_what_the_customer_owns(crm):
    # Pierre Moreau owns a Lumio InkJet 200.
    assert lines_for(crm, "some cartridge packs for my printer, 2 of them", owner="C-100001") == {
        "INK-IJ200": 2
    }
    assert lines_for(crm, "ink for my printer", owner="C-100001") == {"INK-IJ200": 1}


def test_the_product_after_for_is_whose_accessory_not_a_line(crm):
    said = "need ink for my Lumio InkJet 200. Two packs should do"
    assert lines_for(crm, said) == {"INK-IJ200": 2}


@pytest.mark.parametrize(
    ("said", "lines"),
    [
        ("3 wireless mice and 2 keyboards", {"MOUSE-WL": 3, "KB-WL": 2}),
        ("two keyboards, and the same number of wireless mice", {"KB-WL": 2, "MOUSE-WL": 2}),
        ("a laptop and two sleeves", {"ECL-3000": 1, "SLV-14": 2}),
    ],
)
def test_several_products_with_their_own_quantities(crm, said, lines):
    assert lines_for(crm, said, focus="ECL-3000") == lines


def test_a_kind_nothing_around_settles_is_asked(crm):
    assert lines_for(crm, "a laptop and two sleeves") == "unclear"


@pytest.mark.parametrize("said", ["I'll take it", "order that one for me"])
def test_it_is_the_product_in_focus(crm, said):
    assert lines_for(crm, said, focus="MON-27QHD") == {"MON-27QHD": 1}


@pytest.mark.parametrize(
    ("said", "lines"),
    [
        ("okay I'll take one with the bag", {"ECL-3000": 1, "BAG-ECL": 1}),
        ("ill take it with the bag", {"ECL-3000": 1, "BAG-ECL": 1}),
        ("yeah two of them and the spare battery", {"ECL-3000": 2, "BAT-ECL3000": 1}),
        ("that one plus the bag please", {"ECL-3000": 1, "BAG-ECL": 1}),
        ("je la prends avec la sacoche", {"ECL-3000": 1, "BAG-ECL": 1}),
        ("j'en prends une avec la sacoche", {"ECL-3000": 1, "BAG-ECL": 1}),
        # The accessory alone, or "it" after it, is no word for the product in focus.
        ("just the bag", {"BAG-ECL": 1}),
        ("the bag, 2 of them", {"BAG-ECL": 2}),
        ("the bag please, can you send it tomorrow", {"BAG-ECL": 1}),
        ("one bag", {"BAG-ECL": 1}),
    ],
)
def test_one_or_it_beside_an_accessory_is_the_product_in_focus(crm, said, lines):
    assert lines_for(crm, said, focus="ECL-3000") == lines


def test_words_that_point_nowhere_give_no_lines(crm):
    assert lines_for(crm, "I'd like to place an order") == {}


def test_a_product_named_before_its_accessory_says_whose_it_is(crm):
    assert lines_for(crm, "Two packs of Lumio Inkjet 200 ink") == {"INK-IJ200": 2}


def test_a_product_named_again_counts_with_the_quantity_said(crm):
    said = "nearly out of ink here, could you send 2 ink please"
    assert lines_for(crm, said, owner="C-100001") == {"INK-IJ200": 2}
    assert lines_for(crm, "2 keyboards and 1 more keyboards") == {"KB-WL": 3}


@pytest.mark.parametrize(
    ("said", "lines"),
    [
        (
            "For our eight desks we need each one wireless mouse and one keyboard. An offer?",
            {"MOUSE-WL": 8, "KB-WL": 8},
        ),
        ("one wireless mouse per desk, for our 5 desks", {"MOUSE-WL": 5}),
        ("for each of our 3 new hires a nova 14 and two sleeves", {"NOV-14": 3, "SLV-14": 6}),
        # Said for the whole group already: it stays.
        ("for our 8 desks, 8 wireless mice and a keyboard each", {"MOUSE-WL": 8, "KB-WL": 8}),
    ],
)
def test_lines_for_each_member_of_a_group_count_that_many_times(crm, said, lines):
    assert lines_for(crm, said) == lines


@pytest.mark.parametrize(
    ("said", "lines"),
    [
        ("for our 8 desks, 3 wireless mice", {"MOUSE-WL": 3}),
        ("one keyboard each for 2 weeks", {"KB-WL": 1}),
    ],
)
def test_a_group_without_each_or_a_time_multiplies_nothing(crm, said, lines):
    assert lines_for(crm, said) == lines
