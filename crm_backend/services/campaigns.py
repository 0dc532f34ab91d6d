"""Campaigns: an offer, the script that presents it, its channel, dates and calling hours.

The IC manager prepares them (PROCESSES.md 2); call lists
(:mod:`crm_backend.services.call_lists`) say whom a campaign reaches, and
:mod:`crm_backend.services.call_list_entries` how each person is worked: the
campaign's retry rules and its one-way message (an SMS campaign's text, the
message a phone campaign leaves on an answering machine) drive the dialer.

A campaign's life::

    draft ──activate──▶ active ──pause──▶ paused ──end──▶ ended (final)
                          ▲  └───────end──────┼──────────▲
                          └──────resume───────┘

Only an active campaign is worked: the dialer and the agents take entries of
its started lists, and nobody else's. Everything may be changed while it is a
draft; once started, its script, channel, product and first day stay as they
were (its lists were built and its leads scored for them), the rest may be
changed until it ends. A campaign names one script (``Campaign.script``);
an A/B test gives it a second one for a share of its contacts
(:mod:`crm_backend.services.script_variants`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from pathlib import Path

from ..errors import CampaignNotFound, InvalidRequest, InvalidStatusChange
from ..models import Campaign, ContactChannel, Product
from ..uow import UnitOfWork
from .dates import today_or
from .products import get_product
from .scripts import usable_script

DEFAULT_CALLING_HOURS = (dt.time(9, 0), dt.time(19, 0))
MAX_ATTEMPTS = 10
MAX_RETRY_DELAY_MINUTES = 7 * 24 * 60
MAX_MESSAGE_LENGTH = 500

DRAFT, ACTIVE, PAUSED, ENDED = "draft", "active", "paused", "ended"
# status → {action: the status it leads to}; an action not listed is refused.
LIFE_CYCLE: dict[str, dict[str, str]] = {
    DRAFT: {"activate": ACTIVE},
    ACTIVE: {"pause": PAUSED, "end": ENDED},
    PAUSED: {"resume": ACTIVE, "end": ENDED},
    ENDED: {},
}
# What stays as it was once a campaign has left its draft.
FIXED_ONCE_STARTED = ("script", "channel", "product_sku", "starts_on")


@dataclass(frozen=True)
class ChannelRules:
    """Which of a campaign's settings mean something on its channel, and what they are called.

    Attributes:
        hours: the name of the hours the dialer or the agents keep to.
        retries: whether an unreached person is tried again (calls: yes; a text is sent once).
        message: what the one-way message is on this channel; empty: it has none.
    """

    hours: str
    retries: bool
    message: str


CHANNEL_RULES = {
    ContactChannel.PHONE: ChannelRules(
        hours="Calling hours", retries=True, message="Left on answering machines"
    ),
    ContactChannel.SMS: ChannelRules(hours="Sending hours", retries=False, message="Text sent"),
    ContactChannel.EMAIL: ChannelRules(hours="Contact hours", retries=True, message=""),
}


def channel_rules(channel: str) -> ChannelRules:
    """What applies to a campaign on ``channel`` (an unknown one reads as the phone)."""
    try:
        return CHANNEL_RULES[ContactChannel(channel)]
    except ValueError:
        return CHANNEL_RULES[ContactChannel.PHONE]


@dataclass(frozen=True)
class CampaignFields:
    """What a manager writes of a campaign, on creation or on an edit."""

    name: str
    script: str
    channel: str
    starts_on: dt.date
    ends_on: dt.date
    product_sku: str | None = None
    offer: str = ""
    calling_hours: tuple[dt.time, dt.time] = DEFAULT_CALLING_HOURS
    max_attempts: int = 3
    retry_delay_minutes: int = 60
    message: str = ""


def create_campaign(
    uow: UnitOfWork,
    *,
    name: str,
    script: str,
    channel: ContactChannel | str,
    starts_on: dt.date,
    ends_on: dt.date,
    product_sku: str | None = None,
    offer: str = "",
    calling_hours: tuple[dt.time, dt.time] = DEFAULT_CALLING_HOURS,
    max_attempts: int = 3,
    retry_delay_minutes: int = 60,
    message: str = "",
    scripts_dir: Path | None = None,
) -> Campaign:
    """Create a draft campaign.

    Args:
        max_attempts: calls per person at most, retries after no answer included.
        retry_delay_minutes: the wait before such a retry.
        message: an SMS campaign's text; for a phone campaign, what the bot
            leaves on an answering machine (empty: it hangs up).
        scripts_dir: the scripts folder; given, the script must be one there
            that passes the stories check (the desk and the commands give it).

    Raises:
        ProductNotFound: no product has ``product_sku``.
        ScriptNotFound, InvalidScript: the script is not one a campaign may use.
        InvalidRequest: an empty name or script, an unknown channel, a product
            no longer sold, an end before the start, calling hours that end
            before they start, or retry rules or a message out of bounds.
    """
    fields = CampaignFields(
        name=name,
        script=script,
        channel=str(channel),
        starts_on=starts_on,
        ends_on=ends_on,
        product_sku=product_sku,
        offer=offer,
        calling_hours=calling_hours,
        max_attempts=max_attempts,
        retry_delay_minutes=retry_delay_minutes,
        message=message,
    )
    campaign = Campaign(status=DRAFT)
    _write(uow, campaign, fields, scripts_dir=scripts_dir)
    uow.campaigns.add(campaign)
    uow.flush()
    return campaign


def update_campaign(
    uow: UnitOfWork, *, campaign_id: int, fields: CampaignFields, scripts_dir: Path | None = None
) -> Campaign:
    """Change a campaign: anything while it is a draft, then all but :data:`FIXED_ONCE_STARTED`.

    Raises:
        CampaignNotFound: no campaign has that id.
        InvalidStatusChange: the campaign has ended.
        InvalidRequest: a fixed setting changed on a started campaign, or a
            value :func:`create_campaign` refuses.
    """
    campaign = get_campaign(uow, campaign_id=campaign_id)
    if campaign.status == ENDED:
        raise InvalidStatusChange(entity="campaign", current=ENDED, requested="edited")
    if campaign.status != DRAFT:
        current = fields_of(campaign)
        changed = [f for f in FIXED_ONCE_STARTED if getattr(fields, f) != getattr(current, f)]
        if changed:
            raise InvalidRequest(
                "once a campaign has started, its script, channel, product and first day "
                f"stay as they are ({', '.join(c.replace('_', ' ') for c in changed)} changed)"
            )
        # Unchanged, so not checked again: a product since withdrawn stays the campaign's.
        _write(uow, campaign, fields, scripts_dir=None, product=campaign.product)
    else:
        _write(uow, campaign, fields, scripts_dir=scripts_dir)
    uow.flush()
    return campaign


def fields_of(campaign: Campaign) -> CampaignFields:
    """A campaign's settings as a manager writes them."""
    return CampaignFields(
        name=campaign.name,
        script=campaign.script,
        channel=str(campaign.channel),
        starts_on=campaign.starts_on,
        ends_on=campaign.ends_on,
        product_sku=campaign.product.sku if campaign.product else None,
        offer=campaign.offer,
        calling_hours=(campaign.calling_hours_start, campaign.calling_hours_end),
        max_attempts=campaign.max_attempts,
        retry_delay_minutes=campaign.retry_delay_minutes,
        message=campaign.message,
    )


