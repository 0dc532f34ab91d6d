"""The bot's messages for the phone and for SMS: plain words, spoken or numbered choices, hints."""

from __future__ import annotations

import pytest

from channels.conversations.rasa_client import BotMessage, Button
from channels.twilio.phone_text import (
    numbered_choices,
    plain,
    plain_speech,
    sms_body,
    speech_hints,
    spoken_choices,
    voice_lines,
)

YES = Button(title="Yes", payload="/affirm")
NO = Button(title="No", payload="/deny")


@pytest.mark.parametrize(
    ("text", "spoken"),
    [
        ("**Éclipse 3000**: 1,299 euros", "Éclipse 3000: 1,299 euros."),
        ("See [our bags](https://shop.test/bags) 🎒✨", "See our bags."),
        ("# Your order\n- 1 laptop\n- 1 bag", "Your order. 1 laptop. 1 bag."),
        ("Thanks 👍🏽 Pierre!", "Thanks Pierre!"),
        ("snake_case_word and 2*3 or 4*5", "snake_case_word and 2*3 or 4*5."),
        ("_really_ *nice*", "really nice."),
        ("Price: 59,00 €", "Price: 59,00 €."),
        ("  \n ", ""),
    ],
)
def test_plain_speech_has_no_markdown_no_emoji_and_sentences(text: str, spoken: str) -> None:
    assert plain_speech(text) == spoken


def test_plain_text_for_sms_keeps_lines_and_emoji() -> None:
    assert plain("**Hi** 👋\n- [bag](https://x.test)") == "Hi 👋\nbag"


def test_choices_are_spoken_with_their_digit_and_numbered_for_sms() -> None:
    buttons = [YES, NO, Button(title="**Something** else", payload="/help")]

    assert spoken_choices(buttons) == (
        "Say Yes or press 1, say No or press 2, say Something else or press 3."
    )
    assert numbered_choices(buttons) == ["1. Yes", "2. No", "3. Something else"]
    assert spoken_choices([]) == ""


def test_only_nine_choices_get_a_digit() -> None:
    buttons = [Button(title=f"Option {n}", payload=f"/o{n}") for n in range(1, 12)]

    assert numbered_choices(buttons)[-1] == "9. Option 9"
    assert "press 10" not in spoken_choices(buttons)


def test_voice_lines_add_the_choices_after_the_last_message_unless_it_names_the_keys() -> None:
    question = BotMessage(text="Shall I place the order?", buttons=(YES, NO))

    assert voice_lines([BotMessage(text="Your order:"), question]) == [
        "Your order:",
        "Shall I place the order?",
        "Say Yes or press 1, say No or press 2.",
    ]
    said = BotMessage(text="Press 1 to confirm, 2 to cancel.", buttons=(YES, NO))
    assert voice_lines([said]) == ["Press 1 to confirm, 2 to cancel."]


def test_an_sms_is_one_body_with_numbered_choices_and_at_most_1600_characters() -> None:
    assert sms_body([BotMessage(text="Hello"), BotMessage(text="Order?", buttons=(YES, NO))]) == (
        "Hello\nOrder?\n1. Yes\n2. No\nReply with a number."
    )
    numbered = BotMessage(text="Order SO-000123? Reply 1 for yes, 2 for no", buttons=(YES, NO))
    assert sms_body([numbered]) == "Order SO-000123? Reply 1 for yes, 2 for no"
    unnumbered = BotMessage(text="Order SO-000123 for 2 laptops?", buttons=(YES, NO))
    assert sms_body([unnumbered]).endswith("1. Yes\n2. No\nReply with a number.")
    long = sms_body([BotMessage(text="x" * 2000)])
    assert (len(long), long[-1]) == (1600, "…")


def test_hints_are_unique_short_phrases_without_commas() -> None:
    hints = speech_hints(
        buttons=[YES, Button(title="Yes, call me back", payload="/request_human")],
        products=["Éclipse 3000", "Éclipse 3000", "y" * 101],
        question="identity_confirmed",
    )

    assert hints.split(", ") == [
        "Yes",
        "Yes call me back",
        "yes",
        "no",
        "that's me",
        "that's not me",
        "Éclipse 3000",
    ]
    assert speech_hints() == ""


def test_french_choices_say_which_key_to_press() -> None:
    buttons = [Button(title="**Oui**", payload="/affirm"), Button(title="Non", payload="/deny")]

    assert spoken_choices(buttons, language="fr") == (
        "Appuyez sur 1 pour Oui, appuyez sur 2 pour Non."
    )


def test_french_voice_lines_keep_an_answer_that_names_the_keys() -> None:
    said = BotMessage(text="Appuyez sur 1 pour confirmer, 2 pour annuler.", buttons=(YES, NO))

    assert voice_lines([said], language="fr") == ["Appuyez sur 1 pour confirmer, 2 pour annuler."]


def test_french_hints_hold_the_french_words_of_the_question() -> None:
    hints = speech_hints(question="identity_confirmed", language="fr")

    assert hints == "oui, non, c'est moi, ce n'est pas moi"
