"""One benchmark run: training, then the stack on a fresh database, every figure, the files.

The order keeps the figures apart: training runs before the stack starts
(both take every core), the NLU test after it stopped; within the stack,
each phase waits for the one before it.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import math
import secrets
import shutil
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

from launcher.stack import REPO_ROOT, Ports, Stack, other_language_models

from . import customers, drivers, long, profiling, relay, report, system, training, voice
from .customers import CustomerPool
from .script import conversation

PUBLIC_URL = "https://icbot.bench.example"  # what Twilio would call; the gateway is elsewhere
BENCH_TWILIO_TOKEN = "bench-" + "0" * 26


@dataclass(frozen=True)
class Options:
    """What to measure and how much."""

    mode: str
    turns: int
    concurrency: tuple[int, ...]
    phase_seconds: float
    voice_calls: int
    train: bool
    nlu_may_run: bool
    out: Path
    profile_seconds: float = 0.0
    chart: bool = True
    long_conversations: int = 3


@dataclass(frozen=True)
class Preset:
    """How much a kind of run measures."""

    name: str
    turns: int
    concurrency: tuple[int, ...]
    phase_seconds: float
    voice_calls: int
    long_conversations: int


FULL = Preset(
    name="full", turns=300, concurrency=(1, 10, 50), phase_seconds=30.0, voice_calls=50,
    long_conversations=8,
)  # fmt: skip
QUICK = Preset(
    name="quick", turns=40, concurrency=(1, 10, 50), phase_seconds=8.0, voice_calls=12,
    long_conversations=3,
)  # fmt: skip


def _say(text: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {text}", flush=True)


def _customers_needed(options: Options) -> int:
    per_conversation = len(conversation(customers.people(1)[0]))
    replay = 2 * (math.ceil(options.turns / per_conversation) + 2)
    # A conversation takes more than a second, so no customer starts more than one per second.
    loads = sum(c * max(1, math.ceil(options.phase_seconds)) for c in options.concurrency)
    return replay + loads + 100


def run(options: Options) -> dict[str, Any]:
    """Measure, write ``bench.json``/``bench.md``/the chart into ``options.out``; the results."""
    started_at = dt.datetime.now(dt.UTC).replace(microsecond=0)
    result: dict[str, Any] = {
        "schema": report.SCHEMA,
        "mode": options.mode,
        "started_at": started_at.isoformat(),
        "machine": system.machine(),
        "load_average": {"start": system.load_average()},
        "options": {
            "turns": options.turns,
            "concurrency": list(options.concurrency),
            "phase_seconds": options.phase_seconds,
            "voice_calls": options.voice_calls,
            "long_conversations": options.long_conversations,
        },
    }
    workdir = Path(tempfile.mkdtemp(prefix="icbot-bench-"))
    try:
        result["training"] = _training(options, workdir / "training")
        result.update(_on_the_stack(options, workdir))
        _say("NLU held-out report")
        result["nlu"] = system.nlu_intent_f1(
            may_run=options.nlu_may_run, out=REPO_ROOT / "results" / "nlu"
        )
    except BaseException:
        _say(f"failed; logs kept in {workdir}")
        raise
    result["load_average"]["end"] = system.load_average()
    _write(result, options)
    if _errors(result):
        _say(f"{_errors(result)} wrong or failed answers: the stack's logs are kept in {workdir}")
    else:
        shutil.rmtree(workdir, ignore_errors=True)
    return result


def _errors(result: dict[str, Any]) -> int:
    measured = [*result["chat"].values(), *result["voice"].values(), *result["load"]]
    measured += list(result.get("relay", {}).values())
    measured.append(result.get("long"))
    return sum(int(m["errors"]) for m in measured if isinstance(m, dict) and "errors" in m)


def _training(options: Options, workdir: Path) -> dict[str, Any]:
    if not options.train:
        return {"skipped": f"{options.mode} run: `make bench` measures training"}
    _say("training every language cold (no cache, a copy of the project), then after one change")
    before = system.load_average()
    runs = training.cold_and_changed(workdir)
    return {
        "cold_s": round(runs.cold_seconds, 1),
        "cold_by_language_s": {lang: round(run.seconds, 1) for lang, run in runs.cold.items()},
        "changed_s": round(runs.changed.seconds, 1),
        "model_mib": {lang: round(run.model_bytes / 1024**2, 1) for lang, run in runs.cold.items()},
        "changed_line": runs.changed_line,
        "load_average": [before, system.load_average()],
    }


def _on_the_stack(options: Options, workdir: Path) -> dict[str, Any]:
    var_dir = workdir / "var"
    database_url = f"sqlite:///{var_dir / 'icbot.db'}"
    _say(f"seeding {database_url} with the demo data and benchmark customers")
    customers.seed(database_url, var_dir)
    everyone = customers.people(_customers_needed(options) + options.voice_calls)
    customers.add_customers(database_url, everyone)
    callers = CustomerPool(everyone[: options.voice_calls] or everyone[:1])
    pool = CustomerPool(everyone[options.voice_calls :])
    env = {
        "DATABASE_URL": database_url,
        "ICBOT_VAR_DIR": str(var_dir),
        "ICBOT_API_TOKEN": secrets.token_urlsafe(16),
        "TWILIO_AUTH_TOKEN": BENCH_TWILIO_TOKEN,
        "ICBOT_PUBLIC_URL": PUBLIC_URL,
        "RASA_TELEMETRY_ENABLED": "false",
        # One line on the ConversationRelay door (bench/relay.py), its replies sent at once.
        "ICBOT_RELAY_NUMBERS": relay.RELAY_NUMBER,
        "ICBOT_RELAY_SPEECH_RATE": relay.NO_PACING,
    }
    stack = Stack(
        ports=Ports.free(),
        env=env,
        log_dir=var_dir / "log",
        language_models=other_language_models(),
    )
    _say("starting Rasa, the action server and the gateway")
    watch = _ReadyTimes(stack)
    watch.start()
    try:
        with stack:
            # The stack answers by now; the watch notices within one round of polls.
            watch.join(timeout=30)
            watch.ready.setdefault("gateway", time.perf_counter() - watch.started)
            startup = {
                "seconds": watch.ready["gateway"],
                "ready_after_s": {name: round(s, 1) for name, s in watch.ready.items()},
            }
            _say(f"healthy after {startup['seconds']:.1f} s")
            return _measure(options, stack, pool, callers, startup)
    finally:
        watch.stop.set()


class _ReadyTimes(threading.Thread):
    """While the stack starts: when each process first answers (the gateway: /healthz 200)."""

    def __init__(self, stack: Stack) -> None:
        super().__init__(daemon=True)
        self.started = time.perf_counter()
        self.stop = threading.Event()
        self.ready: dict[str, float] = {}
        self.urls = {
            "actions": f"http://{stack.host}:{stack.ports.actions}/health",
            "rasa": f"{stack.rasa_url}/status?token={stack.rasa_token}",
            "gateway": f"{stack.gateway_url}/healthz",
        }

    def run(self) -> None:
        with httpx.Client(timeout=2) as client:
            while len(self.ready) < len(self.urls) and not self.stop.is_set():
                for name, url in self.urls.items():
                    if name not in self.ready and _ok(client, url):
                        self.ready[name] = time.perf_counter() - self.started
                self.stop.wait(0.1)


def _ok(client: httpx.Client, url: str) -> bool:
    try:
        return client.get(url).status_code == 200
    except httpx.HTTPError:
        return False


def _measure(
    options: Options,
    stack: Stack,
    pool: CustomerPool,
    callers: CustomerPool,
    startup: dict[str, Any],
) -> dict[str, Any]:
    gateway = drivers.GatewayDoor(stack.gateway_url, stack.env["ICBOT_API_TOKEN"])
    rest = drivers.RasaRestDoor(stack.rasa_url, stack.channel_secret)
    # Each other language's model, through the gateway, beside English's.
    doors: list[drivers.Door] = [gateway, rest]
    doors += [
        drivers.GatewayDoor(
            stack.gateway_url, stack.env["ICBOT_API_TOKEN"], name=f"gateway_{lang}", language=lang
        )
        for lang in stack.language_models
    ]
    loads: dict[str, Any] = {}
    _say("warm-up: one conversation through each door, not measured")
    for door in doors:
        asyncio.run(drivers.warm_up(door, pool))
    _say(f"one customer at a time: {options.turns} turns through each door, alternating")
    replayed = asyncio.run(drivers.replay(doors, pool, options.turns))
    loads["chat"] = system.load_average()
    chat = {name: report.latency(records) for name, records in replayed.items()}
    ratio = chat["gateway"]["p50_ms"] / chat["rasa_rest"]["p50_ms"]
    chat["overhead_p50_percent"] = round(100 * (ratio - 1), 1)
    chat["load_average"] = loads["chat"]

    _say(f"voice: {options.voice_calls} signed calls")
    calls = voice.calls(
        gateway_url=stack.gateway_url,
        public_url=PUBLIC_URL,
        auth_token=BENCH_TWILIO_TOKEN,
        pool=callers,
        count=options.voice_calls,
    )
    voice_result = {
        "incoming": report.latency(calls.incoming),
        "gather": report.latency(calls.gather),
        "load_average": system.load_average(),
    }
    _say(f"voice on ConversationRelay: {options.voice_calls} calls over the WebSocket")
    relayed = relay.calls(
        gateway_url=stack.gateway_url,
        public_url=PUBLIC_URL,
        auth_token=BENCH_TWILIO_TOKEN,
        pool=callers,
        count=options.voice_calls,
    )
    relay_result = {
        "greeting_first_text": report.latency(relayed.greeting_first),
        "first_text": report.latency(relayed.first_text),
        "whole": report.latency(relayed.whole),
    }

    _say(f"one long conversation ({long.TURNS} turns), {options.long_conversations} times")
    long_result = long.run(gateway, stack.pids(), options.long_conversations)
    _say(
        f"  CPU per turn, all processes: turn 1 {long_result['turn_1_ms']} ms, "
        f"turn 40 {long_result['turn_40_ms']} ms"
    )

    phases = []
    for concurrency in options.concurrency:
        _say(f"load: {concurrency} concurrent customers for {options.phase_seconds:.0f} s")
        before = system.cpu_seconds(stack.pids())
        phase = asyncio.run(
            drivers.load(gateway, pool, concurrency=concurrency, duration=options.phase_seconds)
        )
        used = _used(before, system.cpu_seconds(stack.pids()))
        phases.append(report.phase(phase, system.load_average(), used))
        _say(
            f"  {phases[-1]['messages_per_s']} msg/s, p95 {phases[-1]['p95_ms']} ms, "
            f"{phases[-1]['errors']} errors"
        )
    memory = system.memory(stack.pids())
    if options.profile_seconds:
        _profile(options, stack, pool)
    return {
        "startup": startup,
        "chat": chat,
        "voice": voice_result,
        "relay": relay_result,
        "load": phases,
        "long": long_result,
        "memory_mib": memory,
        "customers": {"accounts": pool.size + callers.size, "conversations": pool.handed_out},
    }


def _used(before: dict[str, float], after: dict[str, float]) -> dict[str, float]:
    return {name: after[name] - before.get(name, 0.0) for name in after}


def _profile(options: Options, stack: Stack, pool: CustomerPool) -> None:
    seconds = options.profile_seconds
    out = options.out / "profile"
    _say(f"profile: py-spy on every process, 10 concurrent customers for {seconds:.0f} s")
    gateway = drivers.GatewayDoor(stack.gateway_url, stack.env["ICBOT_API_TOKEN"])
    before = system.cpu_seconds(stack.pids())
    recordings = profiling.record(stack.pids(), seconds=seconds, out=out)
    phase = asyncio.run(drivers.load(gateway, pool, concurrency=10, duration=seconds))
    used = _used(before, system.cpu_seconds(stack.pids()))
    profiling.finish(recordings, timeout=seconds + 60)
    figures = report.phase(phase, system.load_average(), used)
    parts = [
        f"# py-spy under load: 10 concurrent customers, {figures['seconds']:.0f} s",
        "",
        f"{figures['turns']} turns, {figures['messages_per_s']} msg/s, p50 {figures['p50_ms']} ms, "
        f"p95 {figures['p95_ms']} ms, {figures['errors']} errors "
        f"{figures['error_examples'] or ''}, CPU ms per turn {figures['cpu_ms_per_turn']}, "
        f"load average {figures['load_average']}; "
        f"py-spy samples each process {profiling.RATE} times a second.",
        "",
    ]
    for recording in recordings:
        parts += [f"## {recording.name}", "", profiling.summary(recording.output)]
    summary = options.out / "profile-summary.md"
    summary.write_text("\n".join(parts), encoding="utf-8")
    _say(f"  profile: raw stacks in {out}/, the top functions in {summary}")


def _write(result: dict[str, Any], options: Options) -> None:
    out = options.out
    out.mkdir(parents=True, exist_ok=True)
    name = "bench" if options.mode == "full" else f"bench-{options.mode}"
    (out / f"{name}.json").write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n")
    table = report.markdown(result)
    (out / f"{name}.md").write_text(table + "\n", encoding="utf-8")
    if options.chart:
        report.chart(result, out / f"{name}-concurrency.png")
    print("\n" + table + "\n", flush=True)
    _say(f"results in {out}/{name}.json, .md and -concurrency.png")
