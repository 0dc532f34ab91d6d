"""Handoff to a person and the agent desk, on the real stack, in a real browser.

Pierre Moreau asks for a person in the web chat page; an agent logged in at
``/desk`` sees the conversation appear in the queue without reloading, takes
it, sees the transcript and Pierre's CRM context, and answers; Pierre's page
shows the answer without reloading; the agent adds a note and a wrap-up code
and hands back; the bot answers Pierre again. Around it: the desk refuses
strangers, forms without their CSRF token and an agent at the manager's
view; a customer's ``<script>`` is text in the desk; while handed off the bot
says nothing (the chat API's answer and Rasa's tracker); of two agents
taking the same conversation at once exactly one gets it. And the same
handoff by SMS: the customer's texts reach the desk, not the paused bot.
(The agent's SMS answers go out through the outbound Twilio client, which
cannot reach Twilio here: tests/channels/desk/test_agent_desk.py proves that part on
a fake Twilio API.)

Screenshots of the pages of a failed test are kept in ``results/e2e/``.
"""

from __future__ import annotations

import contextlib
import re
import secrets
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect
from playwright.sync_api import Error as PlaywrightError

from channels.twilio.security import twilio_auth_token
from channels.twilio.simulator import SignedPoster, TwilioTexter
from crm_backend.errors import Conflict
from crm_backend.services import agents
from crm_backend.settings import CrmSettings
from crm_backend.uow import SqlAlchemyUnitOfWork
from launcher.stack import REPO_ROOT

from .conftest import Chat, LiveStack, rasa_tracker

ARTIFACTS = REPO_ROOT / "results" / "e2e"
PASSWORD = "e2e desk password"
STAFF = {"e2e-anna": "agent", "e2e-ben": "agent", "e2e-boss": "manager"}
BOT = 30_000  # ms: a turn of the real bot, a model loaded on two cores
LIVE = 10_000  # ms: a live update (the streams look every second)


def desk_user(
    live: LiveStack, username: str, *, role: str, display_name: str, password: str = PASSWORD
) -> str:
    """A desk login in the stack's CRM, made by the first module that needs it."""
    with SqlAlchemyUnitOfWork(live.sessions) as uow:
        try:
            agents.create_agent(
                uow, username=username, password=password, display_name=display_name, role=role
            )
            uow.commit()
        except Conflict:
            pass  # made by an earlier module of this session
    return username


@pytest.fixture(scope="module")
def staff(live_stack: LiveStack) -> dict[str, str]:
    """Two agents and a manager in the stack's CRM (made once; they change nothing else)."""
    for username, role in STAFF.items():
        desk_user(
            live_stack, username, role=role, display_name=username.removeprefix("e2e-").title()
        )
    return STAFF


@pytest.fixture
def contexts(browser: Browser) -> Iterator[list[BrowserContext]]:
    """Browser contexts (separate cookies) a test opens; closed after it."""
    opened: list[BrowserContext] = []
    yield opened
    for context in opened:
        context.close()


def new_page(browser: Browser, contexts: list[BrowserContext]) -> Page:
    context = browser.new_context()
    contexts.append(context)
    page = context.new_page()
    # A customer's markup must never run in anybody's page.
    page.on("dialog", lambda dialog: pytest.fail(f"a dialog opened: {dialog.message}"))
    return page


@contextmanager
def screenshots_on_failure(name: str, pages: dict[str, Page]) -> Iterator[None]:
    """Keep a screenshot of every page when the block fails."""
    try:
        yield
    except BaseException:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        for role, page in pages.items():
            # A screenshot that fails must not hide the real failure.
            with contextlib.suppress(PlaywrightError):
                page.screenshot(path=str(ARTIFACTS / f"{name}-{role}.png"), full_page=True)
        raise


def log_in(page: Page, base: str, username: str) -> None:
    page.goto(f"{base}/desk")
    expect(page).to_have_url(re.compile(r"/desk/login\?next=/desk$"))
    page.get_by_label("User name").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page).to_have_url(f"{base}/desk")


def send(page: Page, text: str) -> None:
    page.get_by_label("Your message").fill(text)
    page.get_by_role("button", name="Send").click()


