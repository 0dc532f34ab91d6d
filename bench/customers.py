"""The benchmark's database: the demo seed, benchmark customers, and stock that lasts.

The seed comes from ``python -m crm_backend seed``, as in the e2e tests. Then
come as many extra accounts as the run has conversations, each with its own
e-mail, postcode and mobile, so no account piles up hundreds of orders (the
account summary lists open orders, which would make later turns heavier than
early ones). The products the script orders get a stock no run can exhaust:
out of stock, the delivery date and so the replies would change.
"""

from __future__ import annotations

import datetime as dt
import itertools
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from crm_backend.db import build_engine
from crm_backend.models import Phone, Product
from crm_backend.seed.builders import Person, add_account
from crm_backend.seed.people import CITIES, FIRST_NAMES, LAST_NAMES
from crm_backend.text import normalize
from launcher.stack import REPO_ROOT

from .script import ORDERED_SKUS, Customer

# More than any phase can order, however fast the stack.
BENCH_STOCK = 1_000_000
FIRST_CUSTOMER_NUMBER = 900_001
# Mobiles the seed never hands out (it draws +336/+337 with random digits, so check).
PHONE_PREFIX, NEW_PHONE_PREFIX = "+33610", "+33620"


def seed(database_url: str, var_dir: Path) -> None:
    """Migrate and seed the database as ``make run`` would."""
    env = {**os.environ, "DATABASE_URL": database_url, "ICBOT_VAR_DIR": str(var_dir)}
    subprocess.run(
        [sys.executable, "-m", "crm_backend", "seed"],
        cwd=REPO_ROOT,
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
    )


def _ascii(name: str) -> str:
    return normalize(name).replace(" ", "")


def people(count: int) -> list[Customer]:
    """``count`` distinct customers with French names, addresses and mobiles."""
    names = itertools.product(LAST_NAMES, FIRST_NAMES)
    result = []
    for i, (last, first) in zip(range(count), itertools.cycle(names), strict=False):
        _city, postcode = CITIES[i % len(CITIES)]
        result.append(
            Customer(
                name=f"{first} {last}",
                email=f"{_ascii(first)}.{_ascii(last)}.{i:05d}@bench.example.fr",
                postcode=postcode,
                phone=f"{PHONE_PREFIX}{i:06d}",
                new_phone=f"{NEW_PHONE_PREFIX}{i:06d}",
            )
        )
    return result


def add_customers(database_url: str, customers: list[Customer]) -> None:
    """Write the customers as accounts and put the ordered products in stock."""
    engine = build_engine(database_url)
    created = dt.datetime.now(dt.UTC)
    try:
        with engine.begin() as connection:
            connection.execute(
                update(Product).where(Product.sku.in_(ORDERED_SKUS)).values(stock=BENCH_STOCK)
            )
        with Session(engine) as session:
            taken = set(session.scalars(select(Phone.number)))
            ours = {c.phone for c in customers} | {c.new_phone for c in customers}
            if taken & ours:
                raise RuntimeError(f"the seed already uses {sorted(taken & ours)[:3]}")
            for i, customer in enumerate(customers):
                first, last = customer.name.split(" ", 1)
                city = next(c for c, p in CITIES if p == customer.postcode)
                person = Person(
                    customer_number=f"C-{FIRST_CUSTOMER_NUMBER + i}",
                    first_name=first,
                    last_name=last,
                    street=f"{i % 90 + 1} rue du Banc d'Essai",
                    postcode=customer.postcode,
                    city=city,
                    phones=(customer.phone,),
                    emails=(customer.email,),
                )
                add_account(session, person, created=created, consents={})
            session.commit()
    finally:
        engine.dispose()


class CustomerPool:
    """Hands out each customer once, then starts over (accounts then carry an order or two)."""

    def __init__(self, customers: list[Customer]) -> None:
        if not customers:
            raise ValueError("a pool needs customers")
        self._cycle: Iterator[Customer] = itertools.cycle(customers)
        self.size = len(customers)
        self.handed_out = 0

    def next(self) -> Customer:
        """The next customer."""
        self.handed_out += 1
        return next(self._cycle)
