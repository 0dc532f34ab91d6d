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

# A delivery date nobody can promise yet (no stock, no lead time).
NO_DATE_YET = "a date we will confirm"
TIMES = "\N{MULTIPLICATION SIGN}"
# Items said on the phone or sent by SMS before "and N more".
SHORT_LIST = 3
# How the specs of the catalog read in a product's details; unknown keys read "key: value".
SPEC_FORMS = {
    "cpu": "{}",
    "ram": "{} RAM",
    "storage": "{}",
    "screen": "{} screen",
    "weight": "{}",
    "battery_life": "battery {}",
    "os": "{}",
}
# The specs worth hearing (or texting) about a product; with fewer than two, its description.
KEY_SPECS = ("cpu", "ram", "storage", "screen", "weight", "battery_life")
_SMALL_NUMBERS = (
    *("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"),
    *("eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen"),
    *("eighteen", "nineteen", "twenty"),
)
# Units a voice may read as letters ("16 G B"), spelled out.
_UNITS = {
    "GB": "gigabytes",
    "TB": "terabytes",
    "GHz": "gigahertz",
    "Hz": "hertz",
    "kg": "kilos",
    "Wh": "watt-hours",
    "W": "watts",
}
_UNIT = re.compile(
    r"(\d+(?:\.\d+)?)\s*(" + "|".join(sorted(_UNITS, key=len, reverse=True)) + r")\b"
)
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


def day(value: dt.date, *, today: dt.date, channel: str | None = None) -> str:
    """ "15/12/2026" to read ("15/12" by SMS this year); "Tuesday the 15th of December" to hear.

    The year is said (or texted) only when it is not this one.
    """
    if channel == SMS:
        return f"{value:%d/%m}" if value.year == today.year else f"{value:%d/%m/%Y}"
    if channel != VOICE:
        return f"{value:%d/%m/%Y}"
    spoken = f"{value:%A} the {_ordinal(value.day)} of {value:%B}"
    return spoken if value.year == today.year else f"{spoken} {value.year}"


def _ordinal(n: int) -> str:
    suffix = "th" if 11 <= n % 100 <= 13 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def quantity(n: int, *, channel: str | None = None) -> str:
    """ "2" to read; "two" to hear (up to twenty), so "2 Nova 14" is not heard as one number."""
    if channel == VOICE and 0 <= n < len(_SMALL_NUMBERS):
        return _SMALL_NUMBERS[n]
    return str(n)


# --- codes, phone numbers, contact details -------------------------------------------------


def reference(code: str | None, *, channel: str | None = None) -> str:
    """An order, quote or customer number: as written, or to hear letter by letter.

    "SO-000123" is heard "S O, 0 0 0, 1 2 3": letters one by one, digits
    one by one in groups of three, so a voice neither reads "so" nor "one
    hundred and twenty-three".
    """
    code = code or ""  # numbered by the database on flush: typed optional, always set here
    if channel != VOICE:
        return code
    groups = []
    for part in re.findall(r"[A-Za-z]+|\d+", code):
        if part.isdigit():
            groups += [" ".join(part[i : i + 3]) for i in range(0, len(part), 3)]
        else:
            groups.append(" ".join(part.upper()))
    return ", ".join(groups)


def codes_in(text: str, *, channel: str | None = None) -> str:
    """Free text (an alert) with its codes heard letter by letter on the phone."""
    if channel != VOICE:
        return text
    return _CODE.sub(lambda m: reference(m.group(), channel=channel), text)


def phone(number: str, *, channel: str | None = None) -> str:
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
    said = ", ".join(" ".join(group) for group in groups)
    return f"plus {said}" if international else said


def email(address: str, *, channel: str | None = None) -> str:
    """An e-mail address as written, or to hear ("pierre dot moreau at example dot fr")."""
    if channel != VOICE:
        return address
    for sign, word in (("@", " at "), (".", " dot "), ("-", " dash "), ("_", " underscore ")):
        address = address.replace(sign, word)
    return " ".join(address.split())