def _write(
    uow: UnitOfWork,
    campaign: Campaign,
    fields: CampaignFields,
    *,
    scripts_dir: Path | None,
    product: Product | None = None,
) -> None:
    fields = replace(
        fields,
        name=fields.name.strip(),
        script=fields.script.strip(),
        offer=fields.offer.strip(),
        message=fields.message.strip(),
        product_sku=(fields.product_sku or "").strip() or None,
    )
    if not fields.name or not fields.script:
        raise InvalidRequest("a campaign needs a name and a script")
    try:
        channel = ContactChannel(fields.channel)
    except ValueError:
        raise InvalidRequest(f"unknown campaign channel {fields.channel!r}") from None
    if fields.ends_on < fields.starts_on:
        raise InvalidRequest("a campaign cannot end before it starts")
    opens, closes = fields.calling_hours
    if not opens < closes:
        raise InvalidRequest("calling hours must end after they start")
    if not 1 <= fields.max_attempts <= MAX_ATTEMPTS:
        raise InvalidRequest(f"a campaign makes 1 to {MAX_ATTEMPTS} attempts per person")
    if not 1 <= fields.retry_delay_minutes <= MAX_RETRY_DELAY_MINUTES:
        raise InvalidRequest("a retry waits between a minute and a week")
    if len(fields.message) > MAX_MESSAGE_LENGTH:
        raise InvalidRequest(f"a campaign's message has at most {MAX_MESSAGE_LENGTH} characters")
    if campaign.script_b and fields.script != campaign.script:
        raise InvalidRequest("the script is under an A/B test: remove its variant B first")
    if scripts_dir is not None:
        usable_script(directory=scripts_dir, name=fields.script)
    if product is None and fields.product_sku:
        product = get_product(uow, sku=fields.product_sku)
        if not product.active:
            raise InvalidRequest(f"product {product.sku} is no longer sold: choose one on sale")
    campaign.name = fields.name
    campaign.script = fields.script
    campaign.channel = channel
    campaign.starts_on, campaign.ends_on = fields.starts_on, fields.ends_on
    campaign.product = product
    campaign.offer = fields.offer
    campaign.calling_hours_start, campaign.calling_hours_end = opens, closes
    campaign.max_attempts = fields.max_attempts
    campaign.retry_delay_minutes = fields.retry_delay_minutes
    campaign.message = fields.message


