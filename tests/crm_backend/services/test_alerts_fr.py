"""Alerts in French, for a French conversation: the same facts, the same order, French words."""

from __future__ import annotations

import datetime as dt

from crm_backend.models import OrderStatus
from crm_backend.services.alerts import alerts_for
from crm_backend.services.dates import spoken_date
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


def test_every_rule_in_french(any_uow):
    demo = demo_catalog(any_uow)
    pierre = make_account(any_uow)
    make_order(
        any_uow,
        pierre,
        number="SO-000003",
        promised=dt.date(2024, 11, 29),
        status=OrderStatus.SHIPPED,
    )
    make_order(any_uow, pierre, number="SO-000012", promised=dt.date(2025, 10, 31))
    make_complaint(any_uow, pierre, subject="Écran qui scintille")
    own_product(any_uow, pierre, demo.printer, purchased_on=day(-730), warranty_until=TODAY)
    own_product(any_uow, pierre, demo.laptop, purchased_on=day(-700), warranty_until=day(17))
    make_quote(any_uow, pierre, number="Q-000022", valid_until=TODAY)
    make_quote(any_uow, pierre, number="Q-000021", valid_until=day(7))

    alerts = alerts_for(any_uow, account_id=pierre.id, today=TODAY, language="fr")

    assert [a.message for a in alerts] == [
        "Votre commande SO-000003 est en retard : elle était promise pour le 29 novembre 2024.",
        "Votre commande SO-000012 est en retard : elle était promise pour le 31 octobre.",
        'Votre réclamation "Écran qui scintille" est toujours en cours.',
        "La garantie de votre Imprimante Laser 200 prend fin aujourd'hui.",
        "La garantie de votre Éclipse 3000 prend fin le 20 novembre.",
        "Votre devis Q-000022 est valable jusqu'à aujourd'hui.",
        "Votre devis Q-000021 est valable jusqu'au 10 novembre.",
    ]
    english = alerts_for(any_uow, account_id=pierre.id, today=TODAY)
    assert [(a.kind, a.severity, a.ref) for a in alerts] == [
        (a.kind, a.severity, a.ref) for a in english
    ]


def test_an_unknown_language_reads_english(any_uow):
    pierre = make_account(any_uow)
    make_order(any_uow, pierre, number="SO-000012", promised=dt.date(2025, 10, 31))
    [alert] = alerts_for(any_uow, account_id=pierre.id, today=TODAY, language="de")
    assert alert.message == "Your order SO-000012 is late: it was promised for 31 October."


def test_the_first_of_the_month_in_french():
    assert spoken_date(dt.date(2025, 12, 1), today=TODAY, language="fr") == "1er décembre"
    assert spoken_date(dt.date(2026, 8, 15), today=TODAY, language="fr") == "15 août 2026"
    assert spoken_date(dt.date(2025, 12, 1), today=TODAY) == "1 December"
