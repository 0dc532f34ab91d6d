"""The fixed demo accounts: Pierre Moreau as ARCHITECTURE.md says, one account per alert."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from crm_backend import models
from crm_backend.models import Account, AccountKind, ConsentStatus, SalesOrder
from crm_backend.seed.demo import (
    DELAYED_ORDER_ACCOUNT,
    OPEN_COMPLAINT_ACCOUNT,
    QUOTE_EXPIRING_ACCOUNT,
    WARRANTY_ENDING_ACCOUNT,
)
from crm_backend.services import alerts
from crm_backend.uow import SqlAlchemyUnitOfWork
from tests.crm_backend.seed.rows import PIERRE, find_account
from tests.crm_backend.seed_day import SEED_DAY


def test_pierre_moreau_is_there_as_architecture_md_says(
    seeded_factory: sessionmaker[Session],
) -> None:
    with seeded_factory() as session:
        pierre = find_account(session, PIERRE)
        assert (pierre.name, pierre.first_name, pierre.last_name, pierre.kind) == (
            "Pierre Moreau",
            "Pierre",
            "Moreau",
            AccountKind.PERSON,
        )
        assert (pierre.postcode, pierre.city, pierre.country) == ("69002", "Lyon", "FR")
        assert pierre.street
        assert [(p.number, p.is_primary) for p in pierre.phones] == [("+33612345678", True)]
        assert [(e.address, e.is_primary) for e in pierre.emails] == [
            ("pierre.moreau@example.fr", True)
        ]
        assert not pierre.do_not_contact
        assert {(c.channel, c.status) for c in pierre.consents} == {
            ("phone", ConsentStatus.OPT_IN),
            ("sms", ConsentStatus.OPT_IN),
            ("email", ConsentStatus.OPT_IN),
        }


def test_pierre_owns_one_earlier_product_and_has_one_delivered_order(
    seeded_factory: sessionmaker[Session],
) -> None:
    with seeded_factory() as session:
        pierre = find_account(session, PIERRE)
        [owned] = pierre.registered_products
        assert owned.product.sku == "PRN-IJ200"
        assert owned.serial_number
        assert owned.warranty_until is not None
        assert owned.purchased_on < SEED_DAY < owned.warranty_until
        [order] = session.scalars(select(SalesOrder).where(SalesOrder.account_id == pierre.id))
        assert (order.number, order.status) == ("SO-000001", "delivered")
        assert [step.status for step in order.history] == [
            "created",
            "confirmed",
            "shipped",
            "delivered",
        ]
        assert "PRN-IJ200" in [line.product.sku for line in order.lines]
        assert order.promised_delivery_date == owned.purchased_on


def test_pierre_record_is_clean_of_everything_else(seeded_factory: sessionmaker[Session]) -> None:
    with seeded_factory() as session:
        pierre = find_account(session, PIERRE)
        assert (pierre.complaints, pierre.preferences, pierre.script_answers) == ([], [], [])
        for model in (
            models.Quote,
            models.Lead,
            models.Activity,
            models.Interaction,
            models.CallListEntry,
        ):
            rows = session.scalars(select(model).filter_by(account_id=pierre.id)).all()
            assert rows == [], model.__name__
    with SqlAlchemyUnitOfWork(seeded_factory) as uow:
        assert alerts.alerts_for(uow, account_id=pierre.id, today=SEED_DAY) == []


def test_every_alert_rule_has_its_own_demo_account(seeded_factory: sessionmaker[Session]) -> None:
    with SqlAlchemyUnitOfWork(seeded_factory) as uow:
        found: dict[str, list[str]] = {}
        for account in uow.session.scalars(select(Account)):
            kinds = [a.kind for a in alerts.alerts_for(uow, account_id=account.id, today=SEED_DAY)]
            if kinds:
                found[account.customer_number] = kinds
    assert found == {
        DELAYED_ORDER_ACCOUNT: ["late_order"],
        OPEN_COMPLAINT_ACCOUNT: ["open_complaint"],
        WARRANTY_ENDING_ACCOUNT: ["warranty_ending"],
        QUOTE_EXPIRING_ACCOUNT: ["quote_expiring"],
    }
