"""English: the words of the values the actions make ready (the bot's first language)."""

from __future__ import annotations

import datetime as dt
import re

from .base import Words

_SMALL_NUMBERS = (
    *("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"),
    *("eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen"),
    *("eighteen", "nineteen", "twenty"),
)


def spoken_day(value: dt.date, today: dt.date) -> str:
    """ "Tuesday the 15th of December", with the year when it is not this one."""
    spoken = f"{value:%A} the {_ordinal(value.day)} of {value:%B}"
    return spoken if value.year == today.year else f"{spoken} {value.year}"


def _ordinal(n: int) -> str:
    suffix = "th" if 11 <= n % 100 <= 13 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def spoken_quantity(n: int) -> str:
    """ "two" (up to twenty), so "2 Nova 14" is not heard as one number; else the figure."""
    return _SMALL_NUMBERS[n] if 0 <= n < len(_SMALL_NUMBERS) else str(n)


EN = Words(
    code="en",
    spoken_day=spoken_day,
    spoken_quantity=spoken_quantity,
    spoken_count=str,
    spoken_digits=" ".join,
    spoken_figure=str,
    singular=lambda figure: figure == "1",
    decimal=".",
    and_=" and ",
    more="{} more",
    more_one="{} more",
    plus="plus",
    email_signs=(("@", " at "), (".", " dot "), ("-", " dash "), ("_", " underscore ")),
    no_date_yet="a date we will confirm",
    asap=re.compile(
        r"\b(asap|as soon as possible|as early as possible|earliest|soonest|whenever|any ?time"
        r"|no (particular|specific|special|set|fixed) (date|day)"
        r"|no (rush|hurry|preference|deadline)"
        r"|(does ?n.?t|does not|don.?t|do not) (matter|mind|care)|any day|not urgent)\b",
        re.IGNORECASE,
    ),
    spec_forms={
        "cpu": "{}",
        "ram": "{} RAM",
        "storage": "{}",
        "screen": "{} screen",
        "weight": "{}",
        "battery_life": "battery {}",
        "os": "{}",
    },
    spec_other="{}: {}",
    spec_names={},
    catalog=(),
    units={
        "GB": "gigabytes",
        "TB": "terabytes",
        "GHz": "gigahertz",
        "Hz": "hertz",
        "kg": "kilos",
        "Wh": "watt-hours",
        "W": "watts",
    },
    inch=r"\1-inch",
    by=" by ",
    offer_spoken="the {name} at {price}",
    your_products=" Your products: {}.",
    order_line="{number} ({status}, due {when})",
    order_line_spoken="order {number}, {status}, due {when}",
    order_statuses={},
    order_states={
        "created": "registered",
        "confirmed": "confirmed and being prepared",
        "shipped": "on its way",
        "delivered": "delivered",
        "cancelled": "cancelled",
    },
    quote_states={},
    no_discount="none",
    lead_needs={},
    wait_long="an hour or more",
    wait_short="under a minute",
    wait_minutes=lambda minutes: f"about {minutes} minute{'s' if minutes != 1 else ''}",
    channel_words={"sms": "by SMS", "email": "by e-mail", "phone": "by phone"},
    not_channel="not {}",
    opted_out_words={"sms": "text messages", "email": "e-mails", "phone": "phone calls"},
    place_order_question="place an order",
)
