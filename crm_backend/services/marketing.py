"""Marketing contacts (PROCESSES.md 2): the offer on the table and the lead a script qualifies.

Inbound, a prospect asks about an advertised offer: :func:`current_offer`
finds the running campaign. Inbound or outbound, the campaign's interactive
script asks its questions, and :func:`create_scripted_lead` turns the
answers into a lead with the campaign as its source, scored and qualified
by the script's own scoring, the answers kept on the lead and on the
customer's record.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from ..interactive_scripts import Script
from ..models import Campaign, Lead
from ..uow import UnitOfWork
from .accounts import record_script_answer
from .dates import now_or, today_or
from .leads import Scoring, create_lead, qualify_lead

ACTIVE = "active"


def current_offer(
    uow: UnitOfWork, *, product_sku: str | None = None, today: dt.date | None = None
) -> Campaign | None:
    """The running campaign a prospect most likely asks about, or None when none runs.

    Running: active, and today between its first and last day. A campaign
    for the product named comes first, then the one that started last.
    """
    day = today_or(today)
    running = [c for c in uow.campaigns.list_by(status=ACTIVE) if c.starts_on <= day <= c.ends_on]
    if not running:
        return None

    def rank(campaign: Campaign) -> tuple[bool, dt.date, int]:
        product = campaign.product
        about = product is not None and product_sku is not None and product.sku == product_sku
        return (about, campaign.starts_on, campaign.id)

    return max(running, key=rank)


def scoring_of(script: Script) -> Scoring:
    """The script's scoring, as the leads service applies it."""
    return Scoring(
        points=script.points(),
        knockouts=script.knockouts(),
        warm_from=script.warm_from,
        hot_from=script.hot_from,
    )


def lead_answers(script: Script, answers: Mapping[str, str]) -> dict[str, str]:
    """Question id → answer, as lead field → answer (in the script's order)."""
    fields = {}
    for question in script.questions:
        if question.id in answers:
            fields[question.field] = str(answers[question.id])
    return fields


def create_scripted_lead(
    uow: UnitOfWork,
    *,
    script: Script,
    account_id: int,
    answers: Mapping[str, str],
    source_channel: str,
    campaign_id: int | None = None,
    now: dt.datetime | None = None,
) -> Lead:
    """Create the lead a script's answers describe, qualified by the script's scoring.

    The lead takes the campaign's product and is qualified (or disqualified
    by a knock-out answer); each answer is also kept on the account, under
    the script's name and the question's id.

    Args:
        answers: question id → the answer given (an option's words, or free text).

    Raises:
        AccountNotFound, CampaignNotFound: a reference is unknown.
    """
    at = now_or(now)
    campaign = uow.campaigns.get(campaign_id) if campaign_id is not None else None
    product = campaign.product if campaign is not None else None
    lead = create_lead(
        uow,
        account_id=account_id,
        source_channel=source_channel,
        product_sku=product.sku if product is not None else None,
        product_interest=(product.name if product else "") or script.title,
        campaign_id=campaign_id,
        now=at,
    )
    qualify_lead(
        uow, lead_id=lead.id, answers=lead_answers(script, answers), scoring=scoring_of(script)
    )
    for question in script.questions:
        if question.id in answers and str(answers[question.id]).strip():
            record_script_answer(
                uow,
                account_id=account_id,
                script=script.name,
                question=question.id,
                answer=str(answers[question.id]),
                now=at,
            )
    return lead
