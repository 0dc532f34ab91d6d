"""What the e2e tests read back from the CRM about Pierre Moreau, the seed's demo customer."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from crm_backend.models import Account, Activity, Interaction, Product, SalesOrder
from crm_backend.models.engagement import ActivityKind

from .conftest import PIERRE, LiveStack


@dataclass
class Before:
    """What Pierre's account held before a conversation."""

    order_ids: set[int]
    survey_ids: set[int]


def orders(session: Session) -> list[SalesOrder]:
    query = (
        select(SalesOrder)
        .where(SalesOrder.account_id == PIERRE)
        .options(selectinload(SalesOrder.lines))
    )
    return list(session.scalars(query))


def surveys(session: Session) -> list[Activity]:
    query = select(Activity).where(
        Activity.account_id == PIERRE, Activity.kind == ActivityKind.SURVEY_CALL
    )
    return list(session.scalars(query))


def before(live: LiveStack) -> Before:
    with live.sessions() as session:
        return Before(
            order_ids={o.id for o in orders(session)},
            survey_ids={a.id for a in surveys(session)},
        )


def new_orders(live: LiveStack, earlier: Before) -> list[SalesOrder]:
    """Pierre's orders placed since ``earlier``."""
    with live.sessions() as session:
        return [o for o in orders(session) if o.id not in earlier.order_ids]


def assert_the_crm_after(live: LiveStack, earlier: Before, *, conversation_id: str) -> Interaction:
    with live.sessions() as session:
        fresh = [o for o in orders(session) if o.id not in earlier.order_ids]
        assert len(fresh) == 1, [o.number for o in fresh]
        order = fresh[0]
        skus = {
            session.get_one(Product, line.product_id).sku: line.quantity for line in order.lines
        }
        assert skus == {"ECL-3000": 1, "BAG-ECL": 1}

        new_surveys = [a for a in surveys(session) if a.id not in earlier.survey_ids]
        assert [(s.order_id, s.status) for s in new_surveys] == [(order.id, "open")]

        interaction = session.scalars(
            select(Interaction).where(Interaction.conversation_id == conversation_id)
        ).one()
        assert interaction.account_id == PIERRE
        assert interaction.identity_confirmed
        assert interaction.order_id == order.id
        assert interaction.ended_at is not None
        assert interaction.outcome
        session.expunge(interaction)
        return interaction


def primary_phone(live: LiveStack) -> str | None:
    with live.sessions() as session:
        return session.get_one(Account, PIERRE).primary_phone
