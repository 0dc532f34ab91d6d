"""One turn of a conversation: the transcript around the bot, the polite fallback when the
bot is down, and a conversation that goes on when the transcript cannot be written."""

from __future__ import annotations

from collections.abc import Callable

import httpx
import pytest
from sqlalchemy.orm import Session, sessionmaker

from channels.conversations.apology import CHAT as FALLBACK_TEXT
from channels.conversations.rasa_client import BotMessage, Button, RasaClient
from channels.conversations.turn import Turn, take_turn
from crm_backend.uow import SqlAlchemyUnitOfWork
from tests.channels.conftest import REST_WEBHOOK, FakeRasa, TranscriptRow

UowFactory = Callable[[], SqlAlchemyUnitOfWork]
ReadTranscript = Callable[[], list[TranscriptRow]]

CALL_BACK_BUTTONS = (
    Button(title="Yes, call me back", payload="/request_human"),
    Button(title="I'll try again later", payload="/goodbye"),
)
FALLBACK = Turn(messages=[BotMessage(text=FALLBACK_TEXT, buttons=CALL_BACK_BUTTONS)], degraded=True)


# A turn logs through its own logger and the transcript's, which writes for it.
TURN_LOGGERS = ("channels.conversations.turn", "channels.conversations.transcripts")


def _log_of_turns(caplog: pytest.LogCaptureFixture) -> list[tuple[str, str, bool]]:
    return [
        (r.levelname, r.getMessage(), r.exc_info is not None)
        for r in caplog.records
        if r.name in TURN_LOGGERS
    ]


async def test_customer_and_bot_messages_are_kept_in_order_with_buttons(
    rasa_client: RasaClient,
    fake_rasa: FakeRasa,
    uow_factory: UowFactory,
    transcript_rows: ReadTranscript,
) -> None:
    fake_rasa.replies = [
        {"recipient_id": "web-c1", "text": "Hello!"},
        {
            "recipient_id": "web-c1",
            "text": "Which one?",
            "buttons": [
                {"title": "Éclipse 3000", "payload": "/choose_eclipse"},
                {"title": "Another one", "payload": "/choose_other"},
            ],
        },
    ]

    turn = await take_turn(
        rasa=rasa_client,
        uow_factory=uow_factory,
        conversation_id="web-c1",
        channel="web",
        text="I need a laptop",
        metadata={"channel": "web"},
    )

    assert turn == Turn(
        messages=[
            BotMessage(text="Hello!"),
            BotMessage(
                text="Which one?",
                buttons=(
                    Button(title="Éclipse 3000", payload="/choose_eclipse"),
                    Button(title="Another one", payload="/choose_other"),
                ),
            ),
        ]
    )
    assert fake_rasa.sent == [
        {
            "sender": "web-c1",
            "message": "I need a laptop",
            "metadata": {"language": "en", "channel": "web"},
        }
    ]
    assert transcript_rows() == [
        ("web-c1", "web", "customer", "I need a laptop", {}),
        ("web-c1", "web", "bot", "Hello!", {}),
        (
            "web-c1",
            "web",
            "bot",
            "Which one?",
            {
                "buttons": [
                    {"title": "Éclipse 3000", "payload": "/choose_eclipse"},
                    {"title": "Another one", "payload": "/choose_other"},
                ]
            },
        ),
    ]


async def test_the_customer_message_is_kept_before_the_bot_is_asked(
    rasa_client: RasaClient,
    fake_rasa: FakeRasa,
    uow_factory: UowFactory,
    transcript_rows: ReadTranscript,
) -> None:
    seen_by_rasa: list[list[TranscriptRow]] = []

    def answer(_request: httpx.Request) -> httpx.Response:
        seen_by_rasa.append(transcript_rows())
        return httpx.Response(200, json=[{"text": "Noted."}])

    fake_rasa.respond = answer

    await take_turn(
        rasa=rasa_client,
        uow_factory=uow_factory,
        conversation_id="sms-c2",
        channel="sms",
        text="hello",
        metadata={"channel": "sms"},
    )

    assert seen_by_rasa == [[("sms-c2", "sms", "customer", "hello", {})]]
    assert transcript_rows() == [
        ("sms-c2", "sms", "customer", "hello", {}),
        ("sms-c2", "sms", "bot", "Noted.", {}),
    ]


