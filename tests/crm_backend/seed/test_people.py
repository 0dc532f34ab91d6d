"""The generated customers: persons and companies with contacts."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from crm_backend.models import Account, AccountKind, ConsentStatus


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
