"""The ERP hand-over: pending outbox records written out as JSON lines.

Each line is one record, ``{"id", "topic", "created_at", "payload"}``; the
ERP side reads the file and uses ``id`` to ignore a record it has seen, since
an export whose transaction then fails to commit is written again next time.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import TextIO

from ..models import OutboxRecord
from ..uow import UnitOfWork
from .dates import now_or

BATCH_SIZE = 500


def export_pending(uow: UnitOfWork, *, out: TextIO, now: dt.datetime | None = None) -> int:
    """Write every pending record to ``out``, oldest first, and mark it exported.

    The caller commits after the output is safely written.

    Returns:
        How many records were written.
    """
    at = now_or(now)
    written = 0
    while batch := uow.outbox.pending(limit=BATCH_SIZE):
        for record in batch:
            out.write(json.dumps(record_line(record), ensure_ascii=False, sort_keys=True) + "\n")
            record.exported_at = at
        written += len(batch)
        uow.flush()
    return written


def record_line(record: OutboxRecord) -> dict[str, object]:
    """One outbox record as the JSON object written for it."""
    return {
        "id": record.id,
        "topic": record.topic,
        "created_at": record.created_at.isoformat(),
        "payload": record.payload,
    }
