"""The seed's builders keep derived fields as the services would: names, contacts, totals."""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from crm_backend import models
from crm_backend.models import Account, Product, Quote, SalesOrder
from crm_backend.text import normalize, normalize_email, normalize_phone


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
