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
from dataclasses import dataclass

from ..errors import CallListNotFound, InvalidRequest, InvalidStatusChange
from ..models import CallList, CallListEntry, ContactChannel
from ..uow import UnitOfWork
from . import script_variants
from .campaigns import ENDED, PAUSED, get_campaign
from .consent import contact_refusal
from .dates import today_or
from .products import get_product
from .targets import Match, converted_accounts, matches, priority_of
from .targets import TargetFilter as TargetFilter  # the filter is part of this service's words

PENDING = "pending"
CALLING = "calling"
DONE = "done"
EXCLUDED = "excluded"
ACTIVE_STATUS = "active"
BOT = "bot"
AGENTS = "agents"
# The channels the dialer works by itself; agents work any.
BOT_CHANNELS = frozenset({ContactChannel.PHONE, ContactChannel.SMS})
# draft (or the demo's "ready") → active ⇄ paused; active → done once nobody is left.
STARTABLE = frozenset({"draft", "ready", "paused"})


@dataclass(frozen=True)
class TargetPreview:
    """How many people a target reaches on a channel, and who it leaves out and why."""

    eligible_count: int
    excluded: list[tuple[int, str]]


def preview_target(
    uow: UnitOfWork,
    *,
    target: TargetFilter,
    channel: ContactChannel | str,
    campaign_id: int | None = None,
) -> TargetPreview:
    """Count who ``target`` reaches on ``channel``; list (account id, reason) of those left out.

    With a campaign, the people it already converted are left out too
    (:func:`crm_backend.services.targets.converted_accounts`).

    Raises:
        ProductNotFound: the target names a SKU no product has.
    """
    found = _checked_matches(uow, target)
    converted = converted_accounts(uow, campaign_id=campaign_id) if campaign_id else {}
    excluded = []
    for match in found:
        reason = contact_refusal(match.account, channel=channel) or converted.get(match.account.id)
        if reason is not None:
            excluded.append((match.account.id, reason))
    return TargetPreview(eligible_count=len(found) - len(excluded), excluded=excluded)


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
    recently they showed interest or bought; each entry keeps what its
    priority is made of (:func:`crm_backend.services.targets.priority_of`).
    People the channel must not reach, and people the campaign has already
    converted on an earlier list or contact, are kept as excluded entries
    with the reason. The calling window defaults to the campaign's calling
    hours and must lie within them.

    Raises:
        CampaignNotFound: no campaign has that id.
        ProductNotFound: the target names a SKU no product has.
        InvalidRequest: an empty name or assignee, a window outside the
            calling hours, or a campaign that has ended.
    """
    campaign = get_campaign(uow, campaign_id=campaign_id)
    if campaign.status == ENDED:
        raise InvalidRequest("the campaign has ended: it gets no new call list")
    opens, closes = window or (campaign.calling_hours_start, campaign.calling_hours_end)
    if not campaign.calling_hours_start <= opens < closes <= campaign.calling_hours_end:
        raise InvalidRequest("the calling window must lie within the campaign's calling hours")
    if not name.strip():
        raise InvalidRequest("a call list needs a name")
    today = today_or(today)
    assignee = _assignee(uow, assigned_to)
    converted = converted_accounts(uow, campaign_id=campaign.id)
    eligible: list[CallListEntry] = []
    excluded: list[CallListEntry] = []
    for match in _checked_matches(uow, target):
        account = match.account
        reason = contact_refusal(account, channel=campaign.channel) or converted.get(account.id)
        basis = [] if reason else priority_of(match, today)
        entry = CallListEntry(
            account=account,
            lead_id=match.lead.id if match.lead else None,
            priority=sum(points for _, points in basis),
            priority_basis=[[why, points] for why, points in basis],
            window_start=opens,
            window_end=closes,
            timezone=account.timezone,
            status=EXCLUDED if reason else PENDING,
            exclusion_reason=reason,
            attempts=0,
        )
        (excluded if reason else eligible).append(entry)
    eligible.sort(key=lambda e: -e.priority)  # stable: equal priorities stay by account id
    script_variants.assign(campaign, eligible)  # an A/B test of the script splits them
    call_list = CallList(
        name=name.strip(),
        campaign=campaign,
        assigned_to=assignee,
        criteria=target.as_criteria(),
        status="draft",
        entries=eligible + excluded,
    )
    uow.call_lists.add(call_list)
    uow.flush()
    return call_list


def excluded_by_reason(uow: UnitOfWork, *, call_list_id: int) -> dict[str, int]:
    """Why the list's excluded entries are left out, and how many for each reason.

    Raises:
        CallListNotFound: no call list has that id.
    """
    counts: dict[str, int] = {}
    for entry in get_call_list(uow, call_list_id=call_list_id).entries:
        if entry.status == EXCLUDED:
            reason = entry.exclusion_reason or "no reason kept"
            counts[reason] = counts.get(reason, 0) + 1
    return counts


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

    A draft campaign becomes active too; a paused or ended one is not started this way.

    Raises:
        CallListNotFound: no call list has that id.
        InvalidStatusChange: the list is active or done already.
        InvalidRequest: the campaign is paused or has ended, the bot cannot
            work the campaign's channel, or an SMS campaign has no message to send.
    """
    call_list = get_call_list(uow, call_list_id=call_list_id)
    if call_list.status not in STARTABLE:
        raise InvalidStatusChange(entity="call list", current=call_list.status, requested="active")
    campaign = call_list.campaign
    if campaign.status in (PAUSED, ENDED):
        raise InvalidRequest(
            f"the campaign is {campaign.status}: "
            + ("resume it first" if campaign.status == PAUSED else "its lists are not worked")
        )
    _check_workable(call_list)
    call_list.status = "active"
    # Starting a draft campaign's first list starts the campaign (it was always so).
    campaign.status = "active"
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


def _checked_matches(uow: UnitOfWork, target: TargetFilter) -> list[Match]:
    if target.owns_sku:
        get_product(uow, sku=target.owns_sku)
    return matches(uow, target)


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
