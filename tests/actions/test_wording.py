"""Values made ready for the responses."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from actions.wording import money, percent, spoken_list


@pytest.mark.parametrize(
    ("amount", "shown"),
    [
        ("1299", "1,299.00 EUR"),
        ("59.9", "59.90 EUR"),
        ("6170.25", "6,170.25 EUR"),
        ("0", "0.00 EUR"),
    ],
)
def test_money_reads_with_two_decimals_and_thousands(amount, shown):
    assert money(Decimal(amount), "EUR") == shown


@pytest.mark.parametrize(
    ("items", "said"),
    [([], ""), (["a"], "a"), (["a", "b"], "a and b"), (["a", "b", "c"], "a, b and c")],
)
def test_lists_read_as_people_say_them(items, said):
    assert spoken_list(items) == said


@pytest.mark.parametrize(("value", "shown"), [("5.00", "5%"), ("12.50", "12.5%"), ("0", "none")])
def test_percentages(value, shown):
    assert percent(Decimal(value)) == shown


def test_dates_are_those_of_the_crm():
    from actions.wording import day

    assert day(dt.date(2026, 3, 6), today=dt.date(2026, 3, 2)) == "6 March"
    assert day(dt.date(2027, 1, 6), today=dt.date(2026, 3, 2)) == "6 January 2027"
