"""Call lists: whom a campaign reaches, in which order, and who was left out and why.

The IC manager describes the target with a :class:`TargetFilter`, previews
how many people it reaches, and builds the list. People the campaign's
channel must not reach (do-not-contact, an opt-out, no consent for outbound)
stay on the list as excluded entries with the reason, so the manager sees
them and nobody calls them.

A list is built as a ``draft``, assigned to the bot, to any agent
(``agents``) or to one agent, then started (``active``: the dialer or the
agents work it, see :mod:`crm_backend.services.call_list_entries`), paused
and started again, and ``done`` once nobody on it is left to contact.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from typing import Any

from ..errors import CallListNotFound, InvalidRequest, InvalidStatusChange
from ..models import (
    Account,
    CallList,
    CallListEntry,
    ContactChannel,
    Lead,
    LeadLevel,
    LeadStatus,
    RegisteredProduct,
)
from ..text import normalize
from ..uow import UnitOfWork
from .campaigns import get_campaign
from .consent import contact_refusal
from .dates import today_or

PENDING = "pending"
CALLING = "calling"
DONE = "done"
EXCLUDED = "excluded"
BOT = "bot"
AGENTS = "agents"
# The channels the dialer works by itself; agents work any.
BOT_CHANNELS = frozenset({ContactChannel.PHONE, ContactChannel.SMS})
# draft (or the demo's "ready") → active ⇄ paused; active → done once nobody is left.
STARTABLE = frozenset({"draft", "ready", "paused"})
PREFERRED_CHANNEL = "preferred_channel"
LEVEL_PRIORITY = {LeadLevel.HOT: 300, LeadLevel.WARM: 200, LeadLevel.COLD: 100}
# (at most this many days ago, points): recent interest or purchases come first.
RECENCY_PRIORITY = ((30, 30), (90, 20), (365, 10))


@dataclass(frozen=True)
class TargetFilter:
    """Who a call list targets; every criterion given must hold, none given means everyone.

    Attributes:
        owns_sku: owns this product (registered in the installed base).
        owns_product: owns a product whose name contains these words
            (accent- and case-insensitive: "eclipse" for every Éclipse).
        owns_category: owns a product of this category ("laptop").
        bought_from: bought such a product (or anything, without ``owns_*``) on or after this day.
        bought_to: ... on or before this day.
        postcode_prefix: lives where the postcode starts like this ("69" for the Rhône).
        city: lives in this city (accent- and case-insensitive).
        lead_level: has a lead at this level.
        lead_status: has a lead in this status (the same lead as ``lead_level``).
        preferred_channel: said they prefer this channel (preference ``preferred_channel``).
    """

    owns_sku: str | None = None
    owns_product: str | None = None
    owns_category: str | None = None
    bought_from: dt.date | None = None
    bought_to: dt.date | None = None
    postcode_prefix: str | None = None
    city: str | None = None
    lead_level: LeadLevel | None = None
    lead_status: LeadStatus | None = None
    preferred_channel: str | None = None

    def as_criteria(self) -> dict[str, Any]:
        """The criteria given, as JSON-able data (kept on the call list)."""
        return {
            key: value.isoformat() if isinstance(value, dt.date) else str(value)
            for key, value in asdict(self).items()
            if value is not None
        }


@dataclass(frozen=True)
class TargetPreview:
    """How many people a target reaches on a channel, and who it leaves out and why."""

    eligible_count: int
    excluded: list[tuple[int, str]]


@dataclass(frozen=True)
class _Match:
    account: Account
    lead: Lead | None


def preview_target(
    uow: UnitOfWork, *, target: TargetFilter, channel: ContactChannel | str
) -> TargetPreview:
    """Count who ``target`` reaches on ``channel``; list (account id, reason) of those left out."""
    matches = _matches(uow, target)
    excluded = []
    for match in matches:
        reason = contact_refusal(match.account, channel=channel)
        if reason is not None:
            excluded.append((match.account.id, reason))
    return TargetPreview(eligible_count=len(matches) - len(excluded), excluded=excluded)


def build_call_list(
    uow: UnitOfWork,
    *,
    campaign_id: int,
    name: str,
    target: TargetFilter,
    assigned_to: str = "bot",
    window: tuple[dt.time, dt.time] | None = None,
    today: dt.date | None = None,
) -> CallList:
    """Build a campaign's call list: the eligible first, by priority, then the excluded.

    Priority rises with the level of the person's best lead and with how
    recently they showed interest or bought. The calling window defaults to
    the campaign's calling hours and must lie within them.

    Raises:
        CampaignNotFound: no campaign has that id.
        InvalidRequest: an empty name or assignee, or a window outside the calling hours.
    """
    campaign = get_campaign(uow, campaign_id=campaign_id)
    opens, closes = window or (campaign.calling_hours_start, campaign.calling_hours_end)
    if not campaign.calling_hours_start <= opens < closes <= campaign.calling_hours_end:
        raise InvalidRequest("the calling window must lie within the campaign's calling hours")
    if not name.strip():
        raise InvalidRequest("a call list needs a name")
    today = today_or(today)
    eligible: list[CallListEntry] = []
    excluded: list[CallListEntry] = []
    for match in _matches(uow, target):
        account = match.account
        reason = contact_refusal(account, channel=campaign.channel)
        entry = CallListEntry(
            account=account,
            lead_id=match.lead.id if match.lead else None,
            priority=0 if reason else _priority(match, today),
            window_start=opens,
            window_end=closes,
            timezone=account.timezone,
            status=EXCLUDED if reason else PENDING,
            exclusion_reason=reason,
            attempts=0,
        )
        (excluded if reason else eligible).append(entry)
    eligible.sort(key=lambda e: -e.priority)  # stable: equal priorities stay by account id
    call_list = CallList(
        name=name.strip(),
        campaign=campaign,
        assigned_to=_assignee(uow, assigned_to),
        criteria=target.as_criteria(),
        status="draft",
        entries=eligible + excluded,
    )
    uow.call_lists.add(call_list)
    uow.flush()
    return call_list


def get_call_list(uow: UnitOfWork, *, call_list_id: int) -> CallList:
    """The call list with that id.

    Raises:
        CallListNotFound: there is none.
    """
    call_list = uow.call_lists.get(call_list_id)
    if call_list is None:
        raise CallListNotFound(key=call_list_id)
    return call_list


def list_call_lists(uow: UnitOfWork, *, campaign_id: int | None = None) -> list[CallList]:
    """Every call list (of one campaign when given), newest first."""
    if campaign_id is None:
        return list(uow.call_lists.list_by())
    return list(uow.call_lists.list_by(campaign_id=campaign_id))


def assign_call_list(uow: UnitOfWork, *, call_list_id: int, assigned_to: str) -> CallList:
    """Hand a call list to the bot (``bot``), to any agent (``agents``) or to one agent.

    Entries someone holds now stay with them until they are done.

    Raises:
        CallListNotFound: no call list has that id.
        InvalidRequest: the assignee is none of these, or the bot cannot work the channel.
    """
    call_list = get_call_list(uow, call_list_id=call_list_id)
    call_list.assigned_to = _assignee(uow, assigned_to)
    if call_list.status == "active":
        _check_workable(call_list)
    uow.flush()
    return call_list


def start_call_list(uow: UnitOfWork, *, call_list_id: int) -> CallList:
    """Start working a list (again): the dialer or the agents take its entries from now on.

    Its campaign becomes active too.

    Raises:
        CallListNotFound: no call list has that id.
        InvalidStatusChange: the list is active or done already.
        InvalidRequest: the bot cannot work the campaign's channel, or an SMS
            campaign has no message to send.
    """
    call_list = get_call_list(uow, call_list_id=call_list_id)
    if call_list.status not in STARTABLE:
        raise InvalidStatusChange(entity="call list", current=call_list.status, requested="active")
    _check_workable(call_list)
    call_list.status = "active"
    call_list.campaign.status = "active"
    uow.flush()
    return call_list


def pause_call_list(uow: UnitOfWork, *, call_list_id: int) -> CallList:
    """Stop taking new entries of an active list; calls under way go on to their end.

    Raises:
        CallListNotFound: no call list has that id.
        InvalidStatusChange: the list is not active.
    """
    call_list = get_call_list(uow, call_list_id=call_list_id)
    if call_list.status != "active":
        raise InvalidStatusChange(entity="call list", current=call_list.status, requested="paused")
    call_list.status = "paused"
    uow.flush()
    return call_list


def progress(uow: UnitOfWork, *, call_list_id: int) -> dict[str, int]:
    """How many entries of the list are pending, calling, done and excluded.

    Raises:
        CallListNotFound: no call list has that id.
    """
    get_call_list(uow, call_list_id=call_list_id)
    counts = uow.call_list_entries.in_status(call_list_id)
    return {status: counts.get(status, 0) for status in (PENDING, CALLING, DONE, EXCLUDED)}


def finish_if_worked(uow: UnitOfWork, *, call_list_id: int) -> bool:
    """Mark an active list ``done`` when nobody on it is pending or being called; whether it was."""
    call_list = get_call_list(uow, call_list_id=call_list_id)
    counts = progress(uow, call_list_id=call_list_id)
    if call_list.status != "active" or counts[PENDING] or counts[CALLING]:
        return False
    call_list.status = "done"
    uow.flush()
    return True


def _check_workable(call_list: CallList) -> None:
    campaign = call_list.campaign
    if call_list.assigned_to != BOT:
        return
    if campaign.channel not in BOT_CHANNELS:
        raise InvalidRequest(f"the bot works phone and SMS campaigns, not {campaign.channel}")
    if campaign.channel == ContactChannel.SMS and not campaign.message:
        raise InvalidRequest("an SMS campaign needs its message before the bot can send it")


def _matches(uow: UnitOfWork, target: TargetFilter) -> list[_Match]:
    leads_by_account: dict[int, list[Lead]] = defaultdict(list)
    for lead in uow.leads.list_by():
        leads_by_account[lead.account_id].append(lead)
    matches = []
    for account in sorted(uow.accounts.list_by(), key=lambda a: a.id):
        if not _place_and_taste_match(account, target) or not _purchase_matches(account, target):
            continue
        leads = [lead for lead in leads_by_account[account.id] if _lead_matches(lead, target)]
        if (target.lead_level or target.lead_status) and not leads:
            continue
        best = max(leads, key=_lead_rank, default=None)
        matches.append(_Match(account=account, lead=best))
    return matches


def _place_and_taste_match(account: Account, target: TargetFilter) -> bool:
    if target.postcode_prefix:
        prefix = "".join(target.postcode_prefix.split()).upper()
        if not "".join((account.postcode or "").split()).upper().startswith(prefix):
            return False
    if target.city and normalize(account.city or "") != normalize(target.city):
        return False
    if target.preferred_channel:
        said = next((p.value for p in account.preferences if p.key == PREFERRED_CHANNEL), "")
        if normalize(said) != normalize(target.preferred_channel):
            return False
    return True


def _purchase_matches(account: Account, target: TargetFilter) -> bool:
    if not (
        target.owns_sku
        or target.owns_product
        or target.owns_category
        or target.bought_from
        or target.bought_to
    ):
        return True
    return any(_owned_matches(owned, target) for owned in account.registered_products)


def _owned_matches(owned: RegisteredProduct, target: TargetFilter) -> bool:
    product = owned.product
    if target.owns_sku and product.sku != target.owns_sku.strip().upper():
        return False
    if target.owns_product and normalize(target.owns_product) not in normalize(product.name):
        return False
    if target.owns_category and _singular(product.category) != _singular(target.owns_category):
        return False
    if target.bought_from is not None and owned.purchased_on < target.bought_from:
        return False
    return target.bought_to is None or owned.purchased_on <= target.bought_to


def _singular(word: str) -> str:
    # "laptop" finds the category "laptops", and the other way round.
    return normalize(word).removesuffix("s")


def _lead_matches(lead: Lead, target: TargetFilter) -> bool:
    return (target.lead_level is None or lead.level == target.lead_level) and (
        target.lead_status is None or lead.status == target.lead_status
    )


def _lead_rank(lead: Lead) -> tuple[int, dt.datetime, int]:
    return LEVEL_PRIORITY.get(LeadLevel(lead.level), 0), lead.created_at, lead.id


def _priority(match: _Match, today: dt.date) -> int:
    level = LEVEL_PRIORITY.get(LeadLevel(match.lead.level), 0) if match.lead else 0
    moments: Sequence[dt.date] = [r.purchased_on for r in match.account.registered_products]
    if match.lead is not None:
        moments = [*moments, match.lead.created_at.date()]
    if not moments:
        return level
    days_ago = (today - max(moments)).days
    recency = next((points for within, points in RECENCY_PRIORITY if days_ago <= within), 0)
    return level + recency


def _assignee(uow: UnitOfWork, assigned_to: str) -> str:
    cleaned = assigned_to.strip()
    if cleaned in (BOT, AGENTS):
        return cleaned
    agent = uow.agents.get_by(username=cleaned.lower()) if cleaned else None
    if agent is None or not agent.active:
        raise InvalidRequest(
            f"a call list is assigned to {BOT!r}, {AGENTS!r} or an active agent, not {cleaned!r}"
        )
    return agent.username
