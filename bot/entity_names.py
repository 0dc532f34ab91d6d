"""Person names, found after the words that introduce one, or as a message of a name only.

Part of :class:`bot.entity_matcher.EntityMatcher`; the introducing words and
the words that are never names come from the language's
:class:`bot.entity_rules.Rules`.
"""

from __future__ import annotations

import re

from bot.entity_rules import Rules, fold

_NAME_WORD = re.compile(r"[^\W\d_][\w'\u2019-]*")
# A first clause that may be a name: the words before a comma, semicolon or dash.
_LEAD_CLAUSE = re.compile(r"\s*([^,;:()]+?)\s*(?:[,;:]|\s[-\u2013]\s)")
_PARTICLES = {"de", "du", "des", "la", "le", "van", "von", "der", "di", "da"}


def person_names(text: str, folded: str, rules: Rules) -> list[tuple[int, int, str]]:
    """(start, end, name) of names after "my name is", "I'm", … or of a message that is a name."""
    found = []
    for intro in rules.name_intro.finditer(folded):
        # After "I'm" or "this is" only capitalised words count: "I'm looking" is no name.
        words = _name_words(text, intro.end(), rules, capitalised=intro.group(2) is not None)
        if words:
            found.append((words[0][0], words[-1][1], _join(text, words)))
    # The whole message, or its first clause ("Alice Gérard, I live in Angers").
    lead = _LEAD_CLAUSE.match(text)
    for part in (text, lead.group(1) if lead else ""):
        bare = [(m.start(), m.end()) for m in _NAME_WORD.finditer(part)]
        only_words = not re.sub(r"[\w\s'\u2019.,!-]", "", part)
        if (
            only_words
            and 2 <= len(bare) <= 3
            and all(part[s].isupper() and fold(part[s:e]) not in rules.not_names for s, e in bare)
        ):
            found.append((bare[0][0], bare[-1][1], _join(text, bare)))
            break
    return found


def _name_words(text: str, start: int, rules: Rules, *, capitalised: bool) -> list[tuple[int, int]]:
    """Up to four name words from ``start``; "de la" counts only inside a name."""
    words: list[tuple[int, int]] = []
    last_end = start
    for m in _NAME_WORD.finditer(text, start):
        word = fold(m.group())
        if text[last_end : m.start()].strip() or len(words) == 4:
            break
        last_end = m.end()
        if word in _PARTICLES and words:
            continue
        if word in rules.not_names or (capitalised and not m.group()[0].isupper()):
            break
        words.append((m.start(), m.end()))
    return words


def _join(text: str, words: list[tuple[int, int]]) -> str:
    return " ".join(text[words[0][0] : words[-1][1]].split())
