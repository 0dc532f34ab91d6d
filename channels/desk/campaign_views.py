"""What the marketing pages show, read from the CRM into plain values.

Each function opens its own unit of work and returns dataclasses of text
and numbers, so a template renders after the session has closed.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from crm_backend.errors import InvalidScript, ScriptNotFound
from crm_backend.models import CallList, Campaign, ContactChannel
from crm_backend.services import (
    call_list_entries,
    call_lists,
    campaigns,
    customer_view,
    script_variants,
    scripts,
)
from crm_backend.services.customer_view import CustomerView
from crm_backend.services.script_variants import VariantReport
from crm_backend.uow import UnitOfWork

from ..deps import UowFactory


@dataclass(frozen=True)
class ListRow:
    """A call list in a table: who works it and how far it got."""

    id: int
    name: str
    status: str
    assigned_to: str
    campaign_id: int
    campaign_name: str
    progress: dict[str, int]


@dataclass(frozen=True)
class CampaignRow:
    """A campaign and its call lists, with only the settings its channel uses.

    ``hours_label`` names the hours (calling, sending); ``retries`` is empty
    where nobody is tried again (an SMS is sent once); ``message_label`` is
    empty where the channel has no one-way message.
    """

    id: int
    name: str
    status: str
    channel: str
    dates: str
    hours: str
    hours_label: str
    product: str
    offer: str
    script: str
    retries: str
    message: str
    message_label: str
    actions: list[str]
    lists: list[ListRow]


@dataclass(frozen=True)
class Choices:
    """What the campaign form offers: only values the CRM accepts."""

    scripts: list[str]
    products: list[tuple[str, str]]
    channels: list[str]


@dataclass(frozen=True)
class CampaignView:
    """A campaign's page: the campaign, its form's values and what may still change."""

    row: CampaignRow
    form: dict[str, str]
    fixed: list[str]
    variants: VariantReport | None  # the A/B test of its script, if it has one
    variant_form: dict[str, str]


@dataclass(frozen=True)
class ScriptView:
    """A script as an agent reads it during a call."""

    title: str
    offer: str
    questions: list[tuple[str, list[str]]]
    objections: list[tuple[str, str]]


@dataclass(frozen=True)
class CallView:
    """The entry an agent is calling: the customer, the campaign, the script."""

    entry_id: int
    phone: str
    window: str
    attempts: int
    max_attempts: int
    last_outcome: str
    notes: str
    campaign: CampaignRow
    customer: CustomerView
    script: ScriptView | None
    script_problem: str


def campaign_row(campaign: Campaign, lists: list[ListRow]) -> CampaignRow:
    """A campaign as the pages show it, with only what its channel uses."""
    rules = campaigns.channel_rules(campaign.channel)
    retries = ""
    if rules.retries:
        retries = f"{campaign.max_attempts} attempts, {campaign.retry_delay_minutes} min apart"
    return CampaignRow(
        id=campaign.id,
        name=campaign.name,
        status=campaign.status,
        channel=str(campaign.channel),
        dates=f"{campaign.starts_on.isoformat()} to {campaign.ends_on.isoformat()}",
        hours=f"{campaign.calling_hours_start:%H:%M}-{campaign.calling_hours_end:%H:%M}",
        hours_label=rules.hours,
        product=f"{campaign.product.name} ({campaign.product.sku})" if campaign.product else "",
        offer=campaign.offer,
        script=campaign.script,
        retries=retries,
        message=campaign.message if rules.message else "",
        message_label=rules.message,
        actions=campaigns.actions_of(campaign),
        lists=lists,
    )


def list_row(uow: UnitOfWork, found: CallList) -> ListRow:
    """A call list as the tables show it."""
    return ListRow(
        id=found.id,
        name=found.name,
        status=found.status,
        assigned_to=found.assigned_to,
        campaign_id=found.campaign_id,
        campaign_name=found.campaign.name,
        progress=call_lists.progress(uow, call_list_id=found.id),
    )


def campaigns_page(uows: UowFactory) -> list[CampaignRow]:
    """Every campaign, newest first, with its call lists."""
    with uows() as uow:
        return [
            campaign_row(
                c,
                [
                    list_row(uow, found)
                    for found in call_lists.list_call_lists(uow, campaign_id=c.id)
                ],
            )
            for c in campaigns.list_campaigns(uow)
        ]


def campaign_page(uows: UowFactory, *, campaign_id: int) -> CampaignView:
    """A campaign with its lists, the values of its form, and what is fixed now.

    Raises:
        CampaignNotFound: there is none.
    """
    with uows() as uow:
        found = campaigns.get_campaign(uow, campaign_id=campaign_id)
        lists = [list_row(uow, c) for c in call_lists.list_call_lists(uow, campaign_id=found.id)]
        fields = campaigns.fields_of(found)
        form = {
            "name": fields.name,
            "script": fields.script,
            "channel": fields.channel,
            "starts_on": fields.starts_on.isoformat(),
            "ends_on": fields.ends_on.isoformat(),
            "product_sku": fields.product_sku or "",
            "offer": fields.offer,
            "hours_start": f"{fields.calling_hours[0]:%H:%M}",
            "hours_end": f"{fields.calling_hours[1]:%H:%M}",
            "max_attempts": str(fields.max_attempts),
            "retry_delay_minutes": str(fields.retry_delay_minutes),
            "message": fields.message,
        }
        fixed = [] if found.status == campaigns.DRAFT else list(campaigns.FIXED_ONCE_STARTED)
        return CampaignView(
            row=campaign_row(found, lists),
            form=form,
            fixed=fixed,
            variants=script_variants.report(uow, campaign_id=found.id),
            variant_form={"script_b": found.script_b or "", "share_b": str(found.script_b_share)},
        )


def choices(uows: UowFactory, *, scripts_dir: Path) -> Choices:
    """The scripts that pass the stories check, the products on sale, the channels."""
    with uows() as uow:
        products = [(p.sku, f"{p.name} ({p.sku})") for p in uow.products.list_by(active=True)]
    return Choices(
        scripts=scripts.usable_script_names(directory=scripts_dir),
        products=sorted(products, key=lambda p: p[1].lower()),
        channels=CHANNELS,
    )


def call_page(
    uows: UowFactory, *, entry_id: int, scripts_dir: Path, today: dt.date, timezone: str = "UTC"
) -> CallView:
    """The entry an agent holds, with all they need to make the call (times in ``timezone``).

    Raises:
        CallListEntryNotFound: there is none.
    """
    with uows() as uow:
        entry = call_list_entries.get_entry(uow, entry_id=entry_id)
        campaign = entry.call_list.campaign
        script, problem = _script(scripts_dir, script_variants.script_for(entry))
        return CallView(
            entry_id=entry.id,
            phone=entry.account.primary_phone or "",
            window=f"{entry.window_start:%H:%M}-{entry.window_end:%H:%M} {entry.timezone}",
            attempts=entry.attempts,
            max_attempts=campaign.max_attempts,
            last_outcome=entry.outcome or "",
            notes=entry.notes or "",
            campaign=campaign_row(campaign, []),
            customer=customer_view.customer_view(
                uow, account_id=entry.account_id, today=today, timezone=timezone
            ),
            script=script,
            script_problem=problem,
        )


def _script(directory: Path, name: str) -> tuple[ScriptView | None, str]:
    try:
        found = scripts.load_script(directory=directory, name=name)
    except (ScriptNotFound, InvalidScript) as exc:
        return None, exc.message
    return (
        ScriptView(
            title=found.title,
            offer=found.offer,
            questions=[
                (q.ask, [f"{o.answer} ({o.points} points)" for o in q.options])
                for q in found.questions
            ],
            objections=[(o.kind.replace("_", " "), o.answer) for o in found.objections],
        ),
        "",
    )


CHANNELS = [c.value for c in ContactChannel]
