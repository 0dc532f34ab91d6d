"""Whom a call list targets: the filter, the people it matches, their priority, in words.

:class:`TargetFilter` is what the IC manager asks for; :func:`matches` finds
the accounts, each with their best lead; :func:`priority_of` says what each
one's priority is made of; :func:`describe_target` writes the filter as a
sentence a marketer reads; :func:`converted_accounts` finds the people a
campaign has already converted, whom its next lists skip.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from typing import Any

from ..models import Account, Lead, LeadLevel, LeadStatus, RegisteredProduct
from ..text import normalize
from ..uow import UnitOfWork

PREFERRED_CHANNEL = "preferred_channel"
LEVEL_PRIORITY = {LeadLevel.HOT: 300, LeadLevel.WARM: 200, LeadLevel.COLD: 100}
# (at most this many days ago, points): recent interest or purchases come first.
RECENCY_PRIORITY = ((30, 30), (90, 20), (365, 10))
CONVERTED_BY_LEAD = "already converted in this campaign (a lead from it)"
CONVERTED_BY_ORDER = "already converted in this campaign (an order in one of its contacts)"


@dataclass(frozen=True)
class TargetFilter:
    """Who a call list targets; every criterion given must hold, none given means everyone.

    Attributes:
        owns_sku: owns this product (registered in the installed base).
        owns_product: owns a product whose name contains these words
            (accent- and case-insensitive: "eclipse" for every Éclipse).
        owns_category: owns a product of this category ("laptop").
        bought_from: bought such a product (or anything, without ``owns_*``) on or after this day.
        bought_to: ... on or before this day.
        postcode_prefix: lives where the postcode starts like this ("69" for the Rhône).
        city: lives in this city (accent- and case-insensitive).
        lead_level: has a lead at this level.
        lead_status: has a lead in this status (the same lead as ``lead_level``).
        preferred_channel: said they prefer this channel (preference ``preferred_channel``).
    """

    owns_sku: str | None = None
    owns_product: str | None = None
    owns_category: str | None = None
    bought_from: dt.date | None = None
    bought_to: dt.date | None = None
    postcode_prefix: str | None = None
    city: str | None = None
    lead_level: LeadLevel | None = None
    lead_status: LeadStatus | None = None
    preferred_channel: str | None = None

    def as_criteria(self) -> dict[str, Any]:
        """The criteria given, as JSON-able data (kept on the call list)."""
        return {
            key: value.isoformat() if isinstance(value, dt.date) else str(value)
            for key, value in asdict(self).items()
            if value is not None
        }


@dataclass(frozen=True)
class Match:
    """An account the target reaches, with its best matching lead."""

    account: Account
    lead: Lead | None


def matches(uow: UnitOfWork, target: TargetFilter) -> list[Match]:
    """The accounts ``target`` reaches, by account id, each with its best matching lead."""
    leads_by_account: dict[int, list[Lead]] = defaultdict(list)
    for lead in uow.leads.list_by():
        leads_by_account[lead.account_id].append(lead)
    found = []
    for account in sorted(uow.accounts.list_by(), key=lambda a: a.id):
        if not _place_and_taste_match(account, target) or not _purchase_matches(account, target):
            continue
        leads = [lead for lead in leads_by_account[account.id] if _lead_matches(lead, target)]
        if (target.lead_level or target.lead_status) and not leads:
            continue
        best = max(leads, key=_lead_rank, default=None)
        found.append(Match(account=account, lead=best))
    return found


def converted_accounts(uow: UnitOfWork, *, campaign_id: int) -> dict[int, str]:
    """Account id → why the campaign has already converted them.

    Converted by a campaign means either of:

    - a **lead from the campaign**: a lead whose ``campaign_id`` is the
      campaign's, in any status (a script or an agent already qualified them
      for this offer; a disqualified one was reached and answered too);
    - an **order in one of its contacts**: an interaction of the campaign
      (``Interaction.campaign_id``) linked to a sales order.

    Orders carry no campaign of their own, so an order placed outside the
    campaign's contacts does not count.
    """
    found: dict[int, str] = {}
    for interaction in uow.interactions.list_by(campaign_id=campaign_id):
        if interaction.order_id is not None and interaction.account_id is not None:
            found[interaction.account_id] = CONVERTED_BY_ORDER
    for lead in uow.leads.list_by(campaign_id=campaign_id):
        found[lead.account_id] = CONVERTED_BY_LEAD
    return found


def priority_of(match: Match, today: dt.date) -> list[tuple[str, int]]:
    """What the match's priority is made of: (reason, points), in words a manager reads.

    The level of the best lead (hot 300, warm 200, cold 100, none 0) plus
    how recently they bought or showed interest (30 days: 30, 90: 20, a year:
    10, longer: 0). The priority is the sum of the points.
    """
    if match.lead is None:
        parts = [("no lead", 0)]
    else:
        level = LeadLevel(match.lead.level)
        parts = [(f"{level.value} lead", LEVEL_PRIORITY.get(level, 0))]
    moments = [r.purchased_on for r in match.account.registered_products]
    if match.lead is not None:
        moments.append(match.lead.created_at.date())
    if not moments:
        return [*parts, ("no purchase or interest on record", 0)]
    days_ago = (today - max(moments)).days
    recency = next((points for within, points in RECENCY_PRIORITY if days_ago <= within), 0)
    return [*parts, (f"last purchase or interest {_days(days_ago)} ago", recency)]


def _days(days: int) -> str:
    return "1 day" if days == 1 else f"{max(days, 0)} days"


def describe_target(criteria: Mapping[str, Any]) -> str:
    """A call list's criteria as one sentence ("Customers who own a laptop and live in Lyon.")."""
    given = {key: str(value).strip() for key, value in criteria.items() if str(value).strip()}
    clauses = []
    owned = _owned_clause(given)
    if owned:
        clauses.append(owned)
    if "city" in given:
        clauses.append(f"live in {given.pop('city')}")
    if "postcode_prefix" in given:
        clauses.append(f"have a postcode starting with {given.pop('postcode_prefix')}")
    lead = ", ".join(given.pop(k) for k in ("lead_level", "lead_status") if k in given)
    if lead:
        clauses.append(f"have a {lead} lead")
    if PREFERRED_CHANNEL in given:
        clauses.append(f"prefer to be contacted by {given.pop(PREFERRED_CHANNEL)}")
    # The demo's list was written with these before the filter existed.
    if "consent" in given:
        clauses.append(f"agreed to be contacted by {given.pop('consent')}")
    if given.pop("exclude_do_not_contact", "").lower() == "true":
        clauses.append("have not asked us never to contact them")
    clauses += [f"have {key.replace('_', ' ')} {value}" for key, value in sorted(given.items())]
    if not clauses:
        return "Every customer."
    said = clauses[0] if len(clauses) == 1 else f"{', '.join(clauses[:-1])} and {clauses[-1]}"
    return f"Customers who {said}."


