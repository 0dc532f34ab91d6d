"""``python -m channels.dialer``: what it says when it cannot start."""

from __future__ import annotations

import pytest

from channels.dialer import main


def test_without_twilio_settings_the_dialer_says_what_is_missing(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, database_url: str
) -> None:
    for name in ("TWILIO_ACCOUNT_SID", "TWILIO_AUTH_TOKEN", "TWILIO_FROM_NUMBER"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("DATABASE_URL", database_url)

    assert main(["--once"]) == 2
    assert "TWILIO_ACCOUNT_SID" in capsys.readouterr().err
