"""The review pages: who may see them, the list and its filters, marks, the exports."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
import yaml
from fastapi.testclient import TestClient

from crm_backend.services import agents, review_export
from crm_backend.tracker_store import TrackerStore
from tests.channels.desk.conftest import PASSWORD, Uows, logged_in
from tests.channels.handoff_fakes import DeskBrowser, HandoffRasa
from tests.review_events import DAY, misunderstood_twice, store_events, understood

SAID_AT = DAY.timestamp() + 3  # "Moreau here, ring me on 06 12 34 56 78 about it"
STORY = """version: "3.1"
stories:
- story: web-a
  steps:
  - user: |
      mail pierre.moreau@example.fr
    intent: nlu_fallback
  - action: action_clarify
"""


@pytest.fixture
def reviewing(desk: TestClient, uow_factory: Uows, tmp_path: Path) -> TestClient:
    """The desk with a trainer (tess) and a tracker store of three conversations."""
    with uow_factory() as uow:
        agents.create_agent(
            uow, username="tess", password=PASSWORD, display_name="Tess", role="trainer"
        )
        uow.commit()
    url = f"sqlite:///{tmp_path / 'tracker.db'}"
    store_events(url, "web-a", misunderstood_twice())
    store_events(url, "sms-b", misunderstood_twice(channel="sms"))
    store_events(url, "web-fine", understood())
    state = desk.app.state
    state.review_tracker_store = TrackerStore(url)
    state.settings = dataclasses.replace(
        state.settings,
        crm=dataclasses.replace(state.settings.crm, review_stories_dir=tmp_path / "stories"),
    )
    return desk


@pytest.fixture
def tess(reviewing: TestClient) -> DeskBrowser:
    return logged_in(reviewing, "tess")


def mark(browser: DeskBrowser, **form: str):
    fields = {"conversation_id": "web-a", "timestamp": repr(SAID_AT), "intent": "update_contact"}
    return browser.post("/desk/review/mark", **{**fields, **form})


def marks(uow_factory: Uows) -> list[tuple[str, str]]:
    with uow_factory() as uow:
        return [(m.conversation_id, m.intent) for m in uow.review_marks.list_by()]


@pytest.mark.parametrize("username", ["tess", "boss"])
def test_managers_and_trainers_review(reviewing: TestClient, username: str) -> None:
    browser = logged_in(reviewing, username)

    assert browser.client.get("/desk/review").status_code == 200
    assert browser.client.get("/desk/review/conversation?id=web-a").status_code == 200
    assert browser.client.get("/desk/review/export.yml").status_code == 200
    assert 'href="/desk/review"' in browser.client.get("/desk/review").text


def test_an_agent_may_not_review(reviewing: TestClient, uow_factory: Uows) -> None:
    anna = logged_in(reviewing, "anna")

    assert anna.client.get("/desk/review").status_code == 403
    assert anna.client.get("/desk/review/conversation?id=web-a").status_code == 403
    assert anna.client.get("/desk/review/export.yml").status_code == 403
    assert mark(anna).status_code == 403
    assert anna.post("/desk/review/story", conversation_id="web-a").status_code == 403
    assert marks(uow_factory) == []
    assert 'href="/desk/review"' not in anna.client.get("/desk").text


def test_a_stranger_is_sent_to_the_login(reviewing: TestClient) -> None:
    stranger = TestClient(reviewing.app, base_url="https://testserver")

    answer = stranger.get("/desk/review", follow_redirects=False)

    assert answer.status_code == 303
    assert answer.headers["location"] == "/desk/login?next=/desk/review"


def test_a_trainer_has_the_review_and_nothing_of_the_queue(tess: DeskBrowser) -> None:
    home = tess.client.get("/desk", follow_redirects=False)

    assert (home.status_code, home.headers["location"]) == (303, "/desk/review")
    assert tess.client.get("/desk/api/queue").status_code == 403
    assert tess.client.get("/desk/calls").status_code == 403
    assert tess.client.get("/desk/handoffs/1").status_code == 403
    assert tess.post("/desk/handoffs/1/take").status_code == 403
    assert tess.post("/desk/calls/next").status_code == 403


def test_the_list_holds_the_misunderstood_conversations_with_their_filters(
    tess: DeskBrowser,
) -> None:
    page = tess.client.get("/desk/review").text

    assert 'data-conversation="web-a"' in page
    assert 'data-conversation="sms-b"' in page
    assert "web-fine" not in page
    sms = tess.client.get("/desk/review?channel=sms&outcome=handoff&day=2025-11-03").text
    assert 'data-conversation="sms-b"' in sms
    assert 'data-conversation="web-a"' not in sms


@pytest.mark.parametrize(
    ("query", "reason"),
    [
        ("day=yesterday", "the day is a date: YYYY-MM-DD"),
        ("channel=fax", "the channel is one of web, sms, voice"),
        ("outcome=bad", "the outcome is one of clarify, fallback, handoff, low_confidence"),
        ("intent=buy_a_pony", "that is no intent of the bot"),
    ],
)
def test_a_wrong_filter_says_what_is_wrong(tess: DeskBrowser, query: str, reason: str) -> None:
    answer = tess.client.get(f"/desk/review?{query}")

    assert answer.status_code == 422
    assert reason in answer.text
    assert "data-conversation" not in answer.text


def test_the_conversation_shows_each_message_with_its_intents(tess: DeskBrowser) -> None:
    page = tess.client.get("/desk/review/conversation?id=web-a").text

    assert "the blue thing for pierre.moreau@example.fr" in page
    assert "<strong>nlu_fallback</strong> 0.20" in page
    assert "<div>ask_product_info 0.12</div><div>place_order 0.10</div>" in page
    assert "<strong>request_human</strong> 0.31" in page
    assert '<span class="tag">Low confidence</span>' in page
    assert tess.client.get("/desk/review/conversation?id=web-nobody").status_code == 404


def test_a_mark_is_saved_and_shown(tess: DeskBrowser, uow_factory: Uows) -> None:
    answer = mark(tess)

    assert answer.status_code == 303
    assert answer.headers["location"] == "/desk/review/conversation?id=web-a&notice=marked"
    assert marks(uow_factory) == [("web-a", "update_contact")]
    page = tess.client.get(answer.headers["location"]).text
    assert "Mark saved." in page
    assert "marked: update_contact" in page


def test_a_mark_without_the_forms_token_is_refused(tess: DeskBrowser, uow_factory: Uows) -> None:
    tess.csrf = "forged"

    assert mark(tess).status_code == 403
    assert tess.client.post("/desk/review/mark", data={"intent": "greet"}).status_code == 403
    assert marks(uow_factory) == []


@pytest.mark.parametrize(
    ("form", "status", "reason"),
    [
        ({"intent": "buy_a_pony"}, 422, "is no intent of the bot"),
        ({"timestamp": "not a time"}, 422, "That message is not in this conversation."),
        ({"timestamp": "nan"}, 422, "That message is not in this conversation."),
        ({"timestamp": repr(SAID_AT + 0.1)}, 422, "That message is not in this conversation."),
        ({"conversation_id": "web-nobody"}, 404, "No such conversation."),
        ({"conversation_id": "../../etc/passwd"}, 422, "conversation_id"),
        ({"intent": "x" * 101}, 422, "intent"),
    ],
)
def test_a_wrong_mark_is_refused_with_the_reason(
    tess: DeskBrowser, uow_factory: Uows, form: dict[str, str], status: int, reason: str
) -> None:
    answer = mark(tess, **form)

    assert answer.status_code == status
    assert reason in answer.text
    assert marks(uow_factory) == []


def test_the_download_is_the_marked_messages_as_nlu_data(tess: DeskBrowser) -> None:
    assert mark(tess).status_code == 303

    answer = tess.client.get("/desk/review/export.yml")

    assert answer.headers["content-disposition"] == 'attachment; filename="review.yml"'
    assert yaml.safe_load(answer.text) == {
        "version": "3.1",
        "nlu": [
            {
                "intent": "update_contact",
                "examples": "- Martin here, ring me on 06 00 00 00 00 about it\n",
            }
        ],
    }


def test_save_as_test_story_writes_rasas_story_redacted(
    tess: DeskBrowser, handoff_rasa: HandoffRasa, tmp_path: Path
) -> None:
    handoff_rasa.stories["web-a"] = STORY
    name = review_export.story_file_name("web-a")

    answer = tess.post("/desk/review/story", conversation_id="web-a")

    assert answer.status_code == 303
    assert answer.headers["location"] == f"/desk/review/conversation?id=web-a&story={name}"
    saved = (tmp_path / "stories" / name).read_text()
    assert "pierre" not in saved
    assert yaml.safe_load(saved)["stories"][0]["steps"][0] == {
        "user": "mail jane.doe@example.com\n",
        "intent": "nlu_fallback",
    }
    assert name in tess.client.get(answer.headers["location"]).text


@pytest.mark.parametrize(("down", "notice"), [(True, "bot_down"), (False, "no_story")])
def test_no_story_is_written_when_rasa_cannot_tell_it(
    tess: DeskBrowser, handoff_rasa: HandoffRasa, tmp_path: Path, down: bool, notice: str
) -> None:
    handoff_rasa.down = down

    answer = tess.post("/desk/review/story", conversation_id="web-a")

    assert answer.headers["location"] == f"/desk/review/conversation?id=web-a&notice={notice}"
    assert not (tmp_path / "stories").exists()