async def test_a_bot_that_says_nothing_adds_nothing_to_the_transcript(
    rasa_client: RasaClient, uow_factory: UowFactory, transcript_rows: ReadTranscript
) -> None:
    turn = await take_turn(
        rasa=rasa_client,
        uow_factory=uow_factory,
        conversation_id="web-c3",
        channel="web",
        text="ok",
        metadata={"channel": "web"},
    )

    assert turn == Turn(messages=[])
    assert transcript_rows() == [("web-c3", "web", "customer", "ok", {})]


def _refuse(_request: httpx.Request) -> httpx.Response:
    raise httpx.ConnectError("All connection attempts failed")


def _time_out(_request: httpx.Request) -> httpx.Response:
    raise httpx.ReadTimeout("timed out")


def _fail(_request: httpx.Request) -> httpx.Response:
    return httpx.Response(500, text="Traceback (most recent call last): ...")


def _answer_an_object(_request: httpx.Request) -> httpx.Response:
    return httpx.Response(200, json={"status": "failure"})


BOT_DOWN = [
    pytest.param(_refuse, id="connect-error"),
    pytest.param(_time_out, id="timeout"),
    pytest.param(_fail, id="http-500"),
    pytest.param(_answer_an_object, id="not-a-list"),
]


@pytest.mark.parametrize("respond", BOT_DOWN)
async def test_a_bot_that_is_down_gets_the_polite_fallback_and_a_system_entry(
    respond: Callable[[httpx.Request], httpx.Response],
    rasa_client: RasaClient,
    fake_rasa: FakeRasa,
    uow_factory: UowFactory,
    transcript_rows: ReadTranscript,
    caplog: pytest.LogCaptureFixture,
) -> None:
    fake_rasa.respond = respond

    turn = await take_turn(
        rasa=rasa_client,
        uow_factory=uow_factory,
        conversation_id="web-c4",
        channel="web",
        text="where is my order?",
        metadata={"channel": "web"},
    )

    assert turn == FALLBACK
    assert [r.url.path for r in fake_rasa.requests] == [REST_WEBHOOK]
    assert transcript_rows() == [
        ("web-c4", "web", "customer", "where is my order?", {}),
        ("web-c4", "web", "system", FALLBACK_TEXT, {}),
    ]
    # The developer finds the reason, with its stack trace, in the log.
    assert _log_of_turns(caplog) == [("ERROR", "bot unavailable for conversation web-c4", True)]


async def test_a_database_that_is_down_does_not_stop_the_conversation(
    rasa_client: RasaClient,
    fake_rasa: FakeRasa,
    down_database: sessionmaker[Session],
    caplog: pytest.LogCaptureFixture,
) -> None:
    fake_rasa.replies = [{"text": "Hello!", "buttons": [{"title": "Hi", "payload": "/greet"}]}]

    turn = await take_turn(
        rasa=rasa_client,
        uow_factory=lambda: SqlAlchemyUnitOfWork(down_database),
        conversation_id="web-c5",
        channel="web",
        text="hello",
        metadata={"channel": "web"},
    )

    assert turn == Turn(
        messages=[BotMessage(text="Hello!", buttons=(Button(title="Hi", payload="/greet"),))]
    )
    assert fake_rasa.sent == [
        {"sender": "web-c5", "message": "hello", "metadata": {"language": "en", "channel": "web"}}
    ]
    # The log says what the transcript lost, not what was said (no message texts in logs).
    assert _log_of_turns(caplog) == [
        ("ERROR", "transcript not written for web-c5 (customer): 1 text(s) lost", True),
        ("ERROR", "handoff state of web-c5 unknown: the bot answers", True),
        ("ERROR", "transcript not written for web-c5 (bot): 1 text(s) lost", True),
    ]


async def test_with_both_the_database_and_the_bot_down_the_customer_still_gets_the_fallback(
    rasa_client: RasaClient,
    fake_rasa: FakeRasa,
    down_database: sessionmaker[Session],
    caplog: pytest.LogCaptureFixture,
) -> None:
    fake_rasa.respond = _refuse

    turn = await take_turn(
        rasa=rasa_client,
        uow_factory=lambda: SqlAlchemyUnitOfWork(down_database),
        conversation_id="web-c6",
        channel="web",
        text="hello",
        metadata={"channel": "web"},
    )

    assert turn == FALLBACK
    assert _log_of_turns(caplog) == [
        ("ERROR", "transcript not written for web-c6 (customer): 1 text(s) lost", True),
        ("ERROR", "handoff state of web-c6 unknown: the bot answers", True),
        ("ERROR", "bot unavailable for conversation web-c6", True),
        ("ERROR", "transcript not written for web-c6 (system): 1 text(s) lost", True),
    ]
