"""Products and quantities from a message's entities."""

from __future__ import annotations

import pytest

from actions.lines import lines_in, merged, well_formed


def at(name, value, start):
    return {"entity": name, "value": value, "start": start, "end": start + 1}


@pytest.mark.parametrize(
    ("entities", "focus", "lines"),
    [
        (
            [
                at("quantity", "3", 0),
                at("product", "ECL-3000", 2),
                at("quantity", "3", 20),
                at("product", "BAG-ECL", 22),
            ],
            None,
            [{"sku": "ECL-3000", "quantity": 3}, {"sku": "BAG-ECL", "quantity": 3}],
        ),
        (
            [at("product", "ECL-3000", 10), at("product", "bag-ecl", 30)],
            None,
            [{"sku": "ECL-3000", "quantity": 1}, {"sku": "BAG-ECL", "quantity": 1}],
        ),
        (
            [at("product", "BAG-ECL", 4), at("quantity", "2", 10)],
            None,
            [{"sku": "BAG-ECL", "quantity": 2}],
        ),
        ([at("quantity", "5", 0)], "ECL-3000", [{"sku": "ECL-3000", "quantity": 5}]),
        ([at("quantity", "5", 0)], None, []),
        (
            [at("product", "NOV-14", 9), at("quantity", "two", 0)],
            None,
            [{"sku": "NOV-14", "quantity": 2}],
        ),
        ([], "ECL-3000", []),
    ],
)
def test_each_product_takes_the_quantity_said_with_it(entities, focus, lines):
    assert lines_in(entities, focus=focus) == lines


def test_the_same_product_twice_is_one_line():
    assert merged([{"sku": "A", "quantity": 1}, {"sku": "A", "quantity": 2}]) == [
        {"sku": "A", "quantity": 3}
    ]


@pytest.mark.parametrize(
    "value",
    [None, [], "ECL-3000", [{"sku": "A"}], [{"quantity": 1}], [{"sku": "A", "quantity": 0}]],
)
def test_what_is_no_list_of_lines(value):
    assert well_formed(value) is None


def test_lines_kept_in_a_slot_read_back():
    assert well_formed([{"sku": "ecl-3000", "quantity": "2", "quote_number": "Q-000001"}]) == [
        {"sku": "ECL-3000", "quantity": 2}
    ]
