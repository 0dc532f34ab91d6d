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

Like a person, it reads what it agrees to before it says yes: asked to
confirm "1 x Éclipse 3000" when it wants an Éclipse 2000 and a Nova 14, it
says no (the ``wrong`` answers) instead of letting a wrong order be placed;
asked to say yes to a deed that is not its goal (:mod:`converse.goals`), an
order to someone declining a quote, it says no (``refuse``). It answers the
question asked (a budget menu gets the button of its budget), names the deed
it came for when asked what to do, says it has what it came for when the bot
says it is done, and, misunderstood, says its wish once in plain words.

It reads and speaks the scenario's language (:mod:`converse.speech`).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property

from .goals import GOAL_ORDER, goals_of, range_button
from .questions import (
    BUTTON_KINDS,
    Button,
    Question,
    deed,
    fold,
    named_products,
    proposed_deed,
    summary_lines,
)
from .scenario import Phrasing
from .speech import DEFAULT, Speech, speech

__all__ = ["Customer", "Reply", "goals_of", "range_button", "render"]

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
    # The deeds it came for ("order", "reject_quote"...); None: unknown, it judges no deed.
    goals: frozenset[str] | None = None
    allowed: frozenset[str] = frozenset()  # deeds its scenario allows beside (``may``)
    language: str = DEFAULT  # the language it reads the bot in and speaks
    asked: Counter[str] = field(default_factory=Counter)
    _moves: list[str] = field(default_factory=list)
    _restated: bool = False
    _plain: bool = False  # it said its wish in plain words once
    _finished: bool = False  # it said it has what it came for
    _clicked: set[str] = field(default_factory=set)
    _sent: list[str] = field(default_factory=list)
    _heard: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._moves = list(self.phrasing.then)

    @cached_property
    def words(self) -> Speech:
        """The words of its language."""
        return speech(self.language)

    @property
    def facts(self) -> Mapping[str, str]:
        """The persona's facts, ``name`` and ``phone_local`` ("06 12 34 56 78") included."""
        facts = dict(self.phrasing.persona.facts)
        facts.setdefault(
            "name", f"{facts.get('first_name', '')} {facts.get('last_name', '')}".strip()
        )
        local = local_phone(facts.get("phone", ""))
        if local is not None:
            facts.setdefault("phone_local", local)
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
        if self._finished or (
            question.kind == "none" and self.words.farewell.search(fold(question.text))
        ):
            return None  # it said it has what it came for, or the bot said goodbye
        kind = question.kind
        if kind == "confirm" and self._wrong_summary(question):
            kind = "wrong"
        elif kind == "confirm" and self._unwanted_deed(question):
            kind = "refuse"
        if kind == "offer" and "offer" not in self.phrasing.answers:
            offered = self._offered(question)
            if offered is not None:
                return self._send(offered)
        picked = self._pick_button(question.buttons)
        if picked is not None:
            return self._send(picked)
        if kind == "refuse" and "refuse" not in self.phrasing.answers and self._moves:
            move = render(self._moves.pop(0), self.facts)  # "no, I decline the quote Q-..."
            if move is not None:
                no = self.words.no_then.format(move=move)
                return self._send(Reply(text=no, kind="refuse: next line"))
        if kind == "action":
            text = self._deed_answer()
            if text is not None:
                return self._send(Reply(text=text, kind=kind))
        # A menu its ``choice`` answers name nothing of: those are clicks, never typed.
        if kind in SUGGESTIONS and (kind not in self.phrasing.answers or kind == "choice"):
            if kind == "did_you_mean" or (kind == "choice" and not self._moves):
                button = self._goal_button(question.buttons)
                if button is not None:
                    return self._send(button)
            if self._moves or kind == "did_you_mean":
                return self._next_move(kind, question)
            if kind == "choice" and question.buttons:
                return self._leave_or_click(question.buttons)
        if kind not in FLOOR and kind != "choice":
            text = self._answer(kind)
            if text is not None:
                return self._send(self._click_for(Reply(text=text, kind=kind), question.buttons))
        return self._next_move(kind, question)

    def _answer(self, kind: str) -> str | None:
        own = self.phrasing.answers.get(kind)
        if own is not None:
            choices, sequential = own, True
        else:
            ways = self.words
            default = ways.identify[self.phrasing.identify_with] if kind == "identify" else None
            if kind == "identify" and self.phrasing.persona.is_new:
                default = ways.no_account
            choices, sequential = default or ways.answers.get(kind, ()), False
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

    def _unwanted_deed(self, question: Question) -> bool:
        """Asked yes or no to a deed its goal is not ("Shall I place it?" to one declining)."""
        if self.goals is None:
            return False
        proposed = proposed_deed(question)
        return proposed is not None and proposed not in self.goals | self.allowed

    def _offered(self, question: Question) -> Reply | None:
        """An offer to order what the customer came to buy: its yes (None: not its wish).

        "Would you like to order the Nova 14?" is its own wish; so is "It goes well with:
        a case, buds. Would you like to order, with or without them?" said of its phone, or
        of the case it wants too ("yes, with the Astra Protective Case").
        """
        if not (self.buying and self.wants) or not self.words.buy.search(fold(question.text)):
            return None
        wants = set(self.wants)
        named = named_products(question.text, self.names)
        if named:
            return self._yes(question) if named <= wants else None
        if self._moves:
            return None  # it has something to ask or say first
        extras = named_products(question.message, self.names)
        focus = named_products(question.whole, self.names) - extras
        wanted = extras & wants
        if wanted:
            listed = self.words.and_the.join(sorted(self.names[sku] for sku in wanted))
            return Reply(text=self.words.with_the.format(listed=listed), kind="confirm")
        return self._yes(question) if focus & wants else None

    def _yes(self, question: Question) -> Reply:
        text = self._answer("confirm") or "yes"
        return self._click_for(Reply(text=text, kind="confirm"), question.buttons)

    def _deed_answer(self) -> str | None:
        """What it wants done with what it said: the deed of its goal ("place an order")."""
        if "action" in self.phrasing.answers:
            return self._answer("action")
        for goal in GOAL_ORDER:
            if self.goals and goal in self.goals and goal in self.words.deed_answers:
                ways = self.words.deed_answers[goal]
                turn = self.asked["action"]
                self.asked["action"] += 1
                return ways[(self.index + turn) % len(ways)]
        return None

    def _goal_button(self, buttons: Sequence[Button]) -> Reply | None:
        """The button of a menu that names its goal ("Make a complaint"), once each."""
        for goal in GOAL_ORDER:
            pattern = self.words.goal_buttons.get(goal)
            if not self.goals or goal not in self.goals or pattern is None:
                continue
            for button in buttons:
                title = fold(button.title)
                if title not in self._clicked and re.search(pattern, title):
                    self._clicked.add(title)
                    return Reply(text=button.payload, kind="goal", shown=f"[{button.title}]")
        return None

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

    def _click_for(self, reply: Reply, buttons: Sequence[Button]) -> Reply:
        """The button its answer picks from a menu of ranges ("around 1000": "1000 to 1500
        euros"), else, with ``clicks``, the button for what it would type ("yes": "Yes, ...")."""
        if reply.kind in BUTTON_KINDS:
            ranged = range_button(reply.text, buttons, language=self.language)
            if ranged is not None:
                return Reply(text=ranged.payload, kind=reply.kind, shown=f"[{ranged.title}]")
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

    def _next_move(self, kind: str, question: Question | None = None) -> Reply | None:
        while self._moves:
            move = render(self._moves.pop(0), self.facts)
            if move is not None:
                return self._send(Reply(text=move, kind=f"{kind}: next line"))
        own = kind in self.phrasing.answers and kind != "choice"
        fallback = self._answer(kind) if own else None
        if fallback is not None and self._sent.count(fallback) < 2:
            return self._send(Reply(text=fallback, kind=kind))
        if question is not None and self._looks_done(question):
            self._finished = True
            return self._send(Reply(text=self._default("done"), kind="done"))
        if self._restated:
            return None
        self._restated = True
        plain = self._plain_wish()
        if plain is not None:
            return self._send(Reply(text=plain, kind=f"{kind}: says it plainly"))
        wish = render(self.phrasing.then[-1], self.facts) if self.phrasing.then else None
        wish = wish or self._sent[0]
        if self.words.farewell.search(fold(wish)):
            return None  # it said goodbye already
        return self._send(Reply(text=wish, kind=f"{kind}: says it again"))

    def _looks_done(self, question: Question) -> bool:
        """The bot says it did what the customer came for ("I've recorded your feedback")."""
        if not self.goals:
            return False
        for message in question.whole.split("\n"):
            said = deed(message, language=self.language)
            if self.words.done.search(fold(message)) and said in self.goals:
                return True
        return False

    def _plain_wish(self) -> str | None:
        """Its wish in plain words, from its goal (the quote's number, "a person"), never the
        products by their catalog names (converse/goals.py)."""
        facts = dict(self.facts)
        for goal in GOAL_ORDER:
            if self.goals and goal in self.goals and goal in self.words.plain_wishes:
                ways = self.words.plain_wishes[goal]
                text = render(ways[self.index % len(ways)], facts)
                if text is not None and text not in self._sent:
                    return text
        return None

    def _default(self, kind: str) -> str:
        ways = self.words.answers[kind]
        return ways[self.index % len(ways)]

    def _send(self, reply: Reply) -> Reply:
        self._sent.append(reply.text)
        return reply


def local_phone(phone: str) -> str | None:
    """A French number as written at home: "+33612345678" is "06 12 34 56 78" (None: not one)."""
    digits = re.sub(r"\D", "", phone)
    if not (phone.startswith("+33") and len(digits) == 11):
        return None
    local = "0" + digits[2:]
    return " ".join(local[i : i + 2] for i in range(0, 10, 2))


def render(template: str, facts: Mapping[str, str]) -> str | None:
    """The template with the persona's facts; None when it needs a fact the persona lacks."""
    try:
        return template.format_map(dict(facts))
    except (KeyError, IndexError, ValueError):
        return None
