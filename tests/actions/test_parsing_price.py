"""Prices as customers write them, in English and in French."""

from __future__ import annotations

from decimal import Decimal

import pytest

from actions.parsing_price import Bound, Price, parse_price


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1 299,00 €", Price(Decimal("1299.00"))),
        ("1\u202f299,00\u00a0€", Price(Decimal("1299.00"))),
        ("1299 euros", Price(Decimal("1299"))),
        ("1.299 €", Price(Decimal("1299"))),
        ("12,50 €", Price(Decimal("12.50"))),
        ("800 EUR", Price(Decimal("800"))),
        ("€800", Price(Decimal("800"))),
        ("moins de 800 €", Price(Decimal("800"), Bound.AT_MOST)),
        ("un portable à moins de 800", Price(Decimal("800"), Bound.AT_MOST)),
        ("jusqu'à 1 000 €", Price(Decimal("1000"), Bound.AT_MOST)),
        ("pas plus de 900 euros", Price(Decimal("900"), Bound.AT_MOST)),
        ("au moins 500 euros", Price(Decimal("500"), Bound.AT_LEAST)),
        ("à partir de 1 000 €", Price(Decimal("1000"), Bound.AT_LEAST)),
    ],
)
def test_french_prices(text, expected):
    assert parse_price(text, language="fr") == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1,299.00 euros", Price(Decimal("1299.00"))),
        ("€1,299", Price(Decimal("1299"))),
        ("under 800 euros", Price(Decimal("800"), Bound.AT_MOST)),
        ("something under 800", Price(Decimal("800"), Bound.AT_MOST)),
        ("at least 500 €", Price(Decimal("500"), Bound.AT_LEAST)),
    ],
)
def test_english_prices(text, expected):
    assert parse_price(text) == expected


@pytest.mark.parametrize(
    "text", [None, "", "j'en veux 3", "le Nova 14", "SO-000123", "3 portables"]
)
def test_text_without_an_amount_of_money_reads_as_none(text):
    assert parse_price(text, language="fr") is None


def test_an_unknown_language_is_refused():
    with pytest.raises(ValueError, match="'de'"):
        parse_price("800 €", language="de")
