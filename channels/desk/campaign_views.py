"""What the marketing pages show, read from the CRM into plain values.

Each function opens its own unit of work and returns dataclasses of text
and numbers, so a template renders after the session has closed.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from crm_backend.errors import InvalidScript, ScriptNotFound
from crm_backend.models import CallList, CallListEntry, Campaign, ContactChannel
from crm_backend.services import call_list_entries, call_lists, campaigns, customer_view, scripts
from crm_backend.services.call_lists import AGENTS, BOT, TargetFilter
from crm_backend.services.customer_view import CustomerView
from crm_backend.uow import UnitOfWork

from ..deps import UowFactory


@dataclass(frozen=True)
class ListRow:
    """A call list in a table: who works it and how far it got."""

    id: int
    name: str
    status: str
    assigned_to: str
    campaign_id: int
    campaign_name: str
    progress: dict[str, int]


@dataclass(frozen=True)
class CampaignRow:
    """A campaign and its call lists."""

    id: int
    name: str
    status: str
    channel: str
    dates: str
    hours: str
    product: str
    offer: str
    script: str
    retries: str
    message: str
    lists: list[ListRow]


@dataclass(frozen=True)
class EntryRow:
    """One person on a call list."""

    id: int
    customer: str
    phone: str
    priority: int
    window: str
    status: str
    attempts: int
    outcome: str
    next_attempt: str
    held_by: str


@dataclass(frozen=True)
class ListView:
    """A call list's page: the list, its campaign, its entries, who may work it."""

    row: ListRow
    campaign: CampaignRow
    criteria: dict[str, str]
    entries: list[EntryRow]
    assignees: list[str]
    startable: bool


@dataclass(frozen=True)
class PreviewView:
    """How many a target reaches, and who it leaves out and why."""

    channel: str
    eligible: int
    excluded: list[tuple[str, str]]


@dataclass(frozen=True)
class ScriptView:
    """A script as an agent reads it during a call."""

    title: str
    offer: str
    questions: list[tuple[str, list[str]]]
    objections: list[tuple[str, str]]


@dataclass(frozen=True)
class CallView:
    """The entry an agent is calling: the customer, the campaign, the script."""

    entry_id: int
    phone: str
    window: str
    attempts: int
    max_attempts: int
    last_outcome: str
    notes: str
    campaign: CampaignRow
    customer: CustomerView
    script: ScriptView | None
    script_problem: str


def _campaign_row(campaign: Campaign, lists: list[ListRow]) -> CampaignRow:
    return CampaignRow(
        id=campaign.id,
        name=campaign.name,
        status=campaign.status,
        channel=str(campaign.channel),
        dates=f"{campaign.starts_on.isoformat()} to {campaign.ends_on.isoformat()}",
        hours=f"{campaign.calling_hours_start:%H:%M}-{campaign.calling_hours_end:%H:%M}",
        product=f"{campaign.product.name} ({campaign.product.sku})" if campaign.product else "",
        offer=campaign.offer,
        script=campaign.script,
        retries=f"{campaign.max_attempts} attempts, {campaign.retry_delay_minutes} min apart",
        message=campaign.message,
        lists=lists,
    )


def _list_row(uow: UnitOfWork, found: CallList) -> ListRow:
    return ListRow(
        id=found.id,
        name=found.name,
        status=found.status,
        assigned_to=found.assigned_to,
        campaign_id=found.campaign_id,
        campaign_name=found.campaign.name,
        progress=call_lists.progress(uow, call_list_id=found.id),
    )


def campaigns_page(uows: UowFactory) -> list[CampaignRow]:
    """Every campaign, newest first, with its call lists."""
    with uows() as uow:
        return [
            _campaign_row(
                c,
                [
                    _list_row(uow, found)
                    for found in call_lists.list_call_lists(uow, campaign_id=c.id)
                ],
            )
            for c in campaigns.list_campaigns(uow)
        ]


