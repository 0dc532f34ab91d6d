"""The launcher's stack: the dialer is a fourth process only when asked for."""

from __future__ import annotations

from launcher.stack import APP_PYTHON, Stack


def test_the_dialer_runs_only_when_asked() -> None:
    assert list(Stack().commands()) == ["actions", "rasa", "gateway"]
    assert Stack(dialer=True).commands()["dialer"] == [str(APP_PYTHON), "-m", "channels.dialer"]
