"""The demo data: the fixed facts of ARCHITECTURE.md and a believable shop around them.

``python -m crm_backend seed`` (and so ``make run``) calls :func:`seed_database`.
The seed is deterministic (one fixed random seed, every date relative to the
``today`` it is given) and idempotent: a database that already holds it, or
any other customer data, is left alone.

What it holds, and the accounts that show each alert:

- Pierre Moreau (``C-100001``), the reference example: one printer he owns,
  one delivered order, nothing else.
- ``C-100002`` a delayed order, ``C-100003`` an open complaint, ``C-100004``
  a warranty about to end, ``C-100005`` a quote about to expire.
- 27 products (26 on sale) in six categories, with aliases, accessories,
  alternatives and volume discounts; 55 generated customers (49 persons, 6
  companies with contacts) with consents, orders, registered products,
  quotes, leads, activities and interactions; one running campaign with its
  call list.
"""

from __future__ import annotations

import datetime as dt
import enum
import random

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from ..models import Account, AccountKind, Product
from .catalog import seed_catalog
from .demo import PIERRE, seed_alert_cases, seed_pierre
from .engagement import seed_campaign, seed_engagement
from .history import add_past_order, seed_history
from .people import seed_people

__all__ = ["RANDOM_SEED", "SeedOutcome", "seed", "seed_database"]

RANDOM_SEED = 20251122
OLD_LAPTOP_OWNERS = 10


class SeedOutcome(enum.StrEnum):
    """What :func:`seed` did."""

    SEEDED = "seeded"
    ALREADY_SEEDED = "already seeded"
    NOT_EMPTY = "the database holds other data; left alone"


def _outcome_without_seeding(session: Session) -> SeedOutcome | None:
    pierre = select(Account.id).where(Account.customer_number == PIERRE.customer_number)
    if session.scalar(pierre) is not None:
        return SeedOutcome.ALREADY_SEEDED
    accounts = session.scalar(select(func.count()).select_from(Account)) or 0
    products = session.scalar(select(func.count()).select_from(Product)) or 0
    return SeedOutcome.NOT_EMPTY if accounts or products else None


def seed(session: Session, *, today: dt.date) -> SeedOutcome:
    """Add the demo data to an empty database, in the caller's transaction.

    Args:
        session: where to add the rows; the caller commits.
        today: the day every demo date is counted from.
    """
    skipped = _outcome_without_seeding(session)
    if skipped is not None:
        return skipped
    rng = random.Random(RANDOM_SEED)  # noqa: S311 - demo data, not secrets
    products = seed_catalog(session)
    pierre = seed_pierre(session, products, today=today)
    fixed = [pierre, *seed_alert_cases(session, products, today=today).values()]
    taken_phones = {phone.number for account in fixed for phone in account.phones}
    people = seed_people(session, rng, today=today, taken_phones=taken_phones)

    # Old-laptop owners make the campaign's call list: one of them asked not to be called.
    persons = [a for a in people if a.kind == AccountKind.PERSON]
    reachable = [a for a in persons if not a.do_not_contact]
    refuser = next(a for a in persons if a.do_not_contact)
    owners = sorted(
        [*rng.sample(reachable, OLD_LAPTOP_OWNERS - 1), refuser], key=lambda a: a.customer_number
    )
    for owner in owners:
        add_past_order(
            session,
            rng,
            owner,
            products,
            today=today,
            main="ECL-1000",
            age_days=rng.randint(1100, 1450),
        )
    seed_history(session, rng, people, products, today=today)
    campaign, call_list = seed_campaign(session, owners, today=today, products=products)
    seed_engagement(
        session, rng, people, products, campaign=campaign, call_list=call_list, today=today
    )
    session.flush()
    return SeedOutcome.SEEDED


def seed_database(session_factory: sessionmaker[Session], *, today: dt.date) -> SeedOutcome:
    """Seed the database behind ``session_factory`` in one transaction, if it is empty."""
    with session_factory() as session:
        outcome = seed(session, today=today)
        session.commit()
    return outcome