def campaign_choices(uows: UowFactory) -> list[tuple[int, str]]:
    """(id, name) of every campaign, newest first."""
    with uows() as uow:
        return [(c.id, f"{c.name} ({c.channel})") for c in campaigns.list_campaigns(uow)]


def preview(uows: UowFactory, *, target: TargetFilter, channel: str) -> PreviewView:
    """Whom ``target`` reaches on ``channel``, and who it leaves out.

    Raises:
        InvalidRequest: an unknown channel.
    """
    with uows() as uow:
        found = call_lists.preview_target(uow, target=target, channel=channel)
        excluded = []
        for account_id, reason in found.excluded:
            account = uow.accounts.get(account_id)
            who = f"{account.name} ({account.customer_number})" if account else str(account_id)
            excluded.append((who, reason))
        return PreviewView(channel=channel, eligible=found.eligible_count, excluded=excluded)


def call_list_page(uows: UowFactory, *, call_list_id: int, now: dt.datetime) -> ListView:
    """A call list with its entries.

    Raises:
        CallListNotFound: there is none.
    """
    with uows() as uow:
        found = call_lists.get_call_list(uow, call_list_id=call_list_id)
        row = _list_row(uow, found)
        agents = sorted(a.username for a in uow.agents.list_by(active=True))
        return ListView(
            row=row,
            campaign=_campaign_row(found.campaign, []),
            criteria={str(k): str(v) for k, v in found.criteria.items()},
            entries=[_entry_row(e, now) for e in found.entries],
            assignees=[BOT, AGENTS, *agents],
            startable=found.status in call_lists.STARTABLE,
        )


def _entry_row(entry: CallListEntry, now: dt.datetime) -> EntryRow:
    account = entry.account
    retry = ""
    if entry.status == call_lists.PENDING and entry.next_attempt_at and entry.next_attempt_at > now:
        local = call_list_entries.local_time(entry, entry.next_attempt_at)
        retry = f"{local:%Y-%m-%d %H:%M}"
    return EntryRow(
        id=entry.id,
        customer=f"{account.name} ({account.customer_number})",
        phone=account.primary_phone or "",
        priority=entry.priority,
        window=f"{entry.window_start:%H:%M}-{entry.window_end:%H:%M} {entry.timezone}",
        status=entry.status,
        attempts=entry.attempts,
        outcome=entry.exclusion_reason or entry.outcome or "",
        next_attempt=retry,
        held_by=entry.claimed_by or "",
    )


def call_page(
    uows: UowFactory, *, entry_id: int, scripts_dir: Path, today: dt.date, timezone: str = "UTC"
) -> CallView:
    """The entry an agent holds, with all they need to make the call (times in ``timezone``).

    Raises:
        CallListEntryNotFound: there is none.
    """
    with uows() as uow:
        entry = call_list_entries.get_entry(uow, entry_id=entry_id)
        campaign = entry.call_list.campaign
        script, problem = _script(scripts_dir, campaign.script)
        return CallView(
            entry_id=entry.id,
            phone=entry.account.primary_phone or "",
            window=f"{entry.window_start:%H:%M}-{entry.window_end:%H:%M} {entry.timezone}",
            attempts=entry.attempts,
            max_attempts=campaign.max_attempts,
            last_outcome=entry.outcome or "",
            notes=entry.notes or "",
            campaign=_campaign_row(campaign, []),
            customer=customer_view.customer_view(
                uow, account_id=entry.account_id, today=today, timezone=timezone
            ),
            script=script,
            script_problem=problem,
        )


def _script(directory: Path, name: str) -> tuple[ScriptView | None, str]:
    try:
        found = scripts.load_script(directory=directory, name=name)
    except (ScriptNotFound, InvalidScript) as exc:
        return None, exc.message
    return (
        ScriptView(
            title=found.title,
            offer=found.offer,
            questions=[
                (q.ask, [f"{o.answer} ({o.points} points)" for o in q.options])
                for q in found.questions
            ],
            objections=[(o.kind.replace("_", " "), o.answer) for o in found.objections],
        ),
        "",
    )


CHANNELS = [c.value for c in ContactChannel]
