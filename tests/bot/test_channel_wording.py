"""The words per channel (docs/dialogue.md §1, "Channels"), checked on the domain (domain/).

Rasa picks a response variation with ``ResponseVariationFilter``: every
conditional variation whose conditions the slots meet is a candidate, and it
chooses among them at random. So these tests ask Rasa's own filter which
variation each slot state selects, on the web, by SMS and on the phone, and
check what the customer would read or hear:

- exactly one variation matches (no coin toss between two wordings);
- a question with buttons on the web has its own SMS and voice variations,
  with the same buttons in the same order (the doors map a digit N to the Nth
  payload), the voice saying "press 1" .. "press N" and the SMS "Reply 1 ..";
- no markdown, emoji, links or bullet lists by SMS or on the phone; no code
  such as "SO-000123" on the phone (the ``*_said`` slots spell them out);
- SMS texts fit a message, use only the GSM alphabet, and never invite a word
  that Twilio takes for an opt-out.

Run in the rasa env: ``.venv/rasa/bin/python -m pytest -c tests/bot/pytest.ini tests/bot``.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any, Optional

import pytest
from rasa.core.nlg.generator import ResponseVariationFilter
from rasa.shared.core.domain import Domain
from rasa.shared.core.slots import BooleanSlot, CategoricalSlot

from languages import DEFAULT, domain_paths

REPO_ROOT = Path(__file__).resolve().parents[2]
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
# Twilio's opt-out keywords: texted back, they unsubscribe the customer.
OPT_OUT_WORDS = re.compile(r"\b(stop|stopall|unsubscribe|cancel|end|quit)\b", re.IGNORECASE)
# The GSM 03.38 alphabet, basic set and extension table.
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


DOMAIN = Domain.load(domain_paths(DEFAULT))
RESPONSES = sorted(DOMAIN.responses)


def slot_values(name: str, named: list[Any]) -> list[Any]:
    """The values a slot can hold that may select differently: those the conditions name,
    unset (unless it has an initial value), and for a categorical slot any of its values."""
    slot = next((s for s in DOMAIN.slots if s.name == name), None)
    # A slot with an initial value is never unset.
    unset = [] if slot is not None and slot.initial_value is not None else [None]
    values: list[Any] = [*named, *unset]
    if isinstance(slot, CategoricalSlot):
        values += [v for v in slot.values if v != "__other__"]
    if isinstance(slot, BooleanSlot):
        values += [True]
    return list(dict.fromkeys(values))


def states(response: str) -> Iterator[tuple[str, State]]:
    """Every slot state that can select a different variation, on each channel."""
    named: dict[str, list[Any]] = {}
    for variation in DOMAIN.responses[response]:
        for condition in variation.get("condition") or []:
            if condition["name"] != "channel":
                named.setdefault(condition["name"], []).append(condition["value"])
    names = sorted(named)
    for values in itertools.product(*(slot_values(n, named[n]) for n in names)):
        for channel in CHANNELS:
            yield channel, {**dict(zip(names, values, strict=True)), "channel": channel}


def candidates(response: str, state: State) -> list[Variation]:
    """The variations Rasa chooses from in that state."""
    return ResponseVariationFilter(DOMAIN.responses).responses_for_utter_action(
        response, OUTPUT_CHANNEL, state
    )


def selected(response: str, state: State) -> Optional[Variation]:
    found = candidates(response, state)
    return found[0] if len(found) == 1 else None


def payloads(variation: Variation) -> list[str]:
    return [button["payload"] for button in variation.get("buttons") or []]


def conditioned_on_channel(variation: Variation, channel: str) -> bool:
    return {"type": "slot", "name": "channel", "value": channel} in (
        variation.get("condition") or []
    )


def said(response: str) -> Iterator[tuple[str, State, Variation]]:
    """Each (channel, state, variation) a customer can get for the response."""
    for channel, state in states(response):
        variation = selected(response, state)
        if variation is not None:
            yield channel, state, variation


# --- the tests -----------------------------------------------------------------------------


def test_every_variation_is_a_text():
    for response in RESPONSES:
        for variation in DOMAIN.responses[response]:
            assert variation.get("text"), response
            # An output-channel variation would win over every slot condition.
            assert "channel" not in variation, response


@pytest.mark.parametrize("response", RESPONSES)
def test_exactly_one_variation_matches(response):
    for _channel, state in states(response):
        found = candidates(response, state)
        assert len(found) <= 1, (response, state, [v["text"] for v in found])


@pytest.mark.parametrize("response", RESPONSES)
def test_choices_have_their_own_words_by_sms_and_on_the_phone(response):
    for channel, state in states(response):
        if channel == "web":
            continue
        on_the_web = selected(response, {**state, "channel": "web"})
        here = selected(response, state)
        if on_the_web is None or here is None or not on_the_web.get("buttons"):
            continue
        exempt = WITHOUT_MENU.get((response, channel))
        if exempt is not None and state.get(exempt[0]) == exempt[1]:
            assert not here.get("buttons"), (response, state)
            continue
        assert conditioned_on_channel(here, channel), (response, state, here["text"])
        assert payloads(here) == payloads(on_the_web), (response, state)


@pytest.mark.parametrize("response", RESPONSES)
def test_the_phone_says_which_key_to_press(response):
    for channel, state, variation in said(response):
        if channel != "voice":
            continue
        text = variation["text"]
        pressed = {int(d) for d in re.findall(r"\bpress (\d)\b", text, re.IGNORECASE)}
        count = len(variation.get("buttons") or [])
        assert pressed - {0} == set(range(1, count + 1)), (response, state, text)
        assert "reply" not in text.lower(), (response, state, text)
        if count:
            # Said in button order: "press 1" before "press 2" ...
            positions = [text.lower().index(f"press {k}") for k in range(1, count + 1)]
            assert positions == sorted(positions), (response, text)


@pytest.mark.parametrize("response", RESPONSES)
def test_sms_numbers_the_choices(response):
    for channel, state, variation in said(response):
        if channel != "sms":
            continue
        text = variation["text"]
        count = len(variation.get("buttons") or [])
        assert "press" not in text.lower(), (response, text)
        if not count:
            assert not re.search(r"\breply \d", text, re.IGNORECASE), (response, state, text)
            continue
        assert re.search(r"\breply 1\b", text, re.IGNORECASE), (response, text)
        numbers = [int(n) for n in re.findall(r"(?<![\w{])(\d)(?= for| to| if)\b", text)]
        assert numbers == list(range(1, count + 1)), (response, text)


@pytest.mark.parametrize("response", RESPONSES)
def test_no_markup_by_sms_or_on_the_phone(response):
    for channel, _state, variation in said(response):
        if channel == "web":
            continue
        text = PLACEHOLDER.sub("x", variation["text"])
        for what, pattern in MARKUP:
            assert not pattern.search(text), (response, channel, what, variation["text"])


@pytest.mark.parametrize("response", RESPONSES)
def test_the_phone_never_reads_a_code(response):
    for channel, _state, variation in said(response):
        if channel == "voice":
            assert not CODE.search(variation["text"]), (response, variation["text"])


@pytest.mark.parametrize("response", RESPONSES)
def test_sms_texts_are_short_plain_and_safe(response):
    for channel, _state, variation in said(response):
        if channel != "sms":
            continue
        text = variation["text"]
        template = PLACEHOLDER.sub("", text)
        assert len(template) <= SMS_TEMPLATE_MAX, (response, len(template), text)
        assert set(template) <= GSM_CHARACTERS, (response, set(template) - GSM_CHARACTERS)
        assert not OPT_OUT_WORDS.search(text), (response, text)


def test_button_titles_read_out_by_sms_are_safe():
    """The "did you mean" titles are read out in the SMS text ("Reply 1 for ...")."""
    [labels] = [s.initial_value for s in DOMAIN.slots if s.name == "intent_labels"]
    for title in labels.values():
        assert set(title) <= GSM_CHARACTERS, title
        assert not OPT_OUT_WORDS.search(title), title


def test_every_placeholder_is_a_slot():
    slots = {s.name for s in DOMAIN.slots}
    for response in RESPONSES:
        for variation in DOMAIN.responses[response]:
            texts = [variation["text"], *(b["title"] for b in variation.get("buttons") or [])]
            for name in PLACEHOLDER.findall(" ".join(texts)):
                assert name in slots, (response, name)


@pytest.mark.parametrize("channel", CHANNELS)
def test_a_failed_check_offers_a_new_account_without_saying_whether_the_details_exist(channel):
    """Issue 12: an e-mail that is nobody's looped on "I couldn't verify those details".
    The same words follow an unknown address and a wrong postcode, so nothing leaks."""
    variation = selected(
        "utter_ask_identity_key", {"form_notice": "verification_failed", "channel": channel}
    )
    assert variation is not None
    assert "open an account" in variation["text"]
    assert "couldn't verify" in variation["text"]


@pytest.mark.parametrize("channel", CHANNELS)
@pytest.mark.parametrize(
    "result", ["account_context", "account_context_alerts", "account_context_task"]
)
def test_no_open_order_is_said_as_a_person_would(channel, result):
    """Issue 14: "Your open orders: none." reads like a form; without a task, what next."""
    variation = selected(
        "utter_give_account_context_result",
        {"result": f"{result}_no_orders", "channel": channel},
    )
    assert variation is not None
    text = variation["text"]
    assert "no open orders" in text
    assert "{context_orders}" not in text
    assert ("what would you like to do?" in text) == (not result.endswith("_task"))


@pytest.mark.parametrize("channel", CHANNELS)
def test_leaving_the_queue_says_so_and_what_now(channel):
    """Issue 14: not "OK, I've stopped that.": no adviser will join, and what the bot can do."""
    variation = selected("utter_left_queue", {"channel": channel})
    assert variation is not None
    text = variation["text"]
    assert "left the queue" in text
    assert "no adviser will join" in text
    assert "ask for an adviser again" in text
