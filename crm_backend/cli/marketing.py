"""The IC manager's commands: campaigns and call lists (``python -m crm_backend campaign|call-list``).

| command | what it does |
| --- | --- |
| ``campaign list`` | every campaign, newest first |
| ``campaign create NAME --script S --channel phone --from D --to D [...]`` | a draft campaign (a script that passes ``make stories-check``, a product on sale) |
| ``campaign activate ID``, ``pause ID``, ``resume ID``, ``end ID`` | its life: draft → active ⇄ paused → ended |
| ``campaign variant ID SCRIPT_B [--share PERCENT]``, ``variant ID --none`` | an A/B test of a draft's script, or none |
| ``campaign results ID``, ``campaign keep ID SCRIPT`` | the test's figures per variant; end it by keeping one |
| ``call-list preview --channel phone [filters]`` | how many a target reaches, who is left out and why |
| ``call-list build --campaign ID --name N [filters] [--assign A] [--window HH:MM-HH:MM]`` | a draft list |
| ``call-list list [--campaign ID]`` | every call list with its progress |
| ``call-list show ID`` | a list's entries: priority, status, outcome, reason |
| ``call-list assign ID bot|agents|USERNAME`` | who works it |
| ``call-list start ID``, ``call-list pause ID`` | the dialer or the agents work it, or stop taking entries |

Filters: ``--owns-sku``, ``--owns-product`` (name words: ``eclipse``),
``--owns-category``, ``--bought-from``, ``--bought-to``, ``--postcode``
(a prefix), ``--city``, ``--lead-level``, ``--lead-status``,
``--preferred-channel``.
"""  # noqa: E501 - a table reads better on one line

from __future__ import annotations

import argparse
import datetime as dt
from collections.abc import Callable
from typing import TextIO

from ..errors import InvalidRequest
from ..models import CallList, ContactChannel, LeadLevel, LeadStatus
from ..services import call_lists, campaigns, script_variants
from ..services.call_lists import TargetFilter
from ..settings import CrmSettings
from ..uow import SqlAlchemyUnitOfWork, UnitOfWork
from .database import sessions

Command = Callable[[UnitOfWork, argparse.Namespace, TextIO], None]


def _hours(text: str) -> tuple[dt.time, dt.time]:
    """``"09:00-19:00"`` as two times."""
    try:
        opens, closes = (dt.time.fromisoformat(part.strip()) for part in text.split("-"))
    except ValueError:
        raise argparse.ArgumentTypeError(f"hours are HH:MM-HH:MM, not {text!r}") from None
    return opens, closes


