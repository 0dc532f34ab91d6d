"""The web chat page at ``/`` and the files it loads from ``/static``."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest
from fastapi.testclient import TestClient

from channels.chat.web_page import WEB_DIR, page


class _Assets(HTMLParser):
    """Collects the stylesheets and scripts a page loads."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "link" and found.get("rel") == "stylesheet" and found.get("href"):
            self.urls.append(str(found["href"]))
        if tag == "script" and found.get("src"):
            self.urls.append(str(found["src"]))


def test_the_chat_page_is_the_html_file(gateway: TestClient) -> None:
    response = gateway.get("/")

    assert (response.status_code, response.headers["content-type"]) == (
        200,
        "text/html; charset=utf-8",
    )
    assert response.text == page("en")


def test_every_file_the_page_loads_is_served(gateway: TestClient) -> None:
    page = _Assets()
    page.feed(gateway.get("/").text)

    assert page.urls == ["/static/chat.css", "/static/chat.js"]
    for url in page.urls:
        response = gateway.get(url)
        assert (url, response.status_code) == (url, 200)
        assert response.content == (WEB_DIR / url.removeprefix("/static/")).read_bytes()


@pytest.mark.parametrize(
    ("url", "media_types"),
    [
        pytest.param("/static/chat.css", {"text/css"}, id="css"),
        # Which of the two depends on the machine's mimetypes table.
        pytest.param("/static/chat.js", {"text/javascript", "application/javascript"}, id="js"),
    ],
)
def test_static_files_have_their_media_type(
    url: str, media_types: set[str], gateway: TestClient
) -> None:
    content_type = gateway.get(url).headers["content-type"]

    assert content_type.split(";")[0] in media_types


@pytest.mark.parametrize(
    "url",
    [
        pytest.param("/static/missing.js", id="missing"),
        pytest.param("/static/..%2Fweb_page.py", id="escaped-parent"),
        pytest.param("/static/%2e%2e/web_page.py", id="dot-dot"),
    ],
)
def test_nothing_outside_the_web_folder_is_served(url: str, gateway: TestClient) -> None:
    assert gateway.get(url).status_code == 404


def test_the_page_is_not_part_of_the_api_documentation(gateway: TestClient) -> None:
    paths = gateway.get("/openapi.json").json()["paths"]

    assert "/" not in paths
