"""What the order form's tests and the placing tests share: the lines, a quote to order from."""

from __future__ import annotations

from sqlalchemy.orm import Session, sessionmaker

from crm_backend.services import quotes
from crm_backend.services.pricing import LineRequest
from crm_backend.uow import SqlAlchemyUnitOfWork
from tests.actions.trackers import CALL_DAY

X = "\N{MULTIPLICATION SIGN}"
ECLIPSE_AND_BAG = [{"sku": "ECL-3000", "quantity": 1}, {"sku": "BAG-ECL", "quantity": 1}]


def make_quote(crm: sessionmaker[Session], account_id: int, lines: list[tuple[str, int]]) -> str:
    """A quote for the account, made on CALL_DAY: its number."""
    with SqlAlchemyUnitOfWork(crm) as uow:
        quote = quotes.create_quote(
            uow,
            account_id=account_id,
            lines=[LineRequest(sku, quantity) for sku, quantity in lines],
            today=CALL_DAY,
        )
        uow.commit()
        return quote.number
