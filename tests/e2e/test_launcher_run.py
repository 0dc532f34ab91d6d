"""`python -m launcher run` (make run): a killed part comes back; SIGTERM ends everything."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import httpx
import pytest

from launcher.stack import DEFAULT_MODEL, REPO_ROOT, Ports

from .conftest import stack_env


def _wait(what: str, condition: Callable[[], bool], timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"not {what} after {timeout:.0f} s"
        time.sleep(0.3)


def _healthy(url: str) -> bool:
    try:
        return httpx.get(f"{url}/healthz", timeout=5).status_code == 200
    except httpx.HTTPError:
        return False


def _child_pids(parent: int, pattern: str = ".") -> list[int]:
    found = subprocess.run(
        ["pgrep", "-P", str(parent), "-f", pattern], capture_output=True, text=True, check=False
    )
    return [int(pid) for pid in found.stdout.split()]


def _children(var_dir: Path) -> dict[str, dict[str, object]]:
    try:
        return dict(json.loads((var_dir / "supervisor.json").read_text()))
    except (OSError, ValueError):
        return {}


def _process_group_alive(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return False
    return True


def test_make_run_restarts_a_killed_part_and_sigterm_leaves_no_process(
    tmp_path: Path,
) -> None:
    if not DEFAULT_MODEL.exists():
        pytest.fail(f"no trained model at {DEFAULT_MODEL}: run `make model` (make test does)")
    ports = Ports.free()
    env = {
        **os.environ,
        **stack_env(tmp_path, ports),
        "ICBOT_PORT": str(ports.gateway),
        "ICBOT_RASA_PORT": str(ports.rasa),
        "ICBOT_ACTIONS_PORT": str(ports.actions),
        "PYTHONPATH": str(REPO_ROOT),
    }
    for name in ("TWILIO_ACCOUNT_SID", "TWILIO_FROM_NUMBER"):
        env.pop(name, None)
    url = f"http://127.0.0.1:{ports.gateway}"
    launcher = subprocess.Popen(
        [sys.executable, "-m", "launcher", "run"],
        cwd=REPO_ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    groups: list[int] = []
    try:
        _wait("healthy", lambda: _healthy(url), 300)
        # Healthy is not yet started: the launcher's own readiness loop may still be on its
        # last round. The supervisor writes its status file once start-up is over.
        _wait("supervised", lambda: bool(_children(tmp_path)), 30)
        (actions_pid,) = _child_pids(launcher.pid, "launcher.action_server")
        os.kill(actions_pid, signal.SIGKILL)
        _wait(
            "restarted",
            lambda: _children(tmp_path).get("actions", {}).get("crashes") == 1,
            10,
        )
        _wait("healthy again", lambda: _healthy(url), 120)
        assert launcher.poll() is None
        # Each child leads its own process group: none may be left after SIGTERM.
        groups = _child_pids(launcher.pid)

        launcher.send_signal(signal.SIGTERM)
        output, _ = launcher.communicate(timeout=60)
    finally:
        if launcher.poll() is None:
            # SIGTERM first: a killed launcher would leave its children (own sessions) running.
            launcher.send_signal(signal.SIGTERM)
            try:
                launcher.wait(timeout=60)
            except subprocess.TimeoutExpired:
                launcher.kill()
                launcher.wait()
    text = output.decode(errors="replace")

    assert launcher.returncode == 0, text
    assert "actions stopped unexpectedly (exit -9); restarting in 1 s" in text
    assert "Stopping…" in text
    assert len(groups) >= 3
    survivors = [pgid for pgid in groups if _process_group_alive(pgid)]
    assert survivors == []
    assert not (tmp_path / "supervisor.json").exists()
    assert "restarting" in (tmp_path / "log" / "supervisor.log").read_text()
