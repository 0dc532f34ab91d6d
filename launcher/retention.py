"""The retention period, kept: ``python -m crm_backend purge`` at start and every day after.

It deletes transcripts, received messages, handoff slots and notes and Rasa's
tracker events older than ``ICBOT_RETENTION_DAYS`` (default 365). Its output
goes, masked, to ``<log_dir>/purge.log``; a purge that fails is logged and
tried again the next day, and never stops the stack.
"""

from __future__ import annotations

import subprocess
import threading
from collections.abc import Mapping
from pathlib import Path

from .logs import LogLimits, LogPump
from .stack import APP_PYTHON, REPO_ROOT

DAY = 24 * 60 * 60.0
COMMAND = [str(APP_PYTHON), "-m", "crm_backend", "purge"]


class DailyPurge:
    """A thread that runs the purge now, then every ``interval`` seconds until stopped."""

    def __init__(
        self,
        *,
        env: Mapping[str, str],
        log_dir: Path,
        interval: float = DAY,
        command: list[str] | None = None,
    ) -> None:
        self.env = dict(env)
        self.log_path = log_dir / "purge.log"
        self.interval = interval
        self.command = command or COMMAND
        self._stopped = threading.Event()
        self._thread = threading.Thread(target=self._loop, name="daily-purge", daemon=True)

    def start(self) -> DailyPurge:
        """Run the first purge in the background and schedule the next ones."""
        self._thread.start()
        return self

    def stop(self) -> None:
        """Schedule no more purges; wait a little for one that is running."""
        self._stopped.set()
        self._thread.join(timeout=5)

    def run_once(self) -> int:
        """Run the purge and wait for it; its exit code."""
        pump = LogPump(self.log_path, limits=LogLimits.from_env(self.env))
        proc = subprocess.Popen(  # noqa: S603 - our own command
            self.command, cwd=REPO_ROOT, env=self.env, stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
        )  # fmt: skip
        assert proc.stdout is not None
        pump.follow(proc.stdout)
        try:
            return proc.wait()
        finally:
            pump.close()

    def _loop(self) -> None:
        while not self._stopped.is_set():
            self.run_once()
            self._stopped.wait(self.interval)
