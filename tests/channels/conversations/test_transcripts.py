"""The transcript in the CRM: one write per speaker's messages, a door never failed by a CRM
that is down, and a bot message's buttons kept and read back through one conversion."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from sqlalchemy.orm import Session, sessionmaker

from channels.conversations.rasa_client import BotMessage, Button
from channels.conversations.transcripts import bot_payload, buttons_of, record, write
from crm_backend.errors import CrmUnavailable
from crm_backend.uow import SqlAlchemyUnitOfWork
from tests.channels.conftest import TranscriptRow

YES_NO = (Button(title="Yes", payload="/affirm"), Button(title="No", payload="/deny"))


def test_a_bot_messages_buttons_are_kept_and_read_back_as_they_were() -> None:
    payload = bot_payload(BotMessage(text="Is that you?", buttons=YES_NO))

    assert payload == {
        "buttons": [{"title": "Yes", "payload": "/affirm"}, {"title": "No", "payload": "/deny"}]
    }
    assert buttons_of(payload) == YES_NO
    assert bot_payload(BotMessage(text="Hello")) == {}


@pytest.mark.parametrize(
    ("payload", "buttons"),
    [
        pytest.param(None, (), id="no-payload"),
        pytest.param({"pushed": True}, (), id="no-buttons"),
        pytest.param(
            {"buttons": ["junk", {"title": "Yes"}]}, (Button(title="Yes", payload=""),), id="junk"
        ),
    ],
)
def test_buttons_read_from_any_payload_are_buttons_or_none(
    payload: dict[str, object] | None, buttons: tuple[Button, ...]
) -> None:
    assert buttons_of(payload) == buttons


async def test_a_door_writes_one_speakers_messages_in_order(
    uow_factory: Callable[[], SqlAlchemyUnitOfWork],
    transcript_rows: Callable[[], list[TranscriptRow]],
) -> None:
    await record(
        uow_factory,
        conversation_id="sms-+33612345678",
        channel="sms",
        role="system",
        texts=[("(no answer in time)", {}), ("second", {"pushed": True})],
    )

    assert transcript_rows() == [
        ("sms-+33612345678", "sms", "system", "(no answer in time)", {}),
        ("sms-+33612345678", "sms", "system", "second", {"pushed": True}),
    ]


async def test_with_the_crm_down_a_door_goes_on_and_a_worker_thread_is_told(
    down_database: sessionmaker[Session], caplog: pytest.LogCaptureFixture
) -> None:
    uows = lambda: SqlAlchemyUnitOfWork(down_database)  # noqa: E731
    entry = {"conversation_id": "web-c1", "channel": "web", "role": "customer"}

    await record(uows, **entry, texts=[("hello", {})])
    with pytest.raises(CrmUnavailable):
        write(uows, **entry, texts=[("hello", {})])

    assert [(r.levelname, r.getMessage()) for r in caplog.records] == [
        ("ERROR", "transcript not written for web-c1 (customer): 1 text(s) lost")
    ]
