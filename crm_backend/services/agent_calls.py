"""An agent works a call list: the next person to call, then what came of the call.

Lists assigned to ``agents`` are shared by every agent; a list assigned to
one agent is theirs alone. The next entry is claimed for the agent (the same
conditional update the dialer uses, so two agents never get the same
person) and stays theirs until they record the outcome or give it back. The
agent dials from their own phone; the outcome says how the call went.
"""

from __future__ import annotations

import datetime as dt

from ..errors import EntryNotHeld, InvalidRequest
from ..models import CallListEntry, Interaction
from ..uow import UnitOfWork
from . import call_list_entries as entries
from . import call_lists
from .agents import RESERVED_NAMES
from .call_list_entries import DO_NOT_CONTACT, LEAD_CREATED, NO_ANSWER
from .call_lists import AGENTS, CALLING, DONE, PENDING
from .consent import set_do_not_contact
from .leads import create_lead

# What an agent may record, with the words the desk shows; the first two try again later.
AGENT_OUTCOMES = {
    NO_ANSWER: "No answer",
    entries.BUSY: "Busy",
    entries.VOICEMAIL_LEFT: "Left a voicemail",
    LEAD_CREATED: "Interested: create a lead",
    "callback_booked": "Call back later (booked)",
    "not_interested": "Not interested",
    DO_NOT_CONTACT: "Do not call again",
    "wrong_number": "Wrong number",
}
UNREACHED = frozenset({NO_ANSWER, entries.BUSY})


def next_entry(uow: UnitOfWork, *, username: str, now: dt.datetime) -> CallListEntry | None:
    """The entry the agent holds, else the most urgent one due now, claimed for them.

    Due means: pending on an active list assigned to the agent or to all
    agents, not waiting for a retry, inside its calling window locally, and
    the customer may still be contacted (one who may not is taken off the
    list with the reason, and the next one comes). None when nobody is due.

    Raises:
        InvalidRequest: a user name the CRM uses itself (an agent made before such
            names were refused): as ``dialer`` they would hold the dialer's entries,
            as ``bot`` get the bot's lists.
    """
    if username in RESERVED_NAMES:
        raise InvalidRequest(f"user name {username!r} is reserved: it cannot work a call list")
    held = entries.held_by(uow, by=username)
    if held:
        return held[0]
    for entry in entries.due_entries(uow, now=now, assignees=(username, AGENTS)):
        if not entries.claim(uow, entry_id=entry.id, by=username, now=now):
            continue
        claimed = entries.get_entry(uow, entry_id=entry.id)
        reason = entries.refusal(uow, entry=claimed)
        if reason is None:
            return claimed
        entries.exclude(uow, entry_id=entry.id, by=username, reason=reason)
    return None


def give_back(uow: UnitOfWork, *, entry_id: int, username: str) -> CallListEntry:
    """Put an entry the agent holds back on the list, as if it had not been taken.

    Raises:
        CallListEntryNotFound: no entry has that id.
        EntryNotHeld: the agent does not hold it.
    """
    entry = entries.get_entry(uow, entry_id=entry_id)
    if not entries.release(uow, entry_id=entry_id, by=username):
        raise EntryNotHeld(entry_id=entry_id, by=username, status=entry.status)
    return entries.get_entry(uow, entry_id=entry_id)


def record_call(
    uow: UnitOfWork,
    *,
    entry_id: int,
    username: str,
    outcome: str,
    notes: str = "",
    now: dt.datetime,
) -> CallListEntry:
    """Record how the agent's call to the entry went, and free the entry.

    No answer or busy: tried again after the campaign's delay while
    attempts are left. ``lead_created``: a new lead for the campaign's
    product. ``do_not_contact``: the account is marked so at once. The call
    is an interaction of its own (outbound, from the claim to now, with the notes).

    Raises:
        CallListEntryNotFound: no entry has that id.
        EntryNotHeld: the agent does not hold it (another agent has it, or it is done).
        InvalidRequest: an outcome not in :data:`AGENT_OUTCOMES`.
    """
    if outcome not in AGENT_OUTCOMES:
        raise InvalidRequest(f"an agent's outcome is one of {', '.join(AGENT_OUTCOMES)}")
    entry = entries.get_entry(uow, entry_id=entry_id)
    if entry.status != CALLING or entry.claimed_by != username:
        raise EntryNotHeld(entry_id=entry_id, by=username, status=entry.status)
    campaign = entry.call_list.campaign
    attempts = entry.attempts + 1
    final = PENDING if outcome in UNREACHED and attempts < campaign.max_attempts else DONE
    retry_at = now + dt.timedelta(minutes=campaign.retry_delay_minutes)
    lead_id = entry.lead_id
    if outcome == LEAD_CREATED:
        lead_id = create_lead(
            uow,
            account_id=entry.account_id,
            source_channel=campaign.channel,
            product_sku=campaign.product.sku if campaign.product else None,
            campaign_id=campaign.id,
            now=now,
        ).id
    if not uow.call_list_entries.move(
        entry_id,
        status=final,
        when={"status": CALLING, "claimed_by": username},
        outcome=outcome,
        notes=notes.strip() or None,
        lead_id=lead_id,
        attempts=attempts,
        last_attempt_at=now,
        claimed_by=None,
        next_attempt_at=retry_at if final == PENDING else None,
    ):
        raise EntryNotHeld(entry_id=entry_id, by=username, status=entry.status)
    if outcome == DO_NOT_CONTACT and not entry.account.do_not_contact:
        set_do_not_contact(uow, account_id=entry.account_id, source=f"agent {username}", now=now)
    started = entry.claimed_at or now
    uow.interactions.add(
        Interaction(
            conversation_id=f"call-list-entry-{entry.id}-{attempts}",
            channel=campaign.channel,
            direction="outbound",
            account_id=entry.account_id,
            identity_confirmed=False,
            campaign_id=campaign.id,
            call_list_entry_id=entry.id,
            lead_id=lead_id,
            started_at=min(started, now),
            ended_at=now,
            outcome=outcome,
            summary=notes.strip() or None,
        )
    )
    uow.flush()
    if final == DONE:
        call_lists.finish_if_worked(uow, call_list_id=entry.call_list_id)
    return entries.get_entry(uow, entry_id=entry_id)
