"""Requests about other things, as the first message of a chat, change nothing in the CRM.

"Add milk to the shopping list" once reached stop_contact. 300 messages of the
unseen test set's out-of-domain file (never trained on), each the first of
a new anonymous conversation through the chat API, from clients on the
internet behind the gateway's proxy: afterwards every table a customer's
wish would write to holds exactly the rows it held before.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import httpx
import yaml
from sqlalchemy import inspect, select

from crm_backend.models import (
    Account,
    AccountContact,
    Activity,
    Complaint,
    Consent,
    Email,
    Handoff,
    Lead,
    NumberConsent,
    Phone,
    Preference,
    Quote,
    SalesOrder,
    Suppression,
)

from .conftest import REPO_ROOT, LiveStack

OUT_OF_DOMAIN = REPO_ROOT / "tests" / "nlu" / "unseen" / "en" / "out_of_domain.yml"
MESSAGES = 300
# Where a customer's wish is written: orders, quotes, leads, accounts and their
# contacts, activities, consents, preferences, do-not-contact, complaints, handoffs.
WRITTEN = (
    SalesOrder,
    Quote,
    Lead,
    Account,
    Phone,
    Email,
    AccountContact,
    Activity,
    Consent,
    NumberConsent,
    Preference,
    Suppression,
    Complaint,
    Handoff,
)


def out_of_domain_messages(path: Path = OUT_OF_DOMAIN) -> list[str]:
    """The file's first MESSAGES examples, in order."""
    blocks = yaml.safe_load(path.read_text(encoding="utf-8"))["nlu"]
    lines = [
        line.strip()[2:]
        for block in blocks
        for line in str(block["examples"]).splitlines()
        if line.strip().startswith("- ")
    ]
    assert len(lines) >= MESSAGES, f"{path} holds {len(lines)} messages"
    return lines[:MESSAGES]


def fingerprint(live: LiveStack) -> dict[str, str]:
    """Per table: a digest of every row's every column."""
    prints = {}
    with live.sessions() as session:
        for model in WRITTEN:
            columns = [a.key for a in inspect(model).column_attrs]
            rows = sorted(
                repr(tuple(getattr(row, c) for c in columns))
                for row in session.scalars(select(model))
            )
            prints[model.__tablename__] = hashlib.sha256("\n".join(rows).encode()).hexdigest()
    return prints


def test_three_hundred_requests_about_other_things_change_no_crm_row(live: LiveStack) -> None:
    before = fingerprint(live)
    answered = 0
    with httpx.Client(base_url=live.url, timeout=30) as client:
        for n, text in enumerate(out_of_domain_messages()):
            # Each customer is another client, so no rate limit speaks for the bot.
            client.headers["X-Forwarded-For"] = f"198.51.100.{n % 250 + 1}"
            started = client.post("/api/conversations", json={})
            assert started.status_code == 201, started.text
            conversation = started.json()["conversation_id"]
            reply = client.post(f"/api/conversations/{conversation}/messages", json={"text": text})
            assert reply.status_code == 200, (text, reply.text)
            answered += bool(reply.json()["messages"])
    assert answered == MESSAGES
    assert fingerprint(live) == before
