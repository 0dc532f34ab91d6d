"""The words per channel (docs/dialogue.md §1, "Channels"), checked on every language's domain.

For each language of ``languages()`` (its responses in ``data/<lang>/domain/``),
Rasa's own variation filter picks the variation each slot state selects, on the
web, by SMS and on the phone (``wording_checks.py``), and the tests check what the
customer would read or hear:

- exactly one variation matches (no coin toss between two wordings);
- a question with buttons on the web has its own SMS and voice variations,
  with the same buttons in the same order (the doors map a digit N to the Nth
  payload), the voice saying "press 1" .. "press N" and the SMS "Reply 1 ..";
- no markdown, emoji, links or bullet lists by SMS or on the phone; no code
  such as "SO-000123" on the phone (the ``*_said`` slots spell them out);
- SMS texts fit a message, use only the GSM alphabet, and never invite a word
  that Twilio or the SMS door takes for an opt-out.

The words these checks look for are the language's own: one row of ``WORDS`` each
(a new language adds its row).

Run in the rasa env: ``.venv/rasa/bin/python -m pytest -c tests/bot/pytest.ini tests/bot``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import pytest
from wording_checks import (
    CHANNELS,
    CODE,
    DOMAINS,
    GSM_CHARACTERS,
    LANGUAGES,
    MARKUP,
    PLACEHOLDER,
    SMS_TEMPLATE_MAX,
    WITHOUT_MENU,
    candidates,
    conditioned_on_channel,
    every_response,
    payloads,
    responses,
    said,
    selected,
    states,
)

from languages import DEFAULT


@dataclass(frozen=True)
class Words:
    """What a language says where the checks look: the keys, the SMS answers, the opt-outs."""

    # The phone names a key: "press 1" (the digit follows).
    press: str
    # An SMS names an answer: "Reply 1 for yes, 2 for no" (the digit follows).
    reply: str
    # What follows each number of an SMS choice: "1 for ...", "3 if ...".
    choice: tuple[str, ...]
    # Texted back alone, Twilio or the SMS door (channels/twilio/sms.py) unsubscribes.
    opt_out: tuple[str, ...]
    # A failed check (issue 12): says it, and offers a new account.
    failed_check: tuple[str, ...]
    # No open order (issue 14), and the question what next.
    no_orders: str
    what_next: str
    # Leaving the agents' queue (issue 14): what happened, and what now.
    left_queue: tuple[str, ...]


TWILIO_OPT_OUT = ("stop", "stopall", "unsubscribe", "cancel", "end", "quit")
WORDS = {
    "en": Words(
        press="press",
        reply="reply",
        choice=("for", "to", "if"),
        opt_out=TWILIO_OPT_OUT,
        failed_check=("open an account", "couldn't verify"),
        no_orders="no open orders",
        what_next="what would you like to do?",
        left_queue=("left the queue", "no adviser will join", "ask for an adviser again"),
    ),
    "fr": Words(
        press="appuyez sur",
        reply="répondez",
        choice=("pour", "si"),
        # Twilio's French opt-outs beside the English ones (the door reads those).
        opt_out=(*TWILIO_OPT_OUT, "arret", "arrêt"),
        failed_check=("je vous en ouvrirai un", "n'ai pas pu vérifier"),
        no_orders="aucune commande en cours",
        what_next="que souhaitez-vous faire ?",
        left_queue=(
            "quitté la file d'attente",
            "aucun conseiller ne rejoindra",
            "redemander un conseiller",
        ),
    ),
}


def opt_out_words(lang: str) -> re.Pattern[str]:
    return re.compile(rf"\b({'|'.join(WORDS[lang].opt_out)})\b", re.IGNORECASE)


# --- the tests -----------------------------------------------------------------------------


def test_every_language_has_its_words():
    assert sorted(WORDS) == sorted(LANGUAGES)


def shape(lang: str) -> dict[str, list[tuple[Any, ...]]]:
    """Each response's variations without their words: conditions, payloads, placeholders."""
    return {
        response: [
            (
                variation.get("condition"),
                payloads(variation),
                set(PLACEHOLDER.findall(str(variation))),
            )
            for variation in variations
        ]
        for response, variations in DOMAINS[lang].responses.items()
    }


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_language_says_the_same_responses(lang):
    """Only the words change (languages/__init__.py). Rasa leaves a domain file it cannot read
    out of the domain with a mere warning: its responses would go unchecked here."""
    assert shape(lang) == shape(DEFAULT)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_variation_is_a_text(lang):
    for response in responses(lang):
        for variation in DOMAINS[lang].responses[response]:
            assert variation.get("text"), response
            # An output-channel variation would win over every slot condition.
            assert "channel" not in variation, response


@pytest.mark.parametrize(("lang", "response"), every_response())
def test_exactly_one_variation_matches(lang, response):
    for _channel, state in states(lang, response):
        found = candidates(lang, response, state)
        assert len(found) <= 1, (response, state, [v["text"] for v in found])


@pytest.mark.parametrize(("lang", "response"), every_response())
def test_choices_have_their_own_words_by_sms_and_on_the_phone(lang, response):
    for channel, state in states(lang, response):
        if channel == "web":
            continue
        on_the_web = selected(lang, response, {**state, "channel": "web"})
        here = selected(lang, response, state)
        if on_the_web is None or here is None or not on_the_web.get("buttons"):
            continue
        exempt = WITHOUT_MENU.get((response, channel))
        if exempt is not None and state.get(exempt[0]) == exempt[1]:
            assert not here.get("buttons"), (response, state)
            continue
        assert conditioned_on_channel(here, channel), (response, state, here["text"])
        assert payloads(here) == payloads(on_the_web), (response, state)


