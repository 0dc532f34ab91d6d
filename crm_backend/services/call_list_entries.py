"""Working call list entries: who is due now, claims, texts, outcomes.

The life of an entry (docs/outbound.md)::

    pending ──claim──▶ calling ──the call ended──▶ done
       ▲                  │
       └── retry later ───┘   (no answer, busy, a machine hung up on; attempts left)

An entry changes hands only through conditional updates on its status (and
its call's sid), so two dialers, a dialer and an agent, or a status callback
racing the dialer never both move it. The dialer claims and commits before
it asks Twilio to call; a claim whose call was never confirmed is resolved
from Twilio's call log, never by calling again blindly (see
:mod:`channels.dialer`). A placed call's confirmation and end are in
:mod:`crm_backend.services.placed_calls`.

Everything here takes ``now`` from the caller: the dialer's clock decides.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from ..errors import CallListEntryNotFound, InvalidRequest, LeadNotFound
from ..models import CallListEntry, Interaction
from ..uow import UnitOfWork
from . import call_lists
from .call_lists import BOT, CALLING, DONE, EXCLUDED, PENDING
from .consent import contact_refusal, number_refusal, set_do_not_contact

DIALER = "dialer"
DEFAULT_TIMEZONE = "Europe/Paris"
MAX_OUTCOME_LENGTH = 50

# Outcomes of the call itself; the conversation's own (lead_created, ...) come from the script.
ANSWERED = "answered"
NO_ANSWER = "no_answer"
BUSY = "busy"
MACHINE = "machine"
VOICEMAIL_LEFT = "voicemail_left"
CALL_FAILED = "call_failed"
CALL_CANCELED = "call_canceled"
SMS_SENT = "sms_sent"
DO_NOT_CONTACT = "do_not_contact"
LEAD_CREATED = "lead_created"  # the bot's script, or an agent, made a lead of the person
NO_PHONE = "no phone number"
# Outcomes of an attempt that reached nobody: tried again while attempts are left.
UNREACHED = frozenset({NO_ANSWER, BUSY, MACHINE})


@dataclass(frozen=True)
class NextTry:
    """When an entry will be tried again, in the customer's local time, or why it will not.

    Attributes:
        at: the next moment it may be called (or texted), or None when no try is left.
        note: why there is none, or what the try waits for besides the clock
            (a paused campaign or list); empty when nothing else.
    """

    at: dt.datetime | None
    note: str = ""


def get_entry(uow: UnitOfWork, *, entry_id: int) -> CallListEntry:
    """The call list entry with that id.

    Raises:
        CallListEntryNotFound: there is none.
    """
    entry = uow.call_list_entries.fresh(entry_id)
    if entry is None:
        raise CallListEntryNotFound(key=entry_id)
    return entry


def local_time(entry: CallListEntry, now: dt.datetime) -> dt.datetime:
    """``now`` on the customer's clock (an unknown time zone reads as Paris)."""
    try:
        zone = ZoneInfo(entry.timezone)
    except (ZoneInfoNotFoundError, ValueError):
        zone = ZoneInfo(DEFAULT_TIMEZONE)
    return now.astimezone(zone)


def may_call_now(entry: CallListEntry, now: dt.datetime) -> bool:
    """Whether ``now`` is inside the campaign's days and the entry's calling window, locally."""
    campaign = entry.call_list.campaign
    local = local_time(entry, now)
    if not campaign.starts_on <= local.date() <= campaign.ends_on:
        return False
    opens = max(entry.window_start, campaign.calling_hours_start)
    closes = min(entry.window_end, campaign.calling_hours_end)
    return opens <= local.time().replace(tzinfo=None) < closes


def next_try(entry: CallListEntry, now: dt.datetime) -> NextTry | None:
    """When a pending or unreached entry will be tried again; None for any other entry.

    A pending entry is tried at the first moment after ``now`` and after its
    retry delay (``next_attempt_at``) that lies inside its calling window and
    the campaign's days, in the customer's time zone. An entry that reached
    nobody with no attempt left has no try left.
    """
    campaign = entry.call_list.campaign
    if entry.status == DONE and entry.outcome in UNREACHED:
        made = f"{entry.attempts} of {campaign.max_attempts} attempts made"
        return NextTry(at=None, note=f"no try left ({made})")
    if entry.status != PENDING:
        return None
    earliest = max(now, entry.next_attempt_at or now)
    local = local_time(entry, earliest)
    opens = max(entry.window_start, campaign.calling_hours_start)
    closes = min(entry.window_end, campaign.calling_hours_end)
    day = max(local.date(), campaign.starts_on)
    if day == local.date() and local.time().replace(tzinfo=None) >= closes:
        day += dt.timedelta(days=1)
    if day > campaign.ends_on or not opens < closes:
        return NextTry(at=None, note="no try left (the campaign ends before its next window)")
    at = dt.datetime.combine(day, opens, tzinfo=local.tzinfo)
    if day == local.date() and local.time().replace(tzinfo=None) >= opens:
        at = local
    waiting = ""
    if campaign.status != call_lists.ACTIVE_STATUS:
        waiting = f"once the campaign is active (it is {campaign.status})"
    elif entry.call_list.status != call_lists.ACTIVE_STATUS:
        waiting = f"once the list is started (it is {entry.call_list.status})"
    return NextTry(at=at, note=waiting)


