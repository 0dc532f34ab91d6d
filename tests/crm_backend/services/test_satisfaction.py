"""Customer satisfaction: how answers are read, when the question is asked, what is kept."""

from __future__ import annotations

import datetime as dt

import pytest

from crm_backend.errors import InteractionNotFound, InvalidRequest, InvalidStatusChange
from crm_backend.models import ConsentStatus, ContactChannel
from crm_backend.opening_hours import OpeningHours
from crm_backend.services import agents, consent, conversation, handoff, satisfaction
from crm_backend.services.satisfaction import Rating, is_refusal, read_rating
from crm_backend.settings import HandoffSettings
from tests.factories import make_account

NOW = dt.datetime(2025, 11, 5, 11, 0, tzinfo=dt.UTC)
ALWAYS = HandoffSettings(hours=OpeningHours.parse("mon-sun 00:00-24:00"), wrap_up_codes=("done",))


@pytest.mark.parametrize(
    ("said", "rating"),
    [
        ("5", Rating(5)),
        ("five", Rating(5)),
        ("Five.", Rating(5)),
        ("4/5", Rating(4)),
        ("4 / 5", Rating(4)),
        ("4 out of 5", Rating(4)),
        ("4 stars", Rating(4)),
        ("1 star", Rating(1)),
        ("3*", Rating(3)),
        ("★★★★", Rating(4)),
        ("I'd give it a 4", Rating(4)),
        ("a 3", Rating(3)),
        ("great", Rating(5)),
        ("Great!", Rating(5)),
        ("it was great, thanks", Rating(5)),
        ("very good", Rating(5)),
        ("good", Rating(4)),
        ("not great", Rating(2)),
        ("bad", Rating(2)),
        ("terrible", Rating(1)),
        ("4 - the delivery was late", Rating(4, "the delivery was late")),
        ("two stars, too slow", Rating(2, "too slow")),
        ("four, it was fine", Rating(4, "it was fine")),
        ("5 Anna was Lovely", Rating(5, "Anna was Lovely")),
    ],
)
def test_a_score_is_read_as_people_give_it(said, rating):
    assert read_rating(said) == rating


@pytest.mark.parametrize(
    "said",
    [
        "meh",  # lukewarm: asked again rather than guessed
        "ok",
        "fine",
        "not bad",
        "0",
        "6",
        "45",
        "4.5",
        "10/10",  # another scale
        "3 out of 10",
        "one more thing",  # a sentence, not a score
        "where is my order?",
        "no thanks",
        "",
    ],
)
def test_anything_else_is_not_forced_into_a_score(said):
    assert read_rating(said) is None


def test_a_long_comment_is_cut():
    rating = read_rating("5 " + "x" * 5000)
    assert rating is not None
    assert rating.comment == "x" * satisfaction.MAX_COMMENT_CHARS


@pytest.mark.parametrize(
    ("said", "declined"),
    [("No thanks!", True), ("no", True), ("skip", True), ("bye", True), ("4", False)],
)
def test_a_customer_may_decline(said, declined):
    assert is_refusal(said) is declined


def _interaction(uow, *, channel="web", direction="inbound", account_id=None, cid="web-1"):
    interaction = conversation.start_interaction(
        uow,
        channel=channel,
        conversation_id=cid,
        direction=direction,
        account_id=account_id,
        now=NOW,
    )
    conversation.end_interaction(
        uow, interaction_id=interaction.id, outcome="information", ended_at=NOW
    )
    return interaction


def test_asked_once_then_never_again(uow):
    interaction = _interaction(uow)

    assert satisfaction.survey_refusal(uow, interaction_id=interaction.id, channel="web") is None
    satisfaction.mark_asked(uow, interaction_id=interaction.id, now=NOW)

    assert satisfaction.survey_refusal(uow, interaction_id=interaction.id, channel="web") == (
        satisfaction.ASKED_ALREADY
    )
    with pytest.raises(InvalidStatusChange):
        satisfaction.mark_asked(uow, interaction_id=interaction.id, now=NOW)


def test_not_asked_on_our_own_calls_nor_after_a_complaint(uow):
    outbound = _interaction(uow, channel="voice", direction="outbound")
    inbound = _interaction(uow, cid="web-2")

    assert satisfaction.survey_refusal(uow, interaction_id=outbound.id, channel="voice") == (
        satisfaction.OUTBOUND
    )
    assert satisfaction.survey_refusal(
        uow, interaction_id=inbound.id, channel="web", upset=True
    ) == (satisfaction.UPSET)


