"""Repositories of :mod:`crm_backend.models.accounts`: accounts, number consents, suppressions."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from sqlalchemy import func, or_, select

from .. import models
from ..text import normalize
from .base import SqlRepository


class AccountRepository(SqlRepository[models.Account]):
    """Accounts, found by their contact data."""

    model = models.Account

    def find_by_phone(self, number: str) -> Sequence[models.Account]:
        """Accounts with this E.164 phone number."""
        stmt = select(models.Account).join(models.Phone).where(models.Phone.number == number)
        return self.session.scalars(stmt.distinct().order_by(models.Account.id)).all()

    def find_by_email(self, address: str) -> Sequence[models.Account]:
        """Accounts with this e-mail address (lower-case)."""
        stmt = select(models.Account).join(models.Email).where(models.Email.address == address)
        return self.session.scalars(stmt.distinct().order_by(models.Account.id)).all()

    def search(self, text: str, *, limit: int = 50) -> Sequence[models.Account]:
        """Accounts whose name, number or postcode contains ``text``."""
        key = f"%{normalize(text)}%"
        stmt = (
            select(models.Account)
            .where(
                or_(
                    models.Account.search_name.like(key),
                    func.lower(models.Account.customer_number).like(key),
                    models.Account.postcode.like(key),
                )
            )
            .order_by(models.Account.id)
            .limit(limit)
        )
        return self.session.scalars(stmt).all()

    def add_verification_failure(self, failure: models.VerificationFailure) -> None:
        """Stage a failed identity check against an account."""
        self.session.add(failure)

    def verification_failures(
        self, account_id: int, *, since: dt.datetime | None = None
    ) -> Sequence[models.VerificationFailure]:
        """The account's failed identity checks (after ``since``, if given), newest first."""
        failure = models.VerificationFailure
        stmt = select(failure).where(failure.account_id == account_id)
        if since is not None:
            stmt = stmt.where(failure.at > since)
        return self.session.scalars(stmt.order_by(failure.at.desc(), failure.id.desc())).all()


class NumberConsentRepository(SqlRepository[models.NumberConsent]):
    """Opt-ins and opt-outs of phone numbers, account or not."""

    model = models.NumberConsent


class SuppressionRepository(SqlRepository[models.Suppression]):
    """Salted hashes of numbers and addresses that must never be contacted again."""

    model = models.Suppression
