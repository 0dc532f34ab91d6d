"""The machine a run measured, its load, the memory of each process, and the NLU report.

Memory is the resident set (``VmRSS`` in ``/proc/<pid>/status``) of every
process in a child's process group: the launcher starts each child in its
own session, so the group is the child and anything it forked.
"""

from __future__ import annotations

import json
import os
import platform
import subprocess
import time
from pathlib import Path
from typing import Any

from launcher.stack import DEFAULT_MODEL, RASA_BIN, REPO_ROOT

NLU_REPORT = REPO_ROOT / "results" / "nlu" / "intent_report.json"
HELDOUT = REPO_ROOT / "tests" / "nlu" / "heldout.yml"
MIB = 1024 * 1024


def load_average() -> list[float]:
    """The 1, 5 and 15 minute load averages, rounded."""
    return [round(x, 2) for x in os.getloadavg()]


def _first(path: str, prefix: str) -> str | None:
    try:
        with open(path, encoding="utf-8") as lines:
            return next((line for line in lines if line.startswith(prefix)), None)
    except OSError:
        return None


def machine() -> dict[str, Any]:
    """What the run ran on."""
    cpu = _first("/proc/cpuinfo", "model name")
    memory = _first("/proc/meminfo", "MemTotal:")
    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"],  # noqa: S607 - git from PATH
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        check=False,
    ).stdout.strip()
    return {
        "cpus": os.cpu_count(),
        "cpu_model": cpu.split(":", 1)[1].strip() if cpu else platform.processor(),
        "memory_gib": round(int(memory.split()[1]) / MIB, 1) if memory else None,
        "os": platform.platform(),
        "python_app": platform.python_version(),
        "commit": commit or None,
    }


def _stat(pid: int) -> list[str]:
    """The fields of ``/proc/<pid>/stat`` after the command name (which may hold ")")."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return []


def members(pids: dict[str, int]) -> dict[str, list[int]]:
    """Every live process of each of the stack's processes: itself and what it started.

    A process belongs to a name when it, its process group's leader or one of its
    ancestors is that name's process (PostgreSQL's backends each lead their own
    session, under the postmaster).
    """
    names = {pid: name for name, pid in pids.items()}
    stats = {int(e.name): _stat(int(e.name)) for e in Path("/proc").iterdir() if e.name.isdigit()}
    found: dict[str, list[int]] = {name: [] for name in pids}
    for pid in stats:
        name, seen, at = None, set(), pid
        while name is None and at > 1 and at not in seen:
            seen.add(at)
            up = stats.get(at) or []
            # ppid and pgrp: fields 4 and 5 of stat, 2 and 3 after the command name.
            name = names.get(at) or (names.get(int(up[2])) if len(up) > 2 else None)
            at = int(up[1]) if len(up) > 1 else 0
        if name is not None:
            found[name].append(pid)
    return found


def _rss_bytes(pid: int) -> int:
    line = _first(f"/proc/{pid}/status", "VmRSS:")
    return int(line.split()[1]) * 1024 if line else 0


def group_rss_mib(leader: int) -> float:
    """The resident memory of ``leader`` and every process it started, in MiB."""
    return memory({"it": leader})["it"]


def cpu_seconds(pids: dict[str, int]) -> dict[str, float]:
    """The CPU time each of the stack's processes (with their children) has used so far.

    Children already gone count through their parent's cutime and cstime. Unlike
    latency, CPU time per turn hardly moves when other work shares the machine.
    """
    tick = os.sysconf("SC_CLK_TCK")
    # utime, stime, cutime, cstime: fields 14-17 of stat, 12-15 after the command name.
    return {
        name: sum(sum(int(f) for f in _stat(pid)[11:15]) for pid in group) / tick
        for name, group in members(pids).items()
    }


def memory(pids: dict[str, int]) -> dict[str, float]:
    """The resident memory of each of the stack's processes (with their children), in MiB."""
    return {
        name: round(sum(_rss_bytes(pid) for pid in group) / MIB, 1)
        for name, group in members(pids).items()
    }


def nlu_intent_f1(*, may_run: bool, out: Path) -> dict[str, Any]:
    """The held-out intent macro F1: from the report when newer than the model, else tested.

    With ``may_run`` false, a stale or missing report is reported as such, not rerun.
    """
    fresh = NLU_REPORT.exists() and NLU_REPORT.stat().st_mtime >= DEFAULT_MODEL.stat().st_mtime
    report, source = NLU_REPORT, "results/nlu/intent_report.json (newer than the model)"
    if not fresh:
        if not may_run:
            stale = "stale" if NLU_REPORT.exists() else "missing"
            return {
                "macro_f1": None,
                "source": f"results/nlu/intent_report.json {stale}; not rerun",
            }
        started = time.perf_counter()
        subprocess.run(  # noqa: S603 - our own command, as `make test-nlu`
            [
                str(RASA_BIN), "test", "nlu", "--model", str(DEFAULT_MODEL),
                "--nlu", str(HELDOUT), "--out", str(out),
            ],
            cwd=REPO_ROOT, env={**os.environ, "PYTHONPATH": str(REPO_ROOT)}, check=True,
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        report = out / "intent_report.json"
        source = f"rasa test nlu on tests/nlu/heldout.yml ({time.perf_counter() - started:.0f} s)"
    data = json.loads(report.read_text())
    return {
        "macro_f1": round(float(data["macro avg"]["f1-score"]), 4),
        "weighted_f1": round(float(data["weighted avg"]["f1-score"]), 4),
        "source": source,
    }
