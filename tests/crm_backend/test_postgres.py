"""The core services and the one-order-per-confirmation guarantee, on a real PostgreSQL.

Runs only when ``TEST_POSTGRES_URL`` names a database the user may create
schemas in, e.g.::

    TEST_POSTGRES_URL=postgresql+psycopg://icbot:icbot@127.0.0.1:5432/icbot_test \
        .venv/app/bin/python -m pytest tests/crm_backend/test_postgres.py

Each test gets a fresh schema with every table, dropped afterwards, so the
database can be shared. The tests are the SQLite ones, imported from their
modules and run here with ``session_factory`` (and so ``uow``, ``uow_factory``
and ``any_uow``) pointing at PostgreSQL: one set of assertions, two databases.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, sessionmaker

from crm_backend.db import build_engine
from crm_backend.models import Base
from crm_backend.uow import SqlAlchemyUnitOfWork
from tests.crm_backend.services import test_accounts as accounts_tests
from tests.crm_backend.services import test_alerts as alerts_tests
from tests.crm_backend.services import test_call_lists as call_list_tests
from tests.crm_backend.services import test_handoff as handoff_tests
from tests.crm_backend.services import test_leads as leads_tests
from tests.crm_backend.services import test_orders as orders_tests
from tests.crm_backend.services import test_orders_idempotency as once_tests
from tests.crm_backend.services import test_outbox as outbox_tests
from tests.crm_backend.services import test_products as products_tests
from tests.crm_backend.services import test_quotes as quotes_tests

POSTGRES_URL = os.environ.get("TEST_POSTGRES_URL", "")
if not POSTGRES_URL:
    pytest.skip("TEST_POSTGRES_URL is not set: no PostgreSQL to run on", allow_module_level=True)

pytestmark = pytest.mark.postgres


@pytest.fixture
def session_factory() -> Iterator[sessionmaker[Session]]:
    """Sessions on a fresh schema of the PostgreSQL database, with every table created."""
    schema = f"icbot_test_{uuid.uuid4().hex[:12]}"
    admin = build_engine(POSTGRES_URL)
    with admin.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    engine = build_engine(POSTGRES_URL, connect_args={"options": f"-csearch_path={schema}"})
    try:
        Base.metadata.create_all(engine)
        yield sessionmaker(bind=engine, expire_on_commit=False)
    finally:
        engine.dispose()
        with admin.begin() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture
def any_uow(uow: SqlAlchemyUnitOfWork) -> SqlAlchemyUnitOfWork:
    """Here, only PostgreSQL."""
    return uow


def test_it_is_postgresql(uow: SqlAlchemyUnitOfWork) -> None:
    assert uow.session.get_bind().dialect.name == "postgresql"
    assert uow.session.scalar(text("SELECT current_schema()")).startswith("icbot_test_")


# The fixtures the imported tests need.
pierre = orders_tests.pierre
scene = call_list_tests.scene

# One order per confirmation: sequential, after a late check, and from threads at once.
test_same_key_twice = once_tests.test_same_key_twice_makes_one_order
test_retried_confirmation = (
    once_tests.test_retried_confirmation_in_a_new_transaction_returns_the_first_order
)
test_key_committed_after_check = (
    once_tests.test_a_key_committed_after_the_check_returns_the_winners_order
)
test_same_key_from_threads = once_tests.test_same_key_from_threads_at_once_makes_one_order
test_stock_from_threads = once_tests.test_different_keys_from_threads_at_once_take_stock_once_each
test_same_key_other_account = once_tests.test_same_key_for_another_account_is_a_conflict

# Orders.
test_order_from_lines = (
    orders_tests.test_order_from_lines_writes_order_lines_history_outbox_and_stock
)
test_order_from_quote = orders_tests.test_order_from_a_quote_keeps_its_prices_and_accepts_it
test_refused_orders = orders_tests.test_refused_orders_write_nothing
test_order_life_cycle = orders_tests.test_life_cycle_is_kept_in_the_history
test_cancellation = orders_tests.test_cancellation_goes_to_the_erp

# Accounts, catalog, quotes, leads, outbox, alerts, call lists.
test_find_by_phone = accounts_tests.test_find_by_phone_in_any_format
test_find_by_name_and_postcode = (
    accounts_tests.test_find_by_last_name_and_postcode_without_accents_or_case
)
test_find_by_free_text = accounts_tests.test_find_by_free_text
test_create_account = accounts_tests.test_create_account_writes_the_whole_record
test_accounts_at_once = accounts_tests.test_accounts_created_at_once_get_different_numbers
test_search_products = products_tests.test_search_finds_the_eclipse_without_accents_or_case
test_catalog_lookup = products_tests.test_catalog_lookup_exports_active_products_with_their_names
test_create_quote = quotes_tests.test_create_quote_writes_the_offer_and_its_lines
test_expire_quotes = quotes_tests.test_expire_quotes_expires_only_open_ones_past_their_validity
test_qualified_answers = leads_tests.test_qualified_answers_are_saved
test_outbox_export = outbox_tests.test_export_writes_pending_records_as_json_lines_and_marks_them
test_uncommitted_export = outbox_tests.test_an_export_not_committed_stays_pending
test_alerts = alerts_tests.test_every_rule_in_order_of_importance
test_call_list = call_list_tests.test_build_call_list_by_priority_with_the_excluded_last
test_call_list_read_back = call_list_tests.test_call_list_is_read_back_in_the_same_order

# Two agents (or five) taking the same conversation at once: exactly one gets it.
test_agents_take_at_once = (
    handoff_tests.test_agents_taking_the_same_conversation_at_once_exactly_one_gets_it
)
test_customer_or_agent_first = (
    handoff_tests.test_the_customer_leaves_the_queue_unless_an_agent_was_faster
)


# Connections of the pool: pinged only after they sat idle (crm_backend.db.PING_AFTER_IDLE).


def _backend_pid(engine: Engine) -> int:
    with engine.connect() as connection:
        return int(connection.execute(text("SELECT pg_backend_pid()")).scalar_one())


def _terminate(pid: int) -> None:
    admin = build_engine(POSTGRES_URL)
    try:
        with admin.begin() as connection:
            connection.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
    finally:
        admin.dispose()


def test_a_connection_in_steady_use_is_not_pinged(monkeypatch: pytest.MonkeyPatch) -> None:
    engine = build_engine(POSTGRES_URL)
    pings: list[object] = []
    monkeypatch.setattr(engine.dialect, "do_ping", pings.append)
    try:
        for _ in range(3):
            _backend_pid(engine)
    finally:
        engine.dispose()

    assert pings == []


def test_a_connection_idle_too_long_and_dead_is_replaced_before_use() -> None:
    engine = build_engine(POSTGRES_URL, ping_after_idle=0.0, pool_size=1)
    try:
        first = _backend_pid(engine)
        _terminate(first)  # as a restart of the server, or a firewall, would

        assert _backend_pid(engine) != first  # no error: the ping found it dead
    finally:
        engine.dispose()


def test_a_dead_connection_in_steady_use_fails_once_then_the_pool_reconnects() -> None:
    engine = build_engine(POSTGRES_URL, pool_size=2)
    try:
        with engine.connect() as one, engine.connect() as two:
            pids = [
                int(c.execute(text("SELECT pg_backend_pid()")).scalar_one()) for c in (one, two)
            ]
        for pid in pids:
            _terminate(pid)

        with pytest.raises(OperationalError):
            _backend_pid(engine)
        assert _backend_pid(engine) not in pids  # every older connection was dropped
    finally:
        engine.dispose()
