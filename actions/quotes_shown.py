"""What the quote responses show of a quote: number, lines, total, discount, dates, status.

Apart from :mod:`actions.quotes` so that both stay short; the values are
made ready per channel and in the conversation's language (:mod:`actions.wording`).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from rasa_sdk.events import EventType, SlotSet

from crm_backend.models import Quote

from .languages import words
from .wording import ENGLISH, day, lines_summary, money, reference


def discount(quote: Quote, *, said_on: str, language: str = ENGLISH) -> str:
    """What the volume discounts take off the list prices, or "none"."""
    gross = sum((Decimal(line.unit_price) * line.quantity for line in quote.lines), Decimal(0))
    saved = gross - Decimal(quote.total)
    if saved <= 0:
        return words(language).no_discount
    return money(saved, quote.currency, channel=said_on, language=language)


def quote_state(status: str, language: str) -> str:
    """ "open", "expired": a quote's status, in the conversation's language."""
    return words(language).quote_states.get(str(status), str(status))


def quote_slots(
    quote: Quote, *, today: dt.date, said_on: str, language: str = ENGLISH
) -> list[EventType]:
    """The slots the quote responses show."""
    return [
        SlotSet("quote_number", quote.number),
        SlotSet("quote_number_said", reference(quote.number, channel=said_on, language=language)),
        SlotSet("quote_summary", lines_summary(quote.lines, channel=said_on, language=language)),
        SlotSet(
            "quote_total",
            money(Decimal(quote.total), quote.currency, channel=said_on, language=language),
        ),
        SlotSet("quote_discount", discount(quote, said_on=said_on, language=language)),
        SlotSet(
            "delivery_date",
            day(quote.delivery_date, today=today, channel=said_on, language=language),
        ),
        SlotSet(
            "quote_valid_until",
            day(quote.valid_until, today=today, channel=said_on, language=language),
        ),
    ]
