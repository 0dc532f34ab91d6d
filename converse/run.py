"""One simulation: the stack on a fresh database, every scenario in every phrasing, the results.

The stack starts as ``make bench`` starts it (``launcher.stack`` on free
ports, the demo seed of ``bench.customers``), with the desk open around the
clock so that a handoff never depends on the hour. Until the gateway routes
each conversation to its language's Rasa, it starts once per language, with
that language's model (``models/icbot-<lang>.tar.gz``); a French
conversation's first message carries the web page's ``{"language": "fr"}``. Runs go one after the
other: each one's changes are the difference between a snapshot taken before
its first message and one taken after each turn, so no other run's rows mix in.
"""

from __future__ import annotations

import secrets
import shutil
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from itertools import groupby
from pathlib import Path

import httpx
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from bench.customers import seed
from crm_backend.db import build_engine
from launcher.stack import REPO_ROOT, Ports, Stack

from . import chat
from .answers import Customer, Reply
from .crm import (
    Catalog,
    catalog,
    diff,
    forget_failed_checks,
    give_open_quote,
    leave_waiting_queue,
    persona_facts,
    snapshot,
)
from .goals import goals_of
from .outcomes import Context, Verdict, judge
from .questions import classify
from .scenario import Scenario, with_persona
from .speech import DEFAULT

# The stack's settings for a simulation: agents around the clock, no limit a run could reach.
STACK_ENV = {
    "ICBOT_DESK_HOURS": "mon-sun 00:00-24:00",
    "ICBOT_LIMIT_CONVERSATIONS": "100000/hour",
    "ICBOT_LIMIT_MESSAGES": "100000/hour",
    "ICBOT_LIMIT_CONVERSATION_MESSAGES": "1000/minute",
    "ICBOT_LIMIT_HANDOFFS": "100000/hour",
    "RASA_TELEMETRY_ENABLED": "false",
}


def model_for(language: str) -> Path:
    """The trained model of ``language`` (``make model`` trains one per language)."""
    return REPO_ROOT / "models" / f"icbot-{language}.tar.gz"


@dataclass(frozen=True)
class Turn:
    """One customer message and the bot's answer."""

    customer: str
    answered: str  # the kind of question the customer answered, or what it did
    bot: tuple[str, ...]
    buttons: tuple[str, ...] = ()
    handed_off: bool = False


@dataclass
class RunResult:
    """One phrasing of one scenario, played against the stack."""

    scenario: str
    process: str
    phrasing: int  # 1-based
    goal: str
    ended: str = "not started"
    turns: list[Turn] = field(default_factory=list)
    verdict: Verdict | None = None
    seconds: float = 0.0

    @property
    def success(self) -> bool:
        """The goal is met in the CRM and nothing else was written."""
        return self.verdict is not None and self.verdict.success

    @property
    def label(self) -> str:
        """``scenario #phrasing``."""
        return f"{self.scenario} #{self.phrasing}"


@dataclass(frozen=True)
class Live:
    """The running stack as the simulator uses it."""

    engine: Engine
    sessions: sessionmaker[Session]
    http: httpx.Client
    catalog: Catalog


def simulate(
    scenarios: Sequence[Scenario],
    *,
    phrasing: int | None = None,
    on_result: Callable[[RunResult], None] = lambda _: None,
    say: Callable[[str], None] = print,
) -> list[RunResult]:
    """Play every scenario (one phrasing, or all), each language on a stack with its model."""
    results: list[RunResult] = []
    ordered = sorted(scenarios, key=lambda s: (s.language != DEFAULT, s.language))
    for language, group in groupby(ordered, _language):
        say(f"{language}: {model_for(language).name}")
        results += _simulate(
            list(group), model_for(language), phrasing=phrasing, on_result=on_result, say=say
        )
    return results


def _language(scenario: Scenario) -> str:
    return scenario.language


