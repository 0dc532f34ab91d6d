"""Values made ready for the responses, to read (web, SMS) or to hear (voice)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from actions.wording import day, listed, money, spoken_list

MONDAY = dt.date(2026, 3, 2)


@pytest.mark.parametrize(
    ("amount", "channel", "shown"),
    [
        ("1299", "web", "1 299,00 €"),
        ("59.9", "sms", "59,90 €"),
        ("6170.25", "web", "6 170,25 €"),
        ("1299", "voice", "1,299 euros"),
        ("6170.25", "voice", "6,170.25 euros"),
    ],
)
def test_money_to_read_and_to_hear(amount, channel, shown):
    assert money(Decimal(amount), "EUR", channel=channel) == shown


def test_another_currency_keeps_its_code():
    assert money(Decimal("10"), "CHF", channel="web") == "10,00 CHF"
    assert money(Decimal("10"), "CHF", channel="voice") == "10 CHF"


@pytest.mark.parametrize(
    ("value", "channel", "shown"),
    [
        (dt.date(2026, 12, 15), "web", "15/12/2026"),
        (dt.date(2026, 12, 15), "voice", "Tuesday the 15th of December"),
        (dt.date(2026, 3, 1), "voice", "Sunday the 1st of March"),
        (dt.date(2026, 3, 2), "voice", "Monday the 2nd of March"),
        (dt.date(2026, 3, 23), "voice", "Monday the 23rd of March"),
        (dt.date(2026, 3, 11), "voice", "Wednesday the 11th of March"),
        (dt.date(2027, 1, 6), "voice", "Wednesday the 6th of January 2027"),
    ],
)
def test_dates_to_read_and_to_hear(value, channel, shown):
    assert day(value, today=MONDAY, channel=channel) == shown


@pytest.mark.parametrize(
    ("items", "said"),
    [([], ""), (["a"], "a"), (["a", "b"], "a and b"), (["a", "b", "c"], "a, b and c")],
)
def test_lists_are_said_as_people_say_them(items, said):
    assert spoken_list(items) == said


def test_lists_are_read_with_commas():
    assert listed(["a", "b", "c"], channel="web") == "a, b, c"
    assert listed(["a", "b", "c"], channel="voice") == "a, b and c"
