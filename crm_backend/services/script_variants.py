"""A/B tests of a campaign's script: two variants, a split, and which one converts better.

Marketing writes a second version of a campaign's script (another
``data/scripts/*.yml``) and sets the share of contacts that get it. Each
call list entry is given its variant when the list is built (or when the
test is set on a draft campaign that already has lists): exactly that share
of the eligible entries, drawn at random, gets variant B
(``CallListEntry.script``), and the bot or the agent works the entry with
that script. The results per variant come from the entries themselves:

- **contacts**: entries tried at least once;
- **reached**: contacts whose latest outcome says a person answered (not no
  answer, busy, an answering machine, a voicemail left, a failed or
  cancelled call);
- **leads**: contacts that ended in a lead of this campaign;
- **qualified**: those leads the script (or an agent) qualified, or that
  were converted since; a knock-out answer makes a disqualified lead;
- **conversion**: qualified leads per person reached, with its 95 % Wilson interval;
  the difference B - A has Newcombe's interval (from the two Wilson
  intervals), and the test says "B converts better" only when that interval
  leaves out zero.

The manager ends the test by keeping one variant: it becomes the campaign's
script (``Campaign.script``; ``script_a`` and ``script_b`` stay as the
record), entries not yet tried move to it, and the figures stay.
"""

from __future__ import annotations

import datetime as dt
import math
import random
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from ..errors import InvalidRequest
from ..models import CallListEntry, Campaign, Lead, LeadStatus
from ..uow import UnitOfWork

# Modules, not names: call_lists imports this module while it is being imported itself.
from . import call_list_entries as entries_service
from . import call_lists
from .campaigns import DRAFT, ENDED, get_campaign
from .dates import now_or
from .scripts import usable_script

Z_95 = 1.959964  # the normal quantile of a two-sided 95 % interval
MIN_SHARE, MAX_SHARE = 1, 99
QUALIFIED = frozenset({LeadStatus.QUALIFIED, LeadStatus.CONVERTED})


@dataclass(frozen=True)
class Interval:
    """A proportion's 95 % confidence interval, both ends between 0 and 1 (or -1 and 1)."""

    low: float
    high: float


@dataclass(frozen=True)
class VariantResult:
    """One variant's figures (see the module's docstring for what each counts)."""

    label: str  # "A" or "B"
    script: str
    assigned: int
    contacts: int
    reached: int
    leads: int
    qualified: int
    conversion: float | None  # qualified leads / reached; None before anyone is reached
    interval: Interval | None


@dataclass(frozen=True)
class VariantReport:
    """The test of a campaign's script: its variants, the split and the verdict."""

    running: bool
    share_b: int  # the share of contacts set for B, in percent
    observed_share_b: float | None  # B's share of the contacts so far
    variants: list[VariantResult]
    difference: Interval | None  # conversion of B minus A, 95 %
    verdict: str
    kept: str | None  # the script kept when the test ended


def set_variant(
    uow: UnitOfWork,
    *,
    campaign_id: int,
    script_b: str | None,
    share_b: int = 50,
    scripts_dir: Path | None = None,
) -> Campaign:
    """Give a draft campaign a variant B of its script (``None``: no test), and split its lists.

    Raises:
        CampaignNotFound: no campaign has that id.
        ScriptNotFound, InvalidScript: variant B is not a script a campaign may use.
        InvalidRequest: the campaign has started (the split stays once people are
            called), B is the campaign's own script, or the share is not 1 to 99.
    """
    campaign = get_campaign(uow, campaign_id=campaign_id)
    if campaign.status != DRAFT:
        raise InvalidRequest(
            "a script test is set on a draft campaign: once people are called, its split stays"
        )
    script_b = (script_b or "").strip() or None
    if script_b is not None:
        if script_b == campaign.script:
            raise InvalidRequest("variant B must be another script than the campaign's own")
        if not MIN_SHARE <= share_b <= MAX_SHARE:
            raise InvalidRequest(f"variant B gets {MIN_SHARE} to {MAX_SHARE} % of the contacts")
        if scripts_dir is not None:
            usable_script(directory=scripts_dir, name=script_b)
    campaign.script_a = campaign.script if script_b else None
    campaign.script_b = script_b
    campaign.script_b_share = share_b if script_b else 50
    for call_list in campaign.call_lists:
        assign(campaign, call_list.entries)
    uow.flush()
    return campaign


def assign(campaign: Campaign, entries: Sequence[CallListEntry]) -> None:
    """Give the entries not yet tried their variant: exactly the set share of them get B.

    Entries already tried keep theirs; excluded entries get none. Without a
    running test, an entry's script is left empty: the campaign's.
    """
    open_entries = [e for e in entries if e.status == call_lists.PENDING and e.attempts == 0]
    for entry in open_entries:
        entry.script = None
    if not testing(campaign):
        return
    count_b = round(len(open_entries) * campaign.script_b_share / 100)
    drawn = list(open_entries)
    random.SystemRandom().shuffle(drawn)
    for position, entry in enumerate(drawn):
        entry.script = campaign.script_b if position < count_b else campaign.script_a


def testing(campaign: Campaign) -> bool:
    """Whether the campaign's script is under an A/B test now."""
    return bool(campaign.script_a and campaign.script_b) and campaign.script_test_ended_at is None


def script_for(entry: CallListEntry) -> str:
    """The script an entry is worked with: its variant, else the campaign's."""
    return entry.script or entry.call_list.campaign.script