def bot_lines(page: Page) -> int:
    return page.locator(".msg--bot").count()


def identify_as_pierre(page: Page) -> None:
    log = page.get_by_role("log")
    send(page, "My email is pierre.moreau@example.fr")
    expect(log.locator(".msg--bot").last).to_contain_text("postcode", timeout=BOT)
    send(page, "69002")
    expect(log.locator(".msg--bot").last).to_contain_text("Pierre Moreau", timeout=BOT)
    shown = bot_lines(page)
    log.locator(".msg--bot").last.get_by_role("button").filter(has_text="Yes").first.click()
    expect(log.locator(".msg--bot")).not_to_have_count(shown, timeout=BOT)


def test_a_web_customer_talks_to_an_agent_and_back_to_the_bot(
    live_stack: LiveStack, staff: dict[str, str], browser: Browser, contexts: list[BrowserContext]
) -> None:
    base = live_stack.url
    agent, customer = new_page(browser, contexts), new_page(browser, contexts)
    with screenshots_on_failure("web-handoff", {"agent": agent, "customer": customer}):
        log_in(agent, base, "e2e-anna")
        queue = agent.locator("#queue tbody")

        customer.goto(f"{base}/")
        identify_as_pierre(customer)
        send(customer, "can I speak to a person?")
        expect(customer.locator(".msg--bot").last).to_contain_text("adviser", timeout=BOT)
        expect(customer.locator("#handoff")).to_be_visible()
        sender = "web-" + customer.evaluate("sessionStorage.getItem('icbot.conversation')")

        # The queue shows it without a reload.
        row = queue.locator("tr", has_text="Pierre Moreau (C-100001)")
        expect(row).to_contain_text("Asked for a person", timeout=LIVE)
        expect(row).to_contain_text("Web chat")
        row.get_by_role("button", name="Take").click()

        expect(agent).to_have_url(re.compile(r"/desk/handoffs/\d+"))
        transcript = agent.locator("#transcript")
        expect(transcript).to_contain_text("My email is pierre.moreau@example.fr")
        expect(transcript).to_contain_text("can I speak to a person?")
        customer_panel = agent.locator("#customer")
        expect(customer_panel).to_contain_text("C-100001")
        expect(customer_panel).to_contain_text("pierre.moreau@example.fr")
        expect(agent.locator("aside")).to_contain_text("Owned products")
        expect(agent.locator("#slots")).to_contain_text("Pierre Moreau")
        expect(customer.locator(".msg--system").last).to_contain_text(
            "Anna from our team has joined", timeout=LIVE
        )

        # Markup from the customer is text in the desk, live.
        silent_before = bot_lines(customer)
        send(customer, "<script>alert(1)</script>")
        line = transcript.locator(".line--customer").last
        expect(line).to_contain_text("<script>alert(1)</script>", timeout=LIVE)
        assert transcript.locator("script").count() == 0
        # While the agent has it, the bot said nothing, and Rasa never heard it.
        customer.wait_for_timeout(1500)
        assert bot_lines(customer) == silent_before
        paused = rasa_tracker(live_stack, sender)
        assert paused["paused"] is True
        assert "<script>alert(1)</script>" not in [e.get("text") for e in paused["events"]]

        # The agent's answer reaches the page without a reload.
        agent.get_by_label(re.compile("Reply to the customer")).fill(
            "Hello Pierre, this is Anna. How can I help?"
        )
        agent.get_by_role("button", name="Send").click()
        answer = customer.locator(".msg--agent").last
        expect(answer).to_contain_text("Hello Pierre, this is Anna. How can I help?", timeout=LIVE)
        expect(answer).to_contain_text("Anna")

        agent.get_by_label("Add a note").fill("Wants to know about the warranty")
        agent.get_by_role("button", name="Save note").click()
        expect(agent.locator("#notes")).to_contain_text("Wants to know about the warranty")
        agent.get_by_label("Wrap-up code").select_option("resolved")
        agent.get_by_label("Summary").fill("Explained the warranty")
        agent.get_by_role("button", name="Hand back to the bot").click()
        expect(agent).to_have_url(f"{base}/desk?notice=handed_back")

        # The bot has the conversation again, with its context.
        expect(customer.locator(".msg--bot").last).to_have_text(
            "Assistant: Is there anything else I can help you with?", timeout=LIVE
        )
        expect(customer.locator("#handoff")).to_be_hidden()
        assert rasa_tracker(live_stack, sender)["paused"] is False
        send(customer, "No, that's all")
        # The goodbye (the satisfaction question may follow it).
        goodbye = customer.locator(".msg--bot").filter(has_text="Goodbye")
        expect(goodbye.last).to_be_visible(timeout=BOT)


