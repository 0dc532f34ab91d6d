"""The web chat page at ``/``: plain HTML, CSS and a little JavaScript.

The page is written in the browser's language (``Accept-Language``, one of
:data:`~channels.conversation_language.SUPPORTED`, English otherwise) and
carries the texts of every language (:mod:`channels.chat.web_texts`) as a
JSON data block, so its EN/FR switch needs no reload; the script tells the
bot the page's language with the next message (``{"language": "fr"}``).
Its Content-Security-Policy lets it load and run nothing but its own files:
the data block is not a script the browser runs.
"""

from __future__ import annotations

import html
import json
import re
from pathlib import Path
from string import Template
from typing import Annotated

from fastapi import APIRouter, Header
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles

from ..conversation_language import DEFAULT, SUPPORTED
from .web_texts import TEXTS

WEB_DIR = Path(__file__).resolve().parent / "web"
# The page's template, outside WEB_DIR: /static serves files as they are.
TEMPLATE = Path(__file__).resolve().parent / "web_page.html"
PAGE = Template(TEMPLATE.read_text(encoding="utf-8"))
# A header longer than this is not a browser's: its start is read, the rest ignored.
MAX_ACCEPT_LANGUAGE = 512
MAX_RANGES = 20
_RANGE = re.compile(
    r"^\s*([A-Za-z]{1,8}|\*)(?:-[A-Za-z0-9]{1,8})*\s*(?:;\s*q\s*=\s*([0-9.]{1,5}))?\s*$"
)
HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        "object-src 'none'; base-uri 'none'; form-action 'self'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    # The page differs by the browser's language: a cache must not serve one for another.
    "Vary": "Accept-Language",
}

router = APIRouter(tags=["web chat"])
static_files = StaticFiles(directory=WEB_DIR)


def preferred_language(accept_language: str | None) -> str:
    """The supported language the browser ranks highest (RFC 9110 ``q``), else the default.

    A malformed range is skipped, never an error: the page always comes.
    """
    best, best_q = DEFAULT, 0.0
    ranges = (accept_language or "")[:MAX_ACCEPT_LANGUAGE].split(",")[:MAX_RANGES]
    for item in ranges:
        match = _RANGE.match(item)
        if not match:
            continue
        try:
            q = float(match.group(2)) if match.group(2) is not None else 1.0
        except ValueError:
            continue
        primary = match.group(1).lower()
        if primary in SUPPORTED and 0.0 < q <= 1.0 and q > best_q:
            best, best_q = primary, q
    return best


def page(language: str) -> str:
    """The page in ``language``, with every language's texts for its switch."""
    texts = {key: html.escape(value) for key, value in TEXTS[language].items()}
    # "<" escaped keeps "</script>" out of the data block, whatever a text says.
    data = json.dumps(TEXTS, ensure_ascii=False).replace("<", "\\u003c")
    return PAGE.substitute(texts, lang=language, texts_json=data)


@router.get("/", include_in_schema=False)
async def chat_page(accept_language: Annotated[str | None, Header()] = None) -> HTMLResponse:
    """The chat page, in the browser's language."""
    language = preferred_language(accept_language)
    return HTMLResponse(page(language), headers={**HEADERS, "Content-Language": language})
