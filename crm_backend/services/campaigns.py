"""Campaigns: an offer, the script that presents it, its channel, dates and calling hours.

The IC manager prepares them (PROCESSES.md 2); call lists
(:mod:`crm_backend.services.call_lists`) say whom a campaign reaches, and
:mod:`crm_backend.services.call_list_entries` how each person is worked: the
campaign's retry rules and its one-way message (an SMS campaign's text, the
message a phone campaign leaves on an answering machine) drive the dialer.
"""

from __future__ import annotations

import datetime as dt

from ..errors import CampaignNotFound, InvalidRequest
from ..models import Campaign, ContactChannel
from ..uow import UnitOfWork
from .products import get_product

DEFAULT_CALLING_HOURS = (dt.time(9, 0), dt.time(19, 0))
MAX_ATTEMPTS = 10
MAX_RETRY_DELAY_MINUTES = 7 * 24 * 60
MAX_MESSAGE_LENGTH = 500


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
) -> Campaign:
    """Create a draft campaign.

    Args:
        max_attempts: calls per person at most, retries after no answer included.
        retry_delay_minutes: the wait before such a retry.
        message: an SMS campaign's text; for a phone campaign, what the bot
            leaves on an answering machine (empty: it hangs up).

    Raises:
        ProductNotFound: no product has ``product_sku``.
        InvalidRequest: an empty name or script, an unknown channel, an end
            before the start, calling hours that end before they start, or
            retry rules or a message out of bounds.
    """
    if not name.strip() or not script.strip():
        raise InvalidRequest("a campaign needs a name and a script")
    try:
        channel = ContactChannel(channel)
    except ValueError:
        raise InvalidRequest(f"unknown campaign channel {channel!r}") from None
    if ends_on < starts_on:
        raise InvalidRequest("a campaign cannot end before it starts")
    opens, closes = calling_hours
    if not opens < closes:
        raise InvalidRequest("calling hours must end after they start")
    if not 1 <= max_attempts <= MAX_ATTEMPTS:
        raise InvalidRequest(f"a campaign makes 1 to {MAX_ATTEMPTS} attempts per person")
    if not 1 <= retry_delay_minutes <= MAX_RETRY_DELAY_MINUTES:
        raise InvalidRequest("a retry waits between a minute and a week")
    if len(message.strip()) > MAX_MESSAGE_LENGTH:
        raise InvalidRequest(f"a campaign's message has at most {MAX_MESSAGE_LENGTH} characters")
    campaign = Campaign(
        name=name.strip(),
        script=script.strip(),
        channel=channel,
        starts_on=starts_on,
        ends_on=ends_on,
        product=get_product(uow, sku=product_sku) if product_sku else None,
        offer=offer.strip(),
        calling_hours_start=opens,
        calling_hours_end=closes,
        max_attempts=max_attempts,
        retry_delay_minutes=retry_delay_minutes,
        message=message.strip(),
        status="draft",
    )
    uow.campaigns.add(campaign)
    uow.flush()
    return campaign


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
