"""What one language's table holds: the fixed words and spoken forms of the values actions make.

The sentences are the domain's (one Rasa model per language, each with its
own responses); the actions fill slots with short values that those
sentences insert ("1 299,00 €", "Tuesday the 15th of December", "16 GB
RAM"). Everything in such a value that is a word of a language comes from a
:class:`Words`, so a language is one table, not ``if`` statements.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import cached_property


@dataclass(frozen=True)
class Words:
    """The words of one language for the values the actions make ready."""

    #: The language's code, as the gateway sends it ("en", "fr").
    code: str

    # --- numbers and dates heard on the phone (amounts: crm_backend.money) -----------------
    #: A date to hear: (date, today) -> "Tuesday the 15th of December".
    spoken_day: Callable[[dt.date, dt.date], str]
    #: A quantity before a product name: 2 -> "two".
    spoken_quantity: Callable[[int], str]
    #: The count of items left out of a list heard ("and 2 more").
    spoken_count: Callable[[int], str]
    #: Digits one by one: "123" -> "1 2 3".
    spoken_digits: Callable[[str], str]
    #: A figure of the catalog before its unit: "1.3" (kg) as heard.
    spoken_figure: Callable[[str], str]
    #: Whether a figure takes its unit in the singular ("1 kilo").
    singular: Callable[[str], bool]
    #: The decimal separator of figures, once in this language's words ("1.3 kg").
    decimal: str

    # --- lists, codes, contact details -------------------------------------------------------
    #: Joins the last item of a list: "a, b and c".
    and_: str
    #: The items left out of a list: "{} more"; when only one is: "{} more" too ("1 autre").
    more: str
    more_one: str
    #: Before an international number heard digit by digit.
    plus: str
    #: The signs of an e-mail address, as heard.
    email_signs: tuple[tuple[str, str], ...]

    # --- products ---------------------------------------------------------------------------
    #: A delivery date nobody can promise yet (no stock, no lead time).
    no_date_yet: str
    #: Words that ask for no particular date: "as soon as possible", "whenever".
    asap: re.Pattern[str]
    #: How the specs of the catalog read in a product's details.
    spec_forms: Mapping[str, str]
    #: Other specs: "{name}: {value}", with their names here (else the key, "_" as spaces).
    spec_other: str
    spec_names: Mapping[str, str]
    #: The catalog's words in this language, (pattern, replacement) applied in turn to a spec.
    catalog: tuple[tuple[str, str], ...]
    #: Units a voice may read as letters, spelled out (plural; singular: without the last "s").
    units: Mapping[str, str]
    #: '14"' heard: the replacement of its figure and inch sign.
    inch: str
    #: "2880 x 1800" heard: the word for "x".
    by: str
    #: One of several products proposed, heard: "the {name} at {price}".
    offer_spoken: str

    # --- the greeting, orders, quotes ------------------------------------------------------------
    #: The greeting's sentence on the customer's products (it follows another sentence).
    your_products: str
    #: An open order in the greeting: "{number} ({status}, due {when})", and heard.
    order_line: str
    order_line_spoken: str
    #: An order's status in the greeting ("shipped"); unknown ones read as stored.
    order_statuses: Mapping[str, str]
    #: Where an order stands, after "Your order ... is".
    order_states: Mapping[str, str]
    #: A quote's status after "Your quote ... is" ("open"); unknown ones read as stored.
    quote_states: Mapping[str, str]
    #: A quote without volume discount.
    no_discount: str

    #: What a business needs, as the lead confirmation says it ("10 laptops"); else as stored.
    lead_needs: Mapping[str, str]

    # --- hand-off, preferences, clarifying questions ------------------------------------------
    #: The wait for an adviser: at the estimate's cap, under a minute, and in minutes.
    wait_long: str
    wait_short: str
    wait_minutes: Callable[[int], str]
    #: How a preference names a channel ("by SMS"), and one not wanted ("not by SMS").
    channel_words: Mapping[str, str]
    not_channel: str
    #: How a confirmation names the channels opted out ("text messages").
    opted_out_words: Mapping[str, str]
    #: The question of ``place_order`` when the domain's ``write_questions`` (each
    #: language's own, data/<lang>/domain/) has none.
    place_order_question: str

    @cached_property
    def unit_pattern(self) -> re.Pattern[str]:
        """A figure and one of :attr:`units` after it, longest units first."""
        names = "|".join(re.escape(u) for u in sorted(self.units, key=len, reverse=True))
        figure = r"(\d+(?:" + re.escape(self.decimal) + r"\d+)?)"
        return re.compile(figure + r"\s*(" + names + r")\b")

    def unit(self, figure: str, unit: str) -> str:
        """The unit spelled out, singular or plural as the figure wants."""
        word = self.units[unit]
        return word.removesuffix("s") if self.singular(figure) else word

    def spec(self, key: str, value: str) -> str:
        """One spec in a product's details: "16 GB RAM"; "ports: ..."."""
        form = self.spec_forms.get(key)
        if form:
            return form.format(value)
        return self.spec_other.format(self.spec_names.get(key, key.replace("_", " ")), value)

    def catalog_value(self, value: str) -> str:
        """A spec of the catalog (written in English) in this language's words."""
        for pattern, replacement in self.catalog:
            value = re.sub(pattern, replacement, value)
        return value