def test_while_handed_off_the_bot_says_nothing(
    live_stack: LiveStack, staff: dict[str, str]
) -> None:
    with Chat(live_stack.url) as chat:
        conversation = chat.conversation_id
        chat.say("I'd like to speak with someone")
        assert chat.replies[-1]["handed_off"] is True

        chat.say("hello? is anybody there?")
        chat.say("my order is late")

        assert [r["messages"] for r in chat.replies[1:]] == [[], []]
        assert [r["handed_off"] for r in chat.replies[1:]] == [True, True]
        seen = rasa_tracker(live_stack, f"web-{conversation}")
        assert seen["paused"] is True
        said = [e.get("text") for e in seen["events"] if e.get("event") == "user"]
        assert said[-1] == "I'd like to speak with someone"
        # "Never mind" while waiting: back to the bot, which answers.
        chat.say("never mind")
        assert chat.replies[-1]["handed_off"] is False
        assert chat.replies[-1]["messages"], chat.replies[-1]
        assert rasa_tracker(live_stack, f"web-{conversation}")["paused"] is False


def test_the_desk_refuses_strangers_forms_without_token_and_agents_at_the_managers_view(
    live_stack: LiveStack, staff: dict[str, str], browser: Browser, contexts: list[BrowserContext]
) -> None:
    base = live_stack.url
    stranger, agent = new_page(browser, contexts), new_page(browser, contexts)
    with screenshots_on_failure("desk-refusals", {"stranger": stranger, "agent": agent}):
        stranger.goto(f"{base}/desk/manager")
        expect(stranger).to_have_url(re.compile(r"/desk/login\?next=/desk/manager"))
        assert stranger.request.get(f"{base}/desk/api/queue").status == 401

        log_in(agent, base, "e2e-ben")
        assert agent.goto(f"{base}/desk/manager").status == 403
        forged = agent.request.post(
            f"{base}/desk/logout", form={"csrf_token": "forged"}, max_redirects=0
        )
        assert forged.status == 403
        assert agent.request.get(f"{base}/desk/api/queue").status == 200


def test_the_manager_sees_the_figures(
    live_stack: LiveStack, staff: dict[str, str], browser: Browser, contexts: list[BrowserContext]
) -> None:
    manager = new_page(browser, contexts)
    with screenshots_on_failure("manager", {"manager": manager}):
        log_in(manager, live_stack.url, "e2e-boss")
        manager.goto(f"{live_stack.url}/desk/manager")

        expect(manager.get_by_role("heading", name="The desk at a glance")).to_be_visible()
        expect(manager.locator("svg.chart rect").first).to_be_attached()
        expect(manager.locator("#containment")).to_have_text(re.compile(r"^\d+%$"))


def desk_client(live: LiveStack, username: str) -> httpx.Client:
    client = httpx.Client(base_url=live.url, timeout=30)
    login = client.get("/desk/login")
    token = re.search(r'name="csrf_token" value="([^"]+)"', login.text)
    assert token is not None
    client.post(
        "/desk/login",
        data={"username": username, "password": PASSWORD, "csrf_token": token.group(1)},
    )
    return client


