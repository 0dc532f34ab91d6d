"""The customer at a glance, for the agent who takes a conversation over."""

from __future__ import annotations

import datetime as dt

from crm_backend.models import OrderStatus, QuoteStatus
from crm_backend.services import conversation, leads, verification_lock
from crm_backend.services.customer_view import CustomerView, Line, customer_view
from tests.factories import demo_catalog, make_account, make_order, make_quote, own_product

TODAY = dt.date(2025, 11, 3)
MORNING = dt.datetime(2025, 11, 3, 9, 0, tzinfo=dt.UTC)


def test_everything_an_agent_needs_beside_the_transcript(uow):
    catalog = demo_catalog(uow)
    pierre = make_account(uow, customer_number="C-100001")
    own_product(
        uow,
        pierre,
        catalog.laptop,
        purchased_on=dt.date(2024, 5, 2),
        warranty_until=dt.date(2025, 11, 20),
    )
    make_order(uow, pierre, number="SO-000007", promised=dt.date(2025, 10, 30))
    make_order(
        uow, pierre, number="SO-000001", promised=dt.date(2025, 1, 3), status=OrderStatus.DELIVERED
    )
    make_quote(uow, pierre, number="Q-000004", valid_until=dt.date(2025, 11, 30))
    make_quote(
        uow,
        pierre,
        number="Q-000002",
        valid_until=dt.date(2025, 12, 1),
        status=QuoteStatus.ACCEPTED,
    )
    leads.create_lead(
        uow,
        account_id=pierre.id,
        product_sku=catalog.laptop.sku,
        source_channel="web",
        product_interest="Éclipse 3000 for the office",
    )
    contact = conversation.start_interaction(
        uow, channel="sms", conversation_id="sms-1", account_id=pierre.id, now=MORNING
    )
    conversation.end_interaction(
        uow, interaction_id=contact.id, outcome="information", summary="asked about a bag"
    )

    view = customer_view(uow, account_id=pierre.id, today=TODAY)

    assert view == CustomerView(
        account_id=pierre.id,
        customer_number="C-100001",
        name="Pierre Moreau",
        phone="+33612345678",
        email="pierre.moreau@example.fr",
        address="14 rue de la République, 69002, Lyon",
        preferred_language=None,
        products=[
            Line("Éclipse 3000", "bought 2024-05-02, warranty until 2025-11-20"),
        ],
        open_orders=[Line("SO-000007", "created, 100,00 €, due 2025-10-30")],
        open_quotes=[Line("Q-000004", "100,00 €, valid until 2025-11-30")],
        alerts=view.alerts,
        leads=[Line("Éclipse 3000 for the office", "new, cold")],
        interactions=[Line("2025-11-03 09:00 sms", "information, asked about a bag")],
    )
    assert [(a.detail, "SO-000007" in a.title or "warranty" in a.title) for a in view.alerts] == [
        ("high", True),
        ("medium", True),
    ]


def test_the_agent_sees_that_the_account_is_locked_after_failed_identity_checks(uow):
    pierre = make_account(uow, customer_number="C-100001")
    for minute in range(5):
        verification_lock.record_failed_verification(
            uow, account_id=pierre.id, channel="web", now=MORNING + dt.timedelta(minutes=minute)
        )

    view = customer_view(uow, account_id=pierre.id, today=TODAY, now=MORNING.replace(minute=10))

    assert view.alerts == [
        Line(
            "5 failed identity checks in the last hour: verification locked until 10:00 UTC.",
            "high",
        )
    ]


def test_times_read_in_the_desks_zone_and_amounts_as_the_bot_writes_them(uow):
    pierre = make_account(uow, customer_number="C-100001")
    make_order(uow, pierre, number="SO-000008", promised=dt.date(2025, 11, 20), total="1358")
    contact = conversation.start_interaction(
        uow, channel="web", conversation_id="web-1", account_id=pierre.id, now=MORNING
    )
    conversation.end_interaction(uow, interaction_id=contact.id, outcome="information")
    for minute in range(5):
        verification_lock.record_failed_verification(
            uow, account_id=pierre.id, channel="web", now=MORNING + dt.timedelta(minutes=minute)
        )

    view = customer_view(
        uow,
        account_id=pierre.id,
        today=TODAY,
        now=MORNING.replace(minute=10),
        timezone="Europe/Paris",
    )

    assert view.open_orders == [Line("SO-000008", "created, 1 358,00 €, due 2025-11-20")]
    assert view.interactions == [Line("2025-11-03 10:00 web", "information")]
    assert view.alerts[0] == Line(
        "5 failed identity checks in the last hour: verification locked until 11:00 CET.",
        "high",
    )