@pytest.mark.parametrize(("lang", "response"), every_response())
def test_the_phone_says_which_key_to_press(lang, response):
    words = WORDS[lang]
    press = re.compile(rf"\b{re.escape(words.press)} (\d)\b", re.IGNORECASE)
    for channel, state, variation in said(lang, response):
        if channel != "voice":
            continue
        text = variation["text"]
        pressed = {int(d) for d in press.findall(text)}
        count = len(variation.get("buttons") or [])
        assert pressed - {0} == set(range(1, count + 1)), (response, state, text)
        assert words.reply not in text.lower(), (response, state, text)
        if count:
            # Said in button order: "press 1" before "press 2" ...
            positions = [text.lower().index(f"{words.press} {k}") for k in range(1, count + 1)]
            assert positions == sorted(positions), (response, text)


@pytest.mark.parametrize(("lang", "response"), every_response())
def test_sms_numbers_the_choices(lang, response):
    words = WORDS[lang]
    reply = re.escape(words.reply)
    choice = "|".join(f" {word}" for word in words.choice)
    for channel, state, variation in said(lang, response):
        if channel != "sms":
            continue
        text = variation["text"]
        count = len(variation.get("buttons") or [])
        assert words.press not in text.lower(), (response, text)
        if not count:
            assert not re.search(rf"\b{reply} \d", text, re.IGNORECASE), (response, state, text)
            continue
        assert re.search(rf"\b{reply} 1\b", text, re.IGNORECASE), (response, text)
        numbers = [int(n) for n in re.findall(rf"(?<![\w{{])(\d)(?={choice})\b", text)]
        assert numbers == list(range(1, count + 1)), (response, text)


@pytest.mark.parametrize(("lang", "response"), every_response())
def test_no_markup_by_sms_or_on_the_phone(lang, response):
    for channel, _state, variation in said(lang, response):
        if channel == "web":
            continue
        text = PLACEHOLDER.sub("x", variation["text"])
        for what, pattern in MARKUP:
            assert not pattern.search(text), (response, channel, what, variation["text"])


@pytest.mark.parametrize(("lang", "response"), every_response())
def test_the_phone_never_reads_a_code(lang, response):
    for channel, _state, variation in said(lang, response):
        if channel == "voice":
            assert not CODE.search(variation["text"]), (response, variation["text"])


@pytest.mark.parametrize(("lang", "response"), every_response())
def test_sms_texts_are_short_plain_and_safe(lang, response):
    opt_out = opt_out_words(lang)
    for channel, _state, variation in said(lang, response):
        if channel != "sms":
            continue
        text = variation["text"]
        template = PLACEHOLDER.sub("", text)
        assert len(template) <= SMS_TEMPLATE_MAX, (response, len(template), text)
        assert set(template) <= GSM_CHARACTERS, (response, set(template) - GSM_CHARACTERS)
        assert not opt_out.search(text), (response, text)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_button_titles_read_out_by_sms_are_safe(lang):
    """The "did you mean" titles are read out in the SMS text ("Reply 1 for ...")."""
    [labels] = [s.initial_value for s in DOMAINS[lang].slots if s.name == "intent_labels"]
    opt_out = opt_out_words(lang)
    for title in labels.values():
        assert set(title) <= GSM_CHARACTERS, title
        assert not opt_out.search(title), title


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_placeholder_is_a_slot(lang):
    slots = {s.name for s in DOMAINS[lang].slots}
    for response in responses(lang):
        for variation in DOMAINS[lang].responses[response]:
            texts = [variation["text"], *(b["title"] for b in variation.get("buttons") or [])]
            for name in PLACEHOLDER.findall(" ".join(texts)):
                assert name in slots, (response, name)


@pytest.mark.parametrize("channel", CHANNELS)
@pytest.mark.parametrize("lang", LANGUAGES)
def test_a_failed_check_offers_a_new_account_without_saying_whether_the_details_exist(
    lang, channel
):
    """Issue 12: an e-mail that is nobody's looped on "I couldn't verify those details".
    The same words follow an unknown address and a wrong postcode, so nothing leaks."""
    variation = selected(
        lang,
        "utter_ask_identity_key",
        {"form_notice": "verification_failed", "channel": channel},
    )
    assert variation is not None
    for words in WORDS[lang].failed_check:
        assert words in variation["text"]


@pytest.mark.parametrize("channel", CHANNELS)
@pytest.mark.parametrize(
    "result", ["account_context", "account_context_alerts", "account_context_task"]
)
@pytest.mark.parametrize("lang", LANGUAGES)
def test_no_open_order_is_said_as_a_person_would(lang, channel, result):
    """Issue 14: "Your open orders: none." reads like a form; without a task, what next."""
    variation = selected(
        lang,
        "utter_give_account_context_result",
        {"result": f"{result}_no_orders", "channel": channel},
    )
    assert variation is not None
    text = variation["text"]
    assert WORDS[lang].no_orders in text
    assert "{context_orders}" not in text
    assert (WORDS[lang].what_next in text) == (not result.endswith("_task"))


@pytest.mark.parametrize("channel", CHANNELS)
@pytest.mark.parametrize("lang", LANGUAGES)
def test_leaving_the_queue_says_so_and_what_now(lang, channel):
    """Issue 14: not "OK, I've stopped that.": no adviser will join, and what the bot can do."""
    variation = selected(lang, "utter_left_queue", {"channel": channel})
    assert variation is not None
    for words in WORDS[lang].left_queue:
        assert words in variation["text"]
