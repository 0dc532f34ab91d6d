"""Keep the stack's processes running: restart a crashed one with a back-off, give up on a loop.

The policy (:class:`RestartPolicy`, :class:`CrashHistory`) is plain arithmetic
over a clock, so unit tests drive it with a fake one. The :class:`Supervisor`
applies it to a :class:`~launcher.stack.Stack`: it notices a child that
exited, restarts it after ``1, 2, 4, … s`` (at most ``max_delay``) while the
others keep serving, and gives up on a process that crashed ``max_crashes``
times within ``window`` seconds. It says what it does in
``<log_dir>/supervisor.log`` (and to whoever ``say`` prints for), and writes
what it knows to
``<var>/supervisor.json``, which the gateway's ``/healthz`` reads to say
"given up" rather than only "down" (:mod:`channels.health`)::

    {"rasa": {"state": "running", "crashes": 1},
     "dialer": {"state": "given up", "crashes": 5, "reason": "..."}}

A restarted process gets the same command line and environment (the
stack's secrets, its ports), so the others talk to it as before.
"""

from __future__ import annotations

import json
import logging
import os
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

log = logging.getLogger(__name__)

STATUS_FILE = "supervisor.json"
RUNNING = "running"
RESTARTING = "restarting"
GIVEN_UP = "given up"


class Supervised(Protocol):
    """What the supervisor needs of a :class:`~launcher.stack.Stack`."""

    @property
    def var_dir(self) -> Path: ...

    def commands(self) -> dict[str, list[str]]: ...

    def reap(self) -> dict[str, int]: ...

    def spawn(self, name: str) -> None: ...

    def log_path(self, name: str) -> Path: ...


@dataclass(frozen=True)
class RestartPolicy:
    """How soon a crashed process comes back, and when it is given up on."""

    first_delay: float = 1.0
    max_delay: float = 30.0
    max_crashes: int = 5
    window: float = 60.0

    def delay(self, recent_crashes: int) -> float:
        """Seconds to wait before the restart that follows the ``recent_crashes``-th crash."""
        return float(min(self.max_delay, self.first_delay * 2 ** max(0, recent_crashes - 1)))


@dataclass
class CrashHistory:
    """One process's recent crashes, and what the policy makes of the next one."""

    policy: RestartPolicy
    _times: deque[float] = field(default_factory=deque, init=False)

    def crashed(self, now: float) -> float | None:
        """Record a crash at ``now``: the delay before the restart, or None to give up."""
        self._times.append(now)
        while self._times and now - self._times[0] >= self.policy.window:
            self._times.popleft()
        if len(self._times) >= self.policy.max_crashes:
            return None
        return self.policy.delay(len(self._times))

    @property
    def recent(self) -> int:
        """Crashes within the window of the last one."""
        return len(self._times)


@dataclass
class ProcessState:
    """What the supervisor knows of one process."""

    history: CrashHistory
    state: str = RUNNING
    restart_at: float | None = None
    crashes: int = 0
    reason: str = ""

    def as_json(self) -> dict[str, object]:
        """The entry of the status file."""
        entry: dict[str, object] = {"state": self.state, "crashes": self.crashes}
        if self.reason:
            entry["reason"] = self.reason
        return entry


def read_status(var_dir: Path) -> dict[str, dict[str, object]]:
    """The supervisor's status file in ``var_dir``; empty when no supervisor runs."""
    try:
        data = json.loads((var_dir / STATUS_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict):
        return {}
    return {str(k): v for k, v in data.items() if isinstance(v, dict)}


class Supervisor:
    """Restarts the stack's crashed processes; :meth:`step` is one look, :meth:`run` loops."""

    def __init__(
        self,
        stack: Supervised,
        *,
        policy: RestartPolicy | None = None,
        clock: Callable[[], float] = time.monotonic,
        say: Callable[[str], None] | None = None,
    ) -> None:
        self.stack = stack
        self.policy = policy or RestartPolicy()
        self.clock = clock
        self.say = say or log.warning
        self.log_path = stack.log_path("supervisor")
        self.status_path = stack.var_dir / STATUS_FILE
        self.states = {
            name: ProcessState(history=CrashHistory(self.policy)) for name in stack.commands()
        }
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._write_status()

    def step(self) -> None:
        """Notice crashed processes, restart those whose back-off is over."""
        now = self.clock()
        changed = False
        for name, died in self.stack.reap().items():
            changed = True
            self._crashed(name, died, now)
        for name, state in self.states.items():
            if (
                state.state == RESTARTING
                and state.restart_at is not None
                and now >= state.restart_at
            ):
                changed = True
                self._tell(f"{name}: restarting (crash {state.history.recent} in the last minute)")
                self.stack.spawn(name)
                state.state, state.restart_at = RUNNING, None
        if changed:
            self._write_status()

    def _crashed(self, name: str, returncode: int, now: float) -> None:
        state = self.states[name]
        state.crashes += 1
        delay = state.history.crashed(now)
        log_path = self.stack.log_path(name)
        if delay is None:
            state.state, state.restart_at = GIVEN_UP, None
            state.reason = (
                f"crashed {self.policy.max_crashes} times within {self.policy.window:.0f} s; "
                f"not restarted: see {log_path}, then restart icbot"
            )
            self._tell(
                f"{name} stopped unexpectedly (exit {returncode}) "
                f"and is given up on: {state.reason}"
            )
            return
        state.state, state.restart_at = RESTARTING, now + delay
        self._tell(
            f"{name} stopped unexpectedly (exit {returncode}); restarting in {delay:.0f} s, "
            f"the other processes keep serving; see {log_path}"
        )

    def _tell(self, line: str) -> None:
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        stamp = time.strftime("%Y-%m-%d %H:%M:%S")
        with self.log_path.open("a", encoding="utf-8") as log_file:
            log_file.write(f"{stamp} supervisor: {line}\n")
        self.say(line)

    def run(self, *, every: float = 0.5) -> None:
        """Step until :meth:`stop` (or an interrupt, which propagates to the caller)."""
        while not self._stop.is_set():
            self.step()
            self._stop.wait(every)

    def request_stop(self) -> None:
        """End :meth:`run` after its current step (safe from a signal handler)."""
        self._stop.set()

    def start(self) -> Supervisor:
        """Run in a background thread (tests; the launcher runs in its main thread)."""
        self._thread = threading.Thread(target=self.run, name="supervisor", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop supervising (the processes keep running) and remove the status file."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join()
        self.status_path.unlink(missing_ok=True)

    def _write_status(self) -> None:
        data = {name: state.as_json() for name, state in self.states.items()}
        self.status_path.parent.mkdir(parents=True, exist_ok=True)
        temporary = self.status_path.with_suffix(".tmp")
        temporary.write_text(json.dumps(data), encoding="utf-8")
        os.replace(temporary, self.status_path)
