"""``/docs`` and ``/redoc``: FastAPI's pages, every file from the gateway, under a strict CSP.

The browser proves they render offline (tests/e2e/test_api_docs.py); here,
what the pages ask for and what the gateway answers.
"""

from __future__ import annotations

import base64
import hashlib
import re
from html.parser import HTMLParser

import pytest
from fastapi.testclient import TestClient

from channels.api_docs import ASSETS_DIR


class _Loads(HTMLParser):
    """The URLs a page loads (scripts, stylesheets, icons) and its inline scripts."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []
        self.inline: list[str] = []
        self._in_inline_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "link" and found.get("href"):
            self.urls.append(str(found["href"]))
        if tag == "script":
            if found.get("src"):
                self.urls.append(str(found["src"]))
            else:
                self._in_inline_script = True
                self.inline.append("")

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._in_inline_script = False

    def handle_data(self, data: str) -> None:
        if self._in_inline_script:
            self.inline[-1] += data


def loads(gateway: TestClient, path: str) -> _Loads:
    response = gateway.get(path)
    assert (path, response.status_code) == (path, 200)
    page = _Loads()
    page.feed(response.text)
    return page


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        pytest.param(
            "/docs",
            [
                "/docs-assets/swagger-ui.css",
                "/docs-assets/favicon.png",
                "/docs-assets/swagger-ui-bundle.js",
            ],
            id="swagger-ui",
        ),
        pytest.param(
            "/redoc", ["/docs-assets/favicon.png", "/docs-assets/redoc.standalone.js"], id="redoc"
        ),
    ],
)
def test_the_docs_pages_load_only_the_gateways_own_files(
    gateway: TestClient, path: str, expected: list[str]
) -> None:
    page = loads(gateway, path)

    # FastAPI's own pages ask a CDN, Google's fonts and FastAPI's site.
    assert page.urls == expected
    for url in page.urls:
        response = gateway.get(url)
        assert (url, response.status_code) == (url, 200)
        assert response.content == (ASSETS_DIR / url.removeprefix("/docs-assets/")).read_bytes()
    assert "http" not in gateway.get(path).text


def policy_of(gateway: TestClient, path: str) -> dict[str, list[str]]:
    header = gateway.get(path).headers["content-security-policy"]
    return {
        name: sources
        for name, *sources in (part.split() for part in header.split(";") if part.strip())
    }


def test_swagger_uis_policy_allows_its_start_up_script_by_hash_and_nothing_from_outside(
    gateway: TestClient,
) -> None:
    [script] = loads(gateway, "/docs").inline
    digest = base64.b64encode(hashlib.sha256(script.encode()).digest()).decode()

    policy = policy_of(gateway, "/docs")

    assert policy["script-src"] == ["'self'", f"'sha256-{digest}'"]
    assert policy["default-src"] == ["'self'"]
    assert policy["connect-src"] == ["'self'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert not any(re.search(r"https?:|\*", s) for sources in policy.values() for s in sources)


def test_redocs_policy_runs_no_inline_script(gateway: TestClient) -> None:
    assert loads(gateway, "/redoc").inline == []

    policy = policy_of(gateway, "/redoc")

    assert policy["script-src"] == ["'self'"]
    assert policy["worker-src"] == ["'self'", "blob:"]


@pytest.mark.parametrize("path", ["/docs", "/redoc"])
def test_the_docs_pages_have_the_security_headers(gateway: TestClient, path: str) -> None:
    headers = gateway.get(path).headers

    assert headers["x-content-type-options"] == "nosniff"
    assert headers["x-frame-options"] == "DENY"
    assert headers["content-type"] == "text/html; charset=utf-8"
