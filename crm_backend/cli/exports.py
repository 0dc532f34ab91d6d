"""``export-outbox``, ``export-catalog``, ``review-export``: files the CRM writes for others.

The ERP reads the outbox's JSON lines; the bot's product matcher reads the
catalog's names (``make catalog``); the bot's training reads the messages
reviewers marked (``make review-export``, ``data/en/nlu/review.yml``).
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
from pathlib import Path
from typing import TextIO

from ..models import utcnow
from ..services import outbox, products
from ..services import review_export as review_export_service
from ..settings import CrmSettings
from ..uow import SqlAlchemyUnitOfWork
from .database import sessions


def export_outbox(settings: CrmSettings, out: TextIO, *, path: Path | None) -> None:
    """Write pending outbox records as JSON lines, then mark them exported.

    A file is appended to, never overwritten, so records a reader has not taken
    yet are not lost; records are marked exported only once they are on disk.
    """
    with sessions(settings) as factory, SqlAlchemyUnitOfWork(factory) as uow:
        if path is None:
            count = outbox.export_pending(uow, out=out)
            out.flush()
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            with path.open("a", encoding="utf-8") as target:
                count = outbox.export_pending(uow, out=target)
                target.flush()
                os.fsync(target.fileno())
        uow.commit()
    where = "stdout" if path is None else str(path)
    print(f"outbox: {count} record(s) exported to {where}", file=sys.stderr)


def catalog_json(settings: CrmSettings) -> str:
    """The catalog export: a sorted, indented JSON list with a trailing newline."""
    with sessions(settings) as factory, SqlAlchemyUnitOfWork(factory) as uow:
        entries = sorted(products.catalog_lookup(uow), key=lambda entry: entry["sku"])
    return json.dumps(entries, ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def export_catalog(settings: CrmSettings, out: TextIO, *, path: Path) -> None:
    """Write the catalog export to ``path``, leaving the file untouched when nothing changed."""
    text = catalog_json(settings)
    count = len(json.loads(text))
    if path.exists() and path.read_text(encoding="utf-8") == text:
        print(f"catalog: {path} unchanged ({count} products)", file=out)
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    # Write beside the target and rename, so a reader never sees half a file.
    with tempfile.NamedTemporaryFile(
        "w", encoding="utf-8", dir=path.parent, prefix=f".{path.name}.", delete=False
    ) as draft:
        draft.write(text)
    os.replace(draft.name, path)
    print(f"catalog: {count} products written to {path}", file=out)


def review_export(settings: CrmSettings, out: TextIO, *, path: Path) -> None:
    """Write the messages reviewers marked as Rasa NLU training data (redacted) to ``path``."""
    with sessions(settings) as factory, SqlAlchemyUnitOfWork(factory) as uow:
        text = review_export_service.nlu_yaml(uow, now=utcnow())
    path.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile(
        "w", encoding="utf-8", dir=path.parent, prefix=f".{path.name}.", delete=False
    ) as draft:
        draft.write(text)
    os.replace(draft.name, path)
    count = sum(1 for line in text.splitlines() if line.startswith("    - "))
    print(f"review: {count} marked message(s) written to {path}", file=out)
