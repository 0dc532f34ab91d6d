"""The one place every process's output passes: masked, into size-capped rotating files.

Each child of the stack writes to a pipe; a :class:`LogPump` thread reads it
line by line, masks phone numbers, e-mail addresses and secrets
(:func:`crm_backend.redact.mask`: also the token in a URL httpx logs), and
writes ``<log_dir>/<name>.log``, rolled over at ``ICBOT_LOG_MAX_BYTES``
(default 10 MB) with ``ICBOT_LOG_BACKUPS`` (default 5) older files kept,
as :class:`logging.handlers.RotatingFileHandler` does.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from logging.handlers import RotatingFileHandler
from pathlib import Path
from typing import IO

from crm_backend.redact import mask


@dataclass(frozen=True)
class LogLimits:
    """How large a log file grows, and how many rolled-over files are kept."""

    max_bytes: int = 10 * 1024 * 1024
    backups: int = 5

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> LogLimits:
        """Read ``ICBOT_LOG_MAX_BYTES`` and ``ICBOT_LOG_BACKUPS``; bad values raise ValueError."""
        return cls(
            max_bytes=int(env.get("ICBOT_LOG_MAX_BYTES") or cls.max_bytes),
            backups=int(env.get("ICBOT_LOG_BACKUPS") or cls.backups),
        )


class LogPump:
    """Copies one child's output, masked, into its rotating log file."""

    def __init__(self, path: Path, *, limits: LogLimits) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self._handler = RotatingFileHandler(
            path, maxBytes=limits.max_bytes, backupCount=limits.backups, encoding="utf-8"
        )
        self._handler.setFormatter(logging.Formatter("%(message)s"))
        self._thread: threading.Thread | None = None

    def follow(self, stream: IO[bytes]) -> None:
        """Start copying ``stream`` until it ends (the child and its own children exited)."""
        self._thread = threading.Thread(
            target=self._copy, args=(stream,), name=f"log-{self.path.stem}", daemon=True
        )
        self._thread.start()

    def _copy(self, stream: IO[bytes]) -> None:
        with stream:
            for raw in iter(stream.readline, b""):
                line = raw.decode("utf-8", errors="replace").rstrip("\r\n")
                # A record without args: its message is taken as it is, "%" and all.
                self._handler.handle(logging.makeLogRecord({"msg": mask(line)}))

    def close(self, timeout: float = 5.0) -> None:
        """Wait for the output to end (at most ``timeout`` seconds), then close the file."""
        if self._thread is not None:
            self._thread.join(timeout)
        self._handler.close()
