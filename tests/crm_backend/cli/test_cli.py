"""``python -m crm_backend``: migrate, seed, export-outbox, export-catalog, token, desk users."""

from __future__ import annotations

import io
import json
import os
import stat
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, inspect, select
from sqlalchemy.orm import Session, sessionmaker

from crm_backend.cli import main
from crm_backend.db import build_engine
from crm_backend.models import Account, Agent, Base, OutboxRecord
from crm_backend.services import agents
from crm_backend.settings import REPO_ROOT
from crm_backend.uow import SqlAlchemyUnitOfWork
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


# --- export-outbox ---------------------------------------------------------------------------


def _add_outbox_record(sessions: sessionmaker[Session]) -> OutboxRecord:
    with sessions() as session:
        record = OutboxRecord(
            topic="order.created",
            payload={"number": "SO-000999", "lines": [{"sku": "ECL-3000", "quantity": 1}]},
        )
        session.add(record)
        session.commit()
        return record


def test_export_outbox_appends_pending_records_as_json_lines_once(
    seeded: dict[str, str],
    sessions: sessionmaker[Session],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    record = _add_outbox_record(sessions)
    out = tmp_path / "erp" / "outbox.jsonl"

    assert main(["export-outbox", "--out", str(out)], environ=seeded) == 0

    assert [json.loads(line) for line in out.read_text().splitlines()] == [
        {
            "id": record.id,
            "topic": "order.created",
            "created_at": record.created_at.isoformat(),
            "payload": {"number": "SO-000999", "lines": [{"sku": "ECL-3000", "quantity": 1}]},
        }
    ]
    assert f"outbox: 1 record(s) exported to {out}" in capsys.readouterr().err
    with sessions() as session:
        exported = session.get(OutboxRecord, record.id)
        assert exported is not None
        assert exported.exported_at is not None

    # Nothing pending any more: a second export adds nothing.
    assert main(["export-outbox", "--out", str(out)], environ=seeded) == 0
    assert len(out.read_text().splitlines()) == 1
    assert "outbox: 0 record(s)" in capsys.readouterr().err


def test_export_outbox_to_stdout_prints_only_json_lines(
    seeded: dict[str, str], sessions: sessionmaker[Session], capsys: pytest.CaptureFixture[str]
) -> None:
    first, second = _add_outbox_record(sessions), _add_outbox_record(sessions)

    assert main(["export-outbox"], environ=seeded) == 0

    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [line["id"] for line in lines] == [first.id, second.id]


# --- export-catalog --------------------------------------------------------------------------


def test_export_catalog_writes_active_products_sorted(
    seeded: dict[str, str], tmp_path: Path
) -> None:
    out = tmp_path / "lookups" / "catalog.json"

    assert main(["export-catalog", "--out", str(out)], environ=seeded) == 0

    text = out.read_text(encoding="utf-8")
    assert text.endswith("]\n")
    assert text.startswith('[\n  {\n    "aliases": [')
    entries = json.loads(text)
    skus = [e["sku"] for e in entries]
    assert skus == sorted(skus)
    assert len(entries) == 26
    assert "ECL-1000" not in skus, "a product no longer sold is not offered"
    laptop = next(e for e in entries if e["sku"] == "ECL-3000")
    assert laptop == {
        "sku": "ECL-3000",
        "name": "Éclipse 3000",
        "category": "laptops",
        "aliases": [
            "eclipse 3000",
            "eclipse laptop",
            "eclipse 3000 laptop",
            "ecl 3000",
            "eclipse 3k",
        ],
    }
    assert all(e["aliases"][0] == e["aliases"][0].lower() for e in entries)
    assert {"spare battery", "laptop bag"} <= {a for e in entries for a in e["aliases"]}


def test_export_catalog_leaves_an_unchanged_file_alone(
    seeded: dict[str, str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "catalog.json"
    assert main(["export-catalog", "--out", str(out)], environ=seeded) == 0
    os.utime(out, ns=(1_000_000_000, 1_000_000_000))
    capsys.readouterr()

    assert main(["export-catalog", "--out", str(out)], environ=seeded) == 0

    assert out.stat().st_mtime_ns == 1_000_000_000
    assert f"catalog: {out} unchanged (26 products)" in capsys.readouterr().out


def test_export_catalog_replaces_a_stale_file(seeded: dict[str, str], tmp_path: Path) -> None:
    out = tmp_path / "catalog.json"
    out.write_text('[{"sku": "OLD", "name": "Provisional", "category": "x", "aliases": []}]\n')

    assert main(["export-catalog", "--out", str(out)], environ=seeded) == 0

    assert "ECL-3000" in {e["sku"] for e in json.loads(out.read_text())}
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".catalog.json")]


def test_export_catalog_of_an_unmigrated_database_says_what_to_do(
    env: dict[str, str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["export-catalog", "--out", str(tmp_path / "c.json")], environ=env) == 1

    err = capsys.readouterr().err
    assert "no such table" in err
    assert "run `python -m crm_backend seed`" in err
    assert not (tmp_path / "c.json").exists()


# --- token -----------------------------------------------------------------------------------


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


# --- the command line itself -----------------------------------------------------------------


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


# --- desk users ------------------------------------------------------------------------------


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
