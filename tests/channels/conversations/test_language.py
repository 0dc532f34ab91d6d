"""A conversation's language: chosen at the first message, kept, switched on request, routed."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Callable
from typing import Any

import httpx
import pytest

from channels.conversations.language import (
    ConversationLanguages,
    known_language,
    number_language,
    rasa_metadata,
)
from channels.conversations.rasa_client import RasaClient
from channels.conversations.turn import take_turn
from crm_backend.errors import CrmUnavailable
from crm_backend.models import ConversationLanguage
from crm_backend.uow import SqlAlchemyUnitOfWork
from tests.channels.conftest import REST_WEBHOOK, FakeRasa
from tests.factories import make_account

UowFactory = Callable[[], SqlAlchemyUnitOfWork]
EN_URL, FR_URL = "http://rasa-en.test", "http://rasa-fr.test"
BOTH = ("en", "fr")
NUMBERS = {"+33412345678": "fr", "+442071234567": "en", "+32": "fr"}


@pytest.fixture
def languages(uow_factory: UowFactory) -> ConversationLanguages:
    return ConversationLanguages(uow_factory, spoken=lambda: BOTH, numbers=NUMBERS)


@pytest.fixture
async def two_rasas(
    fake_rasa: FakeRasa, languages: ConversationLanguages
) -> AsyncIterator[RasaClient]:
    """A client of an English and a French Rasa (one fake answering both)."""
    client = RasaClient({"en": [EN_URL], "fr": [FR_URL]}, transport=httpx.MockTransport(fake_rasa))
    client.use_languages(languages)
    yield client
    await client.aclose()


def stored(uow_factory: UowFactory) -> list[tuple[str, str, str, bool]]:
    with uow_factory() as uow:
        rows = uow.session.query(ConversationLanguage).order_by(ConversationLanguage.id)
        return [(r.conversation_id, r.language, r.chosen_by, r.account_checked) for r in rows]


async def say(client: RasaClient, uows: UowFactory, text: str, **metadata: Any) -> None:
    await take_turn(
        rasa=client,
        uow_factory=uows,
        conversation_id="web-c1",
        channel="web",
        text=text,
        metadata={"channel": "web", **metadata},
    )


def posted(fake: FakeRasa) -> list[tuple[str, str, str]]:
    """(server, text, metadata language) of each message posted, oldest first."""
    return [
        (
            f"{r.url.scheme}://{r.url.host}",
            json.loads(r.content)["message"],
            json.loads(r.content)["metadata"]["language"],
        )
        for r in fake.requests
        if r.url.path == REST_WEBHOOK
    ]


# --- the first message ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "metadata", "expected"),
    [
        pytest.param("hello", {}, ("en", "identifier"), id="identified-en"),
        pytest.param("je voudrais un devis", {}, ("fr", "identifier"), id="identified-fr"),
        pytest.param("3000", {}, ("en", "default"), id="unsure-default"),
        pytest.param("hello", {"language": "fr"}, ("fr", "page"), id="page-beats-identifier"),
        pytest.param("hello", {"language": "fr-FR"}, ("fr", "page"), id="browser-tag"),
        pytest.param(
            "bonjour", {"language": "en", "company_number": "+442071234567"}, ("en", "number")
        ),
        pytest.param("hello", {"company_number": "+32470123456"}, ("fr", "number"), id="prefix"),
        pytest.param("hello please", {"company_number": "+15550001111"}, ("en", "identifier")),
        pytest.param("in English please", {"language": "fr"}, ("en", "switch"), id="switch"),
    ],
)
async def test_the_first_message_chooses_in_order(languages, uow_factory, text, metadata, expected):
    choice = await languages.choose("web-c1", text, metadata)

    assert (choice.language, choice.chosen_by) == expected
    assert stored(uow_factory) == [("web-c1", *expected, False)]


async def test_the_callers_account_preference_comes_first(languages, uow_factory):
    with uow_factory() as uow:
        make_account(uow, phones=["+33612345678"]).preferred_language = "en"
        uow.commit()

    choice = await languages.choose(
        "sms-1",
        "bonjour je voudrais un devis",
        {"caller_phone": "+33612345678", "company_number": "+33412345678", "language": "fr"},
    )

    assert (choice.language, choice.chosen_by) == ("en", "account")


@pytest.mark.parametrize(
    "hint",
    [
        "de",
        "FR; DROP TABLE",
        "f" * 40,
        "fr-FR-x-very-long-tag-indeed-and-more-and-more",
        "",
        None,
        7,
        ["fr"],
        {"fr": 1},
        "fr\x00",
        "\u0066\u0072\u202e",
        "../fr",
    ],
)
async def test_a_page_language_icbot_does_not_speak_is_ignored_never_an_error(languages, hint):
    choice = await languages.choose("web-c1", "hello there", {"language": hint})

    assert (choice.language, choice.chosen_by) == ("en", "identifier")
    assert known_language(hint, BOTH) is None


def test_number_languages_take_the_longest_prefix():
    numbers = {"+33": "fr", "+3361": "en"}
    assert number_language("+33612345678", numbers) == "en"
    assert number_language("+33412345678", numbers) == "fr"
    assert number_language("+44", numbers) is None
    assert number_language(None, numbers) is None
    assert number_language("33612345678", numbers) is None


# --- later messages ------------------------------------------------------------------------


async def test_the_language_holds_until_the_customer_asks_for_another(languages, uow_factory):
    first = await languages.choose("web-c1", "je voudrais un devis", {})
    later = await languages.choose("web-c1", "I want the Eclipse 3000 please", {})
    switched = await languages.choose("web-c1", "in English please", {"language": "fr"})
    after = await languages.choose("web-c1", "je veux le nova", {})

    assert [(c.language, c.chosen_by) for c in (first, later, switched, after)] == [
        ("fr", "identifier"),
        ("fr", "identifier"),
        ("en", "switch"),
        ("en", "switch"),
    ]
    assert (later.changed, after.changed) == (False, False)
    assert stored(uow_factory) == [("web-c1", "en", "switch", False)]


async def test_a_default_language_gives_way_to_the_first_message_that_says_more(languages):
    unsure = await languages.choose("web-c1", "C-100001", {})
    clear = await languages.choose("web-c1", "bonjour je voudrais un devis", {})

    assert [(c.language, c.chosen_by) for c in (unsure, clear)] == [
        ("en", "default"),
        ("fr", "identifier"),
    ]


async def test_only_a_language_with_a_rasa_is_chosen(uow_factory):
    english_only = ConversationLanguages(uow_factory, spoken=lambda: ("en",))

    choice = await english_only.choose("web-c1", "en français svp", {"language": "fr"})

    assert (choice.language, choice.chosen_by) == ("en", "default")


async def test_a_crm_that_is_down_still_chooses_the_turns_language(caplog):
    def down() -> SqlAlchemyUnitOfWork:
        raise CrmUnavailable("database down")

    languages = ConversationLanguages(down, spoken=lambda: BOTH)

    choice = await languages.choose("web-c1", "en français svp", {})

    assert (choice.language, choice.chosen_by) == ("fr", "switch")
    assert await languages.language_of("web-c1") == "en"
    assert "not kept" in caplog.text


# --- the turn: routing and metadata ----------------------------------------------------------


async def test_each_message_goes_to_its_languages_rasa_with_the_language_in_its_metadata(
    two_rasas, fake_rasa, uow_factory
):
    await say(two_rasas, uow_factory, "hello, I need a laptop", language="fr-FR")
    await say(two_rasas, uow_factory, "in English please", language="de")
    await say(two_rasas, uow_factory, "en français s'il vous plaît")

    assert posted(fake_rasa) == [
        (FR_URL, "hello, I need a laptop", "fr"),
        (EN_URL, "in English please", "en"),
        (FR_URL, "en français s'il vous plaît", "fr"),
    ]
    assert [body["metadata"] for body in fake_rasa.sent] == [
        {"channel": "web", "language": "fr"},
        {"channel": "web", "language": "en"},
        {"channel": "web", "language": "fr"},
    ]
    assert await two_rasas.language_of("web-c1") == "fr"


async def test_the_other_calls_of_a_conversation_go_to_its_languages_rasa(
    two_rasas, fake_rasa, uow_factory
):
    await say(two_rasas, uow_factory, "bonjour, je voudrais un devis")
    fake_rasa.requests.clear()
    fake_rasa.respond = lambda _request: httpx.Response(200, json={})

    await two_rasas.pause("web-c1")
    await two_rasas.add_events("web-c1", [{"event": "resume"}], language="en")
    await two_rasas.tracker("web-c1")
    await two_rasas.parse("bonjour")
    await two_rasas.parse("bonjour", language="fr")

    assert [(r.url.host, r.url.path) for r in fake_rasa.requests] == [
        ("rasa-fr.test", "/conversations/web-c1/tracker/events"),
        ("rasa-en.test", "/conversations/web-c1/tracker/events"),
        ("rasa-fr.test", "/conversations/web-c1/tracker"),
        ("rasa-en.test", "/model/parse"),
        ("rasa-fr.test", "/model/parse"),
    ]


def test_a_clients_own_language_key_never_reaches_rasa():
    metadata = {"channel": "web", "language": "<script>", "company_number": "+33412345678"}

    assert rasa_metadata(metadata, "fr") == {"channel": "web", "language": "fr"}


# --- the identified account ------------------------------------------------------------------


def dialogue(account_id: str | None) -> dict[str, Any]:
    state = {"ended": False, "question": None, "account_id": account_id}
    return {"recipient_id": "web-c1", "custom": {"icbot": {"dialogue": state}}}


async def test_once_identified_the_accounts_preferred_language_holds_from_the_next_turn(
    two_rasas, fake_rasa, uow_factory
):
    with uow_factory() as uow:
        account = make_account(uow)
        account.preferred_language = "fr"
        uow.commit()
        account_id = account.id
    fake_rasa.replies = [{"recipient_id": "web-c1", "text": "Who are you?"}, dialogue(None)]
    await say(two_rasas, uow_factory, "hello I want to order")
    fake_rasa.replies = [{"recipient_id": "web-c1", "text": "Thanks"}, dialogue(str(account_id))]
    await say(two_rasas, uow_factory, "my postcode is 69002")
    fake_rasa.replies = []
    await say(two_rasas, uow_factory, "the Eclipse 3000")
    await say(two_rasas, uow_factory, "in English please")
    await say(two_rasas, uow_factory, "and the bag")

    assert [server for server, _, _ in posted(fake_rasa)] == [
        EN_URL,
        EN_URL,
        FR_URL,
        EN_URL,
        EN_URL,
    ]
    asked = [r.headers.get("X-Icbot-Dialogue-State") for r in fake_rasa.requests]
    assert asked == ["1", "1", None, None, None]  # asked until the account was known
    assert stored(uow_factory) == [("web-c1", "en", "switch", True)]


async def test_a_language_the_customer_asked_for_beats_the_accounts(
    two_rasas, fake_rasa, uow_factory
):
    with uow_factory() as uow:
        account = make_account(uow)
        account.preferred_language = "fr"
        uow.commit()
        account_id = account.id
    fake_rasa.replies = [dialogue(str(account_id))]
    await say(two_rasas, uow_factory, "english please")
    await say(two_rasas, uow_factory, "and the bag")

    assert [server for server, _, _ in posted(fake_rasa)] == [EN_URL, EN_URL]
    assert stored(uow_factory) == [("web-c1", "en", "switch", True)]


@pytest.mark.parametrize("junk", ["", "abc", "-1", "9" * 30, "1; drop", None])
async def test_an_account_id_that_is_no_id_changes_nothing(two_rasas, fake_rasa, uow_factory, junk):
    fake_rasa.replies = [dialogue(junk)]
    await say(two_rasas, uow_factory, "hello there")

    assert stored(uow_factory) == [("web-c1", "en", "identifier", False)]
