"""Interactive scripts as marketing writes them: questions, answers, branches and scoring.

A script is a YAML file named after it (``laptop_upgrade.yml`` holds the
script ``laptop_upgrade``); docs/marketing.md is its manual. It says

- the **offer** the bot presents, and its answers to **objections**
  (price, timing, already owns one, ...), each picked by words the customer
  may use;
- the **questions**, in the order they are asked, each with its **answer
  options** (the words offered, other words that pick them, the points they
  score, the question that follows: a branch) and the lead **field** the
  answer fills;
- the **scoring**: from how many points a lead is warm, and hot.

Every text a customer hears or says (the offer, the objections' words and
answers, the questions, the answers and their words) is written once per
language of :data:`LANGUAGES`. A :class:`Script` holds one language's texts;
:meth:`Script.in_language` gives the same script in another. An answer is
kept on the lead and the customer's record in the first language's words
(:attr:`Option.recorded`), so answers and scores compare across languages.

This module holds the script once read: which answer some words pick, which
question follows, the points of each answer. It knows nothing of Rasa or the
database; :mod:`crm_backend.script_reader` reads a script from its YAML text
and names the line of every mistake.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from . import answer_words
from .text import normalize

END = "end"
# The languages a script is written in, the first one the reference (its answers are kept):
# those icbot speaks (languages.languages(), which the app's image does not ship; a test
# keeps the two the same). The names are for the problems a marketer reads.
LANGUAGE_NAMES = {"en": "English", "fr": "French"}
LANGUAGES = tuple(LANGUAGE_NAMES)
REFERENCE_LANGUAGE = LANGUAGES[0]
_WORDS = re.compile(r"[^\w]+")
DEFAULT_WARM_FROM, DEFAULT_HOT_FROM = 40, 70
# Words that name no answer on their own, even when an answer holds them.
_NOT_AN_ANSWER = frozenset(
    {"a", "an", "the", "to", "and", "or", "of", "in", "yes", "no", "ok", "okay", "sure", "go",
     "ahead", "than", "more", "less", "years", "year", "euros", "euro", "one", "it", "i",
     "le", "la", "les", "l", "un", "une", "de", "d", "des", "du", "et", "ou", "oui", "non",
     "vas", "allez", "y", "que", "plus", "moins", "ans", "je", "j", "c", "est"}
)  # fmt: skip


def words_of(text: str) -> str:
    """Text as answers are compared: lower case, no accents or punctuation, single spaces."""
    return " ".join(_WORDS.sub(" ", normalize(text)).split())


def _contains(text: str, phrase: str) -> bool:
    return bool(phrase) and f" {phrase} " in f" {text} "


@dataclass(frozen=True)
class Option:
    """One answer a question offers.

    Attributes:
        answer: the words offered (a button on the web, a choice said on the
            phone); it is also what the lead and the customer's record keep.
        words: other words or phrases that pick this answer.
        points: what the answer adds to the lead's score.
        next: the id of the question that follows this answer, ``end`` to
            stop; None: the question's own ``next``, else the next in order.
        disqualifies: the answer disqualifies the lead whatever its score.
        key: the answer in the script's reference language, which the lead
            and the record keep whatever language was spoken ("": ``answer``).
    """

    answer: str
    words: tuple[str, ...] = ()
    points: int = 0
    next: str | None = None
    disqualifies: bool = False
    key: str = ""

    @property
    def recorded(self) -> str:
        """The answer as the lead and the customer's record keep it."""
        return self.key or self.answer

    def phrases(self) -> list[str]:
        """Everything that picks this answer, as compared."""
        return [p for p in (words_of(self.answer), *map(words_of, self.words)) if p]


