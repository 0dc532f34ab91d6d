"""The action server's composition: one session factory, built late; polite degradation."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest
from rasa_sdk.events import ActiveLoop, SlotSet
from sqlalchemy.exc import OperationalError

from actions import runtime
from crm_backend.errors import CrmUnavailable, InvalidRequest
from tests.actions.trackers import responses, tracker

REPO = Path(__file__).resolve().parents[2]


class Broken(runtime.CrmAction):
    # A default, because rasa_sdk instantiates every Action subclass it finds.
    def __init__(self, error: Exception | None = None) -> None:
        self.error = error or CrmUnavailable("the database cannot be reached")

    def name(self) -> str:
        return "action_broken"

    def act(self, dispatcher, tracker, domain):
        raise self.error


class Fine(runtime.CrmAction):
    def name(self) -> str:
        return "action_fine"

    def act(self, dispatcher, tracker, domain):
        dispatcher.utter_message(response="utter_fine")
        return [SlotSet("fine", True)]


class ValidateBrokenForm(runtime.CrmFormValidationAction):
    def name(self) -> str:
        return "validate_broken_form"

    def validate_thing(self, value, dispatcher, tracker, domain):
        raise CrmUnavailable("the database cannot be reached")


def test_the_session_factory_is_built_once_on_first_use(monkeypatch, tmp_path):
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'lazy.db'}")
    runtime.use_session_factory(None)
    try:
        first = runtime.session_factory()
        assert runtime.session_factory() is first
        assert str(first.kw["bind"].url) == f"sqlite:///{tmp_path / 'lazy.db'}"
    finally:
        first.kw["bind"].dispose()
        runtime.use_session_factory(None)


def test_importing_every_action_module_connects_to_nothing(tmp_path):
    database = tmp_path / "never.db"
    code = (
        "import pkgutil, importlib, actions\n"
        "from actions import runtime\n"
        "for m in pkgutil.iter_modules(actions.__path__):\n"
        "    importlib.import_module(f'actions.{m.name}')\n"
        "assert runtime._session_factory is None\n"
    )
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{database}", "PYTHONPATH": str(REPO)}
    subprocess.run([sys.executable, "-c", code], cwd=REPO, env=env, check=True)
    assert not database.exists()


async def test_an_action_runs_and_returns_its_events(dispatcher):
    events = await Fine().run(dispatcher, tracker(), {})
    assert (events, responses(dispatcher)) == ([SlotSet("fine", True)], ["utter_fine"])


async def test_a_crm_that_cannot_be_reached_gives_the_technical_problem_result(dispatcher, caplog):
    # Every utter_<action>_result says sorry and offers an adviser's call back for this result.
    error = CrmUnavailable("the database cannot be reached")
    with caplog.at_level(logging.ERROR, logger="actions.runtime"):
        events = await Broken(error).run(dispatcher, tracker(), {})
    assert events == [SlotSet("result", "technical_problem")]
    assert dispatcher.messages == []
    [record] = caplog.records
    assert record.exc_info is not None
    assert record.exc_info[1] is error


class DeadOnce(runtime.CrmAction):
    """Its first run meets a pooled connection the database's restart killed."""

    def __init__(self, *, invalidated: bool = True) -> None:
        self.invalidated = invalidated
        self.runs = 0

    def name(self) -> str:
        return "action_dead_once"

    def act(self, dispatcher, tracker, domain):
        self.runs += 1
        dispatcher.utter_message(response=f"utter_run_{self.runs}")
        if self.runs == 1:
            dead = OperationalError(
                "SELECT 1", {}, Exception("server closed the connection unexpectedly")
            )
            dead.connection_invalidated = self.invalidated
            raise CrmUnavailable("the database cannot be reached") from dead
        return [SlotSet("fine", True)]


async def test_a_connection_the_database_restart_killed_costs_one_more_run_not_an_apology(
    dispatcher,
):
    action = DeadOnce()

    events = await action.run(dispatcher, tracker(), {})

    assert (action.runs, events, responses(dispatcher)) == (
        2,
        [SlotSet("fine", True)],
        ["utter_run_2"],  # what the failed run said is not said
    )


async def test_a_database_that_is_down_is_not_tried_twice(dispatcher):
    action = DeadOnce(invalidated=False)

    events = await action.run(dispatcher, tracker(), {})

    assert (action.runs, events) == (1, [SlotSet("result", "technical_problem")])


async def test_other_errors_are_not_swallowed(dispatcher):
    with pytest.raises(InvalidRequest):
        await Broken(InvalidRequest("a bug to see in the log")).run(dispatcher, tracker(), {})
    assert dispatcher.messages == []


async def test_a_form_validator_that_cannot_reach_the_crm_ends_the_form(dispatcher):
    domain = {"forms": {"broken_form": {"required_slots": ["thing"]}}, "slots": {}}
    form_tracker = tracker(
        slots={"thing": "x"},
        active_loop="broken_form",
        requested_slot="thing",
        events=[{"event": "slot", "name": "thing", "value": "x"}],
    )
    events = await ValidateBrokenForm().run(dispatcher, form_tracker, domain)
    assert events == [
        SlotSet("result", "technical_problem"),
        ActiveLoop(None),
        SlotSet("requested_slot", None),
    ]
    assert dispatcher.messages == []


async def test_a_read_on_an_unreachable_database_raises_the_named_error(down):
    with pytest.raises(CrmUnavailable) as raised, runtime.unit_of_work() as uow:
        uow.accounts.get(1)
    assert isinstance(raised.value.__cause__, OperationalError)


def test_a_read_that_works_leaves_the_unit_of_work_quietly(crm):
    with runtime.unit_of_work() as uow:
        assert uow.accounts.get_by(customer_number="C-100001") is not None
