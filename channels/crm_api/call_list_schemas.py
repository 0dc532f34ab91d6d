"""What the CRM HTTP API returns of call lists: a list in short, with its entries.

Marketing's family of :mod:`channels.crm_api.schemas`, built the same way.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Self

from pydantic import Field

from crm_backend.models import CallList, CallListEntry

from .schemas import Schema


class CallListSummary(Schema):
    """A call list in short."""

    id: int
    name: str
    campaign_id: int
    campaign_name: str
    assigned_to: str = Field(description='"bot" or an agent')
    status: str
    criteria: dict[str, Any] = Field(description="How the list was selected")
    created_at: dt.datetime
    entry_count: int

    @classmethod
    def of(cls, call_list: CallList) -> Self:
        """The summary of a call list."""
        return cls(**_call_list_fields(call_list))


class CallListEntryPublic(Schema):
    """One person on a call list: when to call, and what happened."""

    id: int
    account_id: int
    customer_number: str
    name: str
    lead_id: int | None
    priority: int
    window_start: dt.time
    window_end: dt.time
    timezone: str
    status: str
    exclusion_reason: str | None
    attempts: int
    last_attempt_at: dt.datetime | None
    outcome: str | None
    notes: str | None

    @classmethod
    def of(cls, entry: CallListEntry) -> Self:
        """The public view of an entry, with who it is."""
        return cls(
            id=entry.id,
            account_id=entry.account_id,
            customer_number=entry.account.customer_number,
            name=entry.account.name,
            lead_id=entry.lead_id,
            priority=entry.priority,
            window_start=entry.window_start,
            window_end=entry.window_end,
            timezone=entry.timezone,
            status=entry.status,
            exclusion_reason=entry.exclusion_reason,
            attempts=entry.attempts,
            last_attempt_at=entry.last_attempt_at,
            outcome=entry.outcome,
            notes=entry.notes,
        )


class CallListPublic(CallListSummary):
    """A call list with its entries, highest priority first."""

    entries: list[CallListEntryPublic]

    @classmethod
    def of(cls, call_list: CallList) -> Self:
        """The full view of a call list."""
        return cls(
            **_call_list_fields(call_list),
            entries=[CallListEntryPublic.of(entry) for entry in call_list.entries],
        )


def _call_list_fields(call_list: CallList) -> dict[str, Any]:
    return {
        "id": call_list.id,
        "name": call_list.name,
        "campaign_id": call_list.campaign_id,
        "campaign_name": call_list.campaign.name,
        "assigned_to": call_list.assigned_to,
        "status": call_list.status,
        "criteria": dict(call_list.criteria),
        "created_at": call_list.created_at,
        "entry_count": len(call_list.entries),
    }
