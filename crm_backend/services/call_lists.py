"""Call lists: whom a campaign reaches, in which order, and who was left out and why.

The IC manager describes the target with a :class:`TargetFilter`, previews
how many people it reaches, and builds the list. People the campaign's
channel must not reach (do-not-contact, an opt-out, no consent for outbound)
stay on the list as excluded entries with the reason, so the manager sees
them and nobody calls them. Working the lists comes later.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from typing import Any

from ..errors import CallListNotFound, InvalidRequest
from ..models import (
    Account,
    CallList,
    CallListEntry,
    ContactChannel,
    Lead,
    LeadLevel,
    LeadStatus,
)
from ..text import normalize
from ..uow import UnitOfWork
from .campaigns import get_campaign
from .consent import contact_refusal
from .dates import today_or

PENDING = "pending"
EXCLUDED = "excluded"
MAX_ASSIGNEE_LENGTH = 20
PREFERRED_CHANNEL = "preferred_channel"
LEVEL_PRIORITY = {LeadLevel.HOT: 300, LeadLevel.WARM: 200, LeadLevel.COLD: 100}
# (at most this many days ago, points): recent interest or purchases come first.
RECENCY_PRIORITY = ((30, 30), (90, 20), (365, 10))


@dataclass(frozen=True)
class TargetFilter:
    """Who a call list targets; every criterion given must hold, none given means everyone.

    Attributes:
        owns_sku: owns this product (registered in the installed base).
        bought_from: bought it (or anything, without ``owns_sku``) on or after this day.
        bought_to: ... on or before this day.
        postcode_prefix: lives where the postcode starts like this ("69" for the Rhône).
        city: lives in this city (accent- and case-insensitive).
        lead_level: has a lead at this level.
        lead_status: has a lead in this status (the same lead as ``lead_level``).
        preferred_channel: said they prefer this channel (preference ``preferred_channel``).
    """

    owns_sku: str | None = None
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
        assigned_to=_assignee(assigned_to),
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
    """Hand a call list to the bot or to an agent.

    Raises:
        CallListNotFound: no call list has that id.
        InvalidRequest: the assignee is empty or too long.
    """
    call_list = get_call_list(uow, call_list_id=call_list_id)
    call_list.assigned_to = _assignee(assigned_to)
    uow.flush()
    return call_list


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
    if not (target.owns_sku or target.bought_from or target.bought_to):
        return True
    sku = target.owns_sku.strip().upper() if target.owns_sku else None
    return any(
        (sku is None or owned.product.sku == sku)
        and (target.bought_from is None or owned.purchased_on >= target.bought_from)
        and (target.bought_to is None or owned.purchased_on <= target.bought_to)
        for owned in account.registered_products
    )


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


def _assignee(assigned_to: str) -> str:
    cleaned = assigned_to.strip()
    if not cleaned or len(cleaned) > MAX_ASSIGNEE_LENGTH:
        raise InvalidRequest(
            f"a call list is assigned to a name of 1 to {MAX_ASSIGNEE_LENGTH} characters"
        )
    return cleaned
