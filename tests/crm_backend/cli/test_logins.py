"""``python -m crm_backend token|create-agent|demo-agents``: the API token and desk users."""

from __future__ import annotations

import io
import stat
import sys
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from crm_backend.cli import main
from crm_backend.models import Agent
from crm_backend.services import agents
from crm_backend.uow import SqlAlchemyUnitOfWork
from tests.crm_backend.cli import test_cli as cli_tests

# One command's environment, and sessions on its database.
env = cli_tests.env
sessions = cli_tests.sessions


def test_token_prints_the_configured_token(
    env: dict[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["token"], environ={**env, "ICBOT_API_TOKEN": "from-the-env"}) == 0

    assert capsys.readouterr().out == "from-the-env\n"
    assert not Path(env["ICBOT_VAR_DIR"], "api_token").exists()


def test_token_is_generated_once_private_and_reused(
    env: dict[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["token"], environ=env) == 0
    first = capsys.readouterr().out.strip()

    assert main(["token"], environ=env) == 0
    second = capsys.readouterr().out.strip()

    path = Path(env["ICBOT_VAR_DIR"], "api_token")
    assert first == second == path.read_text().strip()
    assert len(first) >= 40
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_an_empty_token_file_is_an_error_not_an_empty_token(
    env: dict[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    path = Path(env["ICBOT_VAR_DIR"], "api_token")
    path.parent.mkdir(parents=True)
    path.write_text("\n")

    assert main(["token"], environ=env) == 1

    assert "is empty; delete it to get a new token" in capsys.readouterr().err


def test_demo_agents_are_created_once_and_their_logins_printed(
    env: dict[str, str], sessions: sessionmaker[Session], capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["migrate"], environ=env) == 0
    capsys.readouterr()

    assert main(["demo-agents"], environ=env) == 0
    first = capsys.readouterr().out
    assert main(["demo-agents"], environ=env) == 0
    second = capsys.readouterr().out

    logins = Path(env["ICBOT_VAR_DIR"], "desk_logins")
    passwords = dict(line.split(" ") for line in logins.read_text().splitlines())
    assert (
        first
        == second
        == (
            f"desk agent: demo-agent / {passwords['demo-agent']}\n"
            f"desk manager: demo-manager / {passwords['demo-manager']}\n"
        )
    )
    assert stat.S_IMODE(logins.stat().st_mode) == 0o600
    with sessions() as session:
        rows = session.execute(select(Agent.username, Agent.role).order_by(Agent.id)).all()
    assert [tuple(r) for r in rows] == [("demo-agent", "agent"), ("demo-manager", "manager")]
    with SqlAlchemyUnitOfWork(sessions) as uow:
        for username, password in passwords.items():
            assert agents.authenticate(uow, username=username, password=password).active


def test_create_agent_reads_the_password_from_stdin(
    env: dict[str, str],
    sessions: sessionmaker[Session],
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    assert main(["migrate"], environ=env) == 0
    monkeypatch.setattr(sys, "stdin", io.StringIO("a long password\n"))

    code = main(
        ["create-agent", "Boss", "--display-name", "The Boss", "--role", "manager"], environ=env
    )

    assert (code, capsys.readouterr().out.splitlines()[-1]) == (0, "manager boss created")
    with SqlAlchemyUnitOfWork(sessions) as uow:
        assert agents.authenticate(uow, username="boss", password="a long password").role == (
            "manager"
        )


def test_create_agent_refuses_a_short_password(
    env: dict[str, str], capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    assert main(["migrate"], environ=env) == 0
    monkeypatch.setattr(sys, "stdin", io.StringIO("short\n"))

    assert main(["create-agent", "bob", "--display-name", "Bob"], environ=env) == 1
    assert "at least 10 characters" in capsys.readouterr().err
