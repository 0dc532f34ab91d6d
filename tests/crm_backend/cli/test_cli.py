"""``python -m crm_backend``: parsing, the exit codes, and what a failing command says."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy.orm import Session, sessionmaker

from crm_backend.cli import main
from crm_backend.db import build_engine
from crm_backend.settings import REPO_ROOT
from tests.crm_backend.seed_day import SEED_DAY


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    """The environment of one command: its own database and var/ folder, no token set."""
    return {
        "DATABASE_URL": f"sqlite:///{tmp_path / 'crm.db'}",
        "ICBOT_VAR_DIR": str(tmp_path / "var"),
    }


@pytest.fixture
def sessions(env: dict[str, str]) -> Iterator[sessionmaker[Session]]:
    """Sessions on the command's database, to look at what it did."""
    engine = build_engine(env["DATABASE_URL"])
    yield sessionmaker(bind=engine, expire_on_commit=False)
    engine.dispose()


@pytest.fixture
def seeded(env: dict[str, str]) -> dict[str, str]:
    """The environment, with its database seeded."""
    assert main(["seed", "--today", SEED_DAY.isoformat()], environ=env) == 0
    return env


def test_export_catalog_of_an_unmigrated_database_says_what_to_do(
    env: dict[str, str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["export-catalog", "--out", str(tmp_path / "c.json")], environ=env) == 1

    err = capsys.readouterr().err
    assert "no such table" in err
    assert "run `python -m crm_backend seed`" in err
    assert not (tmp_path / "c.json").exists()


def test_an_unknown_command_is_a_usage_error() -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["frobnicate"])

    assert exit_info.value.code == 2


def test_python_dash_m_runs_the_commands(env: dict[str, str]) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "crm_backend", "token"],
        env={**os.environ, **env, "ICBOT_API_TOKEN": "abc", "PYTHONPATH": str(REPO_ROOT)},
        capture_output=True,
        text=True,
        check=False,
        cwd=REPO_ROOT,
    )

    assert (result.returncode, result.stdout) == (0, "abc\n")