def _simulate(
    scenarios: Sequence[Scenario],
    model: Path,
    *,
    phrasing: int | None,
    on_result: Callable[[RunResult], None],
    say: Callable[[str], None],
) -> list[RunResult]:
    """Start the stack with ``model``, play ``scenarios``, stop it; the results."""
    workdir = Path(tempfile.mkdtemp(prefix="icbot-converse-"))
    var_dir = workdir / "var"
    database_url = f"sqlite:///{var_dir / 'icbot.db'}"
    say(f"seeding {database_url}")
    seed(database_url, var_dir)
    env = {
        **STACK_ENV,
        "DATABASE_URL": database_url,
        "ICBOT_VAR_DIR": str(var_dir),
        "ICBOT_API_TOKEN": secrets.token_urlsafe(16),
    }
    stack = Stack(ports=Ports.free(), env=env, log_dir=var_dir / "log", model=model)
    engine = build_engine(database_url)
    results: list[RunResult] = []
    try:
        say("starting Rasa, the action server and the gateway")
        with stack, chat.client(stack.gateway_url) as http:
            sessions = sessionmaker(bind=engine, expire_on_commit=False)
            live = Live(engine=engine, sessions=sessions, http=http, catalog=catalog(sessions))
            say(f"stack up at {stack.gateway_url}; {len(scenarios)} scenarios")
            for scenario in scenarios:
                for index in range(len(scenario.phrasings)):
                    if phrasing is None or phrasing == index + 1:
                        result = play(live, scenario, index)
                        results.append(result)
                        on_result(result)
    except BaseException:
        say(f"stopped; the stack's logs are kept in {var_dir / 'log'}")
        raise
    finally:
        engine.dispose()
    shutil.rmtree(workdir, ignore_errors=True)
    return results


def play(live: Live, scenario: Scenario, index: int) -> RunResult:
    """One phrasing of ``scenario``: until the goal is met, a handoff, the limit, or it leaves."""
    result = RunResult(
        scenario=scenario.name, process=scenario.process, phrasing=index + 1, goal=scenario.goal
    )
    started = time.perf_counter()
    phrasing = scenario.phrasings[index]
    account = phrasing.persona.account
    if account is not None:
        if scenario.setup_quote is not None:
            give_open_quote(live.sessions, account, scenario.setup_quote)
        phrasing = with_persona(phrasing, persona_facts(live.sessions, account))
    customer = Customer(
        phrasing=phrasing,
        index=index,
        wants=wanted_lines(scenario),
        buying=any(e.kind == "order" for e in scenario.expect),
        names=live.catalog.name_by_sku,
        goals=goals_of(
            [(e.kind, e.fields) for e in (*scenario.expect, *scenario.may)], scenario.process
        ),
        language=scenario.language,
    )
    # What the web chat page tells the gateway of a conversation not in English.
    metadata = {"language": scenario.language} if scenario.language != DEFAULT else None
    forget_failed_checks(live.engine)
    before = snapshot(live.engine)
    said: list[str] = []
    conversation = None
    try:
        conversation = chat.Conversation.start(live.http)
        reply: Reply | None = customer.opening()
        result.ended = "turn limit"
        for _ in range(scenario.max_turns):
            assert reply is not None
            answer = conversation.say(reply.text, metadata if not result.turns else None)
            said.extend(answer.texts)
            result.turns.append(
                Turn(
                    customer=reply.said,
                    answered=reply.kind,
                    bot=answer.texts,
                    buttons=tuple(b.title for b in answer.buttons),
                    handed_off=answer.handed_off,
                )
            )
            context = Context(
                facts=customer.facts,
                conversation_id=conversation.conversation_id,
                catalog=live.catalog,
                said=said,
                new_person=phrasing.persona.is_new,
            )
            result.verdict = judge(scenario, diff(before, snapshot(live.engine)), context)
            if result.verdict.goal_met:
                result.ended = "goal met"
                break
            if result.verdict.looks_done:
                result.ended = "done as the customer sees it, not in the CRM"
                break
            if answer.handed_off:
                result.ended = "handed off"
                break
            reply = customer.reply(
                classify(answer.texts, answer.buttons, language=scenario.language)
            )
            if reply is None:
                result.ended = "customer left (nothing new to say)"
                break
    except (chat.ChatError, httpx.HTTPError) as exc:
        result.ended = f"error: {type(exc).__name__}: {exc}"
    finally:
        if conversation is not None:
            leave_waiting_queue(live.sessions, conversation.conversation_id)
    result.seconds = time.perf_counter() - started
    return result


def wanted_lines(scenario: Scenario) -> dict[str, int] | None:
    """The products and quantities the customer means to order (or be quoted), if any."""
    for kind in ("order", "quote"):
        for expectation in scenario.expect:
            if expectation.kind == kind:
                return {str(k): int(v) for k, v in expectation.fields["lines"].items()}
    return None
