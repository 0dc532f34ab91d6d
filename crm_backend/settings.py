"""Settings of the CRM, read once from environment variables.

| variable | default | meaning |
| --- | --- | --- |
| ``DATABASE_URL`` | ``sqlite:///<repo>/var/icbot.db`` | any SQLAlchemy URL; PostgreSQL works |
| ``ICBOT_VAR_DIR`` | ``<repo>/var`` | where the embedded database and generated secrets live |
| ``ICBOT_CURRENCY`` | ``EUR`` | the currency prices are quoted in |
| ``ICBOT_QUOTE_VALIDITY_DAYS`` | ``30`` | how long a quote stays open |
| ``ICBOT_DESK_HOURS`` | ``mon-fri 08:00-20:00, sat 09:00-17:00`` | when agents take conversations over; outside, the bot offers a call back |
| ``ICBOT_DESK_TIMEZONE`` | ``Europe/Paris`` | the time zone of the opening hours |
| ``ICBOT_HANDOFF_TOPICS`` | ``complaint,cancellation`` | topics the bot hands to a person (others get the offer of a call back) |
| ``ICBOT_HANDOFF_ORDER_LIMIT`` | ``10000`` | an order above this total (in ``ICBOT_CURRENCY``) goes to an agent; empty: no limit |
| ``ICBOT_WRAP_UP_CODES`` | ``resolved,order_taken,callback_promised,complaint_recorded,cancellation_done,no_action`` | the codes an agent closes a handoff with |
| ``ICBOT_SCRIPTS_DIR`` | ``<repo>/data/scripts`` | the interactive scripts (``<name>.yml``), read when a conversation needs one: no retraining |
| ``ICBOT_HANDLE_MINUTES`` | ``6`` | how long an agent takes per conversation, for the wait estimate until the desk has its own history |
| ``ICBOT_RETENTION_DAYS`` | ``365`` | transcripts, received messages, handoff slots and notes, and Rasa's tracker events older than this are deleted (``python -m crm_backend purge``, daily by the launcher) |
| ``ICBOT_DOMAIN_DIR`` | ``<repo>/domain`` | the bot's domain, whose intents a reviewer may mark a message with (``/desk/review``) |
| ``ICBOT_REVIEW_STORIES_DIR`` | ``<repo>/tests/stories`` | where "save as test story" (``/desk/review``) writes a conversation |
| ``ICBOT_TRACKER_STORE_URL`` | ``sqlite:///<ICBOT_TRACKER_DB>``, else ``sqlite:///<var>/tracker.db`` | Rasa's SQL tracker store, which erasure and purge reach (the database ``endpoints.yml`` gives Rasa) |
"""  # noqa: E501 - a table reads better on one line

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

from .opening_hours import OpeningHours

REPO_ROOT = Path(__file__).resolve().parents[1]


DEFAULT_DESK_HOURS = "mon-fri 08:00-20:00, sat 09:00-17:00"
DEFAULT_TOPICS = ("complaint", "cancellation")
DEFAULT_WRAP_UP_CODES = (
    "resolved",
    "order_taken",
    "callback_promised",
    "complaint_recorded",
    "cancellation_done",
    "no_action",
)


@dataclass(frozen=True)
class HandoffSettings:
    """When the bot hands a conversation to a person, and how agents wrap it up."""

    hours: OpeningHours = field(default_factory=lambda: OpeningHours.parse(DEFAULT_DESK_HOURS))
    topics: frozenset[str] = frozenset(DEFAULT_TOPICS)
    order_limit: Decimal | None = Decimal("10000")
    wrap_up_codes: tuple[str, ...] = DEFAULT_WRAP_UP_CODES
    handle_minutes: float = 6.0

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> HandoffSettings:
        """Read the settings from ``env``; a value that does not parse raises ValueError."""
        limit = env.get("ICBOT_HANDOFF_ORDER_LIMIT", "10000").strip()
        try:
            order_limit = Decimal(limit) if limit else None
        except InvalidOperation:
            raise ValueError(f"ICBOT_HANDOFF_ORDER_LIMIT {limit!r} is not an amount") from None
        codes = _words(env.get("ICBOT_WRAP_UP_CODES")) or DEFAULT_WRAP_UP_CODES
        return cls(
            hours=OpeningHours.parse(
                env.get("ICBOT_DESK_HOURS") or DEFAULT_DESK_HOURS,
                timezone=env.get("ICBOT_DESK_TIMEZONE") or "Europe/Paris",
            ),
            topics=frozenset(_words(env.get("ICBOT_HANDOFF_TOPICS", ",".join(DEFAULT_TOPICS)))),
            order_limit=order_limit,
            wrap_up_codes=codes,
            handle_minutes=float(env.get("ICBOT_HANDLE_MINUTES") or "6"),
        )


def _words(value: str | None) -> tuple[str, ...]:
    return tuple(w.strip().lower() for w in (value or "").split(",") if w.strip())


@dataclass(frozen=True)
class CrmSettings:
    """What the CRM needs from its environment."""

    database_url: str
    var_dir: Path
    currency: str = "EUR"
    quote_validity_days: int = 30
    handoff: HandoffSettings = field(default_factory=HandoffSettings)
    scripts_dir: Path = REPO_ROOT / "data" / "scripts"
    retention_days: int = 365
    tracker_store_url: str = ""
    domain_dir: Path = REPO_ROOT / "domain"
    review_stories_dir: Path = REPO_ROOT / "tests" / "stories"

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None) -> CrmSettings:
        """Read the settings from ``environ`` (default: ``os.environ``)."""
        env = os.environ if environ is None else environ
        var_dir = Path(env.get("ICBOT_VAR_DIR", REPO_ROOT / "var"))
        default_url = f"sqlite:///{var_dir / 'icbot.db'}"
        return cls(
            database_url=env.get("DATABASE_URL") or default_url,
            var_dir=var_dir,
            currency=env.get("ICBOT_CURRENCY", "EUR"),
            quote_validity_days=int(env.get("ICBOT_QUOTE_VALIDITY_DAYS", "30")),
            handoff=HandoffSettings.from_env(env),
            scripts_dir=Path(env.get("ICBOT_SCRIPTS_DIR") or REPO_ROOT / "data" / "scripts"),
            retention_days=_positive(env, "ICBOT_RETENTION_DAYS", 365),
            tracker_store_url=env.get("ICBOT_TRACKER_STORE_URL")
            or f"sqlite:///{env.get('ICBOT_TRACKER_DB') or var_dir / 'tracker.db'}",
            domain_dir=Path(env.get("ICBOT_DOMAIN_DIR") or REPO_ROOT / "domain"),
            review_stories_dir=Path(
                env.get("ICBOT_REVIEW_STORIES_DIR") or REPO_ROOT / "tests" / "stories"
            ),
        )


def _positive(env: Mapping[str, str], name: str, default: int) -> int:
    raw = (env.get(name) or str(default)).strip()
    if not raw.isdigit() or int(raw) < 1:
        raise ValueError(f"{name} {raw!r} is not a positive whole number")
    return int(raw)
