"""The campaign's script as a form: questions from YAML at run time, and the lead they qualify."""

from __future__ import annotations

import shutil

import pytest
from rasa_sdk.events import SlotSet

from actions.marketing_script import (
    ActionAskScriptAnswer,
    ActionCreateScriptedLead,
    ValidateScriptForm,
    option_payload,
)
from crm_backend.models import LeadLevel, LeadStatus
from crm_backend.settings import REPO_ROOT
from crm_backend.uow import SqlAlchemyUnitOfWork
from tests.actions.marketing_fixtures import SCRIPT, pending_entry, use_scripts_from
from tests.actions.trackers import CALL_START, SENDER, entity, form_tracker, tracker, user_event

AGE_OPTIONS = ["Less than two years", "Two to four years", "More than four years"]
USE_OPTIONS = ["Work and travel", "Studies", "Home and leisure"]
SCRIPT_SLOTS_EMPTIED = [
    SlotSet("script_answer", None),
    SlotSet("script_question", None),
    SlotSet("script_question_text", None),
    SlotSet("script_options", None),
    SlotSet("script_answers", None),
    SlotSet("script_asked_again", None),
    SlotSet("lead_contact", None),
]


def buttons(answers):
    return [{"title": a, "payload": f'/inform{{"script_option": "{a}"}}'} for a in answers]


@pytest.fixture
def called(crm):
    return pending_entry(crm)


async def validate(dispatcher, domain, **kwargs):
    return await ValidateScriptForm().run(dispatcher, form_tracker("script_form", **kwargs), domain)


def test_a_button_carries_its_answer_past_the_nlu():
    assert option_payload("Two to four years") == '/inform{"script_option": "Two to four years"}'


async def test_the_script_starts_at_its_first_question(called, dispatcher, domain):
    events = await validate(
        dispatcher, domain, requested_slot=None, intent="affirm", text="yes", slots=called.slots()
    )

    assert events == [
        SlotSet("script_answers", {}),
        SlotSet("script_question", "laptop_age"),
        SlotSet("script_question_text", "How old is the laptop you use now?"),
        SlotSet("script_options", buttons(AGE_OPTIONS)),
        SlotSet("requested_slot", "script_answer"),
    ]


async def test_a_button_answers_and_the_next_question_follows(called, dispatcher, domain):
    events = await validate(
        dispatcher,
        domain,
        requested_slot="script_answer",
        text='/inform{"script_option": "Two to four years"}',
        entities=[entity("script_option", "Two to four years")],
        filled={"script_answer": '/inform{"script_option": "Two to four years"}'},
        slots=called.slots(script_question="laptop_age", script_answers={}),
    )

    assert events == [
        SlotSet("script_answer", None),
        SlotSet("script_answers", {"laptop_age": "Two to four years"}),
        SlotSet("script_question", "main_use"),
        SlotSet("script_question_text", "What do you mostly use it for?"),
        SlotSet("script_options", buttons(USE_OPTIONS)),
        SlotSet("requested_slot", "script_answer"),
    ]


async def test_words_that_pick_no_answer_ask_again(called, dispatcher, domain):
    events = await validate(
        dispatcher,
        domain,
        requested_slot="script_answer",
        text="purple",
        filled={"script_answer": "purple"},
        slots=called.slots(script_question="laptop_age", script_answers={}),
    )

    assert events == [
        SlotSet("script_answer", None),
        SlotSet("form_notice", "not_understood"),
        SlotSet("script_asked_again", "laptop_age"),
        SlotSet("requested_slot", "script_answer"),
    ]


async def test_free_words_answer_a_question_with_buttons(called, dispatcher, domain):
    events = await validate(
        dispatcher,
        domain,
        requested_slot="script_answer",
        text="it's like six years old",
        filled={"script_answer": "it's like six years old"},
        slots=called.slots(script_question="laptop_age", script_answers={}),
    )

    assert SlotSet("script_answers", {"laptop_age": "More than four years"}) in events
    assert SlotSet("script_question", "main_use") in events