def due_entries(
    uow: UnitOfWork,
    *,
    now: dt.datetime,
    channel: str | None = None,
    assignees: Sequence[str] = (BOT,),
    limit: int | None = None,
) -> list[CallListEntry]:
    """Pending entries that may be contacted now, most urgent first.

    They are on active lists of active campaigns, assigned to ``assignees``,
    not waiting for a retry, and inside their calling window in the customer's local time.
    """
    waiting = uow.call_list_entries.waiting(assignees=assignees, channel=channel, now=now)
    due = [entry for entry in waiting if may_call_now(entry, now)]
    return due if limit is None else due[:limit]


def held_by(uow: UnitOfWork, *, by: str) -> list[CallListEntry]:
    """The entries ``by`` holds (``calling``), oldest claim first."""
    return list(uow.call_list_entries.held(by=by))


def claim(uow: UnitOfWork, *, entry_id: int, by: str, now: dt.datetime) -> bool:
    """Take a pending entry for ``by``; False when someone else took it first.

    The outcome of an earlier attempt is cleared: what this one brings replaces it.
    """
    return uow.call_list_entries.move(
        entry_id,
        status=CALLING,
        when={"status": PENDING},
        claimed_by=by,
        claimed_at=now,
        call_sid=None,
        answered_by=None,
        outcome=None,
    )


def refusal(uow: UnitOfWork, *, entry: CallListEntry) -> str | None:
    """Why the entry's customer must not be contacted now on the campaign's channel, or None.

    Consent may have changed since the list was built: the account's
    do-not-contact and opt-outs, and the number's own opt-out, are read again.
    """
    channel = entry.call_list.campaign.channel
    reason = contact_refusal(entry.account, channel=channel)
    if reason is not None:
        return reason
    phone = entry.account.primary_phone
    if phone is None:
        return NO_PHONE
    return number_refusal(uow, phone=phone, channel=channel, marketing=True)


def exclude(uow: UnitOfWork, *, entry_id: int, by: str, reason: str) -> bool:
    """Take an entry ``by`` holds off the list, with the reason; False if not ``by``'s."""
    moved = uow.call_list_entries.move(
        entry_id,
        status=EXCLUDED,
        when={"status": CALLING, "claimed_by": by},
        exclusion_reason=reason,
        claimed_by=None,
        priority=0,
    )
    if moved:
        finish_list(uow, entry_id)
    return moved


def release(uow: UnitOfWork, *, entry_id: int, by: str) -> bool:
    """Give back an entry ``by`` holds without having contacted anyone: it is pending again."""
    return uow.call_list_entries.move(
        entry_id,
        status=PENDING,
        when={"status": CALLING, "claimed_by": by, "call_sid": None},
        claimed_by=None,
        claimed_at=None,
    )


def sms_sent(
    uow: UnitOfWork, *, entry_id: int, by: str, message_sid: str, text: str, now: dt.datetime
) -> CallListEntry:
    """Record that Twilio took the campaign's text for the entry: ``done``, ``sms_sent``.

    The text is an interaction of its own (``sms-<number>``, outbound), ended at once.

    Raises:
        CallListEntryNotFound: no entry has that id.
    """
    entry = get_entry(uow, entry_id=entry_id)
    moved = uow.call_list_entries.move(
        entry_id,
        status=DONE,
        when={"status": CALLING, "claimed_by": by},
        outcome=SMS_SENT,
        claimed_by=None,
        call_sid=message_sid,
        attempts=entry.attempts + 1,
        last_attempt_at=now,
    )
    entry = get_entry(uow, entry_id=entry_id)
    if moved:
        record_contact(
            uow, entry, channel="sms", outcome=SMS_SENT, summary=text, started=now, ended=now
        )
        finish_list(uow, entry_id)
    return entry


