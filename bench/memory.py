"""``python -m bench.memory`` (``make bench-memory``): Rasa's memory over many conversations.

Rasa keeps its conversations in the SQL tracker store (``endpoints.yml``), not
in memory, so its resident memory should stay flat however many conversation
ids it has seen. This starts the stack on free ports and a fresh database,
sends ``--conversations`` new conversations (each a few customer messages)
straight to Rasa's input channel, as the gateway does, and reads Rasa's
resident memory (every process of its group) at checkpoints. The figure is
the growth from the first checkpoint after the warm-up (caches filled, the
first conversations done) to the last: the target is within ±10 %.

About 15 minutes for 20,000 conversations of two messages on 2 cores.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import json
import secrets
import sys
import tempfile
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

import httpx

from launcher.stack import DEFAULT_MODEL, REPO_ROOT, Ports, Stack, StackError

from . import customers, drivers, system

RESULTS = REPO_ROOT / "bench" / "results"
MESSAGES = ("hello", "what laptops do you sell")
TARGET = 0.10  # growth allowed from the warm checkpoint to the last


@dataclass
class Sample:
    """Rasa's memory after so many conversations."""

    conversations: int
    seconds: float
    rasa_mib: float
    tracker_db_mib: float


@dataclass
class MemoryRun:
    """What a run measured."""

    conversations: int
    messages: tuple[str, ...]
    concurrency: int
    warm_up: int
    errors: int = 0
    samples: list[Sample] = field(default_factory=list)

    def growth(self) -> float:
        """Rasa's memory at the end over its memory after the warm-up, minus one."""
        warm = next(s for s in self.samples if s.conversations >= self.warm_up)
        return self.samples[-1].rasa_mib / warm.rasa_mib - 1


async def _drive(stack: Stack, run: MemoryRun, checkpoints: set[int], var_dir: Path) -> None:
    door = drivers.RasaRestDoor(stack.rasa_url, stack.channel_secret)
    rasa_pid = stack.pids()["rasa"]
    tracker_db = var_dir / "tracker.db"
    prefix = f"memory-{secrets.token_hex(4)}"
    numbers = itertools.count()
    started = time.perf_counter()
    done = 0

    def sample() -> None:
        size = tracker_db.stat().st_size / 2**20 if tracker_db.exists() else 0.0
        run.samples.append(
            Sample(done, round(time.perf_counter() - started, 1), system.group_rss_mib(rasa_pid),
                   round(size, 1))
        )  # fmt: skip
        last = run.samples[-1]
        print(f"bench.memory: {last.conversations} conversations, Rasa {last.rasa_mib} MiB",
              file=sys.stderr, flush=True)  # fmt: skip

    async def customer(http: httpx.AsyncClient) -> None:
        nonlocal done
        while (number := next(numbers)) < run.conversations:
            for text in run.messages:
                try:
                    await door.send(http, f"{prefix}-{number}", text)
                except (drivers.DoorError, httpx.HTTPError, ValueError) as exc:
                    run.errors += 1
                    print(f"bench.memory: {type(exc).__name__}", file=sys.stderr)
                    break
            done += 1
            if done in checkpoints:
                sample()

    sample()
    async with drivers.client(run.concurrency) as http:
        await asyncio.gather(*(customer(http) for _ in range(run.concurrency)))


def measure(run: MemoryRun, *, checkpoints: int = 20) -> MemoryRun:
    """Start a stack, drive ``run.conversations`` conversations, sample Rasa's memory."""
    step = max(1, run.conversations // checkpoints)
    marks = {*range(step, run.conversations + 1, step), run.warm_up, run.conversations}
    with tempfile.TemporaryDirectory(prefix="icbot-bench-memory-") as tmp:
        var_dir = Path(tmp) / "var"
        database_url = f"sqlite:///{var_dir / 'icbot.db'}"
        customers.seed(database_url, var_dir)
        env = {
            "DATABASE_URL": database_url,
            "ICBOT_VAR_DIR": str(var_dir),
            "ICBOT_API_TOKEN": secrets.token_urlsafe(16),
            "RASA_TELEMETRY_ENABLED": "false",
        }
        with Stack(ports=Ports.free(), env=env, log_dir=var_dir / "log") as stack:
            asyncio.run(_drive(stack, run, marks, var_dir))
    return run


def report(run: MemoryRun) -> str:
    """The run as a Markdown page."""
    growth = run.growth()
    verdict = "met" if abs(growth) <= TARGET else "missed"
    lines = [
        "# Rasa's memory over many conversations (`make bench-memory`)",
        "",
        f"{run.conversations} new conversations of {len(run.messages)} messages "
        f"({' / '.join(run.messages)}), {run.concurrency} at a time, straight to Rasa's "
        f"input channel; {run.errors} errors.",
        "",
        f"Growth from {run.warm_up} conversations (warm) to the last: **{growth:+.1%}** "
        f"(target ±{TARGET:.0%}: {verdict}).",
        "",
        "| conversations | seconds | Rasa RSS (MiB) | tracker.db (MiB) |",
        "| ---: | ---: | ---: | ---: |",
        *(
            f"| {s.conversations} | {s.seconds} | {s.rasa_mib} | {s.tracker_db_mib} |"
            for s in run.samples
        ),
        "",
        f"Machine: {system.machine()}",
    ]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    """Run it; write ``memory.md`` and ``memory.json``; 1 when the target is missed."""
    parser = argparse.ArgumentParser(
        prog="python -m bench.memory", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--conversations", type=int, default=20_000)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--warm-up", type=int, default=1_000, help="conversations before the base")
    parser.add_argument("--out", type=Path, default=RESULTS)
    args = parser.parse_args(argv)
    if not DEFAULT_MODEL.exists():
        print(f"no trained model at {DEFAULT_MODEL}: run `make model` first", file=sys.stderr)
        return 1
    warm_up = min(args.warm_up, args.conversations)
    run = MemoryRun(args.conversations, MESSAGES, args.concurrency, warm_up)
    try:
        measure(run)
    except StackError as exc:
        print(f"bench.memory: {exc}", file=sys.stderr)
        return 1
    args.out.mkdir(parents=True, exist_ok=True)
    page = report(run)
    (args.out / "memory.md").write_text(page)
    (args.out / "memory.json").write_text(json.dumps(asdict(run), indent=2) + "\n")
    print(page)
    return 0 if abs(run.growth()) <= TARGET and run.errors == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