async def test_a_question_missed_twice_is_skipped_not_asked_forever(called, dispatcher, domain):
    events = await validate(
        dispatcher,
        domain,
        requested_slot="script_answer",
        text="purple again",
        filled={"script_answer": "purple again"},
        slots=called.slots(
            script_question="laptop_age", script_answers={}, script_asked_again="laptop_age"
        ),
    )

    assert events == [
        SlotSet("script_answer", None),
        SlotSet("script_answers", {}),
        SlotSet("script_question", "main_use"),
        SlotSet("script_question_text", "What do you mostly use it for?"),
        SlotSet("script_options", buttons(USE_OPTIONS)),
        SlotSet("form_notice", "skipped"),
        SlotSet("requested_slot", "script_answer"),
    ]


async def test_the_last_question_missed_twice_ends_the_script(called, dispatcher, domain):
    done = {"laptop_age": "Two to four years", "main_use": "Studies", "timeframe": "This month"}
    events = await validate(
        dispatcher,
        domain,
        requested_slot="script_answer",
        text="go ahead",
        filled={"script_answer": "go ahead"},
        slots=called.slots(
            script_question="budget", script_answers=done, script_asked_again="budget"
        ),
    )

    assert events == [
        SlotSet("script_answer", "complete"),
        SlotSet("script_answers", done),
        SlotSet("script_question", None),
        SlotSet("requested_slot", None),
    ]


async def test_an_answer_that_ends_the_script_completes_the_form(called, dispatcher, domain):
    done = {"laptop_age": "Two to four years", "main_use": "Studies"}
    events = await validate(
        dispatcher,
        domain,
        requested_slot="script_answer",
        intent="deny",
        text="no idea really",
        filled={"script_answer": "no idea really"},
        slots=called.slots(script_question="timeframe", script_answers=done),
    )

    assert events == [
        SlotSet("script_answer", "complete"),
        SlotSet("script_answers", {**done, "timeframe": "No plans yet"}),
        SlotSet("script_question", None),
        SlotSet("requested_slot", None),
    ]


async def test_a_prospect_nobody_knows_gives_a_contact_last(crm, dispatcher, domain):
    events = await validate(
        dispatcher,
        domain,
        requested_slot="script_answer",
        text="over 1500",
        filled={"script_answer": "over 1500"},
        slots={"script_name": SCRIPT, "script_question": "budget", "script_answers": {}},
    )

    # The form then asks lead_contact, the next of its slots (Rasa's own order).
    assert events == [
        SlotSet("script_answer", "complete"),
        SlotSet("script_answers", {"budget": "Over 1500 euros"}),
        SlotSet("script_question", None),
    ]


async def test_a_changed_script_asks_its_new_first_question(
    called, dispatcher, domain, monkeypatch, tmp_path
):
    text = (REPO_ROOT / "data" / "scripts" / f"{SCRIPT}.yml").read_text(encoding="utf-8")
    moved = text.replace("  - id: laptop_age", "  - id: old_first").replace(
        "  - id: timeframe\n    ask:\n      en: When would you like to replace it?",
        "  - id: timeframe\n    ask:\n      en: When do you plan to buy?",
    )
    first = moved.index("  - id: old_first")
    timeframe = moved.index("  - id: timeframe")
    budget = moved.index("  - id: budget")
    reordered = moved[:first] + moved[timeframe:budget] + moved[first:timeframe] + moved[budget:]
    (tmp_path / f"{SCRIPT}.yml").write_text(reordered, encoding="utf-8")
    use_scripts_from(monkeypatch, tmp_path)

    events = await validate(
        dispatcher, domain, requested_slot=None, intent="affirm", text="yes", slots=called.slots()
    )

    assert events[1:3] == [
        SlotSet("script_question", "timeframe"),
        SlotSet("script_question_text", "When do you plan to buy?"),
    ]