def _owned_clause(given: dict[str, str]) -> str:
    sku, named = given.pop("owns_sku", ""), given.pop("owns_product", "")
    category = given.pop("owns_category", "")
    start, end = given.pop("bought_from", ""), given.pop("bought_to", "")
    if start and end:
        when = f" between {start} and {end}"
    elif start or end:
        when = f" on or after {start}" if start else f" on or before {end}"
    else:
        when = ""
    if sku:
        thing = f"the product {sku.upper()}"
    elif category or named:
        thing = f"a {category or 'product'}" + (f" named “{named}”" if named else "")
    else:
        return f"bought something{when}" if when else ""
    return f"own {thing}" + (f", bought{when}" if when else "")


def _place_and_taste_match(account: Account, target: TargetFilter) -> bool:
    if target.postcode_prefix:
        prefix = "".join(target.postcode_prefix.split()).upper()
        if not "".join((account.postcode or "").split()).upper().startswith(prefix):
            return False
    if target.city and normalize(account.city or "") != normalize(target.city):
        return False
    if target.preferred_channel:
        said = next((p.value for p in account.preferences if p.key == PREFERRED_CHANNEL), "")
        if normalize(said) != normalize(target.preferred_channel):
            return False
    return True


def _purchase_matches(account: Account, target: TargetFilter) -> bool:
    if not (
        target.owns_sku
        or target.owns_product
        or target.owns_category
        or target.bought_from
        or target.bought_to
    ):
        return True
    return any(_owned_matches(owned, target) for owned in account.registered_products)


def _owned_matches(owned: RegisteredProduct, target: TargetFilter) -> bool:
    product = owned.product
    if target.owns_sku and product.sku != target.owns_sku.strip().upper():
        return False
    if target.owns_product and normalize(target.owns_product) not in normalize(product.name):
        return False
    if target.owns_category and _singular(product.category) != _singular(target.owns_category):
        return False
    if target.bought_from is not None and owned.purchased_on < target.bought_from:
        return False
    return target.bought_to is None or owned.purchased_on <= target.bought_to


def _singular(word: str) -> str:
    # "laptop" finds the category "laptops", and the other way round.
    return normalize(word).removesuffix("s")


def _lead_matches(lead: Lead, target: TargetFilter) -> bool:
    return (target.lead_level is None or lead.level == target.lead_level) and (
        target.lead_status is None or lead.status == target.lead_status
    )


def _lead_rank(lead: Lead) -> tuple[int, dt.datetime, int]:
    return LEVEL_PRIORITY.get(LeadLevel(lead.level), 0), lead.created_at, lead.id
