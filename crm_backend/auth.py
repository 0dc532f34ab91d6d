"""The server-to-server API token: from ``ICBOT_API_TOKEN``, else generated once into ``var/``.

The generated token lives in ``<ICBOT_VAR_DIR>/api_token`` (mode 0600) and is
reused on every later start, so clients configured once keep working. Tokens
are compared in constant time.
"""

from __future__ import annotations

import contextlib
import os
import secrets
from collections.abc import Callable
from pathlib import Path

TOKEN_ENV = "ICBOT_API_TOKEN"  # noqa: S105 - a variable's name, not a secret
TOKEN_FILE = "api_token"  # noqa: S105 - a file's name, not a secret


class TokenFileError(Exception):
    """The token file exists but cannot be read or holds no token."""

    def __init__(self, *, path: Path, reason: str) -> None:
        super().__init__(f"token file {path}: {reason}")
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
    return stored_secret(token_path(var_dir), make=lambda: secrets.token_urlsafe(32))


def stored_secret(path: Path, *, make: Callable[[], str]) -> str:
    """The secret kept in ``path``; ``make()`` writes a new one (mode 0600) when there is none.

    Raises:
        TokenFileError: the file exists but is unreadable or empty.
    """
    if not path.exists():
        _create(path, make())
    try:
        secret = path.read_text(encoding="utf-8").strip()
    except OSError as exc:
        raise TokenFileError(path=path, reason=exc.strerror or str(exc)) from exc
    if not secret:
        raise TokenFileError(path=path, reason="it is empty; delete it to get a new token")
    return secret


def _create(path: Path, secret: str) -> None:
    """Write a new secret, atomically: two processes starting at once end with one secret."""
    path.parent.mkdir(parents=True, exist_ok=True)
    draft = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}")
    fd = os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            out.write(secret + "\n")
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
