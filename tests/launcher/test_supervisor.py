"""The supervisor's back-off and give-up policy, on a fake clock and a fake stack."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from launcher.supervisor import CrashHistory, RestartPolicy, Supervisor, read_status


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


class FakeStack:
    """Processes that die when a test says so; spawns are recorded."""

    def __init__(self, var_dir: Path, names: tuple[str, ...] = ("actions", "rasa", "gateway")):
        self.var_dir = var_dir
        self.names = names
        self.dead: dict[str, int] = {}
        self.spawned: list[str] = []

    def commands(self) -> dict[str, list[str]]:
        return {name: [name] for name in self.names}

    def reap(self) -> dict[str, int]:
        dead, self.dead = self.dead, {}
        return dead

    def spawn(self, name: str) -> None:
        self.spawned.append(name)

    def log_path(self, name: str) -> Path:
        return self.var_dir / "log" / f"{name}.log"

    def kill(self, name: str) -> None:
        self.dead[name] = -9


def test_the_back_off_doubles_from_one_second_up_to_thirty() -> None:
    policy = RestartPolicy()

    assert [policy.delay(n) for n in range(1, 8)] == [1, 2, 4, 8, 16, 30, 30]


def test_the_fifth_crash_within_a_minute_is_given_up_on() -> None:
    history = CrashHistory(RestartPolicy())

    assert [history.crashed(t) for t in (0, 10, 20, 30, 40)] == [1, 2, 4, 8, None]


def test_crashes_older_than_the_window_are_forgotten() -> None:
    history = CrashHistory(RestartPolicy())

    delays = [history.crashed(t) for t in (0, 10, 20, 30, 60, 70)]

    # At 60 the crash at 0 is a minute old: four in the window, then four again at 70.
    assert delays == [1, 2, 4, 8, 8, 8]
    assert history.recent == 4


@pytest.fixture
def stack(tmp_path: Path) -> FakeStack:
    return FakeStack(tmp_path)


def test_a_crashed_process_comes_back_after_its_delay_and_the_others_are_left_alone(
    stack: FakeStack,
) -> None:
    clock = FakeClock()
    said: list[str] = []
    supervisor = Supervisor(stack, clock=clock, say=said.append)

    stack.kill("rasa")
    supervisor.step()
    clock.now += 0.9
    supervisor.step()
    restarting = read_status(stack.var_dir)["rasa"]
    clock.now += 0.1
    supervisor.step()

    assert stack.spawned == ["rasa"]
    assert restarting == {"state": "restarting", "crashes": 1}
    assert read_status(stack.var_dir) == {
        "actions": {"state": "running", "crashes": 0},
        "rasa": {"state": "running", "crashes": 1},
        "gateway": {"state": "running", "crashes": 0},
    }
    assert said == [
        f"rasa stopped unexpectedly (exit -9); restarting in 1 s, the other processes keep "
        f"serving; see {stack.log_path('rasa')}",
        "rasa: restarting (crash 1 in the last minute)",
    ]


def test_a_process_killed_five_times_in_a_minute_is_given_up_on(stack: FakeStack) -> None:
    clock = FakeClock()
    said: list[str] = []
    supervisor = Supervisor(stack, clock=clock, say=said.append)

    for _ in range(5):
        stack.kill("actions")
        supervisor.step()
        clock.now += 8  # each back-off (1, 2, 4, 8 s) is over
        supervisor.step()

    assert stack.spawned == ["actions"] * 4
    reason = (
        "crashed 5 times within 60 s; not restarted: "
        f"see {stack.log_path('actions')}, then restart icbot"
    )
    assert read_status(stack.var_dir)["actions"] == {
        "state": "given up",
        "crashes": 5,
        "reason": reason,
    }
    assert said[-1] == f"actions stopped unexpectedly (exit -9) and is given up on: {reason}"
    clock.now += 3600
    supervisor.step()
    assert stack.spawned == ["actions"] * 4


def test_stopping_removes_the_status_file(stack: FakeStack) -> None:
    supervisor = Supervisor(stack, clock=FakeClock(), say=lambda _: None)
    path = stack.var_dir / "supervisor.json"
    assert json.loads(path.read_text())["gateway"] == {"state": "running", "crashes": 0}

    supervisor.stop()

    assert not path.exists()
    assert read_status(stack.var_dir) == {}


def test_what_the_supervisor_does_is_in_its_log(stack: FakeStack) -> None:
    supervisor = Supervisor(stack, clock=FakeClock(), say=lambda _: None)

    stack.kill("gateway")
    supervisor.step()

    (line,) = (stack.var_dir / "log" / "supervisor.log").read_text().splitlines()
    assert line.endswith(
        "supervisor: gateway stopped unexpectedly (exit -9); restarting in 1 s, the other "
        f"processes keep serving; see {stack.log_path('gateway')}"
    )
