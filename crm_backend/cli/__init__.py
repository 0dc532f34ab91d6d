"""``python -m crm_backend <command>``: the CRM's administration commands.

| command | what it does |
| --- | --- |
| ``migrate`` | bring the database schema up to date (``alembic upgrade head``) |
| ``seed [--today DATE]`` | migrate, then add the demo data if the database is empty |
| ``export-outbox [--out FILE]`` | append pending ERP outbox records as JSON lines (or stdout) |
| ``export-catalog --out FILE`` | write the catalog names the bot's matcher reads, only on change |
| ``review-export [--out FILE]`` | write the messages reviewers marked (``/desk/review``) as Rasa NLU data, redacted (default ``data/en/nlu/review.yml``) |
| ``token`` | print the API token, generating it into ``var/`` if there is none |
| ``create-agent NAME --display-name .. [--role manager|trainer]`` | add a desk user; the password is read from stdin |
| ``demo-agents`` | create the demo agent and manager once (passwords in ``var/desk_logins``) and print their logins |
| ``campaign list|create``, ``call-list preview|build|list|show|assign|start|pause`` | the IC manager's campaigns and call lists (:mod:`.marketing`) |
| ``erase --account C-…|--phone …|--email …``, ``export --account C-… [--out FILE]``, ``purge [--days N]`` | a person's erasure and export, retention (:mod:`.privacy`) |

One module per topic: :mod:`.database` (``migrate``, ``seed``),
:mod:`.exports` (``export-outbox``, ``export-catalog``), :mod:`.logins`
(``token``, ``create-agent``, ``demo-agents``), :mod:`.marketing` and
:mod:`.privacy`; this one parses the command line and runs the command.

Exit codes: 0 done, 1 the command failed (the reason is on stderr), 2 bad usage.
The database is ``DATABASE_URL`` (see :mod:`crm_backend.settings`).
"""  # noqa: E501 - a table reads better on one line

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TextIO

from sqlalchemy.exc import OperationalError

from ..auth import TokenFileError
from ..errors import CrmError
from ..models import AgentRole
from ..services.review_export import EXPORT_FILE
from ..settings import REPO_ROOT, CrmSettings
from . import database, exports, logins, marketing, privacy


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
    review_cmd = commands.add_parser(
        "review-export", help="write the reviewed messages as Rasa NLU training data"
    )
    review_cmd.add_argument(
        "--out",
        type=Path,
        default=REPO_ROOT / EXPORT_FILE,
        help=f"the YAML file to write (default: {EXPORT_FILE})",
    )
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
        "migrate": lambda: database.migrate(settings, out),
        "seed": lambda: database.seed(settings, out, today=args.today),
        "export-outbox": lambda: exports.export_outbox(settings, out, path=args.out),
        "export-catalog": lambda: exports.export_catalog(settings, out, path=args.out),
        "review-export": lambda: exports.review_export(settings, out, path=args.out),
        "token": lambda: logins.token(settings, out, environ=env),
        "create-agent": lambda: logins.create_agent(
            settings,
            out,
            username=args.username,
            display_name=args.display_name,
            role=args.role,
            password=sys.stdin.readline().rstrip("\n"),
        ),
        "demo-agents": lambda: logins.demo_agents(settings, out),
        "campaign": lambda: marketing.run(settings, out, args),
        "call-list": lambda: marketing.run(settings, out, args),
        "erase": lambda: privacy.run(settings, out, args),
        "export": lambda: privacy.run(settings, out, args),
        "purge": lambda: privacy.run(settings, out, args),
    }
    try:
        actions[args.command]()
    except OperationalError as exc:
        reason = str(exc.orig) if exc.orig else str(exc)
        hint = ""
        if "no such table" in reason or "does not exist" in reason:
            hint = "; run `python -m crm_backend seed` (or `migrate`) first"
        print(
            f"error: database {database.shown(settings.database_url)}: {reason}{hint}",
            file=sys.stderr,
        )
        return 1
    except (CrmError, TokenFileError, OSError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    return 0
