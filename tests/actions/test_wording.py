"""Values made ready for the responses: to read (web), to text (SMS) or to hear (voice)."""

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
from crm_backend.models import Product
from crm_backend.seed.products import PRODUCTS

MONDAY = dt.date(2026, 3, 2)


def seeded(sku: str) -> Product:
    """A product of the seed catalog, as the actions get it (not stored: no database here)."""
    [seed] = [p for p in PRODUCTS if p.sku == sku]
    return Product(
        sku=seed.sku,
        name=seed.name,
        description=seed.description,
        specs=dict(seed.specs),
        list_price=Decimal(seed.price),
        currency="EUR",
    )


# --- money ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("amount", "channel", "shown"),
    [
        ("1299", "web", "1 299,00 €"),
        ("59.9", "web", "59,90 €"),
        ("6170.25", "web", "6 170,25 €"),
        ("1299", "sms", "1 299 €"),
        ("59.9", "sms", "59,90 €"),
        ("1299", "voice", "1,299 euros"),
        ("1299.99", "voice", "1,299 euros and 99 cents"),
        ("6170.25", "voice", "6,170 euros and 25 cents"),
        ("1", "voice", "1 euro"),
        ("1.01", "voice", "1 euro and 1 cent"),
        ("0.5", "voice", "50 cents"),
        ("0", "voice", "0 euros"),
    ],
)
def test_money_to_read_to_text_and_to_hear(amount, channel, shown):
    assert money(Decimal(amount), "EUR", channel=channel) == shown


def test_another_currency_keeps_its_code():
    assert money(Decimal("10"), "CHF", channel="web") == "10,00 CHF"
    assert money(Decimal("10"), "CHF", channel="voice") == "10 CHF"
    assert money(Decimal("10.5"), "CHF", channel="voice") == "10.50 CHF"


def test_the_bot_and_the_desk_format_money_with_one_function():
    # The desk (channels.desk, which may not import actions) finds it in the CRM.
    from crm_backend import money as crm_money

    assert money is crm_money.money


# --- dates and quantities -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "channel", "shown"),
    [
        (dt.date(2026, 12, 15), "web", "15/12/2026"),
        (dt.date(2026, 12, 15), "sms", "15/12"),
        (dt.date(2027, 1, 6), "sms", "06/01/2027"),
        (dt.date(2026, 12, 15), "voice", "Tuesday the 15th of December"),
        (dt.date(2026, 3, 1), "voice", "Sunday the 1st of March"),
        (dt.date(2026, 3, 2), "voice", "Monday the 2nd of March"),
        (dt.date(2026, 3, 23), "voice", "Monday the 23rd of March"),
        (dt.date(2026, 3, 11), "voice", "Wednesday the 11th of March"),
        (dt.date(2026, 3, 12), "voice", "Thursday the 12th of March"),
        (dt.date(2027, 1, 6), "voice", "Wednesday the 6th of January 2027"),
    ],
)
def test_dates_to_read_to_text_and_to_hear(value, channel, shown):
    assert day(value, today=MONDAY, channel=channel) == shown


@pytest.mark.parametrize(
    ("n", "channel", "said"),
    [
        (2, "web", "2"),
        (2, "sms", "2"),
        (1, "voice", "one"),
        (20, "voice", "twenty"),
        (21, "voice", "21"),
    ],
)
def test_quantities_are_words_on_the_phone(n, channel, said):
    assert quantity(n, channel=channel) == said


# --- codes, phone numbers, contact details --------------------------------------------------


@pytest.mark.parametrize(
    ("code", "said"),
    [
        ("SO-000123", "S O, 0 0 0, 1 2 3"),
        ("Q-000045", "Q, 0 0 0, 0 4 5"),
        ("C-100001", "C, 1 0 0, 0 0 1"),
        ("SO-0001234", "S O, 0 0 0, 1 2 3, 4"),
    ],
)
def test_codes_are_heard_character_by_character(code, said):
    assert reference(code, channel="voice") == said
    assert reference(code, channel="web") == reference(code, channel="sms") == code


def test_codes_in_an_alert_are_heard_character_by_character():
    alert = "Your order SO-000002 is late: it was promised for 26 February"
    assert codes_in(alert, channel="voice") == (
        "Your order S O, 0 0 0, 0 0 2 is late: it was promised for 26 February"
    )
    assert codes_in(alert, channel="sms") == alert


@pytest.mark.parametrize(
    ("number", "said"),
    [
        ("+33698765432", "plus 3 3, 6, 9 8, 7 6, 5 4, 3 2"),
        ("0698765432", "0 6, 9 8, 7 6, 5 4, 3 2"),
        ("+442071234567", "plus 4 4 2, 0 7 1, 2 3 4, 5 6 7"),
    ],
)
def test_phone_numbers_are_heard_digit_by_digit(number, said):
    assert phone(number, channel="voice") == said
    assert phone(number, channel="web") == phone(number, channel="sms") == number


