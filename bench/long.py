"""One long conversation: does a turn cost more CPU the longer the conversation is?

Rasa reloads, replays and sends the conversation's events on every turn, so
work that grows with its length shows late in a long conversation and never
in the 13-turn script. Here a customer asks about the same products over and
over, 40 turns: turn 1, turn 4, ... turn 40 are the same message ("Tell me
about the Éclipse 3000"), so they do the same work but for the history
behind them. Turn 1 also starts the session; turn 4 is the first repeat.

CPU is what every process of the stack (Rasa, the action server, the gateway,
with their children) used between the turn's request and its answer, read
from ``/proc/<pid>/task/*/schedstat`` (nanoseconds, where ``/proc/<pid>/stat``
counts 10 ms ticks), summed over ``conversations`` conversations and divided
by them.
"""

from __future__ import annotations

import asyncio
import uuid
from pathlib import Path
from typing import Any

import httpx

from .drivers import Door, client
from .script import Step, missing
from .system import members

TURNS = 40
# The three product questions, each in turn; turns 1, 4, ... 40 are the first.
_CYCLE = (
    Step("product_info", "Tell me about the Éclipse 3000", ("Éclipse 3000", "1 299,00 €")),
    Step("alternatives", "Is there something cheaper?", ("Nova 14",)),
    Step(
        "cross_sell", "What accessories go with the Éclipse 3000?", ("Éclipse 3000 Spare Battery",)
    ),
)


def steps(turns: int = TURNS) -> list[Step]:
    """The long conversation's messages: the product questions, round and round."""
    return [_CYCLE[i % len(_CYCLE)] for i in range(turns)]


def _task_ns(pid: int) -> int:
    total = 0
    for task in Path(f"/proc/{pid}/task").glob("*/schedstat"):
        try:
            total += int(task.read_text().split()[0])
        except (OSError, ValueError, IndexError):
            continue
    return total


def cpu_ns(groups: dict[str, list[int]]) -> dict[str, int]:
    """The CPU time each group's live threads have used so far, in nanoseconds."""
    return {name: sum(_task_ns(pid) for pid in pids) for name, pids in groups.items()}


async def _one(
    door: Door, http: httpx.AsyncClient, groups: dict[str, list[int]], turns: int
) -> list[dict[str, int]] | str:
    """Per turn, the CPU each process used; or what went wrong."""
    conversation_id = f"bench-long-{uuid.uuid4().hex[:12]}"
    used = []
    for number, step in enumerate(steps(turns), start=1):
        before = cpu_ns(groups)
        texts = await door.send(http, conversation_id, step.text)
        after = cpu_ns(groups)
        lacking = missing(step, texts)
        if lacking is not None:
            return f"turn {number} ({step.name}): no {lacking!r} in {texts!r}"
        used.append({name: after[name] - before[name] for name in after})
    return used


async def measure(door: Door, pids: dict[str, int], *, conversations: int) -> dict[str, Any]:
    """``conversations`` long conversations one after the other; CPU ms per turn of each turn.

    Anonymous: product questions need no account.
    """
    groups = members(pids)
    runs: list[list[dict[str, int]]] = []
    errors: list[str] = []
    async with client() as http:
        for _ in range(conversations):
            outcome = await _one(door, http, groups, TURNS)
            if isinstance(outcome, str):
                errors.append(outcome)
            else:
                runs.append(outcome)
    per_turn = [
        {name: round(sum(r[i][name] for r in runs) / len(runs) / 1e6, 1) for name in pids}
        for i in range(TURNS)
    ] if runs else []  # fmt: skip
    totals = [round(sum(t.values()), 1) for t in per_turn]
    return {
        "turns": TURNS,
        "conversations": len(runs),
        "errors": len(errors),
        "error_examples": errors[:3],
        "cpu_ms_by_turn": per_turn,
        "total_ms_by_turn": totals,
        "turn_1_ms": totals[0] if totals else None,
        "turn_4_ms": totals[3] if totals else None,
        "turn_40_ms": totals[-1] if totals else None,
        "ratio_40_to_1": round(totals[-1] / totals[0], 2) if totals and totals[0] else None,
        "ratio_40_to_4": round(totals[-1] / totals[3], 2) if totals and totals[3] else None,
    }


def run(door: Door, pids: dict[str, int], conversations: int) -> dict[str, Any]:
    """:func:`measure`, from synchronous code."""
    return asyncio.run(measure(door, pids, conversations=conversations))
