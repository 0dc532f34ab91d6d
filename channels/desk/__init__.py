"""The agent desk at ``/desk``: server-rendered pages with live updates, in the gateway.

- ``auth``: sessions, CSRF tokens and roles; ``logins``: failed logins counted;
- ``pages``: login, the queue, a conversation, the manager's view (HTML);
- ``work``: what an agent does (take, reply, note, hand back, close), as form
  posts, and the one table of what a refused action answers;
  ``agent_desk``: what those actions do (the CRM, Rasa, the customer's channel);
- ``streams``: the queue and a conversation's transcript as JSON and as
  server-sent events, which the pages' small script turns into live updates;
- ``views`` and ``chart``: the data those show, read from the CRM;
- ``review_pages`` (managers' and trainers' review of what the bot did not
  understand: marks, NLU export, test stories) with ``review_story``;
- ``campaign_pages`` and ``call_list_pages`` (the manager's campaigns and
  call lists), ``script_variant_pages`` (the A/B test of a campaign's script)
  and ``calls`` (an agent works a call list), with ``campaign_views``;
- ``templating`` (the pages' HTML, ``templates/``, ``static/``), ``notices``
  (the words a redirect may name), ``crm_calls`` (CRM work off the event loop).

:func:`install` mounts it all on the app.
"""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.responses import RedirectResponse
from fastapi.staticfiles import StaticFiles

from . import (
    account_language,
    call_list_pages,
    calls,
    campaign_pages,
    pages,
    review_pages,
    script_variant_pages,
    streams,
    work,
)
from .auth import LoginRequired, login_url

STATIC_DIR = Path(__file__).resolve().parent / "static"


def install(app: FastAPI) -> None:
    """Add the desk's routes, its static files and the redirect to the login."""
    app.include_router(pages.router)
    app.include_router(work.router)
    app.include_router(account_language.router)
    app.include_router(streams.router)
    app.include_router(campaign_pages.router)
    app.include_router(script_variant_pages.router)
    app.include_router(call_list_pages.router)
    app.include_router(calls.router)
    app.include_router(review_pages.router)
    app.mount("/desk/static", StaticFiles(directory=STATIC_DIR), name="desk-static")

    async def to_login(request: Request, exc: Exception) -> RedirectResponse:
        next_path = exc.next_path if isinstance(exc, LoginRequired) else "/desk"
        return RedirectResponse(login_url(next_path), status_code=303)

    app.add_exception_handler(LoginRequired, to_login)