def get_campaign(uow: UnitOfWork, *, campaign_id: int) -> Campaign:
    """The campaign with that id.

    Raises:
        CampaignNotFound: there is none.
    """
    campaign = uow.campaigns.get(campaign_id)
    if campaign is None:
        raise CampaignNotFound(key=campaign_id)
    return campaign


def list_campaigns(uow: UnitOfWork) -> list[Campaign]:
    """Every campaign, newest first."""
    return list(uow.campaigns.list_by())


def actions_of(campaign: Campaign) -> list[str]:
    """What may be done with the campaign now (``activate``, ``pause``, ``resume``, ``end``)."""
    return list(LIFE_CYCLE.get(campaign.status, {}))


def activate_campaign(
    uow: UnitOfWork,
    *,
    campaign_id: int,
    scripts_dir: Path | None = None,
    today: dt.date | None = None,
) -> Campaign:
    """Start a draft campaign: its started lists are worked from now on.

    Raises:
        CampaignNotFound: no campaign has that id.
        InvalidStatusChange: it is not a draft.
        ScriptNotFound, InvalidScript: its script is gone or no longer passes the check.
        InvalidRequest: its last day is past, or an SMS campaign has no text.
    """
    campaign = get_campaign(uow, campaign_id=campaign_id)
    target = _next(campaign, "activate")
    if campaign.ends_on < today_or(today):
        raise InvalidRequest(f"the campaign ended on {campaign.ends_on:%Y-%m-%d}: change its dates")
    if campaign.channel == ContactChannel.SMS and not campaign.message:
        raise InvalidRequest("an SMS campaign needs its text before it starts")
    if scripts_dir is not None:
        usable_script(directory=scripts_dir, name=campaign.script)
    campaign.status = target
    uow.flush()
    return campaign


def pause_campaign(uow: UnitOfWork, *, campaign_id: int) -> Campaign:
    """Stop working an active campaign's lists; calls under way go on to their end.

    Raises:
        CampaignNotFound: no campaign has that id.
        InvalidStatusChange: it is not active.
    """
    return _change(uow, campaign_id, "pause")


def resume_campaign(uow: UnitOfWork, *, campaign_id: int) -> Campaign:
    """Work a paused campaign's started lists again.

    Raises:
        CampaignNotFound: no campaign has that id.
        InvalidStatusChange: it is not paused.
    """
    return _change(uow, campaign_id, "resume")


def end_campaign(uow: UnitOfWork, *, campaign_id: int) -> Campaign:
    """End an active or paused campaign for good; its active lists are paused with it.

    Raises:
        CampaignNotFound: no campaign has that id.
        InvalidStatusChange: it is a draft, or has ended already.
    """
    campaign = _change(uow, campaign_id, "end")
    for call_list in campaign.call_lists:
        if call_list.status == ACTIVE:
            call_list.status = PAUSED
    uow.flush()
    return campaign


def _next(campaign: Campaign, action: str) -> str:
    allowed = LIFE_CYCLE.get(campaign.status, {})
    if action not in allowed:
        requested = next((s for a, s in _ACTIONS if a == action), action)
        raise InvalidStatusChange(entity="campaign", current=campaign.status, requested=requested)
    return allowed[action]


_ACTIONS = (("activate", ACTIVE), ("pause", PAUSED), ("resume", ACTIVE), ("end", ENDED))


def _change(uow: UnitOfWork, campaign_id: int, action: str) -> Campaign:
    campaign = get_campaign(uow, campaign_id=campaign_id)
    campaign.status = _next(campaign, action)
    uow.flush()
    return campaign
