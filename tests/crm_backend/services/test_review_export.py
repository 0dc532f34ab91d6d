"""Review's exports: the marks as Rasa NLU training data, a conversation as a test story."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import yaml

from crm_backend.models import ReviewMark
from crm_backend.services import agents, review_export
from crm_backend.uow import SqlAlchemyUnitOfWork

Uows = Callable[[], SqlAlchemyUnitOfWork]
NOW = dt.datetime(2025, 11, 3, 9, 0, tzinfo=dt.UTC)


def marked(uows: Uows, *marks: tuple[str, str]) -> None:
    with uows() as uow:
        agent = agents.create_agent(
            uow, username="tess", password="a long password", display_name="Tess", role="trainer"
        )
        for n, (text, intent) in enumerate(marks):
            uow.review_marks.add(
                ReviewMark(
                    conversation_id=f"web-{n}",
                    event_timestamp=float(n),
                    text=text,
                    predicted_intent="nlu_fallback",
                    intent=intent,
                    agent_id=agent.id,
                )
            )
        uow.commit()


def test_the_marks_are_rasa_nlu_data_grouped_by_intent_each_text_once(uow_factory: Uows) -> None:
    marked(
        uow_factory,
        ("the blue thing for the laptop", "ask_accessories"),
        ("what's the weather in Lyon", "out_of_scope"),
        ("does the bag fit", "ask_accessories"),
        ("The blue thing for the  laptop", "ask_accessories"),
    )

    with uow_factory() as uow:
        text = review_export.nlu_yaml(uow, now=NOW)

    assert yaml.safe_load(text) == {
        "version": "3.1",
        "nlu": [
            {
                "intent": "ask_accessories",
                "examples": "- does the bag fit\n- the blue thing for the laptop\n",
            },
            {"intent": "out_of_scope", "examples": "- what's the weather in Lyon\n"},
        ],
    }
    assert text.startswith('version: "3.1"\n')
    assert "  examples: |\n    - does the bag fit\n" in text


def test_the_export_redacts_again_and_leaves_no_markup(uow_factory: Uows) -> None:
    # Marked before a rule of the redactor existed, or typed with brackets.
    marked(
        uow_factory,
        ("mail pierre.moreau@example.fr or call 0612345678", "update_contact"),
        ("[laptop](product) {x} please", "place_order"),
    )

    with uow_factory() as uow:
        examples = {
            entry["intent"]: entry["examples"]
            for entry in yaml.safe_load(review_export.nlu_yaml(uow, now=NOW))["nlu"]
        }

    assert examples == {
        "place_order": "- (laptop)(product) (x) please\n",
        "update_contact": "- mail jane.doe@example.com or call 0600000000\n",
    }


def test_no_marks_is_valid_nlu_data_with_nothing_in_it(uow_factory: Uows) -> None:
    with uow_factory() as uow:
        text = review_export.nlu_yaml(uow, now=NOW)

    assert yaml.safe_load(text) == {"version": "3.1", "nlu": []}


RASA_STORY = """version: "3.1"
stories:
- story: sms-+33612345678
  steps:
  - user: |
      hello
    intent: greet
  - action: utter_greet
  - user: |
      I'm [Pierre Moreau]{"entity": "person_name", "value": "Pierre Moreau"}, 69002
    intent: inform
  - slot_was_set:
    - customer_name: Pierre Moreau
  - slot_was_set:
    - session_started_metadata:
        phone: '+33612345678'
        channel: sms
  - action: action_clarify
"""


def test_a_story_loses_its_personal_data_and_the_conversation_id() -> None:
    story = review_export.redacted_story(
        RASA_STORY, conversation_id="sms-+33612345678", names=["Pierre Moreau"]
    )

    slug = review_export.story_slug("sms-+33612345678")
    assert yaml.safe_load(story) == {
        "version": "3.1",
        "stories": [
            {
                "story": f"review {slug}",
                "steps": [
                    {"user": "hello\n", "intent": "greet"},
                    {"action": "utter_greet"},
                    {
                        "user": 'I\'m [Alex Martin]{"entity": "person_name", "value": '
                        '"Alex Martin"}, 00000\n',
                        "intent": "inform",
                    },
                    {"slot_was_set": [{"customer_name": "Alex Martin"}]},
                    {
                        "slot_was_set": [
                            {
                                "session_started_metadata": {
                                    "phone": "+33600000000",
                                    "channel": "sms",
                                }
                            }
                        ]
                    },
                    {"action": "action_clarify"},
                ],
            }
        ],
    }
    assert review_export.story_file_name("sms-+33612345678") == f"review_{slug}.yml"
    assert "33612345678" not in review_export.story_file_name("sms-+33612345678")
