"""A customer asking for a language: "in English please", "en français svp", "parlez-vous anglais".

Each language's ``language.yml`` holds a small table, ``switch_words``: the names
of the languages in its words, and the words that may stand around a name in
such a request::

    switch_words:
      names: {en: [english], fr: [french, français]}
      requests: in please can we speak ...

A message asks for a language when it names exactly one, and each of its other
words is a request word of some language: "english" or "can we speak french"
do, "my english keyboard is broken" does not. Accents and case are ignored
("francais"), and so are punctuation and digits. Long messages never ask:
someone who switches says little else.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from . import REPO_ROOT, languages, settings

# Words a switch request holds at most ("could we please continue in french thank you").
MAX_WORDS = 8
_LETTERS = re.compile(r"[^\W\d_]+")


def tokens(text: str) -> list[str]:
    """The words of ``text``, lowercased and without accents ("S'il" -> "s", "il")."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return _LETTERS.findall(plain)


@dataclass(frozen=True)
class SwitchWords:
    """Every language's switch words together: each name's language, and the request words."""

    names: dict[str, str]
    requests: frozenset[str]

    def requested(self, text: str) -> str | None:
        """The language ``text`` asks for, or None when it asks for none (or several)."""
        words = tokens(text)
        if not words or len(words) > MAX_WORDS:
            return None
        named = {self.names[word] for word in words if word in self.names}
        if len(named) != 1:
            return None
        if any(word not in self.names and word not in self.requests for word in words):
            return None
        return named.pop()


def _words(value: object) -> list[str]:
    if isinstance(value, str):
        return tokens(value)
    if isinstance(value, list):
        return [token for item in value for token in tokens(str(item))]
    return []


def load(root: Path = REPO_ROOT) -> SwitchWords:
    """The switch words of every language of ``root``.

    Raises:
        ValueError: a name for a language icbot does not speak, or one name for two languages.
    """
    known = languages(root)
    names: dict[str, str] = {}
    requests: set[str] = set()
    for language in known:
        table = settings(language, root).get("switch_words") or {}
        for named, words in (table.get("names") or {}).items():
            if named not in known:
                raise ValueError(f"data/{language}/language.yml: switch_words names {named!r}")
            for word in _words(words):
                if names.setdefault(word, named) != named:
                    raise ValueError(f"switch word {word!r} names both {names[word]} and {named}")
        requests.update(_words(table.get("requests")))
    return SwitchWords(names=names, requests=frozenset(requests - set(names)))


@cache
def switch_words(root: Path = REPO_ROOT) -> SwitchWords:
    """:func:`load`, once per process."""
    return load(root)


def requested_language(text: str) -> str | None:
    """The language the customer's message asks for, if it is a switch request."""
    return switch_words().requested(text)
