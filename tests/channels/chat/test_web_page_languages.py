"""The web chat page speaks the browser's language, and carries every language's texts."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser

import pytest
from fastapi.testclient import TestClient

from channels.chat.web_page import HEADERS, TEMPLATE, page, preferred_language
from channels.chat.web_texts import EN, FR, TEXTS
from channels.conversation_language import SUPPORTED


class _Page(HTMLParser):
    """The page's language, its texts by key, and its JSON data block."""

    def __init__(self) -> None:
        super().__init__()
        self.lang: str | None = None
        self.texts: dict[str, str] = {}
        self.placeholder: str | None = None
        self.data = ""
        self._key: str | None = None
        self._in_data = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "html":
            self.lang = found.get("lang")
        self._key = found.get("data-text")
        if found.get("data-text-placeholder"):
            self.placeholder = found.get("placeholder")
        self._in_data = tag == "script" and found.get("id") == "chat-texts"

    def handle_data(self, data: str) -> None:
        if self._key:
            self.texts[self._key] = self.texts.get(self._key, "") + data
        if self._in_data:
            self.data += data

    def handle_endtag(self, tag: str) -> None:
        self._key = None
        self._in_data = False


def _read(html: str) -> _Page:
    parsed = _Page()
    parsed.feed(html)
    return parsed


def test_every_language_has_every_text() -> None:
    assert set(TEXTS) == set(SUPPORTED)
    for language, table in TEXTS.items():
        assert (language, sorted(table)) == (language, sorted(EN))
        assert all(value.strip() for value in table.values()), language
        # The same {names} to fill in, so the page's script fills them in every language.
        for key, value in table.items():
            assert re.findall(r"\{\w+\}", value) == re.findall(r"\{\w+\}", EN[key]), key


def test_the_template_names_only_known_texts() -> None:
    names = set(re.findall(r"\$(\w+)", TEMPLATE.read_text(encoding="utf-8")))
    keys = set(re.findall(r'data-text(?:-[a-z-]+)?="(\w+)"', TEMPLATE.read_text(encoding="utf-8")))

    assert names - {"lang", "texts_json"} <= set(EN)
    assert keys <= set(EN)


@pytest.mark.parametrize(("language", "table"), [("en", EN), ("fr", FR)])
def test_the_page_is_written_in_its_language(language: str, table: dict[str, str]) -> None:
    parsed = _read(page(language))

    assert parsed.lang == language
    assert {key: parsed.texts[key] for key in ("title", "heading", "hint", "send")} == {
        key: table[key] for key in ("title", "heading", "hint", "send")
    }
    assert parsed.placeholder == table["placeholder"]
    assert json.loads(parsed.data) == TEXTS


@pytest.mark.parametrize(
    ("header", "language"),
    [
        pytest.param("fr-FR,fr;q=0.9,en-US;q=0.8,en;q=0.7", "fr", id="french-browser"),
        pytest.param("en-GB,en;q=0.9,fr;q=0.8", "en", id="english-first"),
        pytest.param("de-DE,de;q=0.9,fr;q=0.5", "fr", id="first-we-speak"),
        pytest.param("en;q=0.2, fr-CA;q=0.9", "fr", id="by-weight-not-order"),
        pytest.param("FR", "fr", id="upper-case"),
        pytest.param("de, it", "en", id="none-we-speak"),
        pytest.param("fr;q=0", "en", id="refused"),
        pytest.param("*", "en", id="anything"),
        pytest.param(None, "en", id="absent"),
        pytest.param("", "en", id="empty"),
    ],
)
def test_the_browser_language_is_read_from_accept_language(
    header: str | None, language: str
) -> None:
    assert preferred_language(header) == language


@pytest.mark.parametrize(
    "header",
    [
        pytest.param("fr;q=abc", id="q-not-a-number"),
        pytest.param("fr;q=1.2.3", id="q-two-points"),
        pytest.param("fr;q=7", id="q-above-one"),
        pytest.param("fr;q=-1", id="q-negative"),
        pytest.param("<script>alert(1)</script>", id="markup"),
        pytest.param("fr\u0000", id="nul"),
        pytest.param("x" * 100_000 + ",fr", id="huge"),
        pytest.param("," * 10_000 + "fr", id="many-empty-ranges"),
        pytest.param("de," * 50 + "fr", id="past-the-ranges-read"),
        pytest.param("fr-" + "a" * 50, id="overlong-subtag"),
        pytest.param("français", id="not-a-tag"),
    ],
)
def test_a_malformed_accept_language_gives_the_default(header: str) -> None:
    assert preferred_language(header) == "en"


def test_the_gateway_serves_the_page_in_the_browser_language(gateway: TestClient) -> None:
    response = gateway.get("/", headers={"Accept-Language": "fr-FR,fr;q=0.9,en;q=0.8"})

    assert response.status_code == 200
    assert response.text == page("fr")
    assert response.headers["content-language"] == "fr"
    assert response.headers["vary"] == "Accept-Language"


@pytest.mark.parametrize(
    "header",
    [b"<script>", b"fr;q=" + b"9" * 2000, "\u00e9t\u00e9".encode(), b"a" * 8000, b"\xff\xfe"],
)
def test_a_hostile_accept_language_still_gets_the_english_page(
    header: bytes, gateway: TestClient
) -> None:
    response = gateway.get("/", headers={"Accept-Language": header})

    assert (response.status_code, response.text) == (200, page("en"))


def test_the_page_runs_nothing_but_its_own_files(gateway: TestClient) -> None:
    headers = gateway.get("/").headers

    policy = {
        part.split()[0]: part.split()[1:]
        for part in headers["content-security-policy"].split(";")
        if part.strip()
    }
    assert policy["script-src"] == ["'self'"]
    assert policy["default-src"] == ["'self'"]
    assert headers["content-security-policy"] == HEADERS["Content-Security-Policy"]


def test_no_text_can_close_the_data_block() -> None:
    assert "</script" not in page("fr").split('id="chat-texts">', 1)[1].split("</script>", 1)[0]


def test_the_template_is_not_served_as_a_static_file(gateway: TestClient) -> None:
    assert gateway.get("/static/web_page.html").status_code == 404
    assert gateway.get("/static/index.html").status_code == 404
