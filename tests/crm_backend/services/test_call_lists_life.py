"""A call list's life: found, assigned, started, paused, done once worked; what the bot starts."""

from __future__ import annotations

import pytest

from crm_backend.errors import CallListNotFound, InvalidRequest, InvalidStatusChange
from crm_backend.models import Agent
from crm_backend.services import call_lists, campaigns
from crm_backend.services.call_lists import TargetFilter
from tests.crm_backend.services import test_call_lists as call_list_tests
from tests.crm_backend.services.test_call_lists import TODAY

# The campaign and people of the call lists' tests.
scene = call_list_tests.scene


def test_lists_are_found_assigned_and_listed(any_uow, scene):
    other = campaigns.create_campaign(
        any_uow, name="o", script="s", channel="sms", starts_on=TODAY, ends_on=TODAY
    )
    first = call_lists.build_call_list(
        any_uow, campaign_id=scene["campaign"].id, name="1", target=TargetFilter(), today=TODAY
    )
    second = call_lists.build_call_list(
        any_uow, campaign_id=other.id, name="2", target=TargetFilter(), today=TODAY
    )

    any_uow.agents.add(
        Agent(username="agent-17", display_name="Agent 17", password_hash="-", active=True)
    )
    call_lists.assign_call_list(any_uow, call_list_id=first.id, assigned_to=" Agent-17 ")

    assert call_lists.get_call_list(any_uow, call_list_id=first.id).assigned_to == "agent-17"
    assert call_lists.list_call_lists(any_uow) == [second, first]
    assert call_lists.list_call_lists(any_uow, campaign_id=other.id) == [second]
    with pytest.raises(CallListNotFound):
        call_lists.get_call_list(any_uow, call_list_id=99)


def test_a_list_is_started_paused_started_again_and_done_once_worked(any_uow, scene):
    call_list = call_lists.build_call_list(
        any_uow,
        campaign_id=scene["campaign"].id,
        name="l",
        target=TargetFilter(city="Lyon"),
        today=TODAY,
    )

    assert call_lists.start_call_list(any_uow, call_list_id=call_list.id).status == "active"
    assert scene["campaign"].status == "active"
    assert call_lists.pause_call_list(any_uow, call_list_id=call_list.id).status == "paused"
    with pytest.raises(InvalidStatusChange):
        call_lists.pause_call_list(any_uow, call_list_id=call_list.id)
    call_lists.start_call_list(any_uow, call_list_id=call_list.id)
    with pytest.raises(InvalidStatusChange):
        call_lists.start_call_list(any_uow, call_list_id=call_list.id)
    assert call_lists.progress(any_uow, call_list_id=call_list.id) == {
        "pending": 2,
        "calling": 0,
        "done": 0,
        "excluded": 3,
    }
    assert not call_lists.finish_if_worked(any_uow, call_list_id=call_list.id)

    for pending in [e for e in call_list.entries if e.status == "pending"]:
        pending.status = "done"
    any_uow.flush()

    assert call_lists.finish_if_worked(any_uow, call_list_id=call_list.id)
    assert call_list.status == "done"


@pytest.mark.parametrize(
    ("channel", "message", "assigned_to"),
    [("email", "", "bot"), ("sms", "", "bot")],
)
def test_the_bot_starts_only_what_it_can_send(any_uow, scene, channel, message, assigned_to):
    campaign = campaigns.create_campaign(
        any_uow,
        name="c",
        script="s",
        channel=channel,
        starts_on=TODAY,
        ends_on=TODAY,
        message=message,
    )
    call_list = call_lists.build_call_list(
        any_uow, campaign_id=campaign.id, name="l", target=TargetFilter(), assigned_to=assigned_to
    )

    with pytest.raises(InvalidRequest):
        call_lists.start_call_list(any_uow, call_list_id=call_list.id)
    assert call_list.status == "draft"
    call_lists.assign_call_list(any_uow, call_list_id=call_list.id, assigned_to="agents")
    assert call_lists.start_call_list(any_uow, call_list_id=call_list.id).status == "active"
    with pytest.raises(InvalidRequest):
        call_lists.assign_call_list(any_uow, call_list_id=call_list.id, assigned_to="bot")