def add_commands(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``campaign`` and ``call-list`` to the CLI's commands."""
    campaign = commands.add_parser("campaign", help="list, create, activate, pause, resume, end")
    campaign_cmds = campaign.add_subparsers(dest="action", required=True, metavar="action")
    campaign_cmds.add_parser("list", help="every campaign, newest first")
    for action, text in (
        ("activate", "start a draft campaign: its started lists are worked"),
        ("pause", "stop working an active campaign's lists"),
        ("resume", "work a paused campaign's lists again"),
        ("end", "end a campaign for good"),
    ):
        campaign_cmds.add_parser(action, help=text).add_argument("id", type=int)
    variant = campaign_cmds.add_parser("variant", help="A/B test a draft campaign's script")
    variant.add_argument("id", type=int)
    variant.add_argument("script_b", nargs="?", default="", help="the script's variant B")
    variant.add_argument("--share", type=int, default=50, help="percent of contacts that get B")
    variant.add_argument("--none", action="store_true", help="remove the test")
    campaign_cmds.add_parser("results", help="an A/B test's figures").add_argument("id", type=int)
    keep = campaign_cmds.add_parser("keep", help="end an A/B test by keeping one variant")
    keep.add_argument("id", type=int)
    keep.add_argument("script")
    create = campaign_cmds.add_parser("create", help="create a draft campaign")
    create.add_argument("name")
    create.add_argument("--script", required=True, help="the interactive script's name")
    create.add_argument("--channel", required=True, choices=[c.value for c in ContactChannel])
    create.add_argument("--from", dest="starts_on", required=True, type=dt.date.fromisoformat)
    create.add_argument("--to", dest="ends_on", required=True, type=dt.date.fromisoformat)
    create.add_argument("--product", help="the SKU on offer")
    create.add_argument("--offer", default="", help="the offer, in a sentence")
    create.add_argument("--hours", type=_hours, default="09:00-19:00", help="calling hours")
    create.add_argument("--max-attempts", type=int, default=3)
    create.add_argument("--retry-minutes", type=int, default=60)
    create.add_argument(
        "--message", default="", help="an SMS campaign's text; a phone campaign's voicemail"
    )

    call_list = commands.add_parser("call-list", help="preview, build and work call lists")
    list_cmds = call_list.add_subparsers(dest="action", required=True, metavar="action")
    preview = list_cmds.add_parser("preview", help="count whom a target reaches on a channel")
    preview.add_argument("--channel", required=True, choices=[c.value for c in ContactChannel])
    _add_filters(preview)
    build = list_cmds.add_parser("build", help="build a draft call list for a campaign")
    build.add_argument("--campaign", type=int, required=True)
    build.add_argument("--name", required=True)
    build.add_argument("--assign", default="bot", help="bot, agents, or an agent's user name")
    build.add_argument("--window", type=_hours, help="within the campaign's calling hours")
    _add_filters(build)
    listed = list_cmds.add_parser("list", help="every call list with its progress")
    listed.add_argument("--campaign", type=int)
    for action, text in (
        ("show", "a list's entries"),
        ("start", "start working a list"),
        ("pause", "stop taking new entries of a list"),
    ):
        list_cmds.add_parser(action, help=text).add_argument("id", type=int)
    assign = list_cmds.add_parser("assign", help="hand a list to the bot or agents")
    assign.add_argument("id", type=int)
    assign.add_argument("assignee", help="bot, agents, or an agent's user name")


def _add_filters(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--owns-sku")
    parser.add_argument("--owns-product", help="words of the product's name, e.g. eclipse")
    parser.add_argument("--owns-category", help="e.g. laptop")
    parser.add_argument("--bought-from", type=dt.date.fromisoformat)
    parser.add_argument("--bought-to", type=dt.date.fromisoformat)
    parser.add_argument("--postcode", help="postcodes starting so (69: the Rhône)")
    parser.add_argument("--city")
    parser.add_argument("--lead-level", choices=[level.value for level in LeadLevel])
    parser.add_argument("--lead-status", choices=[status.value for status in LeadStatus])
    parser.add_argument("--preferred-channel")


def _target(args: argparse.Namespace) -> TargetFilter:
    return TargetFilter(
        owns_sku=args.owns_sku,
        owns_product=args.owns_product,
        owns_category=args.owns_category,
        bought_from=args.bought_from,
        bought_to=args.bought_to,
        postcode_prefix=args.postcode,
        city=args.city,
        lead_level=LeadLevel(args.lead_level) if args.lead_level else None,
        lead_status=LeadStatus(args.lead_status) if args.lead_status else None,
        preferred_channel=args.preferred_channel,
    )


def command(args: argparse.Namespace) -> tuple[Command, bool]:
    """The function for ``args``, and whether it writes (then its unit of work is committed)."""
    table: dict[tuple[str, str], tuple[Command, bool]] = {
        ("campaign", "list"): (_campaigns, False),
        ("campaign", "create"): (_create_campaign, True),
        ("campaign", "activate"): (_activate, True),
        ("campaign", "pause"): (_campaign_change, True),
        ("campaign", "resume"): (_campaign_change, True),
        ("campaign", "end"): (_campaign_change, True),
        ("campaign", "variant"): (_variant, True),
        ("campaign", "results"): (_variant_results, False),
        ("campaign", "keep"): (_keep, True),
        ("call-list", "preview"): (_preview, False),
        ("call-list", "build"): (_build, True),
        ("call-list", "list"): (_lists, False),
        ("call-list", "show"): (_show, False),
        ("call-list", "assign"): (_assign, True),
        ("call-list", "start"): (_start, True),
        ("call-list", "pause"): (_pause, True),
    }
    return table[(args.command, args.action)]


def run(settings: CrmSettings, out: TextIO, args: argparse.Namespace) -> None:
    """Run a ``campaign`` or ``call-list`` command; commit what it wrote."""
    work, writes = command(args)
    args.scripts_dir = settings.scripts_dir
    with sessions(settings) as factory, SqlAlchemyUnitOfWork(factory) as uow:
        work(uow, args, out)
        if writes:
            uow.commit()


def _campaigns(uow: UnitOfWork, args: argparse.Namespace, out: TextIO) -> None:
    for c in campaigns.list_campaigns(uow):
        product = c.product.sku if c.product else "-"
        print(
            f"{c.id:>4}  {c.status:<8} {c.channel:<6} {c.starts_on} → {c.ends_on}  "
            f"{c.calling_hours_start:%H:%M}-{c.calling_hours_end:%H:%M}  {product:<10} "
            f"{c.name} (script {c.script}, {c.max_attempts} attempts "
            f"{c.retry_delay_minutes} min apart)",
            file=out,
        )


def _create_campaign(uow: UnitOfWork, args: argparse.Namespace, out: TextIO) -> None:
    created = campaigns.create_campaign(
        uow,
        name=args.name,
        script=args.script,
        channel=args.channel,
        starts_on=args.starts_on,
        ends_on=args.ends_on,
        product_sku=args.product,
        offer=args.offer,
        calling_hours=args.hours,
        max_attempts=args.max_attempts,
        retry_delay_minutes=args.retry_minutes,
        message=args.message,
        scripts_dir=args.scripts_dir,
    )
    print(f"campaign {created.id} created (draft): {created.name}", file=out)


def _activate(uow: UnitOfWork, args: argparse.Namespace, out: TextIO) -> None:
    changed = campaigns.activate_campaign(uow, campaign_id=args.id, scripts_dir=args.scripts_dir)
    print(f"campaign {changed.id} is {changed.status}", file=out)


def _campaign_change(uow: UnitOfWork, args: argparse.Namespace, out: TextIO) -> None:
    change = {
        "pause": campaigns.pause_campaign,
        "resume": campaigns.resume_campaign,
        "end": campaigns.end_campaign,
    }[args.action]
    changed = change(uow, campaign_id=args.id)
    print(f"campaign {changed.id} is {changed.status}", file=out)


def _variant(uow: UnitOfWork, args: argparse.Namespace, out: TextIO) -> None:
    if not args.none and not args.script_b:
        raise InvalidRequest("name the script's variant B, or --none to remove the test")
    changed = script_variants.set_variant(
        uow,
        campaign_id=args.id,
        script_b=None if args.none else args.script_b,
        share_b=args.share,
        scripts_dir=args.scripts_dir,
    )
    if changed.script_b:
        print(
            f"campaign {changed.id}: A {changed.script}, B {changed.script_b} "
            f"for {changed.script_b_share} % of the contacts",
            file=out,
        )
    else:
        print(f"campaign {changed.id}: no test, everyone gets {changed.script}", file=out)


def _variant_results(uow: UnitOfWork, args: argparse.Namespace, out: TextIO) -> None:
    found = script_variants.report(uow, campaign_id=args.id)
    if found is None:
        print(f"campaign {args.id} has no A/B test", file=out)
        return
    for v in found.variants:
        conversion = "-" if v.conversion is None else f"{v.conversion:.1%}"
        interval = f" ({v.interval.low:.1%} to {v.interval.high:.1%})" if v.interval else ""
        print(
            f"{v.label} {v.script}: {v.contacts} contacts, {v.reached} reached, {v.leads} leads, "
            f"{v.qualified} qualified, conversion {conversion}{interval}",
            file=out,
        )
    state = "running" if found.running else f"ended, kept {found.kept}"
    print(f"{state}: {found.verdict}", file=out)


def _keep(uow: UnitOfWork, args: argparse.Namespace, out: TextIO) -> None:
    changed = script_variants.keep_variant(uow, campaign_id=args.id, script=args.script)
    print(f"campaign {changed.id}: test ended, its script is {changed.script}", file=out)


def _preview(uow: UnitOfWork, args: argparse.Namespace, out: TextIO) -> None:
    preview = call_lists.preview_target(uow, target=_target(args), channel=args.channel)
    print(f"{preview.eligible_count} to contact, {len(preview.excluded)} left out", file=out)
    for account_id, reason in preview.excluded:
        account = uow.accounts.get(account_id)
        who = f"{account.customer_number} {account.name}" if account else str(account_id)
        print(f"  left out: {who}: {reason}", file=out)


def _build(uow: UnitOfWork, args: argparse.Namespace, out: TextIO) -> None:
    built = call_lists.build_call_list(
        uow,
        campaign_id=args.campaign,
        name=args.name,
        target=_target(args),
        assigned_to=args.assign,
        window=args.window,
    )
    uow.flush()
    _summary(uow, built, out)


def _lists(uow: UnitOfWork, args: argparse.Namespace, out: TextIO) -> None:
    for found in call_lists.list_call_lists(uow, campaign_id=args.campaign):
        _summary(uow, found, out)


def _summary(uow: UnitOfWork, found: CallList, out: TextIO) -> None:
    counts = call_lists.progress(uow, call_list_id=found.id)
    shown = ", ".join(f"{count} {status}" for status, count in counts.items())
    print(
        f"call list {found.id} ({found.status}, {found.assigned_to}): {found.name} "
        f"for campaign {found.campaign_id}: {shown}",
        file=out,
    )


def _show(uow: UnitOfWork, args: argparse.Namespace, out: TextIO) -> None:
    shown = call_lists.get_call_list(uow, call_list_id=args.id)
    _summary(uow, shown, out)
    for e in shown.entries:
        account = e.account
        detail = e.exclusion_reason or e.outcome or ""
        print(
            f"  {e.id:>5} {e.priority:>4}  {e.status:<9} {e.attempts} call(s)  "
            f"{account.customer_number} {account.name:<28} {account.primary_phone or '-':<14} "
            f"{e.window_start:%H:%M}-{e.window_end:%H:%M} {e.timezone}  {detail}",
            file=out,
        )


def _assign(uow: UnitOfWork, args: argparse.Namespace, out: TextIO) -> None:
    assigned = call_lists.assign_call_list(uow, call_list_id=args.id, assigned_to=args.assignee)
    print(f"call list {assigned.id} assigned to {assigned.assigned_to}", file=out)


def _start(uow: UnitOfWork, args: argparse.Namespace, out: TextIO) -> None:
    started = call_lists.start_call_list(uow, call_list_id=args.id)
    print(f"call list {started.id} active: worked by {started.assigned_to}", file=out)


def _pause(uow: UnitOfWork, args: argparse.Namespace, out: TextIO) -> None:
    paused = call_lists.pause_call_list(uow, call_list_id=args.id)
    print(f"call list {paused.id} paused", file=out)
