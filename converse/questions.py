"""What the bot is asking, read from its words the way a customer reads them.

The simulator has not read the bot's rules or responses: it recognises a
question by what any shop assistant's question of that kind says ("post
code", "how many", "am I speaking with"), in the last question of the bot's
answer. Order matters: the first kind whose pattern matches wins, the most
specific first ("e-mail address" is an e-mail, not an address). The words
are the conversation's language's (:mod:`converse.speech`: English by
default, French "code postal", "combien", "est-ce bien vous").
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from .speech import DEFAULT, LANGUAGES, Speech, speech
from .speech_en import DEEDS, GOAL_BUTTONS, WORDINGS

# English's tables, by their old names (the other languages' are in converse.speech).
__all__ = [
    "BUTTON_KINDS", "DEEDS", "GOAL_BUTTONS", "KINDS", "WORDINGS", "Button", "Question",
    "classify", "deed", "fold", "named_products", "proposed_deed", "summary_lines",
]  # fmt: skip

# Every kind any language reads, and the customer's own: what a scenario may give answers for.
KINDS = tuple(
    dict.fromkeys(
        (
            *(kind for language in LANGUAGES for kind, _ in speech(language).wordings),
            *("choice", "unknown", "none", "wrong", "refuse"),
        )
    )
)
# Kinds that ask nothing in particular: a question of another kind in the same answer wins.
# Kinds whose answer a button may give ("Under 1000 euros"): a menu of them is no other choice.
BUTTON_KINDS = ("budget", "timeframe", "quantity", "date", "contact_time", "channel")
_VAGUE = ("anything_else", "open", "offer", "did_you_mean", "unknown", "choice")
_SENTENCE_END = re.compile(r"(?<=[.?!])\s+|\n+")


@dataclass(frozen=True)
class Button:
    """A choice the bot offers: what it shows, what a click sends."""

    title: str
    payload: str


@dataclass(frozen=True)
class Question:
    """What the bot asks at the end of its answer (``none``: it asks nothing)."""

    kind: str
    text: str
    buttons: tuple[Button, ...] = ()
    whole: str = ""  # everything the bot said in that answer
    message: str = (
        ""  # the message the question is in ("Here is your order: ... Shall I place it?")
    )
    language: str = DEFAULT  # the words it was read with (and a yes is checked with)


def fold(text: str) -> str:
    """Lower case, no accents, plain spaces and apostrophes: what the patterns read."""
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    plain = plain.replace("\u2019", "'").replace("\u00a0", " ").replace("\u202f", " ")
    return re.sub(r"[ \t]+", " ", plain.lower())


def classify(
    texts: Sequence[str], buttons: Sequence[Button] = (), *, language: str = DEFAULT
) -> Question:
    """The question at the end of the bot's messages ``texts``, with the buttons it offers,
    read with the words of ``language``."""
    words = speech(language)
    whole = "\n".join(texts)
    # Each sentence, with the message it is in and the plain sentences that follow it there.
    read: list[tuple[str, str, str]] = []
    for message in texts:
        parts = [s.strip() for s in _SENTENCE_END.split(message) if s.strip()]
        for i, sentence in enumerate(parts):
            after = []
            for rest in parts[i + 1 :]:
                if _is_asked(rest, words):
                    break
                after.append(rest)
            read.append((sentence, message, " ".join(after)))
    asked = [(s, m, h) for s, m, h in read if _is_asked(s, words)]
    if not asked:
        last = read[-1][0] if read else ""
        kind = "choice" if buttons else "none"
        return Question(
            kind=kind, text=last, buttons=tuple(buttons), whole=whole, language=language
        )
    kinds = [_kind(sentence, buttons, hint, words) for sentence, _, hint in asked]
    chosen = len(asked) - 1
    # "How would you like us to contact you? ... Anything else?": the real question is the first.
    if kinds[-1] in ("anything_else", "open"):
        specific = [i for i, kind in enumerate(kinds) if kind not in _VAGUE]
        chosen = specific[-1] if specific else chosen
    return Question(
        kind=kinds[chosen],
        text=asked[chosen][0],
        buttons=tuple(buttons),
        whole=whole,
        message=asked[chosen][1],
        language=language,
    )


def _is_asked(sentence: str, words: Speech) -> bool:
    return sentence.endswith("?") or bool(words.request.search(fold(sentence)))


def _kind(sentence: str, buttons: Sequence[Button], hint: str, words: Speech) -> str:
    folded = fold(sentence)
    kind = next((kind for kind, pattern in words.wordings if pattern.search(folded)), None)
    # "Which detail would you like to update: phone, e-mail or address?" with a button each;
    # but "What budget do you have in mind?" with a button per range is still about the budget.
    menu = len(buttons) > 2 and words.menu.match(folded) and not words.not_menu.search(folded)
    if menu and kind not in BUTTON_KINDS:
        return "choice"
    if kind in (None, "channel", "open", "anything_else", "offer") and words.wants_address.search(
        fold(hint)
    ):
        return "email"
    return kind or ("choice" if buttons else "unknown")


def summary_lines(text: str, names: Mapping[str, str]) -> dict[str, int]:
    """The products and quantities a summary lists ("2 x Nova 14, 1 x Wireless Mouse"), by SKU.

    ``names`` maps each SKU to its product name; the longest names are read
    first, so "Éclipse 3000 Spare Battery" is never read as an "Éclipse 3000".
    """
    folded, lines = fold(text), dict[str, int]()
    for sku, name in sorted(names.items(), key=lambda item: -len(item[1])):
        pattern = re.compile(rf"(\d+)\s*[x\u00d7]\s*{re.escape(fold(name))}(?![\w-])")
        for match in pattern.finditer(folded):
            lines[sku] = lines.get(sku, 0) + int(match.group(1))
        folded = pattern.sub(" ", folded)
    return lines


def named_products(text: str, names: Mapping[str, str]) -> set[str]:
    """The SKUs whose product names ``text`` mentions, longest names first."""
    folded, found = fold(text), set()
    for sku, name in sorted(names.items(), key=lambda item: -len(item[1])):
        pattern = re.compile(rf"(?<![\w-]){re.escape(fold(name))}(?![\w-])")
        if pattern.search(folded):
            found.add(sku)
            folded = pattern.sub(" ", folded)
    return found


def deed(*texts: str, language: str = DEFAULT) -> str | None:
    """The deed the first of ``texts`` that names one names (None: none does), in the words
    of ``language``."""
    for text in texts:
        folded = fold(text)
        for name, pattern in speech(language).deeds:
            if pattern.search(folded):
                return name
    return None


def proposed_deed(question: Question) -> str | None:
    """What the bot offers to do if the customer says yes: from the question, else its message.

    "Shall I place it?" names no deed; "Here is your order: ... Shall I place it?" does.
    """
    return deed(question.text, question.message, language=question.language)
