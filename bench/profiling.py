"""py-spy on the running stack: where each process spends its samples under load.

:func:`record` samples the gateway, the action server and Rasa at once
(``py-spy record --nonblocking``, so the processes are never paused, and
``--subprocesses``: the action server's Sanic serves from a child process)
while the caller drives load; :func:`summary` turns the collapsed stacks into the
functions with the most samples, inclusive and on top of the stack.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

RATE = 200  # samples per second per process
_LINE = re.compile(r"^(?P<stack>.*) (?P<count>\d+)$")
_FRAME = re.compile(r"^(?P<func>.+?) \((?P<file>[^:()]+)(?::\d+)?\)$")


def py_spy() -> str:
    """The py-spy next to this interpreter, else on PATH."""
    beside = Path(sys.executable).with_name("py-spy")
    found = str(beside) if beside.exists() else shutil.which("py-spy")
    if not found:
        raise RuntimeError("py-spy is not installed: pip install -r requirements/app.in")
    return found


@dataclass
class Recording:
    """A py-spy run on one process."""

    name: str
    output: Path
    process: subprocess.Popen[bytes]


def record(pids: dict[str, int], *, seconds: float, out: Path) -> list[Recording]:
    """Start sampling each process for ``seconds``; wait with :func:`finish`."""
    out.mkdir(parents=True, exist_ok=True)
    recordings = []
    for name, pid in pids.items():
        output = out / f"{name}.collapsed.txt"
        command = [
            py_spy(), "record", "--pid", str(pid), "--duration", str(round(seconds)),
            "--rate", str(RATE), "--format", "raw", "--output", str(output),
            "--nonblocking", "--subprocesses",
        ]  # fmt: skip
        log = (out / f"{name}.py-spy.log").open("wb")
        process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT)  # noqa: S603
        log.close()
        recordings.append(Recording(name=name, output=output, process=process))
    return recordings


def finish(recordings: list[Recording], timeout: float) -> None:
    """Wait for every recording to be written."""
    for recording in recordings:
        recording.process.wait(timeout=timeout)


def _frame(raw: str) -> str:
    match = _FRAME.match(raw.strip())
    if not match:
        return raw.strip()
    file = match["file"]
    for marker in ("site-packages/", "lib/python3."):
        if marker in file:
            file = file.split(marker, 1)[1]
            break
    return f"{match['func']} ({file})"


def summary(collapsed: Path, top: int = 20) -> str:
    """The functions with the most samples, inclusive and on top of the stack, as Markdown."""
    inclusive: Counter[str] = Counter()
    on_top: Counter[str] = Counter()
    total = 0
    for line in collapsed.read_text(encoding="utf-8", errors="replace").splitlines():
        match = _LINE.match(line)
        if not match:
            continue
        count = int(match["count"])
        frames = [_frame(f) for f in match["stack"].split(";")]
        # The first frame is the thread ("process 1:"): skip names that are not code.
        code = [f for f in frames if "(" in f]
        total += count
        for frame in set(code):
            inclusive[frame] += count
        if code:
            on_top[code[-1]] += count
    lines = [f"{total} samples ({total / RATE:.1f} s of busy thread time at {RATE} Hz)", ""]
    for title, counter in (("inclusive", inclusive), ("on top of the stack", on_top)):
        lines += [f"| % {title} | function (file) |", "| ---: | --- |"]
        for frame, count in counter.most_common(top):
            share = 100 * count / total if total else 0
            lines.append(f"| {share:.1f} | `{frame.replace('|', '/')}` |")
        lines.append("")
    return "\n".join(lines)
