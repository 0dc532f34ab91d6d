"""Review on the real stack, in a real browser: what the bot did not understand becomes training.

A customer is misunderstood twice in the web chat (between the two, a message
with his e-mail address and phone number); a trainer logged in at the
desk finds the conversation at ``/desk/review``, sees the predicted intents
and marks the right ones; the download of the marked messages is NLU data
that ``rasa data validate --fail-on-warnings`` accepts beside the training
data, with the e-mail and the phone replaced; "Save as test story" writes a
story that ``rasa test core`` plays and passes.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from playwright.sync_api import Browser, Page, expect

from launcher.stack import DEFAULT_MODEL, RASA_BIN, REPO_ROOT

from .conftest import Chat, LiveStack
from .test_handoff_desk import desk_user

PASSWORD = "e2e review password"
TRAINER = "e2e-tess"
# A message the trained bot does not understand (nlu_fallback), said twice, and between the
# two one it reads (inform) with an e-mail address and a phone number in it.
FIRST = "qwxz plonk"
SECOND = "flanged gizmo wibble pierre.moreau@example.fr 0612345678"
SECOND_REDACTED = "flanged gizmo wibble jane.doe@example.com 0600000000"
RASA_TIMEOUT = 600


@pytest.fixture(scope="module")
def trainer(live_stack: LiveStack) -> str:
    return desk_user(live_stack, TRAINER, role="trainer", display_name="Tess", password=PASSWORD)


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(accept_downloads=True)
    opened = context.new_page()
    opened.on("dialog", lambda dialog: pytest.fail(f"a dialog opened: {dialog.message}"))
    yield opened
    context.close()


def rasa(*args: str) -> subprocess.CompletedProcess[str]:
    """Rasa's command line, from the repository, as ``make`` runs it."""
    env = {**os.environ, "PYTHONPATH": str(REPO_ROOT), "RASA_TELEMETRY_ENABLED": "false"}
    return subprocess.run(
        [str(RASA_BIN), *args],
        cwd=REPO_ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=RASA_TIMEOUT,
    )


def test_a_misunderstood_conversation_becomes_nlu_data_and_a_test_story(
    live_stack: LiveStack, trainer: str, page: Page, tmp_path: Path
) -> None:
    if not DEFAULT_MODEL.exists():
        pytest.fail(f"no trained model at {DEFAULT_MODEL}: run `make model` (make test does)")
    base = live_stack.url
    with Chat(base) as chat:
        chat.say("hello")
        chat.say(FIRST)
        chat.say(SECOND)
        chat.say(FIRST)
    sender = f"web-{chat.conversation_id}"

    # The trainer logs in: the desk's home for them is the review.
    page.goto(f"{base}/desk")
    page.get_by_label("User name").fill(trainer)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page).to_have_url(f"{base}/desk/review")
    row = page.locator(f'#review-list tr[data-conversation="{sender}"]')
    expect(row).to_contain_text("Fallback")
    expect(row).to_contain_text("2 of 4")

    row.get_by_role("link").click()
    expect(page).to_have_url(re.compile(r"/desk/review/conversation\?id="))
    turns = page.locator("#review-turns tbody tr")
    expect(turns).to_have_count(4)
    for turn in (turns.nth(1), turns.nth(3)):
        expect(turn).to_contain_text("nlu_fallback")
        expect(turn).to_contain_text("Fallback")
    expect(turns.nth(2)).to_contain_text("pierre.moreau@example.fr")

    # Marks: the first message is about nothing we do, the second a change of contact data.
    for n, intent in ((1, "out_of_scope"), (2, "update_contact")):
        turn = page.locator("#review-turns tbody tr").nth(n)
        turn.get_by_label("Right intent").select_option(intent)
        turn.get_by_role("button", name="Mark").click()
        expect(page.get_by_role("status")).to_contain_text("Mark saved.")
        expect(page.locator("#review-turns tbody tr").nth(n)).to_contain_text(f"marked: {intent}")

    # The download is valid NLU data beside the training data, nothing personal in it.
    with page.expect_download() as download:
        page.locator(".actions").get_by_role("link", name=re.compile("Download")).click()
    data = tmp_path / "data"
    shutil.copytree(REPO_ROOT / "data", data)
    export = data / "nlu" / "review.yml"
    download.value.save_as(export)
    exported = export.read_text(encoding="utf-8")
    assert "pierre.moreau" not in exported
    assert "12345678" not in exported
    assert yaml.safe_load(exported)["nlu"] == [
        {"intent": "out_of_scope", "examples": f"- {FIRST}\n"},
        {"intent": "update_contact", "examples": f"- {SECOND_REDACTED}\n"},
    ]
    validated = rasa(
        "data", "validate", "--domain", "domain", "--data", str(data), "--fail-on-warnings"
    )
    assert validated.returncode == 0, validated.stdout[-3000:] + validated.stderr[-3000:]

    # The conversation as a test story: redacted, and the trained bot plays it as it went.
    page.get_by_role("button", name="Save as test story").click()
    saved = page.locator("#story-saved code")
    expect(saved).to_have_text(re.compile(r"^review_[0-9a-f]{12}\.yml$"))
    story = Path(live_stack.stack.env["ICBOT_REVIEW_STORIES_DIR"]) / saved.inner_text()
    told = story.read_text(encoding="utf-8")
    assert "pierre.moreau" not in told
    assert "12345678" not in told
    assert chat.conversation_id not in told
    played = rasa(
        "test",
        "core",
        "--model",
        str(DEFAULT_MODEL),
        "--stories",
        str(story),
        "--out",
        str(tmp_path / "core"),
        "--no-plot",
        "--fail-on-prediction-errors",
    )
    assert played.returncode == 0, told + played.stdout[-3000:] + played.stderr[-3000:]
