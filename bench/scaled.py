"""``python -m bench.scaled`` (``make bench-scaled``): one Rasa server against two, scaled.

The scaled mode (``tools/scaled-services``: the CRM and Rasa's tracker store
on PostgreSQL, Rasa's lock store on Redis) runs once; on it, the stack starts
with 1 Rasa server, then with 2 (``--servers``), and each takes the same
load: ``--concurrency`` customers replaying the benchmark script through
the gateway for ``--phase-seconds``, after a warm-up that reaches every
server; ``--rounds`` times over (3), each stack started afresh. Each
phase gives throughput (correct answers per second), errors, latency and
CPU per turn of every process; the page compares each round's throughputs
and takes their median (issue 13: 2 servers ≥ 1.3x one, 0 errors at 50
customers).

One Rasa process answers one message at a time on one core (its NLU and
policies run in its event loop); a second server uses the second core. The
gateway, the action server, PostgreSQL and Redis share those same 2 cores.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import resource
import secrets
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from launcher import services as scaled_services
from launcher.stack import DEFAULT_MODEL, REPO_ROOT, Ports, Stack, StackError

from . import customers, drivers, report, system
from .customers import CustomerPool

RESULTS = REPO_ROOT / "bench" / "results"
TARGET_RATIO = 1.3


def _say(text: str) -> None:
    print(f"[bench.scaled {time.strftime('%H:%M:%S')}] {text}", flush=True)


def service_pids(services: dict[str, str]) -> dict[str, int]:
    """PostgreSQL's postmaster and Redis: each leads its process group (its CPU counts)."""
    folder = Path(services["ICBOT_SERVICES_DIR"])
    pids = {}
    for name, pid_file in (("postgresql", folder / "pg" / "postmaster.pid"),
                           ("redis", folder / "redis.pid")):  # fmt: skip
        try:
            pids[name] = int(pid_file.read_text().split()[0])
        except (OSError, IndexError, ValueError):
            continue
    return pids


def _own_cpu() -> float:
    """CPU seconds of this process: the customers' HTTP clients share the cores too."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def phase_on(
    servers: int,
    services: dict[str, str],
    pool: CustomerPool,
    *,
    concurrency: int,
    seconds: float,
    var_dir: Path,
) -> dict[str, Any]:
    """Start the stack with ``servers`` Rasa servers, warm it, load it; the phase's figures."""
    env = {
        **services,
        "ICBOT_VAR_DIR": str(var_dir),
        "ICBOT_API_TOKEN": secrets.token_urlsafe(16),
        "RASA_TELEMETRY_ENABLED": "false",
    }
    stack = Stack(ports=Ports.free(), env=env, log_dir=var_dir / "log", rasa_servers=servers)
    _say(f"starting the stack with {servers} Rasa server(s)")
    with stack:
        door = drivers.GatewayDoor(stack.gateway_url, env["ICBOT_API_TOKEN"])
        # Conversations hash to servers: a few of them reach (and warm) every one.
        for _ in range(2 * servers):
            asyncio.run(drivers.warm_up(door, pool))
        _say(f"load: {concurrency} customers for {seconds:.0f} s")
        pids = {**stack.pids(), **service_pids(services)}
        before = {**system.cpu_seconds(pids), "load generator": _own_cpu()}
        load = asyncio.run(drivers.load(door, pool, concurrency=concurrency, duration=seconds))
        after = {**system.cpu_seconds(pids), "load generator": _own_cpu()}
        used = {n: s - before.get(n, 0.0) for n, s in after.items()}
        result = report.phase(load, system.load_average(), used)
        result["servers"] = servers
        result["memory_mib"] = system.memory(stack.pids())
    _say(
        f"  {result['messages_per_s']} msg/s, p95 {result['p95_ms']} ms, {result['errors']} errors"
    )
    return result


def ratios(phases: list[dict[str, Any]], servers: int) -> list[float]:
    """Each round's throughput of ``servers`` servers against one server's, in round order."""
    by_round: dict[int, dict[int, float]] = {}
    for p in phases:
        by_round.setdefault(int(p.get("round", 1)), {})[p["servers"]] = p["messages_per_s"]
    return [
        rates[servers] / rates[1]
        for _, rates in sorted(by_round.items())
        if rates.get(1) and servers in rates
    ]