def test_not_asked_to_a_do_not_contact_account_on_any_channel(uow):
    account = make_account(uow, do_not_contact=True)
    interaction = _interaction(uow, account_id=account.id)

    assert satisfaction.survey_refusal(uow, interaction_id=interaction.id, channel="web") == (
        satisfaction.DO_NOT_CONTACT
    )


def test_not_asked_by_sms_when_the_account_or_number_opted_out(uow):
    account = make_account(
        uow, phones=("+33611111111",), consents={ContactChannel.SMS: ConsentStatus.OPT_OUT}
    )
    by_account = _interaction(uow, channel="sms", account_id=account.id, cid="sms-a")
    consent.opt_out_number(uow, phone="+33622222222", channel="sms", source="sms keyword")
    by_number = _interaction(uow, channel="sms", cid="sms-b")

    assert satisfaction.survey_refusal(uow, interaction_id=by_account.id, channel="sms") == (
        satisfaction.OPTED_OUT
    )
    assert satisfaction.survey_refusal(
        uow, interaction_id=by_number.id, channel="sms", phone="+33622222222"
    ) == (satisfaction.OPTED_OUT)
    # The SMS opt-out closes SMS only: the same account is asked in the web chat.
    on_the_web = _interaction(uow, account_id=account.id, cid="web-a")
    assert satisfaction.survey_refusal(uow, interaction_id=on_the_web.id, channel="web") is None


def test_the_answer_is_kept_on_the_interaction_that_was_asked(uow):
    interaction = _interaction(uow)
    satisfaction.mark_asked(uow, interaction_id=interaction.id, now=NOW)

    satisfaction.record_answer(
        uow,
        conversation_id="web-1",
        score=4,
        comment="  quick answers  ",
        now=NOW + dt.timedelta(seconds=20),
    )

    assert (
        interaction.satisfaction_score,
        interaction.satisfaction_comment,
        interaction.satisfaction_asked_at,
        interaction.satisfaction_answered_at,
    ) == (4, "quick answers", NOW, NOW + dt.timedelta(seconds=20))
    with pytest.raises(InteractionNotFound):  # answered: nothing waits for a second answer
        satisfaction.record_answer(uow, conversation_id="web-1", score=5, now=NOW)


def test_no_answer_is_kept_without_a_question_or_outside_1_to_5(uow):
    interaction = _interaction(uow)

    with pytest.raises(InteractionNotFound):
        satisfaction.record_answer(uow, conversation_id="web-1", score=5, now=NOW)
    with pytest.raises(InvalidStatusChange):
        satisfaction.record_rating(uow, interaction_id=interaction.id, score=5, now=NOW)
    satisfaction.mark_asked(uow, interaction_id=interaction.id, now=NOW)
    with pytest.raises(InvalidRequest):
        satisfaction.record_rating(uow, interaction_id=interaction.id, score=6, now=NOW)
    assert interaction.satisfaction_score is None


def _closed_handoff(uow, *, channel, reason="requested", cid):
    agent = agents.create_agent(
        uow, username=f"agent-{cid}", password="a long password", display_name="Anna"
    )
    interaction = conversation.start_interaction(uow, channel=channel, conversation_id=cid, now=NOW)
    requested = handoff.request_handoff(
        uow,
        conversation_id=cid,
        channel=channel,
        reason=reason,
        settings=ALWAYS,
        now=NOW,
    ).handoff
    assert requested.interaction_id == interaction.id
    handoff.take_handoff(uow, handoff_id=requested.id, agent_id=agent.id, now=NOW)
    handoff.close_handoff(
        uow,
        handoff_id=requested.id,
        agent_id=agent.id,
        wrap_up_code="done",
        summary="",
        settings=ALWAYS,
        now=NOW,
    )
    return requested, interaction


def test_after_an_agent_closed_a_chat_it_is_asked_once_but_never_on_a_call(uow):
    chat, chat_interaction = _closed_handoff(uow, channel="web", cid="web-h")
    call, _ = _closed_handoff(uow, channel="voice", cid="voice-h")
    complaint, _ = _closed_handoff(uow, channel="sms", reason="complaint", cid="sms-h")

    assert satisfaction.ask_after_agent(uow, handoff_id=chat.id, now=NOW) is True
    assert chat_interaction.satisfaction_asked_at == NOW
    assert satisfaction.ask_after_agent(uow, handoff_id=chat.id, now=NOW) is False
    assert satisfaction.ask_after_agent(uow, handoff_id=call.id, now=NOW) is False
    assert satisfaction.ask_after_agent(uow, handoff_id=complaint.id, now=NOW) is False
