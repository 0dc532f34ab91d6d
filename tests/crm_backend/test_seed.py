"""The demo seed: the fixed facts of ARCHITECTURE.md, a believable shop, one command, once."""

from __future__ import annotations

import datetime as dt
import re
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from crm_backend import models
from crm_backend.models import (
    Account,
    AccountKind,
    ConsentStatus,
    Lead,
    LeadLevel,
    Product,
    Quote,
    SalesOrder,
)
from crm_backend.seed import SeedOutcome, seed, seed_database
from crm_backend.seed.demo import (
    DELAYED_ORDER_ACCOUNT,
    OPEN_COMPLAINT_ACCOUNT,
    QUOTE_EXPIRING_ACCOUNT,
    WARRANTY_ENDING_ACCOUNT,
)
from crm_backend.services import alerts
from crm_backend.text import normalize, normalize_email, normalize_phone
from crm_backend.uow import SqlAlchemyUnitOfWork
from tests.crm_backend.seed_day import SEED_DAY

PIERRE = "C-100001"


def _account(session: Session, number: str) -> Account:
    return session.scalars(select(Account).where(Account.customer_number == number)).one()


def _product(session: Session, sku: str) -> Product:
    return session.scalars(select(Product).where(Product.sku == sku)).one()


def _count(session: Session, model: type[models.Base]) -> int:
    return session.scalar(select(func.count()).select_from(model)) or 0


# --- the fixed demo facts --------------------------------------------------------------


def test_pierre_moreau_is_there_as_architecture_md_says(
    seeded_factory: sessionmaker[Session],
) -> None:
    with seeded_factory() as session:
        pierre = _account(session, PIERRE)
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
        pierre = _account(session, PIERRE)
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
        pierre = _account(session, PIERRE)
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


def test_eclipse_3000_has_its_technical_details_price_and_stock(
    seeded_factory: sessionmaker[Session],
) -> None:
    with seeded_factory() as session:
        laptop = _product(session, "ECL-3000")
        assert (laptop.name, laptop.search_name, laptop.category) == (
            "Éclipse 3000",
            "eclipse 3000",
            "laptops",
        )
        assert {"cpu", "ram", "storage", "screen", "weight", "battery_life"} <= set(laptop.specs)
        assert laptop.list_price == Decimal("1299.00")
        assert laptop.currency == "EUR"
        assert laptop.stock > 0
        assert laptop.lead_time_days is not None
        assert laptop.active


def test_eclipse_3000_accessories_are_the_bag_then_the_battery(
    seeded_factory: sessionmaker[Session],
) -> None:
    with seeded_factory() as session:
        accessories = _product(session, "ECL-3000").related(models.RelationKind.ACCESSORY)
        assert [(p.sku, p.name) for p in accessories[:2]] == [
            ("BAG-ECL", "Éclipse Laptop Bag"),
            ("BAT-ECL3000", "Éclipse 3000 Spare Battery"),
        ]


def test_eclipse_3000_has_other_laptops_as_alternatives_one_cheaper(
    seeded_factory: sessionmaker[Session],
) -> None:
    with seeded_factory() as session:
        laptop = _product(session, "ECL-3000")
        alternatives = laptop.related(models.RelationKind.ALTERNATIVE)
        assert [p.sku for p in alternatives] == ["ECL-2000", "NOV-14", "ZEN-PRO"]
        assert {p.category for p in alternatives} == {"laptops"}
        assert any(p.list_price < laptop.list_price for p in alternatives)


# --- a believable shop -------------------------------------------------------------------


def test_catalog_has_at_least_20_products_in_at_least_4_categories(
    seeded_factory: sessionmaker[Session],
) -> None:
    with seeded_factory() as session:
        active = session.scalars(select(Product).where(Product.active.is_(True))).all()
        assert len(active) >= 20
        categories = {p.category for p in active}
        assert len(categories) >= 4
        assert {"laptops", "accessories", "monitors", "printers", "phones", "services"} <= (
            categories
        )
        # Some products cannot be replenished and are nearly gone: the stock rule has cases.
        assert any(p.lead_time_days is None and p.stock < 5 for p in active)
        # Every product has a name customers would say besides its own.
        assert all(p.aliases for p in active)


def test_volume_discounts_exist_for_laptops(seeded_factory: sessionmaker[Session]) -> None:
    with seeded_factory() as session:
        rules = session.scalars(select(models.DiscountRule)).all()
        laptop_rules = {(r.min_quantity, r.percent) for r in rules if r.category == "laptops"}
        assert laptop_rules == {(5, Decimal("5.00")), (10, Decimal("10.00"))}
        assert any(r.product_id is not None for r in rules)


