"""Dates and quantities as customers say them."""

from __future__ import annotations

import datetime as dt

import pytest

from actions.parsing import parse_date, parse_quantity

MONDAY = dt.date(2026, 3, 2)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("next Friday", dt.date(2026, 3, 6)),
        ("Friday", dt.date(2026, 3, 6)),
        ("15 December", dt.date(2026, 12, 15)),
        ("December 15th", dt.date(2026, 12, 15)),
        ("in two weeks", dt.date(2026, 3, 16)),
        ("in 2 weeks", dt.date(2026, 3, 16)),
        ("tomorrow", dt.date(2026, 3, 3)),
        ("03/04", dt.date(2026, 4, 3)),
        ("2026-04-01", dt.date(2026, 4, 1)),
        ("1 March", dt.date(2027, 3, 1)),
        ("could you deliver it next Friday please", dt.date(2026, 3, 6)),
        ("delivered by 15 December", dt.date(2026, 12, 15)),
    ],
)
def test_dates_read_as_customers_say_them(text, expected):
    assert parse_date(text, today=MONDAY) == expected


@pytest.mark.parametrize("text", ["", "   ", None, "as soon as possible", "I need 3 laptops"])
def test_text_without_a_date_reads_as_none(text):
    assert parse_date(text, today=MONDAY) is None


def test_a_past_day_is_read_as_said_for_the_caller_to_refuse():
    assert parse_date("yesterday", today=MONDAY) == dt.date(2026, 3, 1)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (3, 3),
        (3.0, 3),
        ("3", 3),
        ("3 laptops", 3),
        ("I want 2 of them", 2),
        ("2 ECL-3000", 2),
        ("two", 2),
        ("Two", 2),
        ("one", 1),
        ("a laptop", 1),
        ("a couple of", 2),
        ("a pair", 2),
        ("a dozen", 12),
        ("two dozen", 24),
        ("a hundred", 100),
        ("two laptops and a bag", 2),
    ],
)
def test_quantities_read_from_numbers_and_words(value, expected):
    assert parse_quantity(value) == expected


@pytest.mark.parametrize(
    "value", [0, -1, 2.5, "0", "-1", "2.5", "some", "", "ECL-3000", True, None, [2]]
)
def test_what_is_not_a_whole_positive_quantity_reads_as_none(value):
    assert parse_quantity(value) is None
