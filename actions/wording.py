"""Values made ready for the responses: money, dates, lists, products, lines, per channel.

The sentences live in the domain (domain/); these helpers only turn CRM values into
the short strings a response fills in (docs/dialogue.md §1, "Channels"):

- on the web, "1 299,00 €", "15/12/2026", "SO-000123", "+33698765432";
- by SMS, the same but shorter: "1 299 €", "15/12", "2 x Nova 14" (an SMS
  with a character outside the GSM alphabet, such as the multiplication sign,
  costs twice as much);
- on the phone, for a text-to-speech voice to read: "1,299 euros and 99
  cents", "Tuesday the 15th of December", "two Nova 14", and codes and phone
  numbers digit by digit ("S O, 0 0 0, 1 2 3", "plus 3 3, 6, 1 2, ...").

Lists said on the phone or sent by SMS stop after the best three ("... and 2
more"); the responses tell the customer how to ask for the rest.

Every helper takes the conversation's ``language`` (:func:`actions.messages.language`,
English by default); the words of each language are one table in
:mod:`actions.languages` ("mardi quinze décembre", "... et 2 autres", "16 Go de RAM").
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any, Protocol

from crm_backend.models import Product

# Re-exported: money is formatted in the CRM (crm_backend.money), where the desk finds it too.
from crm_backend.money import SMS as SMS
from crm_backend.money import VOICE as VOICE
from crm_backend.money import money as money

from .languages import EN, words

ENGLISH = EN.code
# A delivery date nobody can promise yet, in English (each language's: ``words(...).no_date_yet``).
NO_DATE_YET = EN.no_date_yet
TIMES = "\N{MULTIPLICATION SIGN}"
# Items said on the phone or sent by SMS before "and N more".
SHORT_LIST = 3
# How the specs of the catalog read in English; unknown keys read "key: value".
SPEC_FORMS = EN.spec_forms
# The specs worth hearing (or texting) about a product; with fewer than two, its description.
KEY_SPECS = ("cpu", "ram", "storage", "screen", "weight", "battery_life")
_INCHES = re.compile(r'(\d+(?:\.\d+)?)\s*(?:"|inch\b)')
_PARENTHESES = re.compile(r"\s*\([^)]*\)")
# "Intel Core i7-1360P" -> "Intel Core i7"; "AMD Ryzen 5 7530U" -> "AMD Ryzen 5".
_MODEL_NUMBER = re.compile(r"[- ]\d{4,}\w*$")
_SIZE = re.compile(r"\d+(?:\.\d+)?\s*[GT]B")
_POSTCODE = re.compile(r"\b\d{5}\b")
# Order, quote and customer numbers: "SO-000123", "Q-000045", "C-100001".
_CODE = re.compile(r"\b[A-Z]{1,3}-\d{3,}\b")


class Line(Protocol):
    """A line of a quote or order, as the responses show it."""

    @property
    def product(self) -> Product: ...

    @property
    def quantity(self) -> int: ...


# --- amounts, dates, quantities ------------------------------------------------------------


def day(
    value: dt.date, *, today: dt.date, channel: str | None = None, language: str = ENGLISH
) -> str:
    """ "15/12/2026" to read ("15/12" by SMS this year); "Tuesday the 15th of December" to hear.

    The year is said (or texted) only when it is not this one.
    """
    if channel == SMS:
        return f"{value:%d/%m}" if value.year == today.year else f"{value:%d/%m/%Y}"
    if channel != VOICE:
        return f"{value:%d/%m/%Y}"
    return words(language).spoken_day(value, today)


def quantity(n: int, *, channel: str | None = None, language: str = ENGLISH) -> str:
    """ "2" to read; "two" to hear (up to twenty), so "2 Nova 14" is not heard as one number."""
    if channel == VOICE and n >= 0:
        return words(language).spoken_quantity(n)
    return str(n)


# --- codes, phone numbers, contact details -------------------------------------------------


def reference(code: str | None, *, channel: str | None = None, language: str = ENGLISH) -> str:
    """An order, quote or customer number: as written, or to hear letter by letter.

    "SO-000123" is heard "S O, 0 0 0, 1 2 3": letters one by one, digits
    one by one in groups of three, so a voice neither reads "so" nor "one
    hundred and twenty-three" (in French, "S O, zéro zéro zéro, un deux trois").
    """
    code = code or ""  # numbered by the database on flush: typed optional, always set here
    if channel != VOICE:
        return code
    said = words(language).spoken_digits
    groups = []
    for part in re.findall(r"[A-Za-z]+|\d+", code):
        if part.isdigit():
            groups += [said(part[i : i + 3]) for i in range(0, len(part), 3)]
        else:
            groups.append(" ".join(part.upper()))
    return ", ".join(groups)


def codes_in(text: str, *, channel: str | None = None, language: str = ENGLISH) -> str:
    """Free text (an alert) with its codes heard letter by letter on the phone."""
    if channel != VOICE:
        return text
    return _CODE.sub(lambda m: reference(m.group(), channel=channel, language=language), text)


def phone(number: str, *, channel: str | None = None, language: str = ENGLISH) -> str:
    """A phone number as stored ("+33612345678"), or to hear digit by digit in groups.

    French numbers are grouped as people say them ("plus 3 3, 6, 1 2, 3 4,
    5 6, 7 8"); others in threes.
    """
    if channel != VOICE:
        return number
    digits = re.sub(r"\D", "", number)
    international = number.strip().startswith("+")
    if international and digits.startswith("33") and len(digits) == 11:
        groups = ["33", digits[2], *(digits[i : i + 2] for i in range(3, 11, 2))]
    elif not international and digits.startswith("0") and len(digits) == 10:
        groups = [digits[i : i + 2] for i in range(0, 10, 2)]
    else:
        groups = [digits[i : i + 3] for i in range(0, len(digits), 3)]
    table = words(language)
    said = ", ".join(table.spoken_digits(group) for group in groups)
    return f"{table.plus} {said}" if international else said


def email(address: str, *, channel: str | None = None, language: str = ENGLISH) -> str:
    """An e-mail address as written, or to hear ("pierre dot moreau at example dot fr")."""
    if channel != VOICE:
        return address
    for sign, word in words(language).email_signs:
        address = address.replace(sign, word)
    return " ".join(address.split())


def contact_value(
    field: str, value: str, *, channel: str | None = None, language: str = ENGLISH
) -> str:
    """A new phone number, e-mail or postal address, to read or to hear."""
    if field == "phone":
        return phone(value, channel=channel, language=language)
    if field == "email":
        return email(value, channel=channel, language=language)
    if channel == VOICE:
        # "75003 Paris" heard as "7 5 0 0 3", not "seventy-five thousand and three".
        said = words(language).spoken_digits
        return _POSTCODE.sub(lambda m: said(m.group()), value)
    return value


# --- lists -----------------------------------------------------------------------------------


def spoken_list(items: Sequence[str], *, language: str = ENGLISH) -> str:
    """ "a", "a and b", "a, b and c"."""
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])}{words(language).and_}{items[-1]}"


def shortlist(items: Sequence[str], *, channel: str | None, language: str = ENGLISH) -> list[str]:
    """All items to read on the web; the best three and "N more" on the phone or by SMS."""
    if not _cut(items, channel=channel):
        return list(items)
    table, left = words(language), len(items) - SHORT_LIST
    count = table.spoken_count(left) if channel == VOICE else str(left)
    more = table.more_one if left == 1 else table.more
    return [*items[:SHORT_LIST], more.format(count)]


def _cut(items: Sequence[str], *, channel: str | None) -> bool:
    return channel in (VOICE, SMS) and len(items) > SHORT_LIST


def listed(
    items: Sequence[str], *, channel: str | None, separator: str = ", ", language: str = ENGLISH
) -> str:
    """Items as a list to read ("a, b"), to hear ("a and b"), cut short ("a, b, c and 2 more")."""
    shown = shortlist(items, channel=channel, language=language)
    if channel == VOICE:
        return spoken_list(shown, language=language)
    if _cut(items, channel=channel):
        return f"{separator.join(shown[:-1])}{words(language).and_}{shown[-1]}"
    return separator.join(shown)


# --- products and lines --------------------------------------------------------------------


def product_details(
    product: Product, *, channel: str | None = None, language: str = ENGLISH
) -> str:
    """Its technical details in a line ("Intel Core i7, 16 GB RAM, ..."), else its description.

    The web shows every spec; the phone and SMS only the key ones, shortened
    (no model numbers, no parentheses), and the phone spells the units out.
    """
    table = words(language)
    if channel not in (VOICE, SMS):
        details = [table.spec(k, table.catalog_value(v)) for k, v in _specs(product.specs)]
        return ", ".join(details) or _description(product)
    key = [(k, _short_spec(k, v)) for k, v in _specs(product.specs) if k in KEY_SPECS]
    text = (
        ", ".join(table.spec(k, table.catalog_value(v)) for k, v in key)
        if len(key) >= 2
        else _description(product)
    )
    return catalog_text_for_voice(text, language=language) if channel == VOICE else text


def catalog_text_for_voice(text: str, *, language: str = ENGLISH) -> str:
    """Catalog text a voice reads right: "14-inch", "16 gigabytes", no parentheses."""
    table = words(language)
    text = _PARENTHESES.sub("", text)
    text = _INCHES.sub(table.inch, text)
    text = table.unit_pattern.sub(
        lambda m: f"{table.spoken_figure(m.group(1))} {table.unit(m.group(1), m.group(2))}", text
    )
    return text.replace(" x ", table.by)


def product_offers(
    products: Iterable[Product], *, channel: str | None, language: str = ENGLISH
) -> str:
    """ "Éclipse Laptop Bag, 59,00 €; ..." to read; "the ... at 59 euros and ..." to hear."""
    offers = [
        (p.name, money(Decimal(p.list_price), p.currency, channel=channel, language=language))
        for p in products
    ]
    if channel == VOICE:
        said = words(language).offer_spoken
        return listed(
            [said.format(name=name, price=price) for name, price in offers],
            channel=channel,
            language=language,
        )
    return listed(
        [f"{name}, {price}" for name, price in offers],
        channel=channel,
        separator="; ",
        language=language,
    )


def lines_summary(lines: Iterable[Line], *, channel: str | None, language: str = ENGLISH) -> str:
    """Lines to read (quantity, multiplication sign, name), to text ("2 x Nova 14, ...")
    or to hear ("two Nova 14 and one ...").
    """
    if channel == VOICE:
        return spoken_list(
            [
                f"{quantity(line.quantity, channel=channel, language=language)} {line.product.name}"
                for line in lines
            ],
            language=language,
        )
    times = "x" if channel == SMS else TIMES
    return ", ".join(f"{line.quantity} {times} {line.product.name}" for line in lines)


def _short_spec(key: str, value: str) -> str:
    value = _PARENTHESES.sub("", value).strip()
    if key == "cpu":
        return _MODEL_NUMBER.sub("", value)
    if key in ("ram", "storage"):
        size = _SIZE.match(value)
        if size is None:
            return value
        return f"{size.group()} SSD" if key == "storage" and "SSD" in value else size.group()
    if key == "screen":
        return value.split(",")[0]
    return value


def _description(product: Product) -> str:
    return product.description.strip().rstrip(".")


def _specs(specs: dict[str, Any]) -> list[tuple[str, str]]:
    return [(str(k), str(v)) for k, v in specs.items() if v not in (None, "")]
