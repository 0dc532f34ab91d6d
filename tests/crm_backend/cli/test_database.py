"""``python -m crm_backend migrate|seed``: the schema, then the demo data once."""

from __future__ import annotations

import pytest
from sqlalchemy import func, inspect, select
from sqlalchemy.orm import Session, sessionmaker

from crm_backend.cli import main
from crm_backend.models import Account, Base
from tests.crm_backend.cli import test_cli as cli_tests

# One command's environment, and sessions on its database.
env = cli_tests.env
sessions = cli_tests.sessions


def test_migrate_builds_every_table(
    env: dict[str, str], sessions: sessionmaker[Session], capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["migrate"], environ=env) == 0

    with sessions() as session:
        tables = set(inspect(session.get_bind()).get_table_names())
    assert tables == {*Base.metadata.tables, "alembic_version"}
    assert "database schema up to date" in capsys.readouterr().out


def test_seed_migrates_then_seeds_once(
    env: dict[str, str], sessions: sessionmaker[Session], capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["seed", "--today", "2026-03-02"], environ=env) == 0
    assert "demo data: seeded (dates relative to 2026-03-02)" in capsys.readouterr().out

    assert main(["seed", "--today", "2026-03-02"], environ=env) == 0
    assert "demo data: already seeded" in capsys.readouterr().out

    with sessions() as session:
        assert session.scalar(select(func.count()).select_from(Account)) == 60
