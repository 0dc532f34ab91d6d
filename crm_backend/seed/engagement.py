"""The marketing side of the demo: a campaign and its call list, leads, activities, interactions.

The campaign offers the Éclipse 3000 to owners of the old Éclipse 1000; its
call list already shows the rules of an outbound list (do-not-contact and
phone opt-outs excluded, one call made, one lead qualified).
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..models import (
    Account,
    AccountKind,
    Activity,
    ActivityKind,
    ActivityStatus,
    CallList,
    CallListEntry,
    Campaign,
    ConsentStatus,
    ContactChannel,
    Interaction,
    Lead,
    LeadLevel,
    LeadStatus,
    OrderStatus,
    Product,
    SalesOrder,
    ScriptAnswer,
)
from .builders import at

CAMPAIGN_SCRIPT = "laptop_upgrade"


def _phone_consent(account: Account) -> ConsentStatus | None:
    return next((c.status for c in account.consents if c.channel == ContactChannel.PHONE), None)


def _exclusion(account: Account) -> str | None:
    if account.do_not_contact:
        return "do not contact"
    if _phone_consent(account) == ConsentStatus.OPT_OUT:
        return "opted out of phone calls"
    return None


def seed_campaign(
    session: Session,
    accounts: Sequence[Account],
    products: dict[str, Product],
    *,
    today: dt.date,
) -> tuple[Campaign, CallList]:
    """The running upgrade campaign and its call list over ``accounts``."""
    campaign = Campaign(
        name="Éclipse 3000 upgrade offer",
        product=products["ECL-3000"],
        offer="Trade up to the Éclipse 3000 and get the Éclipse Laptop Bag free.",
        script=CAMPAIGN_SCRIPT,
        channel="phone",
        starts_on=today - dt.timedelta(days=7),
        ends_on=today + dt.timedelta(days=23),
        calling_hours_start=dt.time(9, 0),
        calling_hours_end=dt.time(19, 0),
        status="active",
        created_at=at(today - dt.timedelta(days=10)),
    )
    call_list = CallList(
        name="Éclipse 1000 owners",
        campaign=campaign,
        assigned_to="bot",
        criteria={"owns_sku": "ECL-1000", "consent": "phone", "exclude_do_not_contact": True},
        status="ready",
        created_at=at(today - dt.timedelta(days=7), 9),
    )
    for account in accounts:
        reason = _exclusion(account)
        # The longer someone has had the old laptop, the likelier they are to upgrade.
        oldest = min(r.purchased_on for r in account.registered_products)
        priority = (today - oldest).days // 30
        evening = any(
            p.key == "best_time_to_call" and p.value == "evening" for p in account.preferences
        )
        call_list.entries.append(
            CallListEntry(
                account=account,
                priority=priority,
                priority_basis=[[f"had the old laptop {priority} months", priority]],
                window_start=dt.time(17, 0) if evening else dt.time(9, 0),
                window_end=dt.time(20, 0) if evening else dt.time(19, 0),
                timezone=account.timezone,
                status="excluded" if reason else "pending",
                exclusion_reason=reason,
            )
        )
    session.add(campaign)
    session.flush()
    return campaign, call_list


def seed_engagement(
    session: Session,
    rng: random.Random,
    accounts: Sequence[Account],
    products: dict[str, Product],
    *,
    campaign: Campaign,
    call_list: CallList,
    today: dt.date,
) -> None:
    """Leads, their interactions and script answers, and follow-up activities."""
    callable_entries = [e for e in call_list.entries if e.status == "pending"]
    reachable = [a for a in accounts if _exclusion(a) is None]

    # The bot already worked two entries of the call list: no answer, then a hot lead.
    no_answer, reached = callable_entries[0], callable_entries[1]
    no_answer.attempts, no_answer.outcome = 1, "no_answer"
    no_answer.last_attempt_at = at(today - dt.timedelta(days=1), 10, 15)
    called_at = at(today - dt.timedelta(days=2), 11)
    hot = Lead(
        account=reached.account,
        source_channel="phone",
        campaign=campaign,
        product=products["ECL-3000"],
        product_interest="Éclipse 3000 to replace an Éclipse 1000",
        qualification_answers={
            "budget": "1000-1500 EUR",
            "timeframe": "this month",
            "usage": "work and travel",
        },
        score=85,
        level=LeadLevel.HOT,
        status=LeadStatus.QUALIFIED,
        created_at=called_at,
        updated_at=called_at,
    )
    session.add(hot)
    session.flush()
    reached.attempts, reached.status, reached.outcome = 1, "done", "lead_created"
    reached.last_attempt_at, reached.lead_id = called_at, hot.id
    for question, answer in (
        ("current_laptop_age", "about 4 years"),
        ("main_use", "work and travel"),
        ("budget", "1000-1500 EUR"),
    ):
        reached.account.script_answers.append(
            ScriptAnswer(
                script=CAMPAIGN_SCRIPT, question=question, answer=answer, recorded_at=called_at
            )
        )
    outbound = Interaction(
        channel="phone",
        direction="outbound",
        account=reached.account,
        identity_confirmed=True,
        started_at=called_at,
        ended_at=called_at + dt.timedelta(minutes=6),
        outcome="lead_created",
        summary="Upgrade offer: interested in the Éclipse 3000, wants a quote this month.",
        lead_id=hot.id,
        campaign_id=campaign.id,
    )
    session.add(outbound)
    session.flush()
    session.add(
        Activity(
            account=reached.account,
            kind=ActivityKind.CALLBACK,
            subject="Call back with an Éclipse 3000 quote",
            owner="ic-team",
            due_at=at(today + dt.timedelta(days=1), 10),
            status=ActivityStatus.OPEN,
            interaction_id=outbound.id,
            created_at=called_at,
        )
    )

    inbound_leads = (
        (
            "web",
            "ZEN-PRO",
            "Zenith Pro 15 for video editing",
            55,
            LeadLevel.WARM,
            LeadStatus.NEW,
            {"budget": "about 1800 EUR", "timeframe": "within 3 months", "usage": "video editing"},
        ),
        (
            "sms",
            "PHN-ASTRA",
            "Astra 5G for a teenager",
            20,
            LeadLevel.COLD,
            LeadStatus.NEW,
            {"budget": "under 400 EUR", "timeframe": "no rush"},
        ),
        (
            "phone",
            "MON-27QHD",
            "A second screen",
            10,
            LeadLevel.COLD,
            LeadStatus.DISQUALIFIED,
            {"budget": "under 100 EUR", "timeframe": "no rush"},
        ),
        (
            "web",
            "ECL-2000",
            "Éclipse 2000 for university",
            60,
            LeadLevel.WARM,
            LeadStatus.QUALIFIED,
            {"budget": "800-1000 EUR", "timeframe": "before September", "usage": "school"},
        ),
        (
            "web",
            "PRN-LJ500",
            "A laser printer for the office",
            90,
            LeadLevel.HOT,
            LeadStatus.CONVERTED,
            {"budget": "300 EUR", "timeframe": "this week", "usage": "office"},
        ),
    )
    leads_for = [a for a in reachable if a is not reached.account]
    for n, (channel, sku, interest, score, level, status, answers) in enumerate(inbound_leads):
        account = leads_for[2 * n + 1]
        when = at(today - dt.timedelta(days=3 + 9 * n), 14 + n % 4)
        lead = Lead(
            account=account,
            source_channel=channel,
            product=products[sku],
            product_interest=interest,
            qualification_answers=answers,
            score=score,
            level=level,
            status=status,
            created_at=when,
            updated_at=when,
        )
        session.add(lead)
        session.flush()
        interaction = Interaction(
            conversation_id=f"seed-{channel}-{lead.id}",
            channel=channel,
            direction="inbound",
            account=account,
            identity_confirmed=True,
            started_at=when,
            ended_at=when + dt.timedelta(minutes=rng.randint(3, 12)),
            outcome="lead_created",
            summary=f"Asked about the {products[sku].name}; lead created.",
            lead_id=lead.id,
        )
        session.add(interaction)
        session.flush()
        if level == LeadLevel.WARM:
            session.add(
                Activity(
                    account=account,
                    kind=ActivityKind.EMAIL,
                    subject=f"Send the {products[sku].name} data sheet",
                    owner="ic-team",
                    due_at=at(today + dt.timedelta(days=n % 3), 9),
                    status=ActivityStatus.OPEN,
                    interaction_id=interaction.id,
                    created_at=when,
                )
            )

    _survey_calls(session, rng, reachable, today=today)


def _survey_calls(
    session: Session, rng: random.Random, accounts: Sequence[Account], *, today: dt.date
) -> None:
    """Satisfaction-survey calls after the latest deliveries: four made, one to make, one off."""
    persons = [a.id for a in accounts if a.kind == AccountKind.PERSON]
    stmt = select(SalesOrder).where(
        SalesOrder.account_id.in_(persons), SalesOrder.status == OrderStatus.DELIVERED
    )
    latest = sorted(session.scalars(stmt), key=lambda o: (o.history[-1].at, o.id))[-6:]
    for n, order in enumerate(latest):
        delivered_at = order.history[-1].at
        due = delivered_at + dt.timedelta(days=7)
        status = (ActivityStatus.DONE, ActivityStatus.OPEN, ActivityStatus.CANCELLED)[
            0 if n < 4 else n - 3
        ]
        if status == ActivityStatus.OPEN:
            due = at(today + dt.timedelta(days=1), 11)
        session.add(
            Activity(
                account=order.account,
                kind=ActivityKind.SURVEY_CALL,
                subject=f"Satisfaction survey about order {order.number}",
                owner="bot",
                due_at=due,
                status=status,
                order_id=order.id,
                created_at=delivered_at,
            )
        )
        if status == ActivityStatus.DONE:
            session.add(
                Interaction(
                    channel="phone",
                    direction="outbound",
                    account=order.account,
                    identity_confirmed=True,
                    started_at=due,
                    ended_at=due + dt.timedelta(minutes=rng.randint(2, 5)),
                    outcome="survey_done",
                    order_id=order.id,
                    summary=f"Satisfaction survey: {rng.randint(7, 10)}/10.",
                )
            )
    session.flush()
