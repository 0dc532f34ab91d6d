"""The reference example of PROCESSES.md, through the services, on the seeded demo data.

Pierre Moreau calls; his account is found from his number and he confirms
it; he asks about the Éclipse 3000, hears of its bag and second battery,
buys the laptop and the bag; gives a new phone number; a satisfaction-survey
call is planned. Nothing here is committed: the seeded database is shared.
"""

from __future__ import annotations

import datetime as dt

import pytest

from crm_backend.models import ActivityKind, OrderStatus
from crm_backend.services import (
    accounts,
    alerts,
    conversation,
    follow_up,
    identification,
    orders,
    products,
)
from crm_backend.services.dates import is_weekend
from crm_backend.services.pricing import LineRequest
from crm_backend.uow import SqlAlchemyUnitOfWork
from tests.crm_backend.seed_day import SEED_DAY

CALL_START = dt.datetime.combine(SEED_DAY, dt.time(9, 0), tzinfo=dt.UTC)


@pytest.fixture
def uow(seeded_factory):
    with SqlAlchemyUnitOfWork(seeded_factory) as opened:
        yield opened  # rolled back on exit: the seeded database stays as it was


def test_pierre_buys_the_eclipse_and_its_bag(uow):
    call = conversation.start_interaction(
        uow, channel="phone", conversation_id="CA-pierre", now=CALL_START
    )
    [pierre] = accounts.find_accounts(uow, phone="06 12 34 56 78")
    assert (pierre.customer_number, pierre.name) == ("C-100001", "Pierre Moreau")
    assert identification.verify_identity(pierre, answer="69002")
    conversation.confirm_identity(uow, interaction_id=call.id, account_id=pierre.id)
    assert alerts.alerts_for(uow, account_id=pierre.id, today=SEED_DAY) == []

    laptop = products.search_products(uow, text="eclipse 3000")[0]
    assert laptop.sku == "ECL-3000"
    assert [p.sku for p in products.accessories_of(laptop)][:2] == ["BAG-ECL", "BAT-ECL3000"]
    assert len(products.alternatives_of(laptop)) >= 2
    assert products.alternatives_of(laptop, cheaper_only=True) != []

    order = orders.place_order(
        uow,
        account_id=pierre.id,
        idempotency_key="CA-pierre:order",
        lines=[LineRequest("ECL-3000", 1), LineRequest("BAG-ECL", 1)],
        identity_confirmed=call.identity_confirmed,
        today=SEED_DAY,
        now=CALL_START,
    )
    assert (order.status, [(line.product.sku, line.quantity) for line in order.lines]) == (
        OrderStatus.CREATED,
        [("ECL-3000", 1), ("BAG-ECL", 1)],
    )
    assert order.total == laptop.list_price + products.get_product(uow, sku="BAG-ECL").list_price
    assert orders.latest_order(uow, account_id=pierre.id) is order

    accounts.update_phone(uow, account_id=pierre.id, phone="07 11 22 33 44")
    assert pierre.primary_phone == "+33711223344"

    survey = follow_up.schedule_satisfaction_survey(
        uow, account_id=pierre.id, order_id=order.id, now=CALL_START
    )
    assert survey.kind == ActivityKind.SURVEY_CALL
    assert survey.due_at.date() >= order.promised_delivery_date + dt.timedelta(days=7)
    assert not is_weekend(survey.due_at.date())

    conversation.link_interaction(uow, interaction_id=call.id, order_id=order.id)
    conversation.end_interaction(
        uow, interaction_id=call.id, outcome="order_placed", ended_at=CALL_START
    )
    assert conversation.interactions_for(uow, account_id=pierre.id)[0] is call


@pytest.mark.parametrize(
    ("customer_number", "kind"),
    [
        ("C-100002", "late_order"),
        ("C-100003", "open_complaint"),
        ("C-100004", "warranty_ending"),
        ("C-100005", "quote_expiring"),
    ],
)
def test_each_demo_alert_account_shows_its_alert(uow, customer_number, kind):
    account = accounts.get_account_by_number(uow, customer_number=customer_number)

    assert [a.kind for a in alerts.alerts_for(uow, account_id=account.id, today=SEED_DAY)] == [kind]
