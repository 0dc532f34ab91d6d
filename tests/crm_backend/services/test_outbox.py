"""The outbox export: pending records as JSON lines, each exported once."""

from __future__ import annotations

import datetime as dt
import io
import json

from crm_backend.models import OutboxRecord
from crm_backend.services import outbox

CREATED = dt.datetime(2025, 11, 3, 10, 15, tzinfo=dt.UTC)
NOW = dt.datetime(2025, 11, 3, 23, 0, tzinfo=dt.UTC)


def add_records(uow, count):
    for i in range(1, count + 1):
        uow.outbox.add(
            OutboxRecord(
                topic="order.created", payload={"number": f"SO-{i:06d}"}, created_at=CREATED
            )
        )
    uow.flush()


def test_export_writes_pending_records_as_json_lines_and_marks_them(any_uow):
    add_records(any_uow, 2)
    out = io.StringIO()

    assert outbox.export_pending(any_uow, out=out, now=NOW) == 2

    assert out.getvalue() == (
        '{"created_at": "2025-11-03T10:15:00+00:00", "id": 1, '
        '"payload": {"number": "SO-000001"}, "topic": "order.created"}\n'
        '{"created_at": "2025-11-03T10:15:00+00:00", "id": 2, '
        '"payload": {"number": "SO-000002"}, "topic": "order.created"}\n'
    )
    assert [r.exported_at for r in any_uow.outbox.list_by()] == [NOW, NOW]


def test_exported_records_are_not_written_again(any_uow):
    add_records(any_uow, 1)
    outbox.export_pending(any_uow, out=io.StringIO(), now=NOW)
    add_records(any_uow, 1)
    out = io.StringIO()

    assert outbox.export_pending(any_uow, out=out, now=NOW) == 1
    assert [json.loads(line)["id"] for line in out.getvalue().splitlines()] == [2]
    assert outbox.export_pending(any_uow, out=io.StringIO(), now=NOW) == 0


def test_export_goes_through_every_batch(any_uow, monkeypatch):
    monkeypatch.setattr(outbox, "BATCH_SIZE", 2)
    add_records(any_uow, 5)
    out = io.StringIO()

    assert outbox.export_pending(any_uow, out=out, now=NOW) == 5
    assert [json.loads(line)["id"] for line in out.getvalue().splitlines()] == [1, 2, 3, 4, 5]


def test_an_export_not_committed_stays_pending(uow_factory):
    with uow_factory() as uow:
        add_records(uow, 2)
        uow.commit()
    with uow_factory() as uow:
        outbox.export_pending(uow, out=io.StringIO(), now=NOW)  # the writer failed: no commit
    with uow_factory() as uow:
        assert outbox.export_pending(uow, out=io.StringIO(), now=NOW) == 2
        uow.commit()
    with uow_factory() as uow:
        assert uow.outbox.pending() == []
