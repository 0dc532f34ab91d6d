"""The launcher's logs: every child's output masked, in size-capped rotating files."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

from launcher.logs import LogLimits, LogPump
from launcher.stack import Stack

NOISY_CHILD = """
import sys
print("SMS to +33612345678 from pierre.moreau@example.fr", flush=True)
print("PUT /conversations/x/tracker/events?token=abc", file=sys.stderr, flush=True)
for i in range(200):
    print(f"line {i:03d} " + "x" * 40)
"""


def test_a_childs_output_is_masked_and_rotated(tmp_path: Path) -> None:
    path = tmp_path / "child.log"
    pump = LogPump(path, limits=LogLimits(max_bytes=2000, backups=2))
    proc = subprocess.Popen(
        [sys.executable, "-c", NOISY_CHILD], stdout=subprocess.PIPE, stderr=subprocess.STDOUT
    )
    pump.follow(proc.stdout)  # type: ignore[arg-type]
    proc.wait(timeout=30)
    pump.close()

    files = sorted(p.name for p in tmp_path.iterdir())
    assert files == ["child.log", "child.log.1", "child.log.2"]
    assert all(p.stat().st_size <= 2000 for p in tmp_path.iterdir())
    assert path.read_text(encoding="utf-8").splitlines()[-1] == "line 199 " + "x" * 40
    everything = "".join(p.read_text(encoding="utf-8") for p in tmp_path.iterdir())
    for secret in ("612345678", "pierre.moreau", "token=abc"):
        assert secret not in everything


def test_log_limits_come_from_the_environment() -> None:
    assert LogLimits.from_env({}) == LogLimits(max_bytes=10 * 1024 * 1024, backups=5)
    assert LogLimits.from_env({"ICBOT_LOG_MAX_BYTES": "1000", "ICBOT_LOG_BACKUPS": "2"}) == (
        LogLimits(max_bytes=1000, backups=2)
    )


def test_rasa_gets_its_tracker_store_in_the_var_folder(tmp_path: Path) -> None:
    stack = Stack(env={"ICBOT_VAR_DIR": str(tmp_path)})

    assert stack.child_env()["ICBOT_TRACKER_DB"] == str(tmp_path / "tracker.db")


def test_the_daily_purge_runs_at_start_and_again_each_interval(tmp_path: Path) -> None:
    from launcher.retention import DailyPurge

    counter = tmp_path / "runs"
    command = [
        sys.executable,
        "-c",
        f"open({str(counter)!r}, 'a').write('x'); print('+33612345678')",
    ]
    purge = DailyPurge(env={}, log_dir=tmp_path, interval=0.2, command=command).start()
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline and len(counter.read_text() if counter.exists() else "") < 2:
        time.sleep(0.05)
    purge.stop()

    assert len(counter.read_text()) >= 2
    assert "+33•••••••78" in (tmp_path / "purge.log").read_text(encoding="utf-8")
