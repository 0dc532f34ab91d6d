"""The customer's side of a conversation: what to say next, given what the bot asked.

A :class:`Customer` plays one phrasing of a scenario. It opens with the
phrasing's first message; then, turn by turn, it answers the question the bot
asked (:mod:`converse.questions`) from the phrasing's answers, else from the
defaults below, rotating through the ways of saying it; when the bot asks
nothing it can answer (or hands it the floor: "anything else?"), it says the
next line it came to say. A scenario's own answers are said in order (the
first time the bot asks, the second time...; the last one again after that);
the defaults rotate with the phrasing, so each phrasing words them its own
way. A customer who has nothing new left to say, or who is asked the same
question a third time running, leaves.

Like a person, it reads the summary before it says yes: asked to confirm
"1 x Éclipse 3000" when it wants an Éclipse 2000 and a Nova 14, it says no
(the ``wrong`` answers) instead of letting a wrong order be placed.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from .questions import Button, Question, fold, named_products, summary_lines
from .scenario import Phrasing

# Several ways of answering each kind of question; {fact} is the persona's.
DEFAULT_ANSWERS: dict[str, tuple[str, ...]] = {
    "email": ("{email}", "it's {email}", "sure: {email}"),
    "postcode": ("{postcode}", "my postcode is {postcode}", "it's {postcode}"),
    "confirm_identity": ("yes", "yes that's me", "yep, that's me"),
    "name": ("{first_name} {last_name}", "my name is {first_name} {last_name}", "I'm {name}"),
    "phone": ("{phone}", "my number is {phone}", "it's {phone}"),
    "company": ("{company}", "the company is {company}", "it's for {company}"),
    "address": ("{street}, {postcode} {city}", "{street} in {city}", "{street}, {city}"),
    "quantity": ("1", "just one", "one please"),
    "date": ("as soon as possible", "asap please", "whenever, no rush"),
    "timeframe": ("in the next couple of months", "not sure yet, maybe in spring", "soon-ish"),
    "budget": ("around 1000 euros", "not more than 1500", "about a thousand"),
    "confirm": ("yes", "yes please", "yes, go ahead"),
    "offer": ("no thanks", "no, just that", "not for now, thanks"),
    "wrong": ("no, that's not what I asked for", "no that's wrong", "no, not like that"),
    "did_you_mean": ("yes", "yes that's it", "yeah"),
    "channel": ("by e-mail", "e-mail is best", "email please"),
    "contact_time": ("in the mornings", "mornings are best", "before noon"),
}
# How each way of identifying oneself answers "which account are you?".
IDENTIFY: dict[str, tuple[str, ...]] = {
    "email": ("{email}", "my email is {email}", "it's {email}"),
    "customer_number": (
        "{customer_number}",
        "my customer number is {customer_number}",
        "customer no {customer_number}",
    ),
    "phone": ("{phone}", "my phone number is {phone}", "try my mobile, {phone}"),
    "name": ("{name}", "I'm {name}", "{name}, I live in {city}"),
}
# Kinds where the bot hands over the floor: the customer says what it came to say.
FLOOR = ("none", "open", "anything_else", "unknown", "details", "product")
# The bot's suggestions: a customer with more to say says that instead of yes or no.
SUGGESTIONS = ("offer", "did_you_mean", "choice")
PATIENCE = 3  # the same question this many times running, and the customer leaves


@dataclass(frozen=True)
class Reply:
    """What the customer sends: the text (a button's payload when it clicks), and why."""

    text: str
    kind: str
    shown: str = ""

    @property
    def said(self) -> str:
        """What the transcript shows the customer said."""
        return self.shown or self.text


@dataclass
class Customer:
    """One phrasing of a scenario, played turn by turn."""

    phrasing: Phrasing
    index: int = 0
    wants: Mapping[str, int] | None = None  # the lines it means to order or be quoted
    buying: bool = False  # it means to order them (not only to be quoted)
    names: Mapping[str, str] = field(default_factory=dict)  # product names by SKU
    asked: Counter[str] = field(default_factory=Counter)
    _moves: list[str] = field(default_factory=list)
    _restated: bool = False
    _sent: list[str] = field(default_factory=list)
    _heard: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._moves = list(self.phrasing.then)

    @property
    def facts(self) -> Mapping[str, str]:
        """The persona's facts, ``name`` included."""
        facts = dict(self.phrasing.persona.facts)
        facts.setdefault(
            "name", f"{facts.get('first_name', '')} {facts.get('last_name', '')}".strip()
        )
        return facts

    def opening(self) -> Reply:
        """The first message."""
        return self._send(
            Reply(text=render(self.phrasing.opening, self.facts) or "hello", kind="opening")
        )

    def reply(self, question: Question) -> Reply | None:
        """The answer to the bot's last answer; None when the customer leaves."""
        self._heard.append(fold(question.text))
        if len(self._heard) >= PATIENCE and len(set(self._heard[-PATIENCE:])) == 1:
            return None
        kind = question.kind
        if kind == "confirm" and self._wrong_summary(question):
            kind = "wrong"
        if kind == "offer" and "offer" not in self.phrasing.answers and self._offered(question):
            kind = "confirm"  # "Would you like to order the Nova 14?" is its own wish
        picked = self._pick_button(question.buttons)
        if picked is not None:
            return self._send(picked)
        if kind in SUGGESTIONS and kind not in self.phrasing.answers:
            if self._moves or kind == "did_you_mean":
                return self._next_move(kind)
            if kind == "choice" and question.buttons:
                return self._leave_or_click(question.buttons)
        if kind not in FLOOR:
            text = self._answer(kind)
            if text is not None:
                return self._send(self._maybe_click(Reply(text=text, kind=kind), question.buttons))
        return self._next_move(kind)

    def _answer(self, kind: str) -> str | None:
        own = self.phrasing.answers.get(kind)
        if own is not None:
            choices, sequential = own, True
        else:
            default = IDENTIFY[self.phrasing.identify_with] if kind == "identify" else None
            choices, sequential = default or DEFAULT_ANSWERS.get(kind, ()), False
        rendered = [text for text in (render(c, self.facts) for c in choices) if text is not None]
        if not rendered:
            return None
        turn = self.asked[kind]
        self.asked[kind] += 1
        if sequential:
            return rendered[min(turn, len(rendered) - 1)]
        return rendered[(self.index + turn) % len(rendered)]

    def _wrong_summary(self, question: Question) -> bool:
        if self.wants is None or not self.names:
            return False
        listed = summary_lines(question.whole or question.text, self.names)
        return bool(listed) and listed != dict(self.wants)

    def _offered(self, question: Question) -> bool:
        """The bot offers to order what the customer came to buy, and nothing else."""
        if not (self.buying and self.wants) or not re.search(r"\b(order|buy)", fold(question.text)):
            return False
        named = named_products(question.text, self.names)
        return bool(named) and named <= set(self.wants)

    def _pick_button(self, buttons: Sequence[Button]) -> Reply | None:
        """The button a ``choice`` answer names, whatever the question: the persona clicks it."""
        for want in self.phrasing.answers.get("choice", ()):
            for button in buttons:
                if fold(want) in fold(button.title):
                    return Reply(text=button.payload, kind="choice", shown=f"[{button.title}]")
        return None

    def _leave_or_click(self, buttons: Sequence[Button]) -> Reply:
        """A menu and nothing left to say: a button, in turn (a script's question wants one)."""
        button = buttons[(self.index + self.asked["choice"]) % len(buttons)]
        self.asked["choice"] += 1
        return self._send(Reply(text=button.payload, kind="choice", shown=f"[{button.title}]"))

    def _maybe_click(self, reply: Reply, buttons: Sequence[Button]) -> Reply:
        """With ``clicks``, the button for what the customer would type ("yes": "Yes, ...")."""
        if not self.phrasing.clicks:
            return reply
        said = fold(reply.text).strip(" .!")
        for button in buttons:
            if fold(button.title).strip(" .!") == said:
                return Reply(text=button.payload, kind=reply.kind, shown=f"[{button.title}]")
        first = said.split(" ")[0].strip(",.!")
        for button in buttons:
            if fold(button.title).split(" ")[0].strip(",.!") == first:
                return Reply(text=button.payload, kind=reply.kind, shown=f"[{button.title}]")
        return reply

    def _next_move(self, kind: str) -> Reply | None:
        while self._moves:
            move = render(self._moves.pop(0), self.facts)
            if move is not None:
                return self._send(Reply(text=move, kind=f"{kind}: next line"))
        fallback = self._answer(kind) if kind in self.phrasing.answers else None
        if fallback is not None and self._sent.count(fallback) < 2:
            return self._send(Reply(text=fallback, kind=kind))
        if not self._restated:
            self._restated = True
            wish = render(self.phrasing.then[-1], self.facts) if self.phrasing.then else None
            return self._send(Reply(text=wish or self._sent[0], kind=f"{kind}: says it again"))
        return None

    def _send(self, reply: Reply) -> Reply:
        self._sent.append(reply.text)
        return reply


def render(template: str, facts: Mapping[str, str]) -> str | None:
    """The template with the persona's facts; None when it needs a fact the persona lacks."""
    try:
        return template.format_map(dict(facts))
    except (KeyError, IndexError, ValueError):
        return None
