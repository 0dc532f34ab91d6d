"""A customer asking for a language, read from each language's switch_words."""

from __future__ import annotations

import pytest

from languages.switch import SwitchWords, load, requested_language


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("in English please", "en"),
        ("english", "en"),
        ("English!", "en"),
        ("can we speak french", "fr"),
        ("could we continue in French please", "fr"),
        ("en français", "fr"),
        ("en francais svp", "fr"),
        ("français svp", "fr"),
        ("FRANÇAIS", "fr"),
        ("en français s'il vous plaît", "fr"),
        ("parlez-vous anglais", "en"),
        ("Parlez vous anglais ?", "en"),
        ("est-ce que je peux parler en anglais", "en"),
    ],
)
def test_a_short_request_naming_a_language_asks_for_it(text, expected):
    assert requested_language(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "",
        "please",
        "my english keyboard is broken",
        "I do not speak french",
        "je ne parle pas anglais",
        "english or french",
        "anglais français",
        "I want the Eclipse 3000",
        "can we please please please please please speak in english now",
        "german please",
        "a" * 2000,
        "\u202e" * 50,
    ],
)
def test_anything_else_asks_for_no_language(text):
    assert requested_language(text) is None


def test_control_characters_are_no_words():
    assert requested_language("\x00english\u200b") == "en"


def test_every_language_names_every_language():
    words = load()
    assert set(words.names.values()) == {"en", "fr"}
    assert not words.requests & set(words.names)


def test_a_table_naming_an_unknown_language_is_refused(tmp_path):
    for lang in ("en", "fr"):
        (tmp_path / "data" / lang / "nlu").mkdir(parents=True)
    (tmp_path / "data" / "en" / "language.yml").write_text(
        "switch_words:\n  names:\n    de: [german]\n", encoding="utf-8"
    )
    (tmp_path / "data" / "fr" / "language.yml").write_text("name: x\n", encoding="utf-8")
    with pytest.raises(ValueError, match="'de'"):
        load(tmp_path)


def test_one_name_for_two_languages_is_refused(tmp_path):
    for lang in ("en", "fr"):
        (tmp_path / "data" / lang / "nlu").mkdir(parents=True)
        (tmp_path / "data" / lang / "language.yml").write_text(
            f"switch_words:\n  names:\n    {lang}: [anglais]\n", encoding="utf-8"
        )
    with pytest.raises(ValueError, match="anglais"):
        load(tmp_path)


def test_a_name_is_no_request_word():
    words = SwitchWords(names={"english": "en"}, requests=frozenset({"in"}))
    assert words.requested("in english") == "en"
    assert words.requested("in in") is None
