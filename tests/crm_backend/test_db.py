"""The database's composition: how long a request waits for SQLite's lock."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import text

from crm_backend.db import build_engine


def test_a_locked_sqlite_file_is_waited_for_five_seconds_at_most(tmp_path: Path) -> None:
    # Twilio gives a webhook 15 s: a request must give up on a lock well before that.
    engine = build_engine(f"sqlite:///{tmp_path / 'icbot.db'}")
    try:
        with engine.connect() as connection:
            waits_ms = connection.execute(text("PRAGMA busy_timeout")).scalar_one()
    finally:
        engine.dispose()

    assert waits_ms == 5000
