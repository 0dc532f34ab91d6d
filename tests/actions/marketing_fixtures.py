"""The seeded campaign and a call list entry of it, for the marketing action tests."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session, sessionmaker

from actions import runtime
from crm_backend.settings import CrmSettings
from crm_backend.uow import SqlAlchemyUnitOfWork

SCRIPT = "laptop_upgrade"


@dataclass(frozen=True)
class Outbound:
    """A pending entry of the seeded upgrade campaign's call list: whom the dialer calls."""

    entry_id: int
    account_id: int
    account_name: str
    phone: str
    campaign_id: int
    campaign_name: str

    def metadata(self) -> dict[str, Any]:
        """The metadata the voice door passes for this call (docs/outbound.md)."""
        return {
            "channel": "voice",
            "caller_phone": self.phone,
            "direction": "outbound",
            "campaign_id": self.campaign_id,
            "call_list_entry_id": self.entry_id,
            "account_id": self.account_id,
            "script": SCRIPT,
        }

    def slots(self, **more: Any) -> dict[str, Any]:
        """The slots of the call once the session started, and ``more``."""
        return {
            "channel": "voice",
            "session_started_metadata": self.metadata(),
            "outbound_call": True,
            "call_list_entry_id": str(self.entry_id),
            "called_account_id": str(self.account_id),
            "called_name": self.account_name,
            "campaign_id": str(self.campaign_id),
            "campaign_name": self.campaign_name,
            "script_name": SCRIPT,
            **more,
        }


def pending_entry(crm: sessionmaker[Session]) -> Outbound:
    """The first pending entry of the seeded call list."""
    with SqlAlchemyUnitOfWork(crm) as uow:
        [campaign] = uow.campaigns.list_by(status="active")
        [call_list] = campaign.call_lists
        entry = next(e for e in call_list.entries if e.status == "pending")
        return Outbound(
            entry_id=entry.id,
            account_id=entry.account_id,
            account_name=entry.account.name,
            phone=entry.account.primary_phone or "",
            campaign_id=campaign.id,
            campaign_name=campaign.name,
        )


def use_scripts_from(monkeypatch: Any, directory: Path) -> None:
    """Make the actions read the scripts of ``directory``."""
    settings = CrmSettings.from_env({"ICBOT_SCRIPTS_DIR": str(directory)})
    monkeypatch.setattr(runtime, "settings", lambda: settings)
