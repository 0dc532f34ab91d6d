"""``python -m crm_backend <command>``: the CRM's administration commands.

| command | what it does |
| --- | --- |
| ``migrate`` | bring the database schema up to date (``alembic upgrade head``) |
| ``seed [--today DATE]`` | migrate, then add the demo data if the database is empty |
| ``export-outbox [--out FILE]`` | append pending ERP outbox records as JSON lines (or stdout) |
| ``export-catalog --out FILE`` | write the catalog names the bot's matcher reads, only on change |
| ``token`` | print the API token, generating it into ``var/`` if there is none |
| ``create-agent NAME --display-name .. [--role manager]`` | add a desk user; the password is read from stdin |
| ``demo-agents`` | create the demo agent and manager once (passwords in ``var/desk_logins``) and print their logins |
| ``campaign list|create``, ``call-list preview|build|list|show|assign|start|pause`` | the IC manager's campaigns and call lists (:mod:`.marketing`) |
| ``erase --account C-…|--phone …|--email …``, ``export --account C-… [--out FILE]``, ``purge [--days N]`` | a person's erasure and export, retention (:mod:`.privacy`) |

Exit codes: 0 done, 1 the command failed (the reason is on stderr), 2 bad usage.
The database is ``DATABASE_URL`` (see :mod:`crm_backend.settings`).
"""  # noqa: E501 - a table reads better on one line

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import secrets
import sys
import tempfile
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TextIO

from alembic import command
from alembic.config import Config
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, sessionmaker

from ..auth import TOKEN_ENV, TokenFileError, api_token
from ..db import build_engine
from ..errors import CrmError
from ..models import AgentRole, utcnow
from ..seed import SeedOutcome, seed_database
from ..services import agents, catalog, outbox
from ..settings import REPO_ROOT, CrmSettings
from ..uow import SqlAlchemyUnitOfWork
from . import marketing, privacy

MIGRATIONS = Path(__file__).resolve().parents[1] / "migrations"


def alembic_config(database_url: str) -> Config:
    """The Alembic configuration of the CRM, pointed at ``database_url``."""
    ini = REPO_ROOT / "alembic.ini"
    config = Config(str(ini)) if ini.exists() else Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    # ConfigParser would read "%" as interpolation; URL-encoded passwords contain it.
    config.set_main_option("sqlalchemy.url", database_url.replace("%", "%%"))
    return config


def _shown(database_url: str) -> str:
    return make_url(database_url).render_as_string(hide_password=True)


@contextmanager
def _sessions(settings: CrmSettings) -> Iterator[sessionmaker[Session]]:
    """A session factory for one command; its connections are closed at the end."""
    engine = build_engine(settings.database_url)
    try:
        yield sessionmaker(bind=engine, expire_on_commit=False)
    finally:
        engine.dispose()


def migrate(settings: CrmSettings, out: TextIO) -> None:
    """Upgrade the schema to the newest migration."""
    command.upgrade(alembic_config(settings.database_url), "head")
    print(f"database schema up to date: {_shown(settings.database_url)}", file=out)


def seed(settings: CrmSettings, out: TextIO, *, today: dt.date | None) -> None:
    """Migrate, then seed the demo data if the database is empty."""
    migrate(settings, out)
    day = today or utcnow().date()
    with _sessions(settings) as factory:
        outcome = seed_database(factory, today=day)
    if outcome == SeedOutcome.SEEDED:
        print(f"demo data: seeded (dates relative to {day.isoformat()})", file=out)
    else:
        print(f"demo data: {outcome}", file=out)


def export_outbox(settings: CrmSettings, out: TextIO, *, path: Path | None) -> None:
    """Write pending outbox records as JSON lines, then mark them exported.

    A file is appended to, never overwritten, so records a reader has not taken
    yet are not lost; records are marked exported only once they are on disk.
    """
    with _sessions(settings) as factory, SqlAlchemyUnitOfWork(factory) as uow:
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
    with _sessions(settings) as factory, SqlAlchemyUnitOfWork(factory) as uow:
        entries = sorted(catalog.catalog_lookup(uow), key=lambda entry: entry["sku"])
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


def token(settings: CrmSettings, out: TextIO, *, environ: Mapping[str, str]) -> None:
    """Print the API token."""
    print(api_token(configured=environ.get(TOKEN_ENV), var_dir=settings.var_dir), file=out)


