"""``token``, ``create-agent`` and ``demo-agents``: who may get in.

The API token guards the CRM's HTTP API; agents and managers log in to the
desk. The demo logins are made once and kept in ``<var>/desk_logins``.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Mapping
from pathlib import Path
from typing import TextIO

from ..auth import TOKEN_ENV, api_token
from ..models import AgentRole
from ..services import agents
from ..settings import CrmSettings
from ..uow import SqlAlchemyUnitOfWork
from .database import sessions

DEMO_LOGINS = "desk_logins"
DEMO_AGENTS = (
    ("demo-agent", "Demo Agent", AgentRole.AGENT),
    ("demo-manager", "Demo Manager", AgentRole.MANAGER),
)


def token(settings: CrmSettings, out: TextIO, *, environ: Mapping[str, str]) -> None:
    """Print the API token."""
    print(api_token(configured=environ.get(TOKEN_ENV), var_dir=settings.var_dir), file=out)


def create_agent(
    settings: CrmSettings,
    out: TextIO,
    *,
    username: str,
    display_name: str,
    role: str,
    password: str,
) -> None:
    """Add a desk user with that password."""
    with sessions(settings) as factory, SqlAlchemyUnitOfWork(factory) as uow:
        agent = agents.create_agent(
            uow, username=username, password=password, display_name=display_name, role=role
        )
        uow.commit()
        print(f"{agent.role} {agent.username} created", file=out)


def demo_agents(settings: CrmSettings, out: TextIO) -> None:
    """Create the demo agent and manager if missing, and print how to log in.

    Their passwords are random, made once and kept in ``<var>/desk_logins``
    (mode 0600), so running this again (every ``make run`` does) changes nothing.
    """
    logins_file = settings.var_dir / DEMO_LOGINS
    known = _read_logins(logins_file)
    with sessions(settings) as factory, SqlAlchemyUnitOfWork(factory) as uow:
        for username, display_name, role in DEMO_AGENTS:
            if agents.find_agent(uow, username=username) is not None:
                continue
            known[username] = secrets.token_urlsafe(12)
            agents.create_agent(
                uow,
                username=username,
                password=known[username],
                display_name=display_name,
                role=role,
            )
        _write_logins(logins_file, known)
        uow.commit()
    for username, _display_name, role in DEMO_AGENTS:
        password = known.get(username, "(not in " + str(logins_file) + ")")
        print(f"desk {role}: {username} / {password}", file=out)


def _read_logins(path: Path) -> dict[str, str]:
    if not path.exists():
        return {}
    pairs = (line.split(" ", 1) for line in path.read_text(encoding="utf-8").splitlines())
    return {pair[0]: pair[1] for pair in pairs if len(pair) == 2}


def _write_logins(path: Path, logins: dict[str, str]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as target:
        target.writelines(f"{name} {password}\n" for name, password in sorted(logins.items()))
