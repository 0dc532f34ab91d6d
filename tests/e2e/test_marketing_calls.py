"""Interaction Center marketing on the real stack: an outbound call worked by the bot through the
phone door (signed Twilio requests), an inbound prospect about an advertised offer, and a script
changed in YAML that the next conversation follows without retraining.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from sqlalchemy import select

from channels.twilio.simulator import CallStep, SignedPoster, TwilioPhone
from crm_backend.models import Campaign, Lead, LeadLevel, LeadStatus
from crm_backend.services import call_lists, marketing, scripts
from crm_backend.services.call_lists import TargetFilter
from crm_backend.uow import SqlAlchemyUnitOfWork
from launcher.stack import DEFAULT_MODEL

from .conftest import API_TOKEN, TWILIO_AUTH_TOKEN, Chat, LiveStack

COMPANY = "+33400000000"
SCRIPT = "laptop_upgrade"


@dataclass(frozen=True)
class Called:
    """A pending entry of the seeded upgrade campaign: the person the dialer rings."""

    entry_id: int
    account_id: int
    name: str
    phone: str
    campaign_id: int


class AnsweredCall(TwilioPhone):
    """The dialer's call, as Twilio reports it once a person picked up."""

    def __init__(self, poster: SignedPoster, called: Called) -> None:
        super().__init__(poster, caller=COMPANY, to=called.phone)
        self.entry_id = called.entry_id

    def _fields(self, status: str) -> dict[str, str]:
        return {**super()._fields(status), "Direction": "outbound-api", "AnsweredBy": "human"}

    def dial(self) -> CallStep:
        return self._post(
            f"/twilio/voice?call_list_entry={self.entry_id}", self._fields("in-progress")
        )

    @property
    def heard(self) -> str:
        return " ".join(self.step.said)


def pending(live: LiveStack, skip: int) -> Called:
    """The pending entries of the seeded call list, in order; the ``skip``-th one."""
    with SqlAlchemyUnitOfWork(live.sessions) as uow:
        # The seeded campaign: the first with this script (other tests make their own).
        campaign = uow.session.scalars(
            select(Campaign).where(Campaign.script == SCRIPT).order_by(Campaign.id).limit(1)
        ).one()
        [call_list] = campaign.call_lists
        entries = [
            e for e in call_list.entries if e.status == "pending" and e.account.primary_phone
        ]
        entry = entries[skip]
        return Called(
            entry.id,
            entry.account_id,
            entry.account.name,
            entry.account.primary_phone or "",
            campaign.id,
        )


@pytest.fixture
def poster(live_stack: LiveStack) -> Iterator[SignedPoster]:
    with httpx.Client(timeout=30) as client:
        yield SignedPoster(client, public_url=live_stack.url, auth_token=TWILIO_AUTH_TOKEN)


def model_digest() -> str:
    return hashlib.sha256(DEFAULT_MODEL.read_bytes()).hexdigest()


def test_an_outbound_call_ends_with_a_lead_scored_as_the_script_says(
    live_stack: LiveStack, poster: SignedPoster
) -> None:
    called = pending(live_stack, skip=2)
    call = AnsweredCall(poster, called)

    call.dial()
    greeting = call.heard
    call.press("1")  # yes, a good time
    offer = call.heard
    call.press("1")  # yes, ask the questions
    first = call.heard
    call.say("it's about five years old now")
    second = call.heard
    call.press("1")  # work and travel
    third = call.heard
    call.say("this month")
    fourth = call.heard
    call.press("2")  # 1000 to 1500 euros
    thanks = call.heard

    assert called.name in greeting
    assert "good time" in greeting
    assert "press 1" in greeting
    assert "trade up to the new Éclipse 3000" in offer
    assert first.startswith("How old is the laptop you use now?")
    assert "say More than four years or press 3" in first
    assert second.startswith("What do you mostly use it for?")
    assert third.startswith("When would you like to replace it?")
    assert fourth.startswith("What budget do you have in mind?")
    assert "An adviser will get back to you" in thanks
    assert "Thank you for your time. Goodbye!" in thanks
    assert call.step.hangup

    answers = {
        "laptop_age": "More than four years",
        "main_use": "Work and travel",
        "timeframe": "This month",
        "budget": "1000 to 1500 euros",
    }
    script = scripts.load_script(
        directory=Path(live_stack.stack.env["ICBOT_SCRIPTS_DIR"]), name=SCRIPT
    )
    scoring = marketing.scoring_of(script)
    fields = marketing.lead_answers(script, answers)
    with SqlAlchemyUnitOfWork(live_stack.sessions) as uow:
        lead = uow.session.scalars(
            select(Lead)
            .where(Lead.account_id == called.account_id, Lead.campaign_id == called.campaign_id)
            .order_by(Lead.id.desc())
        ).first()
        assert lead is not None
        assert lead.qualification_answers == fields
        assert lead.score == scoring.score(fields) == 105
        assert lead.level == scoring.level(lead.score) == LeadLevel.HOT
        assert lead.status == LeadStatus.QUALIFIED
        assert lead.source_channel == "voice"
        entry = uow.call_list_entries.get(called.entry_id)
        assert (entry.outcome, entry.lead_id) == ("lead_created", lead.id)
        kept = {
            (a.script, a.question): a.answer
            for a in uow.accounts.get(called.account_id).script_answers
        }
        assert {q: kept[(SCRIPT, q)] for q in answers} == answers


