"""The language identifier: measured on the unseen test sets, never trained on them."""

from __future__ import annotations

from pathlib import Path

import pytest

from languages.identify import Identifier, examples, identifier, identify, words

ROOT = Path(__file__).resolve().parents[2]
BAR = 0.98


def unseen(language: str) -> list[str]:
    """The unseen set's messages of 3 words or more (tests/nlu/unseen/<lang>/)."""
    return [
        text
        for path in sorted((ROOT / "tests" / "nlu" / "unseen" / language).glob("*.yml"))
        for text in examples(path)
        if len(words(text)) >= 3
    ]


@pytest.mark.parametrize("language", ["en", "fr"])
def test_it_names_the_language_of_98_percent_of_unseen_messages_of_3_words(language):
    messages = unseen(language)
    assert len(messages) > 500
    right = sum(identify(text) == language for text in messages)
    assert right / len(messages) >= BAR, f"{language}: {right}/{len(messages)}"


def test_it_never_reads_the_test_sets():
    trained = set().union(*identifier().counts.values())
    assert trained  # trained on data/<lang>/nlu only: tests/ is not a path it opens
    assert identifier() is identifier()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("I would like a quote for the Eclipse 3000", "en"),
        ("je voudrais un devis pour l'Éclipse 3000", "fr"),
        ("bonjour", "fr"),
        ("hello there", "en"),
    ],
)
def test_clear_messages_have_a_language(text, expected):
    assert identify(text) == expected


@pytest.mark.parametrize(
    "text", ["", "   ", "3000", "ECL-3000", "C-100001", "+33612345678", "?!", "eclipse 3000"]
)
def test_messages_without_words_of_a_language_are_unsure(text):
    assert identify(text) is None


def test_a_message_both_languages_explain_as_well_is_unsure():
    model = Identifier({"en": ["the cat"], "fr": ["le chat"]})
    assert model.identify("cat chat") is None
    assert model.identify("the cat") == "en"
    assert model.guess("") is None


@pytest.mark.parametrize(
    "text", ["a" * 2000, "é" * 2000, "\x00\u202e<script>", "🙂" * 100, "\uff45\uff4e\uff47"]
)
def test_what_a_client_sends_never_breaks_it(text):
    assert identify(text) in {None, "en", "fr"}


def test_it_reads_the_text_of_entity_annotations(tmp_path):
    path = tmp_path / "nlu.yml"
    path.write_text(
        "nlu:\n- intent: buy\n  examples: |\n    - I want the [Nova 14](product)\n"
        '    - [two]{"entity": "quantity"} bags\n- synonym: x\n  examples: |\n    - y\n',
        encoding="utf-8",
    )
    assert examples(path) == ["I want the Nova 14", "two bags"]