def test_at_least_50_accounts_persons_and_companies_with_contacts(
    seeded_factory: sessionmaker[Session],
) -> None:
    with seeded_factory() as session:
        accounts = session.scalars(select(Account)).all()
        assert len(accounts) >= 50
        companies = [a for a in accounts if a.kind == AccountKind.COMPANY]
        assert len(companies) >= 3
        assert all(c.contacts for c in companies)
        assert sum(a.do_not_contact for a in accounts) >= 2
        opt_outs = [c for a in accounts for c in a.consents if c.status == ConsentStatus.OPT_OUT]
        assert len(opt_outs) >= 5
        assert all({c.channel for c in a.consents} == {"phone", "sms", "email"} for a in accounts)


def test_derived_fields_are_what_the_services_would_write(
    seeded_factory: sessionmaker[Session],
) -> None:
    with seeded_factory() as session:
        accounts = session.scalars(select(Account)).all()
        assert all(a.search_name == normalize(a.name) for a in accounts)
        assert all(re.fullmatch(r"C-\d{6}", a.customer_number) for a in accounts)
        phones = [p.number for a in accounts for p in a.phones]
        assert all(normalize_phone(n) == n for n in phones)
        assert len(set(phones)) == len(phones), "a phone number must identify one account"
        emails = [e.address for a in accounts for e in a.emails]
        assert all(normalize_email(e) == e for e in emails)
        products = session.scalars(select(Product)).all()
        assert all(p.search_name == normalize(p.name) for p in products)
        assert all(a.search_alias == normalize(a.alias) for p in products for a in p.aliases)


def _line_total(line: models.OrderLine | models.QuoteLine) -> Decimal:
    gross = line.unit_price * line.quantity * (100 - line.discount_percent) / 100
    return gross.quantize(Decimal("0.01"), ROUND_HALF_UP)


def test_orders_and_quotes_are_numbered_and_add_up(seeded_factory: sessionmaker[Session]) -> None:
    with seeded_factory() as session:
        orders = session.scalars(select(SalesOrder)).all()
        assert len(orders) >= 50
        for order in orders:
            assert order.number == f"SO-{order.id:06d}"
            assert order.total == sum(line.line_total for line in order.lines)
            assert all(line.line_total == _line_total(line) for line in order.lines)
            assert order.status == order.history[-1].status
        assert any(line.discount_percent > 0 for o in orders for line in o.lines)
        quotes = session.scalars(select(Quote)).all()
        assert {q.status for q in quotes} == {"open", "accepted", "rejected", "expired"}
        for quote in quotes:
            assert quote.number == f"Q-{quote.id:06d}"
            assert quote.total == sum(line.line_total for line in quote.lines)


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


def test_marketing_has_a_running_campaign_with_a_call_list_and_leads(
    seeded_factory: sessionmaker[Session],
) -> None:
    with seeded_factory() as session:
        [campaign] = session.scalars(select(models.Campaign)).all()
        assert campaign.product is not None
        assert campaign.product.sku == "ECL-3000"
        assert campaign.starts_on <= SEED_DAY <= campaign.ends_on
        [call_list] = campaign.call_lists
        entries = call_list.entries
        assert len(entries) == 10
        excluded = {e.exclusion_reason for e in entries if e.status == "excluded"}
        assert "do not contact" in excluded
        assert all(not e.account.do_not_contact for e in entries if e.status != "excluded")
        assert any(e.outcome == "lead_created" and e.lead_id for e in entries)
        leads = session.scalars(select(Lead)).all()
        assert len(leads) >= 5
        assert {lead.level for lead in leads} == set(LeadLevel)
        assert _count(session, models.Activity) >= 5
        assert _count(session, models.Interaction) >= 5


# --- one command, once -------------------------------------------------------------------


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
                m.__name__: _count(session, m)
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
        assert _count(session, Account) == 1
        assert _count(session, Product) == 0


def test_dates_follow_the_day_given(session_factory: sessionmaker[Session]) -> None:
    later = SEED_DAY + dt.timedelta(days=100)

    seed_database(session_factory, today=later)

    with SqlAlchemyUnitOfWork(session_factory) as uow:
        account = uow.accounts.get_by(customer_number=DELAYED_ORDER_ACCOUNT)
        assert account is not None
        kinds = [a.kind for a in alerts.alerts_for(uow, account_id=account.id, today=later)]
    assert kinds == ["late_order"]
