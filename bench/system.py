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


def _group_of(pid: int) -> int | None:
    stat = Path(f"/proc/{pid}/stat")
    try:
        # The command name may hold spaces and parentheses: fields follow the last ")".
        fields = stat.read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return None
    return int(fields[2])


def _rss_bytes(pid: int) -> int:
    line = _first(f"/proc/{pid}/status", "VmRSS:")
    return int(line.split()[1]) * 1024 if line else 0


def group_rss_mib(leader: int) -> float:
    """The resident memory of every process in ``leader``'s process group, in MiB."""
    total = 0
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit() and _group_of(int(entry.name)) == leader:
            total += _rss_bytes(int(entry.name))
    return round(total / MIB, 1)


def _cpu_seconds(pid: int) -> float:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return 0.0
    # utime and stime (fields 14 and 15 of stat; 12 and 13 after the command name).
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def cpu_seconds(pids: dict[str, int]) -> dict[str, float]:
    """The CPU time each of the stack's processes (with their children) has used so far.

    Unlike latency, CPU time per turn hardly moves when other work shares the machine.
    """
    totals = dict.fromkeys(pids, 0.0)
    leaders = {pid: name for name, pid in pids.items()}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            name = leaders.get(_group_of(int(entry.name)) or -1)
            if name is not None:
                totals[name] += _cpu_seconds(int(entry.name))
    return totals


def memory(pids: dict[str, int]) -> dict[str, float]:
    """The resident memory of each of the stack's processes (with their children), in MiB."""
    return {name: group_rss_mib(pid) for name, pid in pids.items()}


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
