"""A call the dialer placed, from Twilio's confirmation to its end.

The dialer records the call's sid once Twilio accepted it
(:func:`call_placed`), which opens the call's interaction; the voice door
asks what to leave on an answering machine (:func:`answering_machine`);
Twilio's final status frees the entry (:func:`call_ended`): ``done``, or
back to ``pending`` for a retry after the campaign's delay. Each step is a
conditional update on the entry's status and sid (see
:mod:`crm_backend.services.call_list_entries`), so a status callback racing
the dialer, or a dialer settling what another left behind, moves the entry once.
"""

from __future__ import annotations

import datetime as dt

from ..errors import InvalidRequest
from ..models import CallListEntry, Interaction
from ..uow import UnitOfWork
from .call_list_entries import (
    ANSWERED,
    BUSY,
    CALL_CANCELED,
    CALL_FAILED,
    MACHINE,
    NO_ANSWER,
    VOICEMAIL_LEFT,
    finish_list,
    get_entry,
    record_contact,
)
from .call_lists import CALLING, DONE, PENDING

# Twilio's final call statuses → the outcome of a call nobody talked in.
UNREACHED = {"no-answer": NO_ANSWER, "busy": BUSY}
FAILED = {"failed": CALL_FAILED, "canceled": CALL_CANCELED}
FINAL_STATUSES = frozenset({"completed", *UNREACHED, *FAILED})
# What answering-machine detection says when no person picked up.
MACHINE_ANSWERS = frozenset(
    {"machine_start", "machine_end_beep", "machine_end_silence", "machine_end_other", "fax"}
)


def call_placed(
    uow: UnitOfWork, *, entry_id: int, call_sid: str, now: dt.datetime
) -> CallListEntry:
    """Record that Twilio accepted the entry's call: its sid, one more attempt, its interaction.

    The interaction (``voice-<sid>``, outbound, with the account, campaign
    and entry) is opened here, before the customer answers, so the bot's
    session start finds it. Recording the same call again changes nothing.

    Raises:
        CallListEntryNotFound: no entry has that id.
    """
    entry = get_entry(uow, entry_id=entry_id)
    unconfirmed = entry.status == CALLING and entry.call_sid is None
    if (
        unconfirmed
        and not _earlier_call(uow, entry, call_sid)
        and uow.call_list_entries.move(
            entry_id,
            status=CALLING,
            when={"status": CALLING, "call_sid": None},
            call_sid=call_sid,
            attempts=entry.attempts + 1,
            last_attempt_at=now,
        )
    ):
        entry = get_entry(uow, entry_id=entry_id)
    if entry.call_sid == call_sid:
        _call_interaction(uow, entry, call_sid, now)
    return entry


def answering_machine(
    uow: UnitOfWork, *, entry_id: int, call_sid: str, answered_by: str
) -> str | None:
    """What to leave on a machine that picked up the entry's call, or None when a person did.

    Returns the campaign's message, or "" to hang up without a word. Who
    answered is kept on the entry, for the call's end.

    Raises:
        CallListEntryNotFound: no entry has that id.
    """
    entry = get_entry(uow, entry_id=entry_id)
    answered_by = answered_by.strip().lower()
    ours = entry.call_sid == call_sid or (
        entry.call_sid is None and not _earlier_call(uow, entry, call_sid)
    )
    if ours and answered_by:
        entry.answered_by = answered_by
        uow.flush()
    if answered_by not in MACHINE_ANSWERS:
        return None
    return entry.call_list.campaign.message


