"""``python -m crm_backend export-outbox|export-catalog``: files for the ERP and the bot."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
import yaml
from sqlalchemy.orm import Session, sessionmaker

from crm_backend.cli import main
from crm_backend.models import Agent, AgentRole, OutboxRecord, ReviewMark
from tests.crm_backend.cli import test_cli as cli_tests

# One command's environment, sessions on its database, and the same seeded.
env = cli_tests.env
sessions = cli_tests.sessions
seeded = cli_tests.seeded


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


def test_review_export_writes_the_marked_messages_as_nlu_data(
    seeded: dict[str, str],
    sessions: sessionmaker[Session],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    with sessions() as session:
        agent = Agent(
            username="tess", display_name="Tess", password_hash="x", role=AgentRole.TRAINER
        )
        session.add(agent)
        session.flush()
        session.add(
            ReviewMark(
                conversation_id="web-1",
                event_timestamp=1.0,
                text="ring 0612345678 about the bag",
                intent="ask_accessories",
                agent_id=agent.id,
            )
        )
        session.commit()
    out = tmp_path / "data" / "nlu" / "review.yml"

    assert main(["review-export", "--out", str(out)], environ=seeded) == 0

    assert yaml.safe_load(out.read_text()) == {
        "version": "3.1",
        "nlu": [{"intent": "ask_accessories", "examples": "- ring 0600000000 about the bag\n"}],
    }
    assert capsys.readouterr().out == f"review: 1 marked message(s) written to {out}\n"
