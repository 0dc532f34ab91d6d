"""Rendering the desk's pages: Jinja2 with autoescape on, and the security headers.

Everything a template prints is HTML-escaped (``autoescape=True`` for every
template, whatever its name), so a customer's ``<script>`` shows as text.
The pages allow only their own scripts and styles (Content-Security-Policy)
and are never cached or framed.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import jinja2
from fastapi import Request
from fastapi.responses import HTMLResponse

from languages import languages, settings

from ..deps import gateway_settings

TEMPLATES = Path(__file__).resolve().parent / "templates"
SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    "Cache-Control": "no-store",
}

_environment = jinja2.Environment(
    loader=jinja2.FileSystemLoader(TEMPLATES),
    autoescape=True,
    undefined=jinja2.StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
)


def language_choices() -> list[tuple[str, str]]:
    """The languages icbot speaks, as (code, name): an account's preferred language."""
    return [(code, str(settings(code).get("name") or code)) for code in languages()]


_environment.globals["language_choices"] = language_choices


def duration(seconds: float | int | None) -> str:
    """``75`` → ``1 min 15 s``; hours when it comes to that."""
    if seconds is None:
        return "-"
    total = max(int(seconds), 0)
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return f"{hours} h {minutes:02d} min"
    if minutes:
        return f"{minutes} min {secs:02d} s"
    return f"{secs} s"


def render(
    request: Request, template: str, context: dict[str, Any], *, status_code: int = 200
) -> HTMLResponse:
    """The page, escaped, with the desk's security headers.

    Every time of day on the desk is in the company's zone (the desk's opening
    hours' ``ICBOT_DESK_TIMEZONE``): ``clock`` here, and desk.js for what it
    adds live, which reads the zone from the page; the page says it once.
    """
    timezone = gateway_settings(request).crm.handoff.hours.timezone
    zone = ZoneInfo(timezone)

    def clock(moment: str | dt.datetime | None) -> str:
        if not moment:
            return ""
        when = dt.datetime.fromisoformat(moment) if isinstance(moment, str) else moment
        return when.astimezone(zone).strftime("%H:%M:%S")

    html = _environment.get_template(template).render(
        request=request,
        clock=clock,
        duration=duration,
        timezone=timezone,
        zone_label=f"{timezone} ({dt.datetime.now(zone):%Z})",
        **context,
    )
    return HTMLResponse(html, status_code=status_code, headers=SECURITY_HEADERS)
