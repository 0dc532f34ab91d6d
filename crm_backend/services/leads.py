"""Leads: a prospect's interest in a product, created and qualified during a contact.

Qualification is data, not code: a :class:`Scoring` gives points per answer
to each question and the thresholds between cold, warm and hot, so a
marketing script can bring its own. The default asks the classic four:
budget, timeframe, decision maker and need.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field

from ..errors import CampaignNotFound, InvalidRequest, InvalidStatusChange, LeadNotFound
from ..models import Lead, LeadLevel, LeadStatus
from ..text import normalize
from ..uow import UnitOfWork
from .accounts import get_account
from .dates import now_or
from .products import get_product


@dataclass(frozen=True)
class Scoring:
    """How answers turn into a score, a level and a verdict.

    Attributes:
        points: question → answer → points; unknown answers score nothing.
        knockouts: question → answers that disqualify the lead whatever its score.
        warm_from: the lowest score of a warm lead.
        hot_from: the lowest score of a hot lead.
    """

    points: Mapping[str, Mapping[str, int]]
    knockouts: Mapping[str, frozenset[str]] = field(default_factory=dict)
    warm_from: int = 40
    hot_from: int = 70

    def score(self, answers: Mapping[str, str]) -> int:
        """The sum of the points of every answer."""
        return sum(
            self.points.get(question, {}).get(answer_key(answer), 0)
            for question, answer in answers.items()
        )

    def level(self, score: int) -> LeadLevel:
        """Cold below ``warm_from``, hot from ``hot_from``, warm in between."""
        if score >= self.hot_from:
            return LeadLevel.HOT
        if score >= self.warm_from:
            return LeadLevel.WARM
        return LeadLevel.COLD

    def knocked_out(self, answers: Mapping[str, str]) -> bool:
        """Whether an answer disqualifies the lead."""
        return any(
            answer_key(answer) in self.knockouts.get(question, frozenset())
            for question, answer in answers.items()
        )


DEFAULT_SCORING = Scoring(
    points={
        "budget": {"approved": 25, "planned": 15, "unknown": 5},
        "timeframe": {"this_month": 25, "this_quarter": 15, "this_year": 5},
        "decision_maker": {"yes": 25, "shared": 15, "no": 5},
        "need": {"urgent": 25, "clear": 15, "exploring": 5},
    },
    knockouts={"budget": frozenset({"none"}), "need": frozenset({"none"})},
)

# The life cycle: which status may follow which.
NEXT_STATUSES: dict[LeadStatus, frozenset[LeadStatus]] = {
    LeadStatus.NEW: frozenset(
        {LeadStatus.QUALIFIED, LeadStatus.DISQUALIFIED, LeadStatus.CONVERTED}
    ),
    LeadStatus.QUALIFIED: frozenset({LeadStatus.DISQUALIFIED, LeadStatus.CONVERTED}),
    LeadStatus.DISQUALIFIED: frozenset({LeadStatus.QUALIFIED}),
    LeadStatus.CONVERTED: frozenset(),
}


def answer_key(answer: object) -> str:
    """An answer as the scoring compares it: "This month" → "this_month"."""
    return normalize(str(answer)).replace(" ", "_")


def create_lead(
    uow: UnitOfWork,
    *,
    account_id: int,
    source_channel: str,
    product_sku: str | None = None,
    product_interest: str = "",
    campaign_id: int | None = None,
    answers: Mapping[str, str] | None = None,
    now: dt.datetime | None = None,
) -> Lead:
    """Record a new lead, scored by the default scoring on the answers given so far.

    The interest defaults to the product's name.

    Raises:
        AccountNotFound, ProductNotFound, CampaignNotFound: a reference is unknown.
        InvalidRequest: the source channel is empty.
    """
    account = get_account(uow, account_id=account_id)
    channel = source_channel.strip().lower()
    if not channel:
        raise InvalidRequest("a lead needs the channel it came from")
    product = get_product(uow, sku=product_sku) if product_sku else None
    campaign = None
    if campaign_id is not None:
        campaign = uow.campaigns.get(campaign_id)
        if campaign is None:
            raise CampaignNotFound(key=campaign_id)
    given = dict(answers or {})
    score = DEFAULT_SCORING.score(given)
    lead = Lead(
        account=account,
        source_channel=channel,
        product=product,
        campaign=campaign,
        product_interest=product_interest.strip() or (product.name if product else ""),
        qualification_answers=given,
        score=score,
        level=DEFAULT_SCORING.level(score),
        status=LeadStatus.NEW,
        created_at=now_or(now),
        updated_at=now_or(now),
    )
    uow.leads.add(lead)
    uow.flush()
    return lead


def get_lead(uow: UnitOfWork, *, lead_id: int) -> Lead:
    """The lead with that id.

    Raises:
        LeadNotFound: there is none.
    """
    lead = uow.leads.get(lead_id)
    if lead is None:
        raise LeadNotFound(key=lead_id)
    return lead


def qualify_lead(
    uow: UnitOfWork,
    *,
    lead_id: int,
    answers: Mapping[str, str],
    scoring: Scoring | None = None,
) -> Lead:
    """Add the answers to the lead's, score them all, and qualify or disqualify it.

    Raises:
        LeadNotFound: no lead has that id.
        InvalidStatusChange: the lead was converted already.
    """
    scoring = scoring or DEFAULT_SCORING
    lead = get_lead(uow, lead_id=lead_id)
    if lead.status == LeadStatus.CONVERTED:
        raise InvalidStatusChange(
            entity="lead", current=LeadStatus.CONVERTED, requested=LeadStatus.QUALIFIED
        )
    # A new dict, not an update in place: the JSON column only sees assignments.
    merged = {**lead.qualification_answers, **answers}
    lead.qualification_answers = merged
    lead.score = scoring.score(merged)
    lead.level = scoring.level(lead.score)
    lead.status = LeadStatus.DISQUALIFIED if scoring.knocked_out(merged) else LeadStatus.QUALIFIED
    uow.flush()
    return lead


def leads_for(uow: UnitOfWork, *, account_id: int) -> list[Lead]:
    """The account's leads, newest first."""
    return list(uow.leads.list_by(account_id=account_id))


def change_lead_status(uow: UnitOfWork, *, lead_id: int, status: LeadStatus | str) -> Lead:
    """Move a lead along its life cycle.

    new → qualified, disqualified or converted; qualified → disqualified or
    converted; disqualified → qualified again.

    Raises:
        LeadNotFound: no lead has that id.
        InvalidStatusChange: the life cycle does not allow the change.
    """
    lead = get_lead(uow, lead_id=lead_id)
    current = LeadStatus(lead.status)
    try:
        requested = LeadStatus(status)
    except ValueError:
        raise InvalidStatusChange(entity="lead", current=current, requested=str(status)) from None
    if requested not in NEXT_STATUSES[current]:
        raise InvalidStatusChange(entity="lead", current=current, requested=requested)
    lead.status = requested
    uow.flush()
    return lead
