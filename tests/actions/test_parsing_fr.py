"""Dates, quantities and contact channels as French customers say them (``language="fr"``)."""

from __future__ import annotations

import datetime as dt

import pytest

from actions.parsing import channels_said, parse_date, parse_quantity

MONDAY = dt.date(2026, 3, 2)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("le 12 décembre", dt.date(2026, 12, 12)),
        ("le 12 decembre", dt.date(2026, 12, 12)),
        ("12 décembre 2026", dt.date(2026, 12, 12)),
        ("le 1er avril", dt.date(2026, 4, 1)),
        ("12/12", dt.date(2026, 12, 12)),
        ("03/04", dt.date(2026, 4, 3)),
        ("2026-04-01", dt.date(2026, 4, 1)),
        ("demain", dt.date(2026, 3, 3)),
        ("après-demain", dt.date(2026, 3, 4)),
        ("apres-demain", dt.date(2026, 3, 4)),
        ("après demain", dt.date(2026, 3, 4)),
        ("aujourd'hui", dt.date(2026, 3, 2)),
        ("vendredi", dt.date(2026, 3, 6)),
        ("vendredi prochain", dt.date(2026, 3, 6)),
        ("lundi prochain", dt.date(2026, 3, 9)),
        ("mercredi qui vient", dt.date(2026, 3, 4)),
        ("la semaine prochaine", dt.date(2026, 3, 9)),
        ("dans deux semaines", dt.date(2026, 3, 16)),
        ("dans 2 semaines", dt.date(2026, 3, 16)),
        ("1 mars", dt.date(2027, 3, 1)),
        ("pourriez-vous le livrer vendredi prochain svp", dt.date(2026, 3, 6)),
        ("livré pour le 15 décembre", dt.date(2026, 12, 15)),
    ],
)
def test_french_dates_read_as_customers_say_them(text, expected):
    assert parse_date(text, today=MONDAY, language="fr") == expected


@pytest.mark.parametrize(
    "text", ["", "   ", None, "dès que possible", "j'ai besoin de 3 portables", "le Nova 14"]
)
def test_french_text_without_a_date_reads_as_none(text):
    assert parse_date(text, today=MONDAY, language="fr") is None


def test_english_stays_the_default_language_of_dates():
    assert parse_date("demain", today=MONDAY) is None
    assert parse_date("tomorrow", today=MONDAY) == dt.date(2026, 3, 3)


def test_an_unknown_language_is_refused():
    with pytest.raises(ValueError, match="'de'"):
        parse_date("morgen", today=MONDAY, language="de")
    with pytest.raises(ValueError, match="'de'"):
        parse_quantity("zwei", language="de")
    with pytest.raises(ValueError, match="'de'"):
        channels_said("keine SMS", language="de")


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (3, 3),
        ("3", 3),
        ("3 portables", 3),
        ("j'en veux 2", 2),
        ("deux", 2),
        ("Deux", 2),
        ("un", 1),
        ("une", 1),
        ("un seul", 1),
        ("une sacoche", 1),
        ("trois", 3),
        ("quatre", 4),
        ("cinq", 5),
        ("six", 6),
        ("sept", 7),
        ("huit", 8),
        ("neuf", 9),
        ("neuf portables", 9),
        ("un portable neuf", 1),
        ("dix", 10),
        ("douze", 12),
        ("une paire", 2),
        ("une douzaine", 12),
        ("une dizaine de souris", 10),
        ("deux douzaines", 24),
        ("une centaine", 100),
        ("trois portables et une sacoche", 3),
    ],
)
def test_french_quantities_read_from_numbers_and_words(value, expected):
    assert parse_quantity(value, language="fr") == expected


@pytest.mark.parametrize("value", [0, "0", "2,5", "quelques", "", "ECL-3000", None])
def test_what_is_not_a_whole_positive_french_quantity_reads_as_none(value):
    assert parse_quantity(value, language="fr") is None


def test_french_number_words_are_no_english_ones():
    assert parse_quantity("deux") is None
    assert parse_quantity("two", language="fr") is None


@pytest.mark.parametrize(
    ("text", "stopped", "kept"),
    [
        ("arrêtez les SMS, l'e-mail ça va", ["sms"], ["email"]),
        ("plus de textos", ["sms"], []),
        ("ne m'appelez plus", ["phone"], []),
        ("désinscrivez-moi des newsletters", ["email"], []),
        ("par e-mail, pas par téléphone", ["phone"], ["email"]),
        ("par courriel", [], ["email"]),
    ],
)
def test_french_channels_stopped_and_kept(text, stopped, kept):
    assert channels_said(text, language="fr") == (stopped, kept)


def test_only_french_words_of_refusal_stop_a_channel_when_refused_only():
    assert channels_said("par e-mail, pas par téléphone", refused_only=True, language="fr") == (
        [],
        ["email", "phone"],
    )
    assert channels_said("stop aux appels", refused_only=True, language="fr") == (["phone"], [])
