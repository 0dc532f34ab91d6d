"""Desk agents: argon2id hashes, logins that say nothing about which half was wrong, sessions."""

from __future__ import annotations

import datetime as dt
import hashlib

import pytest

from crm_backend.errors import Conflict, InvalidCredentials, InvalidRequest
from crm_backend.models import AgentRole
from crm_backend.services import agents
from tests.factories import columns

NOW = dt.datetime(2025, 11, 3, 9, 0, tzinfo=dt.UTC)
PASSWORD = "correct horse battery"


def anna(uow, **changes):
    values = {
        "username": "Anna",
        "password": PASSWORD,
        "display_name": "Anna Lefèvre",
        "role": "agent",
    }
    return agents.create_agent(uow, **{**values, **changes})


def test_an_agent_is_stored_with_an_argon2id_hash_only(uow):
    agent = anna(uow)

    row = columns(agent, without=["id", "created_at", "password_hash"])
    assert row == {
        "username": "anna",
        "display_name": "Anna Lefèvre",
        "role": AgentRole.AGENT,
        "active": True,
    }
    assert agent.password_hash.startswith("$argon2id$")
    assert PASSWORD not in agent.password_hash


@pytest.mark.parametrize(
    "changes",
    [
        {"username": "a"},
        {"username": "anna smith"},
        {"username": "<script>"},
        {"password": "short"},
        {"display_name": "  "},
        {"role": "admin"},
    ],
)
def test_bad_agent_data_is_refused(uow, changes):
    with pytest.raises(InvalidRequest):
        anna(uow, **changes)


def test_a_user_name_is_taken_once(uow):
    anna(uow)

    with pytest.raises(Conflict):
        anna(uow, username="ANNA")


def test_login_with_the_right_password(uow):
    agent = anna(uow)

    assert agents.authenticate(uow, username=" ANNA ", password=PASSWORD) is agent


@pytest.mark.parametrize(("username", "password"), [("anna", "wrong password"), ("bob", PASSWORD)])
def test_a_wrong_password_and_an_unknown_user_fail_alike(uow, username, password):
    anna(uow)

    with pytest.raises(InvalidCredentials) as failed:
        agents.authenticate(uow, username=username, password=password)

    assert str(failed.value) == "unknown user name or wrong password"


def test_a_disabled_agent_cannot_log_in_and_loses_the_session(uow):
    agent = anna(uow)
    opened = agents.open_session(uow, agent_id=agent.id, now=NOW)

    agent.active = False
    uow.flush()

    with pytest.raises(InvalidCredentials):
        agents.authenticate(uow, username="anna", password=PASSWORD)
    assert agents.session_for(uow, token=opened.token, now=NOW) is None


def test_a_session_keeps_only_the_hash_of_its_token(uow):
    agent = anna(uow)

    opened = agents.open_session(uow, agent_id=agent.id, now=NOW)

    assert opened.session.token_hash == hashlib.sha256(opened.token.encode()).hexdigest()
    assert opened.token not in str(columns(opened.session))
    assert len(opened.session.csrf_token) >= 40
    assert agents.session_for(uow, token=opened.token, now=NOW) is opened.session


def test_a_session_ends_when_it_expires_or_the_agent_logs_out(uow):
    agent = anna(uow)
    first = agents.open_session(uow, agent_id=agent.id, now=NOW)
    second = agents.open_session(uow, agent_id=agent.id, now=NOW)

    agents.close_session(uow, token=second.token)

    assert agents.session_for(uow, token=second.token, now=NOW) is None
    assert agents.session_for(uow, token="made-up", now=NOW) is None
    assert agents.session_for(uow, token="", now=NOW) is None
    assert agents.session_for(uow, token=first.token, now=NOW + dt.timedelta(hours=11)) is None


def test_who_is_on_duty_comes_from_recently_used_sessions(uow):
    agent, other = anna(uow), anna(uow, username="ben")
    agents.open_session(uow, agent_id=agent.id, now=NOW)
    agents.open_session(uow, agent_id=agent.id, now=NOW)
    late = agents.open_session(uow, agent_id=other.id, now=NOW)

    assert agents.agents_on_duty(uow, now=NOW + dt.timedelta(minutes=1)) == 2
    agents.session_for(uow, token=late.token, now=NOW + dt.timedelta(minutes=4))
    assert agents.agents_on_duty(uow, now=NOW + dt.timedelta(minutes=5)) == 1


@pytest.mark.parametrize(
    ("username", "reserved"),
    [
        ("dialer", "dialer"),
        ("bot", "bot"),
        ("agents", "agents"),
        ("ic-team", "ic-team"),
        ("system", "system"),
        (" BOT ", "bot"),
        ("Dialer", "dialer"),
    ],
)
def test_a_name_the_system_uses_is_not_an_agents(uow, username, reserved):
    with pytest.raises(InvalidRequest) as refused:
        anna(uow, username=username)

    assert str(refused.value) == (
        f"user name {reserved!r} is reserved: the CRM uses it for the dialer, the bot, "
        "all agents or the team (reserved: agents, bot, dialer, ic-team, system)"
    )
    assert uow.agents.list_by() == []