DEMO_LOGINS = "desk_logins"
DEMO_AGENTS = (
    ("demo-agent", "Demo Agent", AgentRole.AGENT),
    ("demo-manager", "Demo Manager", AgentRole.MANAGER),
)


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
    with _sessions(settings) as factory, SqlAlchemyUnitOfWork(factory) as uow:
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
    with _sessions(settings) as factory, SqlAlchemyUnitOfWork(factory) as uow:
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


def _marketing(settings: CrmSettings, out: TextIO, args: argparse.Namespace) -> None:
    """Run a ``campaign`` or ``call-list`` command; commit what it wrote."""
    run, writes = marketing.command(args)
    with _sessions(settings) as factory, SqlAlchemyUnitOfWork(factory) as uow:
        run(uow, args, out)
        if writes:
            uow.commit()


def _privacy(settings: CrmSettings, out: TextIO, args: argparse.Namespace) -> None:
    """Run ``erase``, ``export`` or ``purge``."""
    with _sessions(settings) as factory:
        if args.command == "erase":
            privacy.erase(settings, factory, out, args)
        elif args.command == "export":
            privacy.export(factory, out, args)
        else:
            privacy.purge(settings, factory, out, args)


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


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m crm_backend", description="Administration commands of the icbot CRM."
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="command")
    commands.add_parser("migrate", help="bring the database schema up to date")
    seed_cmd = commands.add_parser("seed", help="migrate, then add the demo data if empty")
    seed_cmd.add_argument(
        "--today",
        type=dt.date.fromisoformat,
        help="the day demo dates are counted from (YYYY-MM-DD; default: today, UTC)",
    )
    outbox_cmd = commands.add_parser("export-outbox", help="export pending ERP outbox records")
    outbox_cmd.add_argument("--out", type=Path, help="append to this file (default: stdout)")
    catalog_cmd = commands.add_parser("export-catalog", help="export catalog names for the bot")
    catalog_cmd.add_argument("--out", type=Path, required=True, help="the JSON file to write")
    commands.add_parser("token", help="print the API token, generating it if needed")
    agent_cmd = commands.add_parser(
        "create-agent", help="add a desk user (the password is read from stdin)"
    )
    agent_cmd.add_argument("username", help="the login: lower-case letters, digits, . _ -")
    agent_cmd.add_argument("--display-name", required=True, help="the name customers see")
    agent_cmd.add_argument("--role", choices=[r.value for r in AgentRole], default="agent")
    commands.add_parser("demo-agents", help="create the demo agent and manager once; print logins")
    marketing.add_commands(commands)
    privacy.add_commands(commands)
    return parser


def main(
    argv: Sequence[str] | None = None,
    *,
    environ: dict[str, str] | None = None,
    out: TextIO | None = None,
) -> int:
    """Run one command, writing its report to ``out`` (stdout); return the exit code."""
    args = _parser().parse_args(argv)
    env = dict(os.environ) if environ is None else environ
    settings = CrmSettings.from_env(env)
    out = out or sys.stdout
    actions: dict[str, Callable[[], None]] = {
        "migrate": lambda: migrate(settings, out),
        "seed": lambda: seed(settings, out, today=args.today),
        "export-outbox": lambda: export_outbox(settings, out, path=args.out),
        "export-catalog": lambda: export_catalog(settings, out, path=args.out),
        "token": lambda: token(settings, out, environ=env),
        "create-agent": lambda: create_agent(
            settings,
            out,
            username=args.username,
            display_name=args.display_name,
            role=args.role,
            password=sys.stdin.readline().rstrip("\n"),
        ),
        "demo-agents": lambda: demo_agents(settings, out),
        "campaign": lambda: _marketing(settings, out, args),
        "call-list": lambda: _marketing(settings, out, args),
        "erase": lambda: _privacy(settings, out, args),
        "export": lambda: _privacy(settings, out, args),
        "purge": lambda: _privacy(settings, out, args),
    }
    try:
        actions[args.command]()
    except OperationalError as exc:
        reason = str(exc.orig) if exc.orig else str(exc)
        hint = ""
        if "no such table" in reason or "does not exist" in reason:
            hint = "; run `python -m crm_backend seed` (or `migrate`) first"
        print(
            f"error: database {_shown(settings.database_url)}: {reason}{hint}",
            file=sys.stderr,
        )
        return 1
    except (CrmError, TokenFileError, OSError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    return 0
