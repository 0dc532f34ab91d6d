"""The tokenizer keeps a phone number in one token, however it is grouped."""

from __future__ import annotations

import pytest
from rasa.shared.nlu.training_data.message import Message

from bot.tokenizer import PhoneAwareTokenizer


@pytest.fixture(scope="module")
def tokenizer() -> PhoneAwareTokenizer:
    return PhoneAwareTokenizer(PhoneAwareTokenizer.get_default_config())


def _tokens(tokenizer: PhoneAwareTokenizer, text: str) -> list[tuple[str, int, int]]:
    message = Message(data={"text": text})
    return [(t.text, t.start, t.end) for t in tokenizer.tokenize(message, "text")]


@pytest.mark.parametrize(
    "text",
    [
        "my new phone number is +33 6 98 76 54 32",
        "my new phone number is +33698765432",
        "my new phone number is +33 698 765 432",
        "my new phone number is 0033 6 98 76 54 32",
    ],
)
def test_an_international_number_is_one_token_in_any_grouping(
    tokenizer: PhoneAwareTokenizer, text: str
) -> None:
    tokens = _tokens(tokenizer, text)

    assert [t[0] for t in tokens[:-1]] == ["my", "new", "phone", "number", "is"]
    number, start, end = tokens[-1]
    assert number == "".join(c for c in text[start:end] if c not in " .-")
    assert (start, end) == (23, len(text))


def test_a_national_number_with_dots_is_one_token(tokenizer: PhoneAwareTokenizer) -> None:
    assert _tokens(tokenizer, "call me on 06.98.76.54.32 please") == [
        ("call", 0, 4),
        ("me", 5, 7),
        ("on", 8, 10),
        ("0698765432", 11, 25),
        ("please", 26, 32),
    ]


def test_quantities_and_short_numbers_stay_as_they_are(tokenizer: PhoneAwareTokenizer) -> None:
    assert _tokens(tokenizer, "2 Nova 14 and 3 bags by 15 12") == [
        ("2", 0, 1),
        ("Nova", 2, 6),
        ("14", 7, 9),
        ("and", 10, 13),
        ("3", 14, 15),
        ("bags", 16, 20),
        ("by", 21, 23),
        ("15", 24, 26),
        ("12", 27, 29),
    ]


def test_two_numbers_in_one_message_are_two_tokens(tokenizer: PhoneAwareTokenizer) -> None:
    tokens = _tokens(tokenizer, "not 06 11 22 33 44 but 07 55 66 77 88")

    assert [t[0] for t in tokens] == ["not", "0611223344", "but", "0755667788"]


@pytest.mark.parametrize(
    ("typed", "bare"),
    [
        ("le délai de livraison de l'Éclipse", "le delai de livraison de l eclipse"),
        ("Ça coûte combien, le cœur du problème", "ca coute combien le coeur du probleme"),
    ],
)
def test_words_with_and_without_accents_read_the_same(
    tokenizer: PhoneAwareTokenizer, typed: str, bare: str
) -> None:
    # Customers type both: the featurizers read the lemma, folded; the text stays as typed.
    def lemmas(text: str) -> list[str]:
        return [t.lemma for t in tokenizer.tokenize(Message(data={"text": text}), "text")]

    assert lemmas(typed) == lemmas(bare)
    assert [t for t, _, _ in _tokens(tokenizer, typed)] != lemmas(typed)  # the text as typed