def keep_variant(
    uow: UnitOfWork, *, campaign_id: int, script: str, now: dt.datetime | None = None
) -> Campaign:
    """End the campaign's test by keeping one variant: it becomes the campaign's script.

    Entries not yet tried move to the kept script; the figures of the test stay.

    Raises:
        CampaignNotFound: no campaign has that id.
        InvalidRequest: no test is running, the campaign has ended, or ``script``
            is neither of the test's two variants.
    """
    campaign = get_campaign(uow, campaign_id=campaign_id)
    if not testing(campaign) or campaign.status == ENDED:
        raise InvalidRequest("no script test is running on this campaign")
    if script not in (campaign.script_a, campaign.script_b):
        raise InvalidRequest("keep one of the two variants of the test")
    campaign.script = script
    campaign.script_test_ended_at = now_or(now)
    for call_list in campaign.call_lists:
        assign(campaign, call_list.entries)
    uow.flush()
    return campaign


def report(uow: UnitOfWork, *, campaign_id: int) -> VariantReport | None:
    """The campaign's test, running or ended; ``None`` when it never had one.

    Entries count for the variant they were worked with; entries built without
    a test (before it was set, or after it ended) count for neither.

    Raises:
        CampaignNotFound: no campaign has that id.
    """
    campaign = get_campaign(uow, campaign_id=campaign_id)
    if not campaign.script_b:
        return None
    running = testing(campaign)
    a, b = str(campaign.script_a), campaign.script_b
    excluded = call_lists.EXCLUDED
    entries = [e for cl in campaign.call_lists for e in cl.entries if e.status != excluded]
    leads = {
        e.lead_id: lead
        for e in entries
        if e.lead_id is not None and (lead := uow.leads.get(e.lead_id)) is not None
    }
    results = [
        _result("A", a, [e for e in entries if e.script == a], campaign.id, leads),
        _result("B", b, [e for e in entries if e.script == b], campaign.id, leads),
    ]
    contacts = results[0].contacts + results[1].contacts
    difference = _newcombe(results[1], results[0])
    return VariantReport(
        running=running,
        share_b=campaign.script_b_share,
        observed_share_b=results[1].contacts / contacts if contacts else None,
        variants=results,
        difference=difference,
        verdict=_verdict(results, difference),
        kept=None if running else campaign.script,
    )


def _result(
    label: str,
    script: str,
    entries: Iterable[CallListEntry],
    campaign_id: int,
    leads_by_id: Mapping[int, Lead],
) -> VariantResult:
    chosen = list(entries)
    tried = [e for e in chosen if e.attempts > 0 or e.outcome]
    not_reached = _not_reached()
    reached = [e for e in tried if e.outcome and e.outcome not in not_reached]
    of_campaign = {
        e.id: lead
        for e in tried
        if e.lead_id is not None
        and (lead := leads_by_id.get(e.lead_id)) is not None
        and lead.campaign_id == campaign_id
    }
    leads = [e for e in tried if e.outcome == entries_service.LEAD_CREATED or e.id in of_campaign]
    qualified = [e for e in leads if e.id in of_campaign and of_campaign[e.id].status in QUALIFIED]
    conversion = len(qualified) / len(reached) if reached else None
    return VariantResult(
        label=label,
        script=script,
        assigned=len(chosen),
        contacts=len(tried),
        reached=len(reached),
        leads=len(leads),
        qualified=len(qualified),
        conversion=conversion,
        interval=wilson(len(qualified), len(reached)) if reached else None,
    )


def _not_reached() -> frozenset[str]:
    """Outcomes where no person answered."""
    e = entries_service
    return e.UNREACHED | {e.VOICEMAIL_LEFT, e.CALL_FAILED, e.CALL_CANCELED}


def wilson(successes: int, trials: int) -> Interval:
    """The 95 % Wilson score interval of ``successes`` out of ``trials`` (trials > 0)."""
    p = successes / trials
    denominator = 1 + Z_95**2 / trials
    centre = (p + Z_95**2 / (2 * trials)) / denominator
    half = Z_95 * math.sqrt(p * (1 - p) / trials + Z_95**2 / (4 * trials**2)) / denominator
    return Interval(max(0.0, centre - half), min(1.0, centre + half))


def _newcombe(b: VariantResult, a: VariantResult) -> Interval | None:
    """Newcombe's hybrid score interval of B's conversion minus A's."""
    if b.conversion is None or a.conversion is None or not (b.interval and a.interval):
        return None
    d = b.conversion - a.conversion
    low = d - math.sqrt(
        (b.conversion - b.interval.low) ** 2 + (a.interval.high - a.conversion) ** 2
    )
    high = d + math.sqrt(
        (b.interval.high - b.conversion) ** 2 + (a.conversion - a.interval.low) ** 2
    )
    return Interval(low, high)


def _verdict(results: list[VariantResult], difference: Interval | None) -> str:
    a, b = results
    if difference is None:
        return "Not enough contacts reached on both variants to compare them yet."
    if difference.low > 0:
        return (
            f"B ({b.script}) converts better than A ({a.script}): the whole interval is above zero."
        )
    if difference.high < 0:
        return (
            f"A ({a.script}) converts better than B ({b.script}): the whole interval is below zero."
        )
    return "No clear difference yet: the interval of B - A still includes zero."
