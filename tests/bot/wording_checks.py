"""What ``test_channel_wording.py`` asks of every language's domain: Rasa's own variation filter.

One Domain per language (``languages()``, loaded with ``domain_paths``); every
helper takes the language first. Rasa picks a response variation with
``ResponseVariationFilter``: every conditional variation whose conditions the
slots meet is a candidate, and it chooses among them at random. So the tests
ask that filter which variation each slot state selects, on the web, by SMS
and on the phone. The rules that hold in every language (the GSM alphabet,
markup, codes) are here; the words a language says are in the tests' table.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator
from typing import Any, Optional

import pytest
from rasa.core.nlg.generator import ResponseVariationFilter
from rasa.shared.core.domain import Domain
from rasa.shared.core.slots import BooleanSlot, CategoricalSlot

from languages import domain_paths, languages

CHANNELS = ("web", "sms", "voice")
# What the gateway's channel into Rasa is called; no response is written per output channel.
OUTPUT_CHANNEL = "gateway"

# A variation that leaves out the web's buttons on purpose, and why.
WITHOUT_MENU = {
    # A trusted caller is asked the postcode right after the greeting:
    # a menu before that question would give its digits two meanings.
    ("utter_greet", "voice"): ("caller_known", True),
    ("utter_greet", "sms"): ("caller_known", True),
}

# One SMS segment holds 160 GSM characters; a reply may take two. The template
# must leave room for the values it is filled with.
SMS_TEMPLATE_MAX = 250
# The GSM 03.38 alphabet, basic set and extension table. A character outside it
# (French ê, â, î, ô, û, ç, œ, typographic quotes) sends the text as UCS-2: 70 a segment.
GSM_CHARACTERS = set(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
    "^{}\\[~]|€"
)
MARKUP = [
    ("bold or italic", re.compile(r"\*\*|__|(?<![\w{])_\w[^_]*_(?![\w}])|\*\w[^*]*\*")),
    ("link", re.compile(r"https?://|www\.|\]\(")),
    ("bullet list", re.compile(r"(^|\n)\s*[-•*]\s")),
    ("line break", re.compile(r"\n")),
    ("emoji", re.compile("[\U0001f000-\U0001faff\u2600-\u27bf\u2b00-\u2bff\ufe0f]")),
]
CODE = re.compile(r"\b[A-Z]{1,3}-\d{3,}\b")
PLACEHOLDER = re.compile(r"{([a-zA-Z0-9_]+)}")

Variation = dict[str, Any]
State = dict[str, Any]

LANGUAGES = languages()
DOMAINS = {lang: Domain.load(domain_paths(lang)) for lang in LANGUAGES}


def responses(lang: str) -> list[str]:
    return sorted(DOMAINS[lang].responses)


def every_response() -> list[Any]:
    """``(lang, response)`` for every language's every response, for ``parametrize``."""
    return [
        pytest.param(lang, response, id=f"{lang}-{response}")
        for lang in LANGUAGES
        for response in responses(lang)
    ]


def slot_values(lang: str, name: str, named: list[Any]) -> list[Any]:
    """The values a slot can hold that may select differently: those the conditions name,
    unset (unless it has an initial value), and for a categorical slot any of its values."""
    slot = next((s for s in DOMAINS[lang].slots if s.name == name), None)
    # A slot with an initial value is never unset.
    unset = [] if slot is not None and slot.initial_value is not None else [None]
    values: list[Any] = [*named, *unset]
    if isinstance(slot, CategoricalSlot):
        values += [v for v in slot.values if v != "__other__"]
    if isinstance(slot, BooleanSlot):
        values += [True]
    return list(dict.fromkeys(values))


def states(lang: str, response: str) -> Iterator[tuple[str, State]]:
    """Every slot state that can select a different variation, on each channel."""
    named: dict[str, list[Any]] = {}
    for variation in DOMAINS[lang].responses[response]:
        for condition in variation.get("condition") or []:
            if condition["name"] != "channel":
                named.setdefault(condition["name"], []).append(condition["value"])
    names = sorted(named)
    for values in itertools.product(*(slot_values(lang, n, named[n]) for n in names)):
        for channel in CHANNELS:
            yield channel, {**dict(zip(names, values, strict=True)), "channel": channel}


def candidates(lang: str, response: str, state: State) -> list[Variation]:
    """The variations Rasa chooses from in that state."""
    return ResponseVariationFilter(DOMAINS[lang].responses).responses_for_utter_action(
        response, OUTPUT_CHANNEL, state
    )


def selected(lang: str, response: str, state: State) -> Optional[Variation]:
    found = candidates(lang, response, state)
    return found[0] if len(found) == 1 else None


def payloads(variation: Variation) -> list[str]:
    return [button["payload"] for button in variation.get("buttons") or []]


def conditioned_on_channel(variation: Variation, channel: str) -> bool:
    return {"type": "slot", "name": "channel", "value": channel} in (
        variation.get("condition") or []
    )


def said(lang: str, response: str) -> Iterator[tuple[str, State, Variation]]:
    """Each (channel, state, variation) a customer can get for the response."""
    for channel, state in states(lang, response):
        variation = selected(lang, response, state)
        if variation is not None:
            yield channel, state, variation
