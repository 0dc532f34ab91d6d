"""The server-to-server API token: from ``ICBOT_API_TOKEN``, else generated once into ``var/``.

The generated token lives in ``<ICBOT_VAR_DIR>/api_token`` (mode 0600) and is
reused on every later start, so clients configured once keep working. Tokens
are compared in constant time.
"""

from __future__ import annotations

import contextlib
import os
import secrets
from pathlib import Path

TOKEN_ENV = "ICBOT_API_TOKEN"  # noqa: S105 - a variable's name, not a secret
TOKEN_FILE = "api_token"  # noqa: S105 - a file's name, not a secret


class TokenFileError(Exception):
    """The token file exists but cannot be read or holds no token."""

    def __init__(self, *, path: Path, reason: str) -> None:
        super().__init__(f"API token file {path}: {reason}")
        self.path = path
        self.reason = reason


def token_path(var_dir: Path) -> Path:
    """Where the generated token is kept."""
    return var_dir / TOKEN_FILE


def api_token(*, configured: str | None, var_dir: Path) -> str:
    """The token: ``configured`` when set, else the one in ``var_dir``, generated if missing.

    Raises:
        TokenFileError: the token file exists but is unreadable or empty.
    """
    if configured and configured.strip():
        return configured.strip()
    path = token_path(var_dir)
    if not path.exists():
        _create(path)
    try:
        token = path.read_text(encoding="utf-8").strip()
    except OSError as exc:
        raise TokenFileError(path=path, reason=exc.strerror or str(exc)) from exc
    if not token:
        raise TokenFileError(path=path, reason="it is empty; delete it to get a new token")
    return token


def _create(path: Path) -> None:
    """Write a new token, atomically: two processes starting at once end with one token."""
    path.parent.mkdir(parents=True, exist_ok=True)
    draft = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}")
    fd = os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            out.write(secrets.token_urlsafe(32) + "\n")
        # link() fails when the file exists: whoever linked first wins, and we read theirs.
        with contextlib.suppress(FileExistsError):
            os.link(draft, path)
    finally:
        draft.unlink()


def token_matches(expected: str, given: str | None) -> bool:
    """Whether ``given`` is the expected token, compared in constant time."""
    if not given:
        return False
    return secrets.compare_digest(given.encode("utf-8"), expected.encode("utf-8"))
