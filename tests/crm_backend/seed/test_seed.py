"""Seeding: one command, once; the same day gives the same data; dates follow the day given."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from crm_backend import models
from crm_backend.models import Account, Lead, Product, Quote, SalesOrder
from crm_backend.seed import SeedOutcome, seed, seed_database
from crm_backend.seed.demo import DELAYED_ORDER_ACCOUNT
from crm_backend.services import alerts
from crm_backend.uow import SqlAlchemyUnitOfWork
from tests.crm_backend.seed.rows import count_rows
from tests.crm_backend.seed_day import SEED_DAY


def _snapshot(factory: sessionmaker[Session]) -> dict[str, Any]:
    with factory() as session:
        return {
            "accounts": [
                (a.customer_number, a.name, a.street, [p.number for p in a.phones])
                for a in session.scalars(select(Account).order_by(Account.id))
            ],
            "orders": [
                (o.number, o.account_id, o.status, o.total, o.promised_delivery_date)
                for o in session.scalars(select(SalesOrder).order_by(SalesOrder.id))
            ],
            "counts": {
                m.__name__: count_rows(session, m)
                for m in (Product, Quote, Lead, models.Activity, models.Interaction)
            },
        }


def test_seeding_twice_adds_nothing(session_factory: sessionmaker[Session]) -> None:
    assert seed_database(session_factory, today=SEED_DAY) == SeedOutcome.SEEDED
    before = _snapshot(session_factory)

    assert seed_database(session_factory, today=SEED_DAY) == SeedOutcome.ALREADY_SEEDED

    assert _snapshot(session_factory) == before


def test_the_same_day_gives_the_same_data(
    session_factory: sessionmaker[Session], seeded_factory: sessionmaker[Session]
) -> None:
    seed_database(session_factory, today=SEED_DAY)

    assert _snapshot(session_factory) == _snapshot(seeded_factory)


def test_a_database_with_other_customers_is_left_alone(
    session_factory: sessionmaker[Session],
) -> None:
    with session_factory() as session:
        session.add(
            Account(customer_number="C-999999", name="Real Customer", search_name="real customer")
        )
        session.commit()

    with session_factory() as session:
        assert seed(session, today=SEED_DAY) == SeedOutcome.NOT_EMPTY
        session.commit()

    with session_factory() as session:
        assert count_rows(session, Account) == 1
        assert count_rows(session, Product) == 0


def test_dates_follow_the_day_given(session_factory: sessionmaker[Session]) -> None:
    later = SEED_DAY + dt.timedelta(days=100)

    seed_database(session_factory, today=later)

    with SqlAlchemyUnitOfWork(session_factory) as uow:
        account = uow.accounts.get_by(customer_number=DELAYED_ORDER_ACCOUNT)
        assert account is not None
        kinds = [a.kind for a in alerts.alerts_for(uow, account_id=account.id, today=later)]
    assert kinds == ["late_order"]
