"""The customer's side of a conversation: what to say next, given what the bot asked.

A :class:`Customer` plays one phrasing of a scenario. It opens with the
phrasing's first message; then, turn by turn, it answers the question the bot
asked (:mod:`converse.questions`) from the phrasing's answers, else from the
defaults below, rotating through the ways of saying it; when the bot asks
nothing it can answer (or hands it the floor: "anything else?"), it says the
next line it came to say. A customer who has nothing new left to say leaves.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from .questions import Button, Question, fold
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
LEAVE = "no, that's all. bye"


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
    asked: Counter[str] = field(default_factory=Counter)
    _moves: list[str] = field(default_factory=list)
    _restated: bool = False
    _sent: list[str] = field(default_factory=list)

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
        kind = question.kind
        if kind == "choice" and question.buttons:
            return self._send(self._choose(question.buttons))
        if kind not in FLOOR:
            text = self._answer(kind)
            if text is not None:
                return self._send(self._maybe_click(Reply(text=text, kind=kind), question.buttons))
        return self._next_move(kind)

    def _answer(self, kind: str) -> str | None:
        choices = self.phrasing.answers.get(kind)
        if choices is None:
            choices = (
                IDENTIFY[self.phrasing.identify_with]
                if kind == "identify"
                else DEFAULT_ANSWERS.get(kind)
            )
        if not choices:
            return None
        rendered = [text for text in (render(c, self.facts) for c in choices) if text is not None]
        if not rendered:
            return None
        turn = self.asked[kind]
        self.asked[kind] += 1
        return rendered[(self.index + turn) % len(rendered)]

    def _choose(self, buttons: Sequence[Button]) -> Reply:
        wanted = self.phrasing.answers.get("choice", ())
        for want in wanted:
            for button in buttons:
                if fold(want) in fold(button.title):
                    return self._maybe_click(
                        Reply(text=button.title, kind="choice"), buttons, force=True
                    )
        text = self._answer("choice")
        if text is not None:
            return Reply(text=text, kind="choice")
        button = buttons[(self.index + self.asked["choice"]) % len(buttons)]
        self.asked["choice"] += 1
        return self._maybe_click(Reply(text=button.title, kind="choice"), buttons, force=True)

    def _maybe_click(
        self, reply: Reply, buttons: Sequence[Button], *, force: bool = False
    ) -> Reply:
        if not (self.phrasing.clicks or force):
            return reply
        for button in buttons:
            if fold(button.title).strip(" .!") == fold(reply.text).strip(" .!"):
                return Reply(text=button.payload, kind=reply.kind, shown=f"[{button.title}]")
        if self.phrasing.clicks:
            first = fold(reply.text).split(" ")[0].strip(",.!")
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
            return self._send(Reply(text=self._sent[0], kind=f"{kind}: says it again"))
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
