"""What the call list pages show, read from the CRM into plain values.

Each function opens its own unit of work and returns dataclasses of text
and numbers, so a template renders after the session has closed.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from crm_backend.models import CallListEntry, ContactChannel
from crm_backend.services import call_list_entries, call_lists, campaigns, targets
from crm_backend.services.call_lists import AGENTS, BOT, TargetFilter

from ..deps import UowFactory
from .campaign_views import CampaignRow, ListRow, campaign_row, list_row


@dataclass(frozen=True)
class EntryRow:
    """One person on a call list.

    ``priority_basis`` says what the priority is made of ("hot lead 300 +
    ..."); ``next_attempt`` when a pending or unreached entry is tried again,
    or that no try is left.
    """

    id: int
    customer: str
    phone: str
    priority: int
    priority_basis: str
    window: str
    status: str
    attempts: int
    outcome: str
    next_attempt: str
    held_by: str


@dataclass(frozen=True)
class ListView:
    """A call list's page: the list, its campaign, its entries, who may work it.

    ``target`` is the list's criteria as a sentence; ``excluded`` how many
    were left out for each reason.
    """

    row: ListRow
    campaign: CampaignRow
    target: str
    excluded: dict[str, int]
    entries: list[EntryRow]
    assignees: list[str]
    startable: bool


@dataclass(frozen=True)
class PreviewView:
    """How many a target reaches, and who it leaves out and why."""

    channel: str
    eligible: int
    excluded: list[tuple[str, str]]
    target: str


@dataclass(frozen=True)
class TargetChoices:
    """What the call list form offers: only values the CRM accepts."""

    campaigns: list[tuple[int, str]]
    assignees: list[str]
    products: list[tuple[str, str]]
    channels: list[str]


def assignees(uows: UowFactory) -> list[str]:
    """Who may work a list: the bot, every agent, or one active agent."""
    with uows() as uow:
        return [BOT, AGENTS, *sorted(a.username for a in uow.agents.list_by(active=True))]


def target_choices(uows: UowFactory) -> TargetChoices:
    """The campaigns that may get a list, who may work it, the products, the channels."""
    with uows() as uow:
        products = sorted(
            ((p.sku, f"{p.name} ({p.sku})") for p in uow.products.list_by()),
            key=lambda p: p[1].lower(),
        )
        open_campaigns = [
            (c.id, f"{c.name} ({c.channel}, {c.status})")
            for c in campaigns.list_campaigns(uow)
            if c.status != campaigns.ENDED
        ]
    return TargetChoices(
        campaigns=open_campaigns,
        assignees=assignees(uows),
        products=products,
        channels=[c.value for c in ContactChannel],
    )


def preview(uows: UowFactory, *, target: TargetFilter, campaign_id: int) -> PreviewView:
    """Whom ``target`` reaches for the campaign, and who it leaves out and why.

    Raises:
        CampaignNotFound: no campaign has that id.
        ProductNotFound: the target names an unknown SKU.
    """
    with uows() as uow:
        channel = campaigns.get_campaign(uow, campaign_id=campaign_id).channel
        found = call_lists.preview_target(
            uow, target=target, channel=channel, campaign_id=campaign_id
        )
        excluded = []
        for account_id, reason in found.excluded:
            account = uow.accounts.get(account_id)
            who = f"{account.name} ({account.customer_number})" if account else str(account_id)
            excluded.append((who, reason))
        return PreviewView(
            channel=str(channel),
            eligible=found.eligible_count,
            excluded=excluded,
            target=targets.describe_target(target.as_criteria()),
        )


def call_list_page(uows: UowFactory, *, call_list_id: int, now: dt.datetime) -> ListView:
    """A call list with its entries.

    Raises:
        CallListNotFound: there is none.
    """
    with uows() as uow:
        found = call_lists.get_call_list(uow, call_list_id=call_list_id)
        campaign = found.campaign
        return ListView(
            row=list_row(uow, found),
            campaign=campaign_row(campaign, []),
            target=targets.describe_target(found.criteria),
            excluded=call_lists.excluded_by_reason(uow, call_list_id=found.id),
            entries=[_entry_row(e, now) for e in found.entries],
            assignees=assignees(uows),
            startable=found.status in call_lists.STARTABLE
            and campaign.status in (campaigns.DRAFT, campaigns.ACTIVE),
        )


def _entry_row(entry: CallListEntry, now: dt.datetime) -> EntryRow:
    account = entry.account
    upcoming = call_list_entries.next_try(entry, now)
    retry = ""
    if upcoming is not None:
        when = f"{upcoming.at:%Y-%m-%d %H:%M}" if upcoming.at else ""
        retry = " ".join(part for part in (when, upcoming.note) if part)
    basis = [(str(why), int(points)) for why, points in entry.priority_basis or []]
    return EntryRow(
        id=entry.id,
        customer=f"{account.name} ({account.customer_number})",
        phone=account.primary_phone or "",
        priority=entry.priority,
        priority_basis=" + ".join(f"{why} {points}" for why, points in basis),
        window=f"{entry.window_start:%H:%M}-{entry.window_end:%H:%M} {entry.timezone}",
        status=entry.status,
        attempts=entry.attempts,
        outcome=entry.exclusion_reason or entry.outcome or "",
        next_attempt=retry,
        held_by=entry.claimed_by or "",
    )
