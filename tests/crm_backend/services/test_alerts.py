"""Alerts: what matters right now about an identified account, most important first."""

from __future__ import annotations

import datetime as dt

import pytest

from crm_backend.errors import AccountNotFound
from crm_backend.models import OrderStatus, QuoteStatus
from crm_backend.services import verification_lock
from crm_backend.services.alerts import (
    RULES,
    Alert,
    AlertContext,
    Severity,
    alerts_for,
    security_alerts,
)
from tests.factories import (
    demo_catalog,
    make_account,
    make_complaint,
    make_order,
    make_quote,
    own_product,
)

TODAY = dt.date(2025, 11, 3)


def day(offset):
    return TODAY + dt.timedelta(days=offset)


def test_every_rule_in_order_of_importance(any_uow):
    demo = demo_catalog(any_uow)
    pierre = make_account(any_uow)
    # Orders: two late, the rest not.
    make_order(any_uow, pierre, number="SO-000012", promised=dt.date(2025, 10, 31))
    make_order(
        any_uow,
        pierre,
        number="SO-000003",
        promised=dt.date(2024, 11, 29),
        status=OrderStatus.SHIPPED,
    )
    make_order(any_uow, pierre, number="SO-000004", promised=day(-5), status=OrderStatus.DELIVERED)
    make_order(any_uow, pierre, number="SO-000005", promised=day(-5), status=OrderStatus.CANCELLED)
    make_order(any_uow, pierre, number="SO-000006", promised=TODAY)
    # Complaints: one open.
    make_complaint(any_uow, pierre, subject="Screen flickers")
    make_complaint(any_uow, pierre, subject="Late parcel", status="closed")
    # Warranties: ending today, in 17 and in 30 days; not in 31 days nor yesterday.
    own_product(
        any_uow,
        pierre,
        demo.laptop,
        purchased_on=day(-700),
        warranty_until=day(17),
        serial_number="ECL3K-7",
    )
    own_product(any_uow, pierre, demo.printer, purchased_on=day(-730), warranty_until=TODAY)
    own_product(any_uow, pierre, demo.cheaper, purchased_on=day(-700), warranty_until=day(30))
    own_product(any_uow, pierre, demo.dearer, purchased_on=day(-700), warranty_until=day(31))
    own_product(any_uow, pierre, demo.bag, purchased_on=day(-730), warranty_until=day(-1))
    # Quotes: open ones valid until today and in 7 days; not in 8 days, not past, not rejected.
    make_quote(any_uow, pierre, number="Q-000021", valid_until=day(7))
    make_quote(any_uow, pierre, number="Q-000022", valid_until=TODAY)
    make_quote(any_uow, pierre, number="Q-000023", valid_until=day(8))
    make_quote(any_uow, pierre, number="Q-000024", valid_until=day(-1))
    make_quote(any_uow, pierre, number="Q-000025", valid_until=day(2), status=QuoteStatus.REJECTED)
    # Someone else's late order is not Pierre's concern.
    anne = make_account(any_uow, first_name="Anne", phones=[], emails=[])
    make_order(any_uow, anne, number="SO-000099", promised=day(-10))

    alerts = alerts_for(any_uow, account_id=pierre.id, today=TODAY)

    assert alerts == [
        Alert(
            "late_order",
            "Your order SO-000003 is late: it was promised for 29 November 2024.",
            Severity.HIGH,
            "SO-000003",
        ),
        Alert(
            "late_order",
            "Your order SO-000012 is late: it was promised for 31 October.",
            Severity.HIGH,
            "SO-000012",
        ),
        Alert(
            "open_complaint",
            'Your complaint "Screen flickers" is still open.',
            Severity.HIGH,
            "complaint-1",
        ),
        Alert(
            "warranty_ending",
            "The warranty of your Imprimante Laser 200 ends today.",
            Severity.MEDIUM,
            "PRN-200",
        ),
        Alert(
            "warranty_ending",
            "The warranty of your Éclipse 3000 ends on 20 November.",
            Severity.MEDIUM,
            "ECL3K-7",
        ),
        Alert(
            "warranty_ending",
            "The warranty of your Zénith 14 ends on 3 December.",
            Severity.MEDIUM,
            "ZEN-14",
        ),
        Alert(
            "quote_expiring", "Your quote Q-000022 is valid until today.", Severity.LOW, "Q-000022"
        ),
        Alert(
            "quote_expiring",
            "Your quote Q-000021 is valid until 10 November.",
            Severity.LOW,
            "Q-000021",
        ),
    ]


def test_nothing_to_say(any_uow):
    pierre = make_account(any_uow)

    assert alerts_for(any_uow, account_id=pierre.id, today=TODAY) == []


def test_a_new_rule_is_one_more_function(any_uow):
    pierre = make_account(any_uow, do_not_contact=True)

    def do_not_contact(context: AlertContext):
        if context.account.do_not_contact:
            yield Alert("do_not_contact", "Do not call for marketing.", Severity.LOW, "account")

    make_complaint(any_uow, pierre, subject="Too many calls")

    assert alerts_for(
        any_uow, account_id=pierre.id, today=TODAY, rules=[do_not_contact, *RULES]
    ) == [
        Alert(
            "open_complaint",
            'Your complaint "Too many calls" is still open.',
            Severity.HIGH,
            "complaint-1",
        ),
        Alert("do_not_contact", "Do not call for marketing.", Severity.LOW, "account"),
    ]


def test_unknown_account(any_uow):
    with pytest.raises(AccountNotFound):
        alerts_for(any_uow, account_id=5, today=TODAY)


# --- for the desk only: the account under attack --------------------------------------

NOW = dt.datetime(2025, 11, 3, 9, 30, tzinfo=dt.UTC)


def test_five_failed_checks_in_an_hour_alert_the_desk_until_the_lock_ends(any_uow):
    pierre = make_account(any_uow)
    for minute in (0, 5, 10, 15, 20):
        verification_lock.record_failed_verification(
            any_uow, account_id=pierre.id, channel="web", now=NOW + dt.timedelta(minutes=minute)
        )

    during = security_alerts(any_uow, account_id=pierre.id, now=NOW + dt.timedelta(minutes=20))
    after = security_alerts(any_uow, account_id=pierre.id, now=NOW + dt.timedelta(minutes=60))

    assert during == [
        Alert(
            "verification_locked",
            "5 failed identity checks in the last hour: verification locked until 10:30 UTC.",
            Severity.HIGH,
            "account",
        )
    ]
    assert after == []
    # The customer never hears it: the bot reads alerts_for, which knows nothing of it.
    assert alerts_for(any_uow, account_id=pierre.id, today=TODAY) == []


def test_fewer_failed_checks_alert_nobody(any_uow):
    pierre = make_account(any_uow)
    for minute in range(4):
        verification_lock.record_failed_verification(
            any_uow, account_id=pierre.id, channel="sms", now=NOW + dt.timedelta(minutes=minute)
        )

    assert security_alerts(any_uow, account_id=pierre.id, now=NOW + dt.timedelta(minutes=5)) == []