def markdown(phases: list[dict[str, Any]], *, commit: str | None) -> str:
    """The page: each phase, then each round's ratio to one server and their median."""
    lines = [
        "# One Rasa server against two, on the scaled stack (`make bench-scaled`)",
        "",
        "PostgreSQL (CRM and tracker store) and Redis (lock store) from "
        "`tools/scaled-services`, on the same 2 cores as every process. Each round starts "
        "each stack afresh; the rounds' median ratio is the result (on a shared machine the "
        "CPU a turn costs moves by a tenth from one minute to the next).",
        "",
        "| round | Rasa servers | customers | msg/s | errors | p50 | p95 | CPU ms per turn "
        "| Rasa RSS |",
        "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | --- |",
    ]
    for p in phases:
        spent = p["cpu_ms_per_turn"]
        total = round(sum(v for v in spent.values() if v is not None), 1)
        cpu = f"**{total}**: " + ", ".join(f"{n} {v}" for n, v in spent.items())
        rasa = ", ".join(f"{n} {v} MiB" for n, v in p["memory_mib"].items() if "rasa" in n)
        lines.append(
            f"| {p.get('round', 1)} | {p['servers']} | {p['concurrency']} | "
            f"{p['messages_per_s']} | {p['errors']} / {p['turns']} | {p['p50_ms']} ms | "
            f"{p['p95_ms']} ms | {cpu} | {rasa} |"
        )
    errors = sum(p["errors"] for p in phases)
    for servers in sorted({p["servers"] for p in phases} - {1}):
        found = ratios(phases, servers)
        if not found:
            continue
        median = statistics.median(found)
        verdict = "met" if median >= TARGET_RATIO and errors == 0 else "missed"
        rounds = ", ".join(f"{r:.2f}x" for r in found)
        lines += [
            "",
            f"{servers} servers: **{median:.2f}x** one server's throughput, the median of "
            f"{len(found)} round(s) ({rounds}; target ≥ {TARGET_RATIO}x with 0 errors: "
            f"{verdict}).",
        ]
    lines += ["", f"Commit {commit or 'unknown'}; {system.machine()}."]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    """Run both stacks; write ``scaled.md`` and ``scaled.json``."""
    title = __doc__.split("\n")[0]
    parser = argparse.ArgumentParser(prog="python -m bench.scaled", description=title)
    parser.add_argument("--servers", default="1,2", help="Rasa servers of each run, e.g. 1,2")
    parser.add_argument("--concurrency", type=int, default=50)
    parser.add_argument("--phase-seconds", type=float, default=60.0)
    parser.add_argument("--rounds", type=int, default=3, help="each server count, this often")
    parser.add_argument("--out", type=Path, default=RESULTS)
    args = parser.parse_args(argv)
    counts = [int(n) for n in args.servers.split(",") if n.strip()]
    if not DEFAULT_MODEL.exists():
        print(f"no trained model at {DEFAULT_MODEL}: run `make model` first", file=sys.stderr)
        return 1
    _say("starting PostgreSQL and Redis (tools/scaled-services)")
    try:
        services = scaled_services.start()
    except scaled_services.ServicesError as exc:
        print(f"bench.scaled: {exc}", file=sys.stderr)
        return 1
    try:
        with tempfile.TemporaryDirectory(prefix="icbot-bench-scaled-") as tmp:
            var_dir = Path(tmp) / "var"
            customers.seed(services["DATABASE_URL"], var_dir)
            runs = args.rounds * len(counts)
            people = customers.people(runs * args.concurrency * int(args.phase_seconds))
            customers.add_customers(services["DATABASE_URL"], people)
            pool = CustomerPool(people)
            load = {"concurrency": args.concurrency, "seconds": args.phase_seconds}
            phases = []
            for round_ in range(1, args.rounds + 1):
                for n in counts:
                    _say(f"round {round_} of {args.rounds}")
                    phase = phase_on(n, services, pool, var_dir=var_dir, **load)
                    phases.append({"round": round_, **phase})
    except (StackError, subprocess.CalledProcessError) as exc:
        print(f"bench.scaled: {exc}", file=sys.stderr)
        return 1
    finally:
        scaled_services.stop(services)
    commit = system.machine().get("commit")
    page = markdown(phases, commit=commit)
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "scaled.md").write_text(page)
    (args.out / "scaled.json").write_text(json.dumps(phases, indent=2) + "\n")
    print(page)
    return 0


if __name__ == "__main__":
    sys.exit(main())
