"""The service layer: one module per area, each function a verb.

Every service takes the unit of work from its caller and keyword-only
arguments, finds and changes rows through the repositories, and never
commits: the caller decides when the work is done::

    with SqlAlchemyUnitOfWork(session_factory) as uow:
        order = orders.place_order(uow, account_id=..., idempotency_key=..., ...)
        uow.commit()

Dates and times come from ``today`` / ``now`` arguments when given, so tests
and replays are deterministic. Broken rules raise the named errors of
:mod:`crm_backend.errors`.
"""

from . import (
    accounts,
    activities,
    agents,
    alerts,
    call_lists,
    campaigns,
    catalog,
    consent,
    customer_view,
    desk_stats,
    handoff_queue,
    handoffs,
    inbound_messages,
    interactions,
    leads,
    orders,
    outbox,
    pricing,
    quotes,
)

__all__ = [
    "accounts",
    "activities",
    "agents",
    "alerts",
    "call_lists",
    "campaigns",
    "catalog",
    "consent",
    "customer_view",
    "desk_stats",
    "handoff_queue",
    "handoffs",
    "inbound_messages",
    "interactions",
    "leads",
    "orders",
    "outbox",
    "pricing",
    "quotes",
]
