"""The service layer: one module per IC step or shared record, each function a verb.

An IC step's service has the step's name, as its files in ``domain/``,
``data/<lang>/nlu/``, ``data/rules/`` and ``actions/`` do (``orders``, ``handoff``,
``conversation``...); records several steps share have their own
(``accounts``, ``pricing``, ``consent``...).

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
    agents,
    alerts,
    call_lists,
    campaigns,
    consent,
    conversation,
    customer_view,
    desk_stats,
    follow_up,
    handoff,
    handoff_queue,
    inbound_messages,
    leads,
    orders,
    outbox,
    pricing,
    products,
    quotes,
)

__all__ = [
    "accounts",
    "agents",
    "alerts",
    "call_lists",
    "campaigns",
    "consent",
    "conversation",
    "customer_view",
    "desk_stats",
    "follow_up",
    "handoff",
    "handoff_queue",
    "inbound_messages",
    "leads",
    "orders",
    "outbox",
    "pricing",
    "products",
    "quotes",
]
