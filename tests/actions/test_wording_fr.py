"""Values made ready for the French responses: to read (web), to text (SMS) or to hear (voice)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from types import SimpleNamespace

import pytest

from actions.wording import (
    catalog_text_for_voice,
    codes_in,
    contact_value,
    day,
    lines_summary,
    listed,
    money,
    phone,
    product_details,
    product_offers,
    quantity,
    reference,
    spoken_list,
)
from tests.actions.test_wording import MONDAY, seeded

FR = "fr"

# --- money ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("amount", "channel", "shown"),
    [
        ("1299", "web", "1 299,00 €"),
        ("59.9", "web", "59,90 €"),
        ("1299", "sms", "1 299 €"),
        ("59.9", "sms", "59,90 €"),
        ("1299", "voice", "mille deux cent quatre-vingt-dix-neuf euros"),
        (
            "1299.99",
            "voice",
            "mille deux cent quatre-vingt-dix-neuf euros et quatre-vingt-dix-neuf centimes",
        ),
        ("6170.25", "voice", "six mille cent soixante-dix euros et vingt-cinq centimes"),
        ("1", "voice", "un euro"),
        ("1.01", "voice", "un euro et un centime"),
        ("0.5", "voice", "cinquante centimes"),
        ("0", "voice", "zéro euro"),
        ("80", "voice", "quatre-vingts euros"),
        ("200", "voice", "deux cents euros"),
        ("1000000", "voice", "un million d'euros"),
        ("2500000", "voice", "deux millions cinq cent mille euros"),
    ],
)
def test_money_to_read_to_text_and_to_hear_in_french(amount, channel, shown):
    assert money(Decimal(amount), "EUR", channel=channel, language=FR) == shown


def test_another_currency_keeps_its_code_in_french():
    assert money(Decimal("10"), "CHF", channel="web", language=FR) == "10,00 CHF"
    assert money(Decimal("10"), "CHF", channel="voice", language=FR) == "dix CHF"
    assert (
        money(Decimal("10.5"), "CHF", channel="voice", language=FR) == "dix virgule cinquante CHF"
    )


def test_an_unknown_language_hears_english_money():
    assert money(Decimal("1299"), "EUR", channel="voice", language="de") == "1,299 euros"


# --- dates and quantities -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "channel", "shown"),
    [
        (dt.date(2026, 12, 15), "web", "15/12/2026"),
        (dt.date(2026, 12, 15), "sms", "15/12"),
        (dt.date(2027, 1, 6), "sms", "06/01/2027"),
        (dt.date(2026, 12, 15), "voice", "mardi quinze décembre"),
        (dt.date(2026, 3, 1), "voice", "dimanche premier mars"),
        (dt.date(2026, 8, 21), "voice", "vendredi vingt et un août"),
        (dt.date(2026, 2, 28), "voice", "samedi vingt-huit février"),
        (dt.date(2027, 1, 6), "voice", "mercredi six janvier deux mille vingt-sept"),
    ],
)
def test_dates_to_read_to_text_and_to_hear_in_french(value, channel, shown):
    assert day(value, today=MONDAY, channel=channel, language=FR) == shown


@pytest.mark.parametrize(
    ("n", "channel", "said"),
    [(2, "web", "2"), (2, "sms", "2"), (1, "voice", "un"), (21, "voice", "vingt et un")],
)
def test_quantities_are_french_words_on_the_phone(n, channel, said):
    assert quantity(n, channel=channel, language=FR) == said


# --- codes, phone numbers, contact details --------------------------------------------------


@pytest.mark.parametrize(
    ("code", "said"),
    [
        ("SO-000123", "S O, zéro zéro zéro, un deux trois"),
        ("C-100001", "C, un zéro zéro, zéro zéro un"),
    ],
)
def test_codes_are_heard_character_by_character_in_french(code, said):
    assert reference(code, channel="voice", language=FR) == said
    assert reference(code, channel="web", language=FR) == code


def test_codes_in_an_alert_are_heard_in_french():
    alert = "Commande SO-000002 en retard"
    assert codes_in(alert, channel="voice", language=FR) == (
        "Commande S O, zéro zéro zéro, zéro zéro deux en retard"
    )
    assert codes_in(alert, channel="sms", language=FR) == alert


@pytest.mark.parametrize(
    ("number", "said"),
    [
        ("+33698765432", "plus trois trois, six, neuf huit, sept six, cinq quatre, trois deux"),
        ("0698765432", "zéro six, neuf huit, sept six, cinq quatre, trois deux"),
    ],
)
def test_phone_numbers_are_heard_digit_by_digit_in_french(number, said):
    assert phone(number, channel="voice", language=FR) == said
    assert phone(number, channel="sms", language=FR) == number


@pytest.mark.parametrize(
    ("field", "value", "said"),
    [
        ("email", "pierre.moreau@example.fr", "pierre point moreau arobase example point fr"),
        ("email", "j-m_durand@example.com", "j tiret m tiret bas durand arobase example point com"),
        (
            "address",
            "12 rue de la Paix, 75003 Paris",
            "12 rue de la Paix, sept cinq zéro zéro trois Paris",
        ),
    ],
)
def test_new_contact_details_to_hear_in_french(field, value, said):
    assert contact_value(field, value, channel="voice", language=FR) == said
    assert contact_value(field, value, channel="web", language=FR) == value


# --- lists ----------------------------------------------------------------------------------


def test_lists_are_said_with_et():
    assert spoken_list(["a", "b", "c"], language=FR) == "a, b et c"
    assert listed(["a", "b", "c"], channel="voice", language=FR) == "a, b et c"
    assert listed(["a", "b", "c"], channel="web", language=FR) == "a, b, c"


def test_long_lists_stop_after_three_with_the_others_counted():
    five = ["a", "b", "c", "d", "e"]
    assert listed(five, channel="web", language=FR) == "a, b, c, d, e"
    assert listed(five, channel="sms", language=FR) == "a, b, c et 2 autres"
    assert listed(five, channel="voice", language=FR) == "a, b, c et deux autres"


# --- products and lines ---------------------------------------------------------------------


def test_the_web_shows_every_spec_in_french():
    assert product_details(seeded("ECL-3000"), channel="web", language=FR) == (
        "Intel Core i7-1360P (12 cœurs, jusqu'à 5,0 GHz), 16 Go LPDDR5 de RAM, 512 Go NVMe SSD, "
        "écran 14 pouces OLED, 2880 x 1800, 90 Hz, 1,3 kg, batterie jusqu'à 14 h, "
        "ports : 2 x USB-C (Thunderbolt 4), 1 x USB-A, HDMI 2,0, prise casque, Windows 11 Pro"
    )


def test_other_specs_have_french_names_and_answers():
    assert product_details(seeded("PRN-IJ200"), channel="web", language=FR) == (
        "type : jet d'encre couleur, impression, numérisation, copie,"
        " vitesse : 15 pages/min, wifi : oui"
    )
    assert product_details(seeded("TONER-LJ500"), channel="web", language=FR) == (
        "compatible avec : Lumio LaserJet 500, rendement : environ 3 000 pages"
    )


def test_sms_and_the_phone_give_the_key_specs_in_french():
    eclipse = seeded("ECL-3000")
    assert product_details(eclipse, channel="sms", language=FR) == (
        "Intel Core i7, 16 Go de RAM, 512 Go SSD, écran 14 pouces OLED, 1,3 kg, "
        "batterie jusqu'à 14 h"
    )
    assert product_details(eclipse, channel="voice", language=FR) == (
        "Intel Core i7, seize gigaoctets de RAM, cinq cent douze gigaoctets SSD, "
        "écran quatorze pouces OLED, un virgule trois kilo, batterie jusqu'à quatorze heures"
    )
    assert product_details(seeded("NOV-14"), channel="sms", language=FR).endswith(
        "batterie jusqu'à 10 h"
    )


def test_catalog_text_reads_right_for_a_french_voice():
    catalog = 'a 14" screen (OLED), 2880 x 1800, 1 To, 2 To, 65 W, 72 Wh, 2,4 GHz, 1 Go'
    assert catalog_text_for_voice(catalog, language=FR) == (
        "a quatorze pouces screen, 2880 par 1800, un téraoctet, deux téraoctets, "
        "soixante-cinq watts, soixante-douze wattheures, deux virgule quatre gigahertz, "
        "un gigaoctet"
    )


def test_offers_to_read_to_text_and_to_hear_in_french():
    bag, battery = seeded("BAG-ECL"), seeded("BAT-ECL3000")
    assert product_offers([bag, battery], channel="sms", language=FR) == (
        "Éclipse Laptop Bag, 59 €; Éclipse 3000 Spare Battery, 129 €"
    )
    assert product_offers([bag, battery], channel="voice", language=FR) == (
        "Éclipse Laptop Bag à cinquante-neuf euros et "
        "Éclipse 3000 Spare Battery à cent vingt-neuf euros"
    )


def test_many_offers_are_cut_to_three_on_the_phone_in_french():
    laptops = [seeded(sku) for sku in ("ECL-3000", "ECL-2000", "NOV-14", "ZEN-PRO")]
    assert product_offers(laptops, channel="voice", language=FR) == (
        "Éclipse 3000 à mille deux cent quatre-vingt-dix-neuf euros, "
        "Éclipse 2000 à huit cent quatre-vingt-dix-neuf euros, "
        "Nova 14 à sept cent quarante-neuf euros et un autre"
    )


def test_lines_to_read_to_text_and_to_hear_in_french():
    lines = [
        SimpleNamespace(product=seeded("NOV-14"), quantity=2),
        SimpleNamespace(product=seeded("BAG-ECL"), quantity=1),
    ]
    assert lines_summary(lines, channel="web", language=FR) == (
        "2 \N{MULTIPLICATION SIGN} Nova 14, 1 \N{MULTIPLICATION SIGN} Éclipse Laptop Bag"
    )
    assert lines_summary(lines, channel="sms", language=FR) == "2 x Nova 14, 1 x Éclipse Laptop Bag"
    assert lines_summary(lines, channel="voice", language=FR) == (
        "deux Nova 14 et un Éclipse Laptop Bag"
    )
