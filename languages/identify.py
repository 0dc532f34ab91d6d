"""Which language a customer writes in: a naive Bayes over character n-grams, trained here.

The gateway asks it about a conversation's first message when nothing else
(the account, the number called, the page) names the language. It is trained
when first used, in each process, on the NLU examples of every language
(``data/<lang>/nlu/*.yml``): a few thousand short messages, read in well under a
second. No dependency: counts of the n-grams of 1 to 4 characters of each
word (padded with spaces, so "le " and " la" count as the words they are), a
uniform prior (one language having more examples says nothing of the next
customer), Laplace smoothing.

A short or mixed message ("eclipse 3000", "ok", "merci thanks") scores close
in both languages: :meth:`Identifier.identify` answers ``None`` when the best
language does not beat the next by :data:`MARGIN` (natural log, per message),
so the default or the conversation's language holds.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

from . import REPO_ROOT, languages

# How much likelier the best language must make a message than the next one (its log-ratio).
MARGIN = 6.0
SMOOTHING = 0.5
NGRAM_SIZES = (1, 2, 3, 4)
# Rasa's inline entity annotations: [text](entity), [text]{"entity": …}; the text is kept.
_ANNOTATION = re.compile(r"\[([^\]]*)\](?:\([^)]*\)|\{[^}]*\})")
_WORD = re.compile(r"[^\W\d_]+(?:['\u2019][^\W\d_]+)*")


def words(text: str) -> list[str]:
    """The message's words, lowercased; digits and punctuation say nothing of the language."""
    return _WORD.findall(text.lower())


def features(text: str) -> Counter[str]:
    """The character n-grams of each word, padded with a space on each side."""
    counts: Counter[str] = Counter()
    for word in words(text):
        padded = f" {word} "
        for size in NGRAM_SIZES:
            counts.update(padded[i : i + size] for i in range(len(padded) - size + 1))
    return counts


def examples(path: Path) -> list[str]:
    """The intent examples of one Rasa NLU file, annotations reduced to their text."""
    document = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    found = []
    for item in document.get("nlu") or []:
        if not isinstance(item, dict) or "intent" not in item:
            continue
        for line in str(item.get("examples") or "").splitlines():
            line = line.strip()
            if line.startswith("- "):
                found.append(_ANNOTATION.sub(r"\1", line[2:]).strip())
    return found


@dataclass(frozen=True)
class Guess:
    """The identifier's answer: the likeliest language, and by how much it beat the next."""

    language: str
    margin: float


class Identifier:
    """A multinomial naive Bayes over character n-grams, one class per language."""

    def __init__(self, corpus: Mapping[str, Iterable[str]]) -> None:
        """Train on ``corpus``: each language's example messages."""
        self.counts: dict[str, Counter[str]] = {}
        for language, texts in corpus.items():
            counts: Counter[str] = Counter()
            for text in texts:
                counts.update(features(text))
            self.counts[language] = counts
        if len(self.counts) < 1:
            raise ValueError("no language to identify")
        vocabulary = set().union(*self.counts.values())
        self._size = len(vocabulary) + 1  # one more for the n-grams never seen
        self._totals = {lang: sum(c.values()) for lang, c in self.counts.items()}

    def scores(self, text: str) -> dict[str, float]:
        """Each language's log-likelihood of the message."""
        grams = features(text)
        result = {}
        for language, counts in self.counts.items():
            denominator = math.log(self._totals[language] + SMOOTHING * self._size)
            result[language] = sum(
                n * (math.log(counts.get(gram, 0) + SMOOTHING) - denominator)
                for gram, n in grams.items()
            )
        return result

    def guess(self, text: str) -> Guess | None:
        """The likeliest language and its margin over the next; None for a message of no word."""
        if not words(text):
            return None
        ranked = sorted(self.scores(text).items(), key=lambda item: item[1], reverse=True)
        if len(ranked) == 1:
            return Guess(ranked[0][0], math.inf)
        (best, top), (_, second) = ranked[0], ranked[1]
        return Guess(best, top - second)

    def identify(self, text: str, *, margin: float = MARGIN) -> str | None:
        """The message's language; None when unsure (no word, or a margin under ``margin``)."""
        found = self.guess(text)
        if found is None or found.margin < margin:
            return None
        return found.language


def training_corpus(root: Path = REPO_ROOT) -> dict[str, list[str]]:
    """Each language's NLU examples, from ``data/<lang>/nlu/*.yml``."""
    return {
        language: [
            text
            for path in sorted((root / "data" / language / "nlu").glob("*.yml"))
            for text in examples(path)
        ]
        for language in languages(root)
    }


@cache
def identifier(root: Path = REPO_ROOT) -> Identifier:
    """The identifier trained on ``root``'s data, once per process."""
    return Identifier(training_corpus(root))


def identify(text: str) -> str | None:
    """The language ``text`` is written in, or None when unsure (:meth:`Identifier.identify`)."""
    return identifier().identify(text)