def test_two_agents_taking_the_same_conversation_at_once_one_gets_it(
    live_stack: LiveStack, staff: dict[str, str]
) -> None:
    anna, ben = desk_client(live_stack, "e2e-anna"), desk_client(live_stack, "e2e-ben")
    with Chat(live_stack.url) as chat:
        chat.say("I'd like to speak with someone")
    page = anna.get("/desk").text
    [handoff_id] = re.findall(r'data-id="(\d+)" data-status="waiting"', page)[-1:]
    start = threading.Barrier(2)
    outcomes: dict[str, str] = {}

    def take(name: str, client: httpx.Client) -> None:
        token = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/desk").text)
        assert token is not None
        start.wait(timeout=30)
        response = client.post(
            f"/desk/handoffs/{handoff_id}/take", data={"csrf_token": token.group(1)}
        )
        outcomes[name] = response.headers.get("location", str(response.status_code))

    threads = [threading.Thread(target=take, args=item) for item in (("anna", anna), ("ben", ben))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    winners = [
        n for n, where in outcomes.items() if where.startswith(f"/desk/handoffs/{handoff_id}")
    ]
    losers = [n for n, where in outcomes.items() if where == "/desk?notice=taken"]
    assert (len(winners), len(losers)) == (1, 1), outcomes
    # Leave the stack as it was: the winner closes the conversation (Rasa resumes it).
    winner = {"anna": anna, "ben": ben}[winners[0]]
    token = re.search(r'name="csrf_token" value="([^"]+)"', winner.get("/desk").text)
    assert token is not None
    closed = winner.post(
        f"/desk/handoffs/{handoff_id}/finish",
        data={"csrf_token": token.group(1), "action": "close", "wrap_up_code": "no_action"},
    )
    assert closed.headers["location"] == "/desk?notice=closed"
    anna.close()
    ben.close()


# --- the same by SMS -------------------------------------------------------------------

QUEUED_BY_SMS = "I'm passing you to an adviser, who will text you here."


def texter(live: LiveStack) -> TwilioTexter:
    """A stranger's phone (a number of its own each run), signing as Twilio does."""
    env = live.stack.env
    var_dir = CrmSettings.from_env(dict(env)).var_dir
    token = twilio_auth_token(configured=env.get("TWILIO_AUTH_TOKEN"), var_dir=Path(var_dir))
    poster = SignedPoster(
        httpx.Client(timeout=30),
        public_url=env.get("ICBOT_PUBLIC_URL", "http://localhost:8000"),
        auth_token=token,
        gateway_url=live.url,
    )
    return TwilioTexter(poster, sender=f"+336{secrets.randbelow(10**8):08d}")


def csrf(client: httpx.Client, path: str) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', client.get(path).text)
    assert found is not None
    return found.group(1)


def test_an_sms_customer_reaches_an_agent_and_comes_back_to_the_bot(
    live_stack: LiveStack, staff: dict[str, str]
) -> None:
    phone = texter(live_stack)
    sender = f"sms-{phone.sender}"
    agent = desk_client(live_stack, "e2e-anna")

    asked = phone.send("I'd like to speak with someone")
    queue: list[dict[str, Any]] = agent.get("/desk/api/queue").json()
    [row] = [r for r in queue if r["conversation_id"] == sender]
    taken = agent.post(
        f"/desk/handoffs/{row['id']}/take", data={"csrf_token": csrf(agent, "/desk")}
    )
    answered = phone.send("My bag arrived torn, can you send a new one?")
    lines = agent.get(f"/desk/api/handoffs/{row['id']}/transcript").json()["lines"]
    paused = rasa_tracker(live_stack, sender)
    agent.post(
        f"/desk/handoffs/{row['id']}/finish",
        data={
            "csrf_token": csrf(agent, f"/desk/handoffs/{row['id']}"),
            "action": "hand_back",
            "wrap_up_code": "resolved",
            "summary": "New bag sent",
        },
    )
    after = phone.send("no thanks, bye")

    assert asked[0].startswith(QUEUED_BY_SMS), asked
    assert (row["channel"], row["status"]) == ("sms", "waiting")
    assert taken.headers["location"].startswith(f"/desk/handoffs/{row['id']}")
    # The customer's text went to the desk; the bot, paused, neither heard nor answered it.
    assert answered == []
    assert ("customer", "My bag arrived torn, can you send a new one?") in [
        (line["role"], line["text"]) for line in lines
    ]
    assert paused["paused"] is True
    assert "My bag arrived torn, can you send a new one?" not in [
        e.get("text") for e in paused["events"]
    ]
    # Handed back: the bot answers texts again.
    assert rasa_tracker(live_stack, sender)["paused"] is False
    assert len(after) == 1, after
    assert "Goodbye" in after[0], after
    agent.close()
