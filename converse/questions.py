"""What the bot is asking, read from its words the way a customer reads them.

The simulator has not read the bot's rules or responses: it recognises a
question by what any shop assistant's question of that kind says ("post
code", "how many", "am I speaking with"), in the last question of the bot's
answer. Order matters: the first kind whose pattern matches wins, the most
specific first ("e-mail address" is an e-mail, not an address).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

# Question kinds a scenario may give answers for (scenario.answers), most specific first;
# each with the ways a question of that kind is worded (any of them matches).
WORDINGS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("did_you_mean", (
        r"\bdid you mean\b", r"\bdo you mean\b", r"\bdid you want to\b",
        r"\bwere you (asking|looking)\b", r"\bis (that|this) what you meant\b",
        r"\bwhich of these\b",
    )),
    ("confirm_identity", (
        r"\bam i (speaking|talking|chatting) (with|to)\b", r"\bis (this|that) you\b",
        r"\bconfirm (that )?(you are|it'?s you|your identity)\b",
    )),
    ("address", (r"\b(postal|new|home|delivery|street) address\b",)),
    ("postcode", (r"\bpost ?code\b", r"\bzip ?code\b", r"\bpostal code\b")),
    ("identify", (
        r"\bcustomer number\b", r"\baccount number\b", r"\bfind your account\b",
        r"\bidentify you\b", r"\blook (you|your account) up\b", r"\bwhich account\b",
    )),
    ("email", (r"\be-?mail\b",)),
    ("phone", (
        r"\bphone\b", r"\bmobile\b", r"\bnumber (can|should|may) (we|i) (call|reach|text)\b",
    )),
    ("name", (
        r"\byour (full )?name\b", r"\bwho am i (speaking|talking|chatting) (with|to)\b",
        r"\bfirst name\b", r"\blast name\b", r"\bsurname\b", r"\bwhat should i call you\b",
    )),
    ("company", (r"\bcompany\b", r"\bbusiness name\b", r"\borgani[sz]ation\b", r"\bfirm\b")),
    ("address", (r"\baddress\b", r"\bstreet\b", r"\bwhere do you live\b")),
    ("product", (
        r"\bwhich (product|model|one|laptop|monitor|printer|phone|item)s?\b", r"\bwhat product\b",
        r"\bwhat are you (interested|looking)\b", r"\bwhich .* interest",
        r"\bwhat would you like to (order|buy|get a quote for)\b",
    )),
    ("quantity", (r"\bhow many\b", r"\bquantit(y|ies)\b", r"\bnumber of (units|items|pieces)\b")),
    ("timeframe", (
        r"\bwhen (are|do|would) you (plan|think|expect|hope|intend|want)\w* to (buy|order)",
        r"\btime ?frame\b", r"\bhow soon\b", r"\bwhen .* (buying|purchase)\b",
    )),
    ("date", (
        r"\bwhen\b.*\b(deliver\w*|need|receive|arrive)\b", r"\bdelivery date\b",
        r"\bwhat date\b", r"\bwhich date\b", r"\bby when\b", r"\bwhat day\b",
    )),
    ("budget", (r"\bbudget\b", r"\bhow much .* (spend|pay)\b", r"\bprice range\b")),
    ("channel", (
        r"\b(which|what|how) .*\b(channel|contact you|reach you|get in touch)\b",
        r"\bby (phone|sms|e-?mail|text)\b.*\bor\b",
    )),
    ("contact_time", (
        r"\bwhat time\b", r"\bwhich time\b", r"\bbest time\b", r"\btime of day\b",
        r"\bmornings?\b.*\bor\b", r"\bwhen (should|can|may) we (call|contact|reach)\b",
    )),
    ("details", (
        r"\bwhat happened\b", r"\btell me more\b", r"\bwhat went wrong\b", r"\bdescribe\b",
        r"\bwhat'?s (wrong|the (problem|issue|matter))\b", r"\bwhat is (it|this) about\b",
        r"\bmore details?\b", r"\byour (feedback|comment|opinion)\b",
        r"\bwhat would you like to (say|tell|share)\b",
    )),
    ("anything_else", (
        r"\banything else\b", r"\bsomething else\b", r"\belse (i|we) can\b", r"\belse can i\b",
        r"\bcan i help (you )?with anything\b",
    )),
    ("open", (
        r"\bhow can i help\b", r"\bwhat can i do for you\b", r"\bhow may i help\b",
        r"\bwhat (can|may) i help\b", r"\bwhat brings you\b", r"\bhow can i assist\b",
        r"\bwhat would you like me to do\b",
    )),
    ("confirm", (
        r"\b(shall|should|can|may) i (place|create|book|send|go|put|make|save|record|change)",
        r"\bgo ahead\b", r"\bis (that|this|everything) (right|correct|ok|okay)\b",
        r"\bare you sure\b", r"\bconfirm\b", r"\bplace (it|the order|this order)\b",
        r"\b(ok|okay|right|correct)\s*\?", r"\bwould you like me to\b",
    )),
    ("offer", (
        r"\bwould you like\b", r"\bdo you want\b", r"\b(shall|should|can|may) i\b",
        r"\binterested in\b", r"\b(add|also|as well|too|recommend|suggest|bundle)\b",
    )),
)  # fmt: skip
KINDS = (*(kind for kind, _ in WORDINGS), "choice", "unknown", "none", "wrong")
_COMPILED = tuple((kind, re.compile("|".join(ways))) for kind, ways in WORDINGS)
# Kinds that ask nothing in particular: a question of another kind in the same answer wins.
_VAGUE = ("anything_else", "open", "offer", "did_you_mean", "unknown", "choice")
_SENTENCE_END = re.compile(r"(?<=[.?!])\s+|\n+")
_REQUEST = re.compile(
    r"\b(please|kindly)\b.*\b(type|give|enter|tell|send|share|provide|say|write|choose|pick|confirm)\b"
    r"|^(type|give|enter|tell|send|share|provide|choose|pick|confirm)\b|\b(what|which)'?s? your\b"
)


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


def fold(text: str) -> str:
    """Lower case, no accents, plain spaces and apostrophes: what the patterns read."""
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    plain = plain.replace("\u2019", "'").replace("\u00a0", " ").replace("\u202f", " ")
    return re.sub(r"[ \t]+", " ", plain.lower())


def classify(texts: Sequence[str], buttons: Sequence[Button] = ()) -> Question:
    """The question at the end of the bot's messages ``texts``, with the buttons it offers."""
    whole = "\n".join(texts)
    sentences = [s.strip() for t in texts for s in _SENTENCE_END.split(t) if s.strip()]
    asked = [s for s in sentences if s.endswith("?") or _REQUEST.search(fold(s))]
    if not asked:
        if buttons:
            return Question(
                kind="choice", text=sentences[-1] if sentences else "", buttons=tuple(buttons)
            )
        return Question(kind="none", text=sentences[-1] if sentences else "")
    kinds = [_kind(sentence, buttons) for sentence in asked]
    chosen = len(asked) - 1
    # "How would you like us to contact you? ... Anything else?": the real question is the first.
    if kinds[-1] in ("anything_else", "open"):
        specific = [i for i, kind in enumerate(kinds) if kind not in _VAGUE]
        chosen = specific[-1] if specific else chosen
    return Question(kind=kinds[chosen], text=asked[chosen], buttons=tuple(buttons), whole=whole)


def _kind(sentence: str, buttons: Sequence[Button]) -> str:
    folded = fold(sentence)
    # "Which detail would you like to update: phone, e-mail or address?" with a button each.
    if len(buttons) > 2 and re.match(r"(which|what)\b", folded) and "mean" not in folded:
        return "choice"
    for kind, pattern in _COMPILED:
        if pattern.search(folded):
            return kind
    return "choice" if buttons else "unknown"


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
