"""A whitespace tokenizer that keeps a phone number in one token, and reads words unaccented.

Speech recognisers and people write phone numbers in groups: "+33 6 98 76 54
32", "06 98 76 54 32". Split on spaces, such a number becomes six short
numeric tokens that look like quantities to the intent classifier ("2 Nova 14"),
and "my new phone number is +33 6 98 76 54 32" lost its intent on the phone
while "... +33698765432" was certain. Joined into one token, written without
its separators, every grouping of a number reads the same to the featurizers,
in training and at run time alike (a tokenizer runs on both).

Customers type "délai" and "delai", "Éclipse" and "eclipse", "cœur" and
"coeur". Each token's lemma, which the count-vector featurizers read, is its
text folded: lower case, without accents, ligatures spelled out. The text
stays as typed, for the entity extractors and the tracker.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.nlu.tokenizers.tokenizer import Token
from rasa.nlu.tokenizers.whitespace_tokenizer import WhitespaceTokenizer
from rasa.shared.nlu.training_data.message import Message

# A number of 9 to 15 digits in groups: international (+33 / 0033) or French national.
PHONE = re.compile(r"(?<![\w+])(?:(?:\+|00)\d[\d .-]{7,17}\d|0\d(?:[ .-]?\d{2}){4})(?!\w)")


def join_phone_numbers(tokens: list[Token], text: str) -> list[Token]:
    """The tokens with each phone number's tokens merged into one, separators dropped."""
    spans = []
    for match in PHONE.finditer(text):
        digits = re.sub(r"[ .-]", "", match.group())
        if 9 <= len(digits.lstrip("+")) <= 15:
            spans.append((match.start(), match.end(), digits))
    if not spans:
        return tokens
    merged: list[Token] = []
    for token in tokens:
        span = next((s for s in spans if s[0] <= token.start and token.end <= s[1]), None)
        if span is None:
            merged.append(token)
        elif merged and merged[-1].start >= span[0] and merged[-1].end <= span[1]:
            continue  # already part of the number's token
        else:
            merged.append(Token(span[2], span[0], end=span[1]))
    return merged


_LIGATURES = str.maketrans({"œ": "oe", "æ": "ae", "ß": "ss"})


def folded(text: str) -> str:
    """``text`` in lower case, without accents: "Éclipse" is "eclipse", "cœur" "coeur"."""
    decomposed = unicodedata.normalize("NFKD", text.casefold().translate(_LIGATURES))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.MESSAGE_TOKENIZER, is_trainable=False)
class PhoneAwareTokenizer(WhitespaceTokenizer):
    """Rasa's whitespace tokenizer, with phone numbers kept whole."""

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        """The whitespace tokenizer's configuration."""
        return WhitespaceTokenizer.get_default_config()

    def tokenize(self, message: Message, attribute: str) -> list[Token]:
        """Whitespace tokens, then each phone number's groups joined; lemmas folded."""
        tokens = super().tokenize(message, attribute)
        text = message.get(attribute)
        if isinstance(text, str):
            tokens = join_phone_numbers(tokens, text)
        for token in tokens:
            token.lemma = folded(token.text)
        return tokens
