"""The desk's opening hours said in French."""

from __future__ import annotations

from crm_backend.opening_hours import OpeningHours

HOURS = OpeningHours.parse("mon-fri 09:00-18:00; sat 10:00-12:30", timezone="Europe/Paris")


def test_describe_in_french_words():
    assert HOURS.describe(language="fr") == (
        "du lundi au vendredi, de 9h00 à 18h00; le samedi, de 10h00 à 12h30"
    )
    assert OpeningHours.parse("mon-sun 00:00-24:00").describe(language="fr") == (
        "tous les jours, 24 heures sur 24"
    )


def test_another_language_reads_english():
    assert HOURS.describe(language="de") == HOURS.describe()