def contact_value(field: str, value: str, *, channel: str | None = None) -> str:
    """A new phone number, e-mail or postal address, to read or to hear."""
    if field == "phone":
        return phone(value, channel=channel)
    if field == "email":
        return email(value, channel=channel)
    if channel == VOICE:
        # "75003 Paris" heard as "7 5 0 0 3", not "seventy-five thousand and three".
        return _POSTCODE.sub(lambda m: " ".join(m.group()), value)
    return value


# --- lists -----------------------------------------------------------------------------------


def spoken_list(items: Sequence[str]) -> str:
    """ "a", "a and b", "a, b and c"."""
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} and {items[-1]}"


def shortlist(items: Sequence[str], *, channel: str | None) -> list[str]:
    """All items to read on the web; the best three and "N more" on the phone or by SMS."""
    if not _cut(items, channel=channel):
        return list(items)
    return [*items[:SHORT_LIST], f"{len(items) - SHORT_LIST} more"]


def _cut(items: Sequence[str], *, channel: str | None) -> bool:
    return channel in (VOICE, SMS) and len(items) > SHORT_LIST


def listed(items: Sequence[str], *, channel: str | None, separator: str = ", ") -> str:
    """Items as a list to read ("a, b"), to hear ("a and b"), cut short ("a, b, c and 2 more")."""
    shown = shortlist(items, channel=channel)
    if channel == VOICE:
        return spoken_list(shown)
    if _cut(items, channel=channel):
        return f"{separator.join(shown[:-1])} and {shown[-1]}"
    return separator.join(shown)


# --- products and lines --------------------------------------------------------------------


def product_details(product: Product, *, channel: str | None = None) -> str:
    """Its technical details in a line ("Intel Core i7, 16 GB RAM, ..."), else its description.

    The web shows every spec; the phone and SMS only the key ones, shortened
    (no model numbers, no parentheses), and the phone spells the units out.
    """
    if channel not in (VOICE, SMS):
        details = [_spec(key, value) for key, value in _specs(product.specs)]
        return ", ".join(details) or _description(product)
    key = [(k, _short_spec(k, v)) for k, v in _specs(product.specs) if k in KEY_SPECS]
    text = ", ".join(_spec(k, v) for k, v in key) if len(key) >= 2 else _description(product)
    return catalog_text_for_voice(text) if channel == VOICE else text


def catalog_text_for_voice(text: str) -> str:
    """Catalog text a voice reads right: "14-inch", "16 gigabytes", no parentheses."""
    text = _PARENTHESES.sub("", text)
    text = _INCHES.sub(r"\1-inch", text)
    text = _UNIT.sub(lambda m: f"{m.group(1)} {_unit(m.group(1), m.group(2))}", text)
    return text.replace(" x ", " by ")


def _unit(number: str, unit: str) -> str:
    word = _UNITS[unit]
    return word.removesuffix("s") if number == "1" else word


def product_offers(products: Iterable[Product], *, channel: str | None) -> str:
    """ "Éclipse Laptop Bag, 59,00 €; ..." to read; "the ... at 59 euros and ..." to hear."""
    offers = [(p.name, money(Decimal(p.list_price), p.currency, channel=channel)) for p in products]
    if channel == VOICE:
        return listed([f"the {name} at {price}" for name, price in offers], channel=channel)
    return listed([f"{name}, {price}" for name, price in offers], channel=channel, separator="; ")


def lines_summary(lines: Iterable[Line], *, channel: str | None) -> str:
    """Lines to read (quantity, multiplication sign, name), to text ("2 x Nova 14, ...")
    or to hear ("two Nova 14 and one ...").
    """
    if channel == VOICE:
        return spoken_list(
            [f"{quantity(line.quantity, channel=channel)} {line.product.name}" for line in lines]
        )
    times = "x" if channel == SMS else TIMES
    return ", ".join(f"{line.quantity} {times} {line.product.name}" for line in lines)


def _spec(key: str, value: str) -> str:
    form = SPEC_FORMS.get(key)
    return form.format(value) if form else f"{key.replace('_', ' ')}: {value}"


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
