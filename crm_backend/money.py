"""Amounts as people read, text or hear them: the one money formatter of icbot.

The bot's responses (:mod:`actions.wording`) and the agents' desk
(:mod:`channels.desk`) both show money through :func:`money`, so an agent
reads "1 358,00 €" where the customer read it, never "1358.00 EUR".

- to read (the web, the desk): "1 299,00 €";
- by SMS, shorter: "1 299 €" (cents only when there are some);
- to hear, for a text-to-speech voice: "1,299 euros and 99 cents", in French
  "mille deux cent quatre-vingt-dix-neuf euros" (``language="fr"``).

Written amounts read the same in every language the bot speaks (they were
French already); only the spoken ones have a table per language.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import ROUND_HALF_UP, Decimal

from .numbers_fr import spell

VOICE = "voice"
SMS = "sms"
CURRENCY_SIGNS = {"EUR": "€"}
# Singular and plural of the currency, and of its hundredth.
CURRENCY_WORDS = {"EUR": ("euro", "euros", "cent", "cents")}
CURRENCY_WORDS_FR = {"EUR": ("euro", "euros", "centime", "centimes")}


def money(
    amount: Decimal, currency: str, *, channel: str | None = None, language: str = "en"
) -> str:
    """ "1 299,00 €" to read, "1 299 €" by SMS, "1,299 euros and 99 cents" to hear.

    ``language`` ("en", "fr"; any other: "en") is that of the words heard.
    """
    if channel == VOICE:
        return SPOKEN.get(language, _spoken_money)(amount, currency)
    whole = amount == amount.to_integral_value()
    figures = f"{amount:,.0f}" if channel == SMS and whole else f"{amount:,.2f}"
    figures = figures.replace(",", " ").replace(".", ",")
    return f"{figures} {CURRENCY_SIGNS.get(currency, currency)}"


def _units_and_cents(amount: Decimal) -> tuple[int, int]:
    return divmod(int((amount * 100).quantize(Decimal(1), rounding=ROUND_HALF_UP)), 100)


def _spoken_money(amount: Decimal, currency: str) -> str:
    words = CURRENCY_WORDS.get(currency)
    if words is None:
        figures = f"{amount:,.0f}" if amount == amount.to_integral_value() else f"{amount:,.2f}"
        return f"{figures} {currency}"
    one, many, one_cent, many_cents = words
    units, cents = _units_and_cents(amount)
    said = []
    if units or not cents:
        said.append(f"{units:,} {one if units == 1 else many}")
    if cents:
        said.append(f"{cents} {one_cent if cents == 1 else many_cents}")
    return " and ".join(said)


def _spoken_money_fr(amount: Decimal, currency: str) -> str:
    """ "mille deux cent quatre-vingt-dix-neuf euros et quatre-vingt-dix-neuf centimes".

    After a round million (or milliard) the currency takes "d'": "un million d'euros".
    """
    units, cents = _units_and_cents(amount)
    words = CURRENCY_WORDS_FR.get(currency)
    if words is None:
        figure = spell(units) if not cents else f"{spell(units)} virgule {spell(cents)}"
        return f"{figure} {currency}"
    one, many, one_cent, many_cents = words
    said = []
    if units or not cents:
        spelled = spell(units)
        of = "d'" if spelled.endswith(("million", "millions", "milliard", "milliards")) else ""
        # French takes the singular below two: "zéro euro", "un euro".
        said.append(f"{spelled} {of}{one if units < 2 else many}")
    if cents:
        said.append(f"{spell(cents)} {one_cent if cents == 1 else many_cents}")
    return " et ".join(said)


# The spoken forms, per language of the words heard.
SPOKEN: dict[str, Callable[[Decimal, str], str]] = {"en": _spoken_money, "fr": _spoken_money_fr}