def contact_failed(
    uow: UnitOfWork, *, entry_id: int, by: str, reason: str, now: dt.datetime
) -> CallListEntry:
    """Record that Twilio refused to place the call or send the text: ``done``, ``call_failed``.

    Raises:
        CallListEntryNotFound: no entry has that id.
    """
    entry = get_entry(uow, entry_id=entry_id)
    moved = uow.call_list_entries.move(
        entry_id,
        status=DONE,
        when={"status": CALLING, "claimed_by": by, "call_sid": None},
        outcome=CALL_FAILED,
        notes=reason,
        claimed_by=None,
        attempts=entry.attempts + 1,
        last_attempt_at=now,
    )
    entry = get_entry(uow, entry_id=entry_id)
    if moved:
        channel = "sms" if entry.call_list.campaign.channel == "sms" else "voice"
        record_contact(
            uow, entry, channel=channel, outcome=CALL_FAILED, summary=reason, started=now, ended=now
        )
        finish_list(uow, entry_id)
    return entry


def record_outcome(
    uow: UnitOfWork,
    *,
    entry_id: int,
    outcome: str,
    lead_id: int | None = None,
    notes: str | None = None,
    now: dt.datetime | None = None,
) -> CallListEntry:
    """Record what the conversation came to (``lead_created``, ``not_interested``, ...).

    The status is left alone: the call is still going on, and its end frees
    the entry. ``do_not_contact`` also marks the account do-not-contact, at once.

    Raises:
        CallListEntryNotFound: no entry has that id.
        LeadNotFound: no lead has ``lead_id``.
        InvalidRequest: an empty outcome, or one longer than 50 characters.
    """
    outcome = outcome.strip().lower()
    if not outcome or len(outcome) > MAX_OUTCOME_LENGTH:
        raise InvalidRequest(f"an outcome is a word of 1 to {MAX_OUTCOME_LENGTH} characters")
    entry = get_entry(uow, entry_id=entry_id)
    if lead_id is not None:
        if uow.leads.get(lead_id) is None:
            raise LeadNotFound(key=lead_id)
        entry.lead_id = lead_id
    entry.outcome = outcome
    if notes and notes.strip():
        entry.notes = notes.strip()
    if outcome == DO_NOT_CONTACT and not entry.account.do_not_contact:
        set_do_not_contact(
            uow, account_id=entry.account_id, source=f"call list entry {entry.id}", now=now
        )
    uow.flush()
    return entry


def unconfirmed_claims(
    uow: UnitOfWork, *, by: str, claimed_before: dt.datetime
) -> list[CallListEntry]:
    """Entries ``by`` claimed before ``claimed_before`` whose call was never confirmed."""
    return [
        e
        for e in held_by(uow, by=by)
        if e.call_sid is None and e.claimed_at is not None and e.claimed_at < claimed_before
    ]


def unfinished_calls(
    uow: UnitOfWork, *, by: str, placed_before: dt.datetime
) -> list[CallListEntry]:
    """Entries whose call ``by`` placed before ``placed_before`` and whose end never came."""
    return [
        e
        for e in held_by(uow, by=by)
        if e.call_sid is not None
        and e.last_attempt_at is not None
        and e.last_attempt_at < placed_before
    ]


def finish_list(uow: UnitOfWork, entry_id: int) -> None:
    entry = get_entry(uow, entry_id=entry_id)
    call_lists.finish_if_worked(uow, call_list_id=entry.call_list_id)


def record_contact(
    uow: UnitOfWork,
    entry: CallListEntry,
    *,
    channel: str,
    started: dt.datetime,
    call_sid: str | None = None,
    outcome: str | None = None,
    summary: str | None = None,
    ended: dt.datetime | None = None,
) -> Interaction:
    if call_sid is not None:
        conversation = f"voice-{call_sid}"
    elif channel == "sms" and entry.account.primary_phone:
        conversation = f"sms-{entry.account.primary_phone}"
    else:
        conversation = f"call-list-entry-{entry.id}-{entry.attempts}"
    interaction = Interaction(
        conversation_id=conversation,
        channel=channel,
        direction="outbound",
        account_id=entry.account_id,
        identity_confirmed=False,
        campaign_id=entry.call_list.campaign_id,
        call_list_entry_id=entry.id,
        started_at=started,
        ended_at=ended,
        outcome=outcome,
        summary=summary,
    )
    uow.interactions.add(interaction)
    uow.flush()
    return interaction