def call_ended(
    uow: UnitOfWork,
    *,
    entry_id: int,
    call_sid: str,
    status: str,
    duration_seconds: int = 0,
    answered_by: str = "",
    now: dt.datetime,
) -> CallListEntry:
    """Record how the entry's call ended (Twilio's final status) and free the entry.

    A person answered: ``done``, with the conversation's outcome or
    ``answered``. A machine: ``voicemail_left`` when the campaign has a
    message, else ``machine``, tried again like a no-answer. No answer or
    busy: tried again after the campaign's delay while attempts are left,
    else ``done``. Failed or canceled: ``done``. The call's interaction gets
    the duration and, unless the bot closed it already, the same outcome.

    A callback for a call the dialer never confirmed (it stopped after
    Twilio took the call) adopts the call; a repeated or stale callback,
    one about an earlier call of the entry arriving while a new claim waits
    for its call included, changes only its own call's interaction.

    Raises:
        CallListEntryNotFound: no entry has that id.
        InvalidRequest: a status that is not final, or a negative duration.
    """
    status = status.strip().lower()
    if status not in FINAL_STATUSES:
        raise InvalidRequest(f"a call ends {', '.join(sorted(FINAL_STATUSES))}, not {status!r}")
    if duration_seconds < 0:
        raise InvalidRequest(f"a call cannot last {duration_seconds} seconds")
    entry = call_placed(uow, entry_id=entry_id, call_sid=call_sid, now=now)
    if entry.status != CALLING or entry.call_sid != call_sid:
        # Repeated, or about an older call of the entry: only that call's own record.
        found = uow.interactions.list_by(conversation_id=f"voice-{call_sid}", limit=1)
        if found and found[0].call_list_entry_id == entry.id:
            _close_interaction(uow, entry, call_sid, None, duration_seconds, now)
        return entry
    machine = (answered_by.strip().lower() or entry.answered_by or "") in MACHINE_ANSWERS
    campaign = entry.call_list.campaign
    if status == "completed" and machine and campaign.message:
        final, outcome = DONE, VOICEMAIL_LEFT
    elif status == "completed" and not machine:
        final, outcome = DONE, entry.outcome or ANSWERED
    elif status in FAILED:
        final, outcome = DONE, FAILED[status]
    else:
        outcome = MACHINE if status == "completed" else UNREACHED[status]
        final = PENDING if entry.attempts < campaign.max_attempts else DONE
    retry_at = now + dt.timedelta(minutes=campaign.retry_delay_minutes)
    moved = uow.call_list_entries.move(
        entry_id,
        status=final,
        when={"status": CALLING, "call_sid": call_sid},
        outcome=outcome,
        claimed_by=None,
        next_attempt_at=retry_at if final == PENDING else None,
        answered_by=answered_by.strip().lower() or entry.answered_by,
    )
    entry = get_entry(uow, entry_id=entry_id)
    _close_interaction(uow, entry, call_sid, outcome if moved else None, duration_seconds, now)
    if moved:
        finish_list(uow, entry_id)
    return entry


def _earlier_call(uow: UnitOfWork, entry: CallListEntry, call_sid: str) -> bool:
    """Whether ``call_sid`` is a call of the entry placed before its current claim.

    Every placed call opens its interaction (:func:`call_placed`), so a call
    with one is known; an unconfirmed claim must not adopt it.
    """
    found = uow.interactions.list_by(conversation_id=f"voice-{call_sid}", limit=1)
    return bool(found) and found[0].call_list_entry_id == entry.id


def _call_interaction(
    uow: UnitOfWork, entry: CallListEntry, call_sid: str, now: dt.datetime
) -> Interaction:
    found = uow.interactions.list_by(conversation_id=f"voice-{call_sid}", limit=1)
    if found:
        return found[0]
    return record_contact(uow, entry, channel="voice", call_sid=call_sid, started=now)


def _close_interaction(
    uow: UnitOfWork,
    entry: CallListEntry,
    call_sid: str,
    outcome: str | None,
    duration_seconds: int,
    now: dt.datetime,
) -> None:
    interaction = _call_interaction(uow, entry, call_sid, now)
    interaction.duration_seconds = duration_seconds
    if interaction.ended_at is None:
        interaction.outcome = outcome or entry.outcome or ANSWERED
        interaction.ended_at = max(now, interaction.started_at)
    uow.flush()