@pytest.mark.parametrize(
    ("field", "value", "said"),
    [
        ("phone", "+33698765432", "plus 3 3, 6, 9 8, 7 6, 5 4, 3 2"),
        ("email", "pierre.moreau@example.fr", "pierre dot moreau at example dot fr"),
        (
            "email",
            "j-m_durand@mail.example.com",
            "j dash m underscore durand at mail dot example dot com",
        ),
        ("address", "12 rue de la Paix, 75003 Paris", "12 rue de la Paix, 7 5 0 0 3 Paris"),
    ],
)
def test_new_contact_details_to_hear(field, value, said):
    assert contact_value(field, value, channel="voice") == said
    assert contact_value(field, value, channel="web") == value
    assert contact_value(field, value, channel="sms") == value


# --- lists ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("items", "said"),
    [([], ""), (["a"], "a"), (["a", "b"], "a and b"), (["a", "b", "c"], "a, b and c")],
)
def test_lists_are_said_as_people_say_them(items, said):
    assert spoken_list(items) == said


def test_lists_are_read_with_commas():
    assert listed(["a", "b", "c"], channel="web") == "a, b, c"
    assert listed(["a", "b", "c"], channel="sms") == "a, b, c"
    assert listed(["a", "b", "c"], channel="voice") == "a, b and c"


def test_long_lists_stop_after_three_on_the_phone_and_by_sms():
    five = ["a", "b", "c", "d", "e"]
    assert listed(five, channel="web") == "a, b, c, d, e"
    assert listed(five, channel="sms") == "a, b, c and 2 more"
    assert listed(five, channel="voice") == "a, b, c and 2 more"


# --- products and lines ---------------------------------------------------------------------


def test_the_web_shows_every_spec():
    assert product_details(seeded("ECL-3000"), channel="web") == (
        "Intel Core i7-1360P (12 cores, up to 5.0 GHz), 16 GB LPDDR5 RAM, 512 GB NVMe SSD, "
        '14" OLED, 2880 x 1800, 90 Hz screen, 1.3 kg, battery up to 14 hours, '
        "ports: 2 x USB-C (Thunderbolt 4), 1 x USB-A, HDMI 2.0, headphone jack, Windows 11 Pro"
    )


def test_sms_and_the_phone_give_the_key_specs():
    eclipse = seeded("ECL-3000")
    assert product_details(eclipse, channel="sms") == (
        'Intel Core i7, 16 GB RAM, 512 GB SSD, 14" OLED screen, 1.3 kg, battery up to 14 hours'
    )
    assert product_details(eclipse, channel="voice") == (
        "Intel Core i7, 16 gigabytes RAM, 512 gigabytes SSD, 14-inch OLED screen, 1.3 kilos, "
        "battery up to 14 hours"
    )
    assert product_details(seeded("NOV-14"), channel="voice").startswith("AMD Ryzen 5, 8 gigabytes")


def test_without_key_specs_the_description():
    bag = seeded("BAG-ECL")
    spoken = catalog_text_for_voice(bag.description.rstrip("."))
    assert product_details(bag, channel="voice") == spoken
    assert product_details(bag, channel="sms") == bag.description.rstrip(".")


def test_catalog_text_reads_right_for_a_voice():
    catalog = 'a 14" screen (OLED), 2880 x 1800, 1 TB, 2 TB, 65 W, 72 Wh, 2.4 GHz'
    assert catalog_text_for_voice(catalog) == (
        "a 14-inch screen, 2880 by 1800, 1 terabyte, 2 terabytes, 65 watts, 72 watt-hours, "
        "2.4 gigahertz"
    )


def test_offers_to_read_to_text_and_to_hear():
    bag, battery = seeded("BAG-ECL"), seeded("BAT-ECL3000")
    assert product_offers([bag, battery], channel="web") == (
        "Éclipse Laptop Bag, 59,00 €; Éclipse 3000 Spare Battery, 129,00 €"
    )
    assert product_offers([bag, battery], channel="sms") == (
        "Éclipse Laptop Bag, 59 €; Éclipse 3000 Spare Battery, 129 €"
    )
    assert product_offers([bag, battery], channel="voice") == (
        "the Éclipse Laptop Bag at 59 euros and the Éclipse 3000 Spare Battery at 129 euros"
    )


def test_many_offers_are_cut_to_three_on_the_phone():
    laptops = [seeded(sku) for sku in ("ECL-3000", "ECL-2000", "NOV-14", "ZEN-PRO")]
    assert product_offers(laptops, channel="voice") == (
        "the Éclipse 3000 at 1,299 euros, the Éclipse 2000 at 899 euros, "
        "the Nova 14 at 749 euros and 1 more"
    )
    assert product_offers(laptops, channel="web").count(";") == 3


def test_lines_to_read_to_text_and_to_hear():
    lines = [
        SimpleNamespace(product=seeded("NOV-14"), quantity=2),
        SimpleNamespace(product=seeded("BAG-ECL"), quantity=1),
    ]
    assert lines_summary(lines, channel="web") == (
        "2 \N{MULTIPLICATION SIGN} Nova 14, 1 \N{MULTIPLICATION SIGN} Éclipse Laptop Bag"
    )
    # The multiplication sign is not in the GSM alphabet: it would double the SMS's cost.
    assert lines_summary(lines, channel="sms") == "2 x Nova 14, 1 x Éclipse Laptop Bag"
    assert lines_summary(lines, channel="voice") == "two Nova 14 and one Éclipse Laptop Bag"
