"""Amounts as people read, text or hear them: the one money formatter of icbot.

The bot's responses (:mod:`actions.wording`) and the agents' desk
(:mod:`channels.desk`) both show money through :func:`money`, so an agent
reads "1 358,00 €" where the customer read it, never "1358.00 EUR".

- to read (the web, the desk): "1 299,00 €";
- by SMS, shorter: "1 299 €" (cents only when there are some);
- to hear, for a text-to-speech voice: "1,299 euros and 99 cents".
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

VOICE = "voice"
SMS = "sms"
CURRENCY_SIGNS = {"EUR": "€"}
# Singular and plural of the currency, and of its hundredth.
CURRENCY_WORDS = {"EUR": ("euro", "euros", "cent", "cents")}


def money(amount: Decimal, currency: str, *, channel: str | None = None) -> str:
    """ "1 299,00 €" to read, "1 299 €" by SMS, "1,299 euros and 99 cents" to hear."""
    if channel == VOICE:
        return _spoken_money(amount, currency)
    whole = amount == amount.to_integral_value()
    figures = f"{amount:,.0f}" if channel == SMS and whole else f"{amount:,.2f}"
    figures = figures.replace(",", " ").replace(".", ",")
    return f"{figures} {CURRENCY_SIGNS.get(currency, currency)}"


def _spoken_money(amount: Decimal, currency: str) -> str:
    words = CURRENCY_WORDS.get(currency)
    if words is None:
        figures = f"{amount:,.0f}" if amount == amount.to_integral_value() else f"{amount:,.2f}"
        return f"{figures} {currency}"
    one, many, one_cent, many_cents = words
    units, cents = divmod(int((amount * 100).quantize(Decimal(1), rounding=ROUND_HALF_UP)), 100)
    said = []
    if units or not cents:
        said.append(f"{units:,} {one if units == 1 else many}")
    if cents:
        said.append(f"{cents} {one_cent if cents == 1 else many_cents}")
    return " and ".join(said)
