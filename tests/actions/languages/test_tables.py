"""One table of words per language: the French one says everything the English one does."""

from __future__ import annotations

import dataclasses

import pytest

from actions.languages import EN, FR, WORDS, Words, words
from actions.leads_business import _NEEDS
from crm_backend.models import OrderStatus, QuoteStatus


def test_a_language_we_do_not_speak_gets_english():
    assert words("fr") is FR
    assert words("en") is EN
    assert words("de") is EN
    assert words("") is EN
    assert set(WORDS) == {"en", "fr"}


def test_french_has_every_word_english_has():
    for field in dataclasses.fields(Words):
        value = getattr(FR, field.name)
        english = getattr(EN, field.name)
        # Units are keyed by their written forms, which the catalog's words change ("Go").
        if isinstance(english, dict) and english and field.name != "units":
            assert set(value) == set(english), field.name
        assert value not in ("", None), field.name


@pytest.mark.parametrize("table", [EN, FR], ids=["en", "fr"])
def test_every_order_status_has_its_words(table):
    statuses = {status.value for status in OrderStatus}
    assert set(table.order_states) == statuses
    assert set(FR.order_statuses) == statuses


def test_every_quote_status_has_its_french_word():
    assert set(FR.quote_states) == {status.value for status in QuoteStatus}


def test_french_names_every_business_need():
    assert set(FR.lead_needs) == {need for need, _ in _NEEDS} | {"equipment"}


@pytest.mark.parametrize(
    ("table", "text", "said"),
    [
        (EN, "16 GB", "16 gigabytes"),
        (EN, "1 TB", "1 terabyte"),
        (FR, "16 Go", "seize gigaoctets"),
        (FR, "1,5 kg", "un virgule cinq kilo"),
        (FR, "2 kg", "deux kilos"),
        (FR, "14 h", "quatorze heures"),
    ],
)
def test_units_are_spelled_out_with_their_number(table, text, said):
    found = table.unit_pattern.fullmatch(text)
    assert found is not None
    figure, unit = found.groups()
    assert f"{table.spoken_figure(figure)} {table.unit(figure, unit)}" == said