@dataclass(frozen=True)
class Question:
    """One question of a script; without options any answer is kept as said."""

    id: str
    ask: str
    field: str
    options: tuple[Option, ...] = ()
    next: str | None = None

    def match(self, said: str) -> Option | None:
        """The option the customer's words pick, or None when they pick none or several.

        An exact answer or phrase wins; else the option with the longest
        phrase inside the words; the digits ``N`` pick the N-th option. Then
        the words are read (:mod:`crm_backend.answer_words`): the one answer
        whose range holds the amount said ("about two grand" picks "Over
        1500 euros"), the answer named by its place ("the second one"), the
        one answer that holds all the words said ("more than four").
        """
        text = words_of(said)
        if not text:
            return None
        if text.isdigit() and 1 <= int(text) <= len(self.options):
            return self.options[int(text) - 1]
        exact = [o for o in self.options if text in o.phrases()]
        if exact:
            return exact[0]
        best: dict[int, list[Option]] = {}
        for option in self.options:
            found = [len(p) for p in option.phrases() if _contains(text, p)]
            if found:
                best.setdefault(max(found), []).append(option)
        if best:
            winners = best[max(best)]
            return winners[0] if len(winners) == 1 else None
        return self._by_place(text) or self._by_amount(normalize(said)) or self._by_part(text)

    def _by_amount(self, text: str) -> Option | None:
        """The one answer whose range holds the amount said ("about two grand": over 1500)."""
        said = answer_words.interval(text)
        ranges = [(o, answer_words.interval(words_of(o.answer))) for o in self.options]
        if said is None or sum(1 for _, r in ranges if r is not None) < 2:
            return None
        holding = [o for o, r in ranges if r is not None and answer_words.within(said, r)]
        return holding[0] if len(holding) == 1 else None

    def _by_place(self, text: str) -> Option | None:
        """The answer "the second one" or "the last one" names."""
        place = answer_words.ordinal(text, len(self.options))
        return self.options[place] if place is not None else None

    def _by_part(self, text: str) -> Option | None:
        """The one answer whose words hold all the words said ("more than four")."""
        if all(word in _NOT_AN_ANSWER for word in text.split()):
            return None
        holding = [o for o in self.options if _contains(words_of(o.answer), text)]
        return holding[0] if len(holding) == 1 else None


@dataclass(frozen=True)
class Objection:
    """What the bot answers to one objection, and the words that raise it."""

    kind: str
    answer: str
    words: tuple[str, ...] = ()


@dataclass(frozen=True)
class Script:
    """An interactive script in one language: the offer, objections, questions, scoring.

    ``versions`` holds the same script in every language it is written in
    (this one included); :meth:`in_language` picks one.
    """

    name: str
    title: str
    offer: str
    questions: tuple[Question, ...]
    objections: tuple[Objection, ...] = ()
    warm_from: int = DEFAULT_WARM_FROM
    hot_from: int = DEFAULT_HOT_FROM
    language: str = REFERENCE_LANGUAGE
    versions: Mapping[str, Script] = field(default_factory=dict, compare=False, repr=False)

    def in_language(self, language: str) -> Script:
        """The same script with its texts in that language; this one when it has no such version."""
        return self.versions.get(language, self)

    def question(self, question_id: str | None) -> Question | None:
        """The question with that id, or None."""
        if not question_id:
            return None
        return next((q for q in self.questions if q.id == question_id), None)

    def first(self) -> Question:
        """The first question asked."""
        return self.questions[0]

    def after(self, question: Question, option: Option | None) -> Question | None:
        """The question that follows this answer, or None when the script ends."""
        target = (option.next if option else None) or question.next
        if target == END:
            return None
        if target:
            return self.question(target)
        place = self.questions.index(question)
        return self.questions[place + 1] if place + 1 < len(self.questions) else None

    def points(self) -> dict[str, dict[str, int]]:
        """Lead field → answer key → points, as the leads service scores them."""
        table: dict[str, dict[str, int]] = {}
        for question in self.questions:
            for option in question.options:
                table.setdefault(question.field, {})[_answer_key(option.recorded)] = option.points
        return table

    def knockouts(self) -> dict[str, frozenset[str]]:
        """Lead field → answer keys that disqualify the lead."""
        table: dict[str, set[str]] = {}
        for question in self.questions:
            for option in question.options:
                if option.disqualifies:
                    table.setdefault(question.field, set()).add(_answer_key(option.recorded))
        return {name: frozenset(keys) for name, keys in table.items()}

    def objection(self, said: str) -> Objection | None:
        """The objection the words raise (the longest phrase found wins), else None."""
        text = words_of(said)
        found = [
            (len(words_of(w)), objection)
            for objection in self.objections
            for w in objection.words
            if _contains(text, words_of(w))
        ]
        return max(found, key=lambda pair: pair[0])[1] if found else None

    def objection_of_kind(self, kind: str) -> Objection | None:
        """The answer to one kind of objection, or None when the script has none."""
        return next((o for o in self.objections if o.kind == kind), None)


def _answer_key(answer: str) -> str:
    # The same key as crm_backend.services.leads.answer_key, without importing the services.
    return normalize(answer).replace(" ", "_")
