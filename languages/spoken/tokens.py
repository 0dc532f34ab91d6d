"""The tokens of a message (words, figures, signs), each with where it sits in the text.

Edits replace the text of whole tokens and nothing else, so whatever no rule
converts comes back as it was written: same spacing, case and punctuation.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property

# A word or figure, with inner hyphens, apostrophes, dots, commas, slashes or colons
# ("quatre-vingt-dix", "c'est", "marie.curie", "1,299.00", "12/12/2026", "3:30"),
# or one sign. Linear: a separator is never a word character, so nothing backtracks.
_TOKEN = re.compile(r"\w+(?:[-'\u2019.,/:]\w+)*|[^\w\s]")


@dataclass(frozen=True)
class Token:
    """A word, a figure or a sign, and where it is in the text (``start``, ``end``)."""

    text: str
    start: int
    end: int

    @cached_property
    def low(self) -> str:
        """The token lowercased, its apostrophes straight (a typographic one is "'")."""
        return self.text.lower().replace("\u2019", "'")


@dataclass(frozen=True, order=True)
class Edit:
    """Replace ``text[start:end]`` by ``written``."""

    start: int
    end: int
    written: str


def tokenise(text: str) -> list[Token]:
    """The tokens of ``text``, in order."""
    return [Token(m.group(), m.start(), m.end()) for m in _TOKEN.finditer(text)]


def apply(text: str, edits: Iterable[Edit]) -> str:
    """``text`` with its edits made; an edit overlapping an earlier one is dropped."""
    parts: list[str] = []
    done = 0
    for edit in sorted(edits):
        if edit.start < done:
            continue
        parts += [text[done : edit.start], edit.written]
        done = edit.end
    parts.append(text[done:])
    return "".join(parts)