def test_dont_call_me_again_is_do_not_contact_at_once_and_the_next_list_leaves_them_out(
    live_stack: LiveStack, poster: SignedPoster
) -> None:
    called = pending(live_stack, skip=3)
    call = AnsweredCall(poster, called)

    call.dial()
    call.say("don't call me again")

    assert "we won't contact you again" in call.heard
    assert call.step.hangup
    with SqlAlchemyUnitOfWork(live_stack.sessions) as uow:
        assert uow.accounts.get(called.account_id).do_not_contact
        assert uow.call_list_entries.get(called.entry_id).outcome == "do_not_contact"
        next_list = call_lists.build_call_list(
            uow,
            campaign_id=called.campaign_id,
            name="Éclipse 1000 owners, again",
            target=TargetFilter(owns_sku="ECL-1000"),
        )
        mine = [e for e in next_list.entries if e.account_id == called.account_id]
        assert [(e.status, e.exclusion_reason) for e in mine] == [("excluded", "do-not-contact")]
        uow.rollback()


def test_not_a_good_time_books_a_call_back(live_stack: LiveStack, poster: SignedPoster) -> None:
    called = pending(live_stack, skip=4)
    call = AnsweredCall(poster, called)

    call.dial()
    call.press("2")  # not now

    assert "we'll call you back at a better time" in call.heard
    assert call.step.hangup
    with SqlAlchemyUnitOfWork(live_stack.sessions) as uow:
        assert uow.call_list_entries.get(called.entry_id).outcome == "callback_booked"


def test_a_prospect_asking_about_the_advertised_offer_becomes_a_qualified_lead_of_the_campaign(
    live_stack: LiveStack,
) -> None:
    with Chat(live_stack.url) as chat:
        chat.say("hello")
        offer = chat.say("I saw your ad about the Éclipse 3000")
        first = chat.say("yes please")
        chat.say('/inform{"script_option": "Two to four years"}')
        chat.say("mostly for my studies")
        last = chat.say("in the next few months")
        contact = chat.say("under 1000 euros")
        done = chat.say("marie.lefevre@example.com")

    assert "trade up to the new Éclipse 3000" in offer
    assert first == "How old is the laptop you use now?"
    assert last == "What budget do you have in mind?"
    assert "e-mail address or a phone number" in contact
    assert "An adviser will get back to you about the Éclipse 3000 upgrade offer" in done
    with SqlAlchemyUnitOfWork(live_stack.sessions) as uow:
        [account] = uow.accounts.find_by_email("marie.lefevre@example.com")
        [lead] = uow.leads.list_by(account_id=account.id)
        # The seeded campaign: the first with this script (other tests make their own).
        campaign = uow.session.scalars(
            select(Campaign).where(Campaign.script == SCRIPT).order_by(Campaign.id).limit(1)
        ).one()
        assert (lead.campaign_id, lead.source_channel, lead.status) == (
            campaign.id,
            "web",
            LeadStatus.QUALIFIED,
        )
        assert lead.qualification_answers == {
            "current_laptop_age": "Two to four years",
            "usage": "Studies",
            "timeframe": "In the next few months",
            "budget": "Under 1000 euros",
        }
        assert (lead.score, lead.level) == (55, LeadLevel.WARM)


def test_a_script_changed_in_yaml_is_asked_in_the_next_conversation_without_retraining(
    live_stack: LiveStack,
) -> None:
    trained = model_digest()
    path = Path(live_stack.stack.env["ICBOT_SCRIPTS_DIR"]) / f"{SCRIPT}.yml"
    original = path.read_text(encoding="utf-8")
    start, timeframe, budget = (
        original.index("  - id: laptop_age"),
        original.index("  - id: timeframe"),
        original.index("  - id: budget"),
    )
    reordered = (
        original[:start]
        + original[timeframe:budget]
        + original[start:timeframe]
        + original[budget:]
    ).replace("When would you like to replace it?", "When are you thinking of buying a new laptop?")
    try:
        path.write_text(reordered, encoding="utf-8")
        os.utime(path, ns=(path.stat().st_atime_ns, path.stat().st_mtime_ns + 1_000_000_000))
        with Chat(live_stack.url, "prospect-offer-2", token=API_TOKEN) as chat:
            chat.say("I'm calling about your offer")
            first = chat.say("yes, go ahead")
            second = chat.say("this month")
    finally:
        path.write_text(original, encoding="utf-8")

    assert first == "When are you thinking of buying a new laptop?"
    assert second == "How old is the laptop you use now?"
    assert model_digest() == trained