async def test_the_question_is_asked_with_its_answers_as_buttons(dispatcher):
    asking = tracker(slots={"script_options": buttons(AGE_OPTIONS), "form_notice": "x"})

    events = await ActionAskScriptAnswer().run(dispatcher, asking, {})

    assert events == [SlotSet("form_notice", None)]
    assert [(m["response"], m["buttons"]) for m in dispatcher.messages] == [
        ("utter_ask_script_answer", buttons(AGE_OPTIONS))
    ]


async def test_a_question_repeated_for_help_is_not_asked_twice(dispatcher):
    repeated = {"event": "bot", "metadata": {"utter_action": "utter_ask_script_answer"}}
    helped = tracker(intent="help", events=[user_event("what?", intent="help"), repeated])

    assert await ActionAskScriptAnswer().run(dispatcher, helped, {}) == [
        SlotSet("form_notice", None)
    ]
    assert dispatcher.messages == []


async def test_the_answers_make_a_qualified_lead_of_the_campaign(crm, called, dispatcher):
    answers = {
        "laptop_age": "More than four years",
        "main_use": "Work and travel",
        "timeframe": "This month",
        "budget": "1000 to 1500 euros",
    }

    events = await ActionCreateScriptedLead().run(
        dispatcher, tracker(slots=called.slots(script_answers=answers)), {}
    )

    assert events == [
        SlotSet("product_name", "Éclipse 3000"),
        SlotSet("lead_level", "hot"),
        *SCRIPT_SLOTS_EMPTIED,
        SlotSet("result", "lead_qualified"),
    ]
    with SqlAlchemyUnitOfWork(crm) as uow:
        [lead] = [
            lead
            for lead in uow.leads.list_by(account_id=called.account_id)
            if lead.created_at == CALL_START
        ]
        assert (lead.campaign_id, lead.source_channel, lead.product.sku) == (
            called.campaign_id,
            "voice",
            "ECL-3000",
        )
        assert lead.qualification_answers == {
            "current_laptop_age": "More than four years",
            "usage": "Work and travel",
            "timeframe": "This month",
            "budget": "1000 to 1500 euros",
        }
        assert (lead.score, lead.level, lead.status) == (105, LeadLevel.HOT, LeadStatus.QUALIFIED)
        recorded = uow.accounts.get(called.account_id).script_answers
        assert [(a.question, a.answer) for a in recorded if a.recorded_at == CALL_START] == list(
            answers.items()
        )
        entry = uow.call_list_entries.get(called.entry_id)
        assert (entry.outcome, entry.lead_id) == ("lead_created", lead.id)
        [interaction] = uow.interactions.list_by(conversation_id=SENDER)
        assert interaction.lead_id == lead.id


async def test_a_new_prospects_lead_goes_on_a_prospect_account(crm, called, dispatcher):
    slots = {
        "channel": "web",
        "campaign_id": str(called.campaign_id),
        "campaign_name": called.campaign_name,
        "script_name": SCRIPT,
        "script_answers": {"laptop_age": "Less than two years"},
        "lead_contact": "new.prospect@example.com",
    }

    events = await ActionCreateScriptedLead().run(dispatcher, tracker(slots=slots), {})

    assert events[:2] == [SlotSet("product_name", "Éclipse 3000"), SlotSet("lead_level", "cold")]
    with SqlAlchemyUnitOfWork(crm) as uow:
        [account] = uow.accounts.find_by_email("new.prospect@example.com")
        [lead] = uow.leads.list_by(account_id=account.id)
        assert (lead.source_channel, lead.campaign_id, lead.score) == (
            "web",
            called.campaign_id,
            0,
        )


async def test_a_lead_without_its_script_is_a_technical_problem(
    crm, called, dispatcher, monkeypatch, tmp_path
):
    use_scripts_from(monkeypatch, tmp_path)
    shutil.rmtree(tmp_path)

    events = await ActionCreateScriptedLead().run(dispatcher, tracker(slots=called.slots()), {})

    assert events == [*SCRIPT_SLOTS_EMPTIED, SlotSet("result", "technical_problem")]
