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
    # "Just to be sure: do you want me to change how we contact you?" asks yes or no to a
    # deed, whatever its words name (a channel, an e-mail, a quote): the customer checks it.
    ("confirm", (
        r"^(just to be sure: )?(do you want|would you like) me to\b",
        r"^(just to be sure: )?(shall|should) i\b",
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
    # "Thanks. What would you like me to do with that?": the deed for what the customer said.
    ("action", (
        r"\bwhat (would you like|do you want) me to do\b", r"\bwhat (shall|should) i do with\b",
    )),
    ("anything_else", (
        r"\banything else\b", r"\bsomething else\b", r"\belse (i|we) can\b", r"\belse can i\b",
        r"\bcan i help (you )?with anything\b",
    )),
    ("open", (
        r"\bhow can i help\b", r"\bwhat can i do for you\b", r"\bhow may i help\b",
        r"\bwhat (can|may) i help\b", r"\bwhat brings you\b", r"\bhow can i assist\b",
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
KINDS = tuple(
    dict.fromkeys((*(kind for kind, _ in WORDINGS), "choice", "unknown", "none", "wrong", "refuse"))
)
_COMPILED = tuple((kind, re.compile("|".join(ways))) for kind, ways in WORDINGS)
# Kinds that ask nothing in particular: a question of another kind in the same answer wins.
# Kinds whose answer a button may give ("Under 1000 euros"): a menu of them is no other choice.
BUTTON_KINDS = ("budget", "timeframe", "quantity", "date", "contact_time", "channel")
_VAGUE = ("anything_else", "open", "offer", "did_you_mean", "unknown", "choice")
# "How can we reach you? An e-mail address or a phone number is fine.": the line after the
# question says what answer it wants, an address (not "by e-mail").
_WANTS_ADDRESS = re.compile(
    r"\be-?mail address\b.*\b(phone|mobile)\b|\b(phone|mobile) number\b.*\be-?mail\b"
)
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
    message: str = (
        ""  # the message the question is in ("Here is your order: ... Shall I place it?")
    )


def fold(text: str) -> str:
    """Lower case, no accents, plain spaces and apostrophes: what the patterns read."""
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    plain = plain.replace("\u2019", "'").replace("\u00a0", " ").replace("\u202f", " ")
    return re.sub(r"[ \t]+", " ", plain.lower())


def classify(texts: Sequence[str], buttons: Sequence[Button] = ()) -> Question:
    """The question at the end of the bot's messages ``texts``, with the buttons it offers."""
    whole = "\n".join(texts)
    # Each sentence, with the message it is in and the plain sentences that follow it there.
    read: list[tuple[str, str, str]] = []
    for message in texts:
        parts = [s.strip() for s in _SENTENCE_END.split(message) if s.strip()]
        for i, sentence in enumerate(parts):
            after = []
            for rest in parts[i + 1 :]:
                if _is_asked(rest):
                    break
                after.append(rest)
            read.append((sentence, message, " ".join(after)))
    asked = [(s, m, h) for s, m, h in read if _is_asked(s)]
    if not asked:
        last = read[-1][0] if read else ""
        kind = "choice" if buttons else "none"
        return Question(kind=kind, text=last, buttons=tuple(buttons), whole=whole)
    kinds = [_kind(sentence, buttons, hint) for sentence, _, hint in asked]
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
    )


def _is_asked(sentence: str) -> bool:
    return sentence.endswith("?") or bool(_REQUEST.search(fold(sentence)))


def _kind(sentence: str, buttons: Sequence[Button], hint: str = "") -> str:
    folded = fold(sentence)
    kind = next((kind for kind, pattern in _COMPILED if pattern.search(folded)), None)
    # "Which detail would you like to update: phone, e-mail or address?" with a button each;
    # but "What budget do you have in mind?" with a button per range is still about the budget.
    menu = len(buttons) > 2 and re.match(r"(which|what)\b", folded) and "mean" not in folded
    if menu and kind not in BUTTON_KINDS:
        return "choice"
    if kind in (None, "channel", "open", "anything_else", "offer") and _WANTS_ADDRESS.search(
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


# What a yes would have the bot do, from the words any assistant would use; the first that
# matches wins ("turn your quote into an order" is accepting a quote, not a new order).
DEEDS: tuple[tuple[str, str], ...] = (
    ("cancel", r"\bcancel"),
    ("accept_quote", r"\bturn\b.*\binto an order\b|\b(accept|confirm)\b.*\b(quote|offer)\b"),
    ("reject_quote", r"\b(reject|decline|turn down|refuse)\b.*\b(quote|offer)\b"),
    ("do_not_contact", r"\boff (our|the|your) (mailing )?lists?\b|\bstop contacting\b"
                       r"|\bnever contact\b|\bdo not contact\b|\bno longer contact\b"),
    ("preference", r"\bhow (and when )?(we|to) contact\b|\bwhen (we|to) (contact|call)\b"
                   r"|\bcontact preferences?\b|\bopt (you )?(out|in)\b|\bunsubscribe\b"),
    ("contact", r"\bcontact details\b|\b(change|update)\b.*\b(e-?mail|phone|address|details)\b"),
    ("account", r"\b(open|create)\b.*\baccount\b"),
    ("quote", r"\bquote\b"),
    ("order", r"\border\b|\bplace it\b|\bbuy\b"),
    ("complaint", r"\bcomplaint\b"),
    ("feedback", r"\bfeedback\b"),
    ("handoff", r"\b(adviser|advisor|agent|colleague|person|human)\b"),
    ("lead", r"\bkeep you (informed|posted)\b|\bget back to you\b|\bfollow (it )?up\b"),
)  # fmt: skip
_DEEDS = tuple((deed, re.compile(words)) for deed, words in DEEDS)


def deed(*texts: str) -> str | None:
    """The deed the first of ``texts`` that names one names (None: none does)."""
    for text in texts:
        folded = fold(text)
        for name, pattern in _DEEDS:
            if pattern.search(folded):
                return name
    return None


def proposed_deed(question: Question) -> str | None:
    """What the bot offers to do if the customer says yes: from the question, else its message.

    "Shall I place it?" names no deed; "Here is your order: ... Shall I place it?" does.
    """
    return deed(question.text, question.message)


# The buttons that say what a goal is (a "Did you mean one of these?" menu), by goal.
GOAL_BUTTONS: dict[str, str] = {
    "order": r"\b(place|make) an order\b|\blet'?s order\b|\border it\b|^buy\b",
    "quote": r"\b(get|request|ask for) a quote\b",
    "accept_quote": r"\border it\b|\baccept\b|\border from my quote\b",
    "reject_quote": r"\bdecline\b|\breject\b|^my quotes?$",
    "complaint": r"\bcomplain",
    "feedback": r"\bfeedback\b",
    "handoff": r"\b(talk|speak) to (a|an|someone)\b|\b(person|human|adviser|advisor|agent)\b",
    "account": r"\b(open|create) an account\b|\bnew customer\b",
    "contact": r"\b(update|change) my (contact )?details\b",
    "order_status": r"\bwhere is my order\b|\border status\b|\btrack\b",
    "quote_status": r"^my quotes?$|\bquote status\b|\bstatus of my quote\b",
    "product_info": r"\bproduct information\b|\bour products\b",
}
