"""Who is at the desk: the session cookie, the CSRF token of every form, the roles.

- The ``icbot_desk`` cookie holds a random token; the CRM keeps its hash and
  the session (:mod:`crm_backend.services.agents`). It is ``HttpOnly``,
  ``SameSite=Strict`` and, when the public URL is https, ``Secure`` with the
  ``__Host-`` prefix (bound to this host, path ``/``).
- Every form posts the session's CSRF token (the synchronizer pattern); the
  login form, before any session, a random token that must equal the one in
  a short-lived cookie (double submit). A POST without it is refused (403),
  whatever the cookie.
- Pages of someone not logged in redirect to the login; the desk's API and
  streams answer 401. An agent asking for the manager's view gets 403.
- Roles: agents work the queue and their calls; managers too, and see the
  figures and the campaigns; trainers only review the bot (``/desk/review``,
  which managers may use too): the queue sends them there, and any agent's
  page, stream or form answers them 403.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from typing import Annotated
from urllib.parse import quote

from fastapi import Depends, Form, HTTPException, Request, Response

from crm_backend.models import AgentRole
from crm_backend.services import agents

from ..deps import gateway_settings, in_thread, uow_factory

SESSION_COOKIE = "icbot_desk"
LOGIN_CSRF_COOKIE = "icbot_desk_login"
LOGIN_PATH = "/desk/login"


@dataclass(frozen=True)
class DeskUser:
    """The logged-in agent, as the desk's pages need them."""

    agent_id: int
    username: str
    display_name: str
    role: str
    csrf_token: str

    @property
    def is_manager(self) -> bool:
        """Whether the manager's view is open to them."""
        return self.role == AgentRole.MANAGER

    @property
    def is_trainer(self) -> bool:
        """Whether they only review the bot (no queue, no customers)."""
        return self.role == AgentRole.TRAINER

    @property
    def may_review(self) -> bool:
        """Whether the review pages are open to them: managers and trainers."""
        return self.is_manager or self.is_trainer


class LoginRequired(Exception):
    """A desk page asked for without a live session: the handler redirects to the login."""

    def __init__(self, next_path: str) -> None:
        super().__init__(next_path)
        self.next_path = next_path


def secure_cookies(request: Request) -> bool:
    """Cookies are ``Secure`` when the gateway's public URL is https."""
    return str(gateway_settings(request).public_url).startswith("https://")


def session_cookie_name(request: Request) -> str:
    """``__Host-icbot_desk`` over https (host-bound), else ``icbot_desk``."""
    return f"__Host-{SESSION_COOKIE}" if secure_cookies(request) else SESSION_COOKIE


def set_session_cookie(request: Request, response: Response, token: str, max_age: int) -> None:
    """Give the browser its session token."""
    response.set_cookie(
        session_cookie_name(request),
        token,
        max_age=max_age,
        path="/",
        httponly=True,
        secure=secure_cookies(request),
        samesite="strict",
    )


def clear_session_cookie(request: Request, response: Response) -> None:
    """Forget the session in the browser."""
    response.delete_cookie(
        session_cookie_name(request),
        path="/",
        httponly=True,
        secure=secure_cookies(request),
        samesite="strict",
    )


def new_login_csrf() -> str:
    """A fresh token for the login form; :func:`set_login_csrf` puts it in the cookie too."""
    return secrets.token_urlsafe(32)


def set_login_csrf(request: Request, response: Response, token: str) -> None:
    """The login form's token in a short-lived cookie (double submit)."""
    response.set_cookie(
        LOGIN_CSRF_COOKIE,
        token,
        max_age=1800,
        path=LOGIN_PATH,
        httponly=True,
        secure=secure_cookies(request),
        samesite="strict",
    )


def check_login_csrf(request: Request, submitted: str) -> None:
    """Refuse a login post whose token is not the one of its cookie.

    Raises:
        HTTPException: 403.
    """
    expected = request.cookies.get(LOGIN_CSRF_COOKIE, "")
    if not (expected and submitted and secrets.compare_digest(expected, submitted)):
        raise HTTPException(status_code=403, detail="The form expired; please try again.")


async def session_user(request: Request) -> DeskUser | None:
    """The agent of the request's session cookie, or None."""
    token = request.cookies.get(session_cookie_name(request), "")
    if not token:
        return None
    uows = uow_factory(request)

    def read() -> DeskUser | None:
        with uows() as uow:
            session = agents.session_for(uow, token=token)
            if session is None:
                return None
            agent = session.agent
            user = DeskUser(
                agent_id=agent.id,
                username=agent.username,
                display_name=agent.display_name,
                role=str(agent.role),
                csrf_token=session.csrf_token,
            )
            uow.commit()  # the session's last use, for who is on duty
            return user

    return await in_thread(read)


async def page_user(request: Request) -> DeskUser:
    """The logged-in agent of a page; else a redirect to the login (``LoginRequired``)."""
    user = await session_user(request)
    if user is None:
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        raise LoginRequired(target)
    return user


async def api_user(request: Request) -> DeskUser:
    """The logged-in agent of an API call or stream; else 401."""
    user = await session_user(request)
    if user is None:
        raise HTTPException(status_code=401, detail="Log in at /desk/login first.")
    return user


def _no_trainer(user: DeskUser) -> DeskUser:
    if user.is_trainer:
        raise HTTPException(status_code=403, detail="The queue and the calls are the agents'.")
    return user


async def staff_page_user(user: Annotated[DeskUser, Depends(page_user)]) -> DeskUser:
    """An agent or a manager, for an agent's page; a trainer gets 403."""
    return _no_trainer(user)


async def staff_api_user(user: Annotated[DeskUser, Depends(api_user)]) -> DeskUser:
    """An agent or a manager, for the queue's API and streams; a trainer gets 403."""
    return _no_trainer(user)


async def reviewer_page_user(user: Annotated[DeskUser, Depends(page_user)]) -> DeskUser:
    """A manager or a trainer, for the review pages; an agent gets 403."""
    if not user.may_review:
        raise HTTPException(status_code=403, detail="Review is for managers and trainers.")
    return user


async def manager_page_user(user: Annotated[DeskUser, Depends(page_user)]) -> DeskUser:
    """A manager, for the manager's view; an agent gets 403."""
    if not user.is_manager:
        raise HTTPException(status_code=403, detail="The manager's view is for managers.")
    return user


async def form_user(
    user: Annotated[DeskUser, Depends(page_user)],
    csrf_token: Annotated[str, Form()] = "",
) -> DeskUser:
    """The logged-in agent of a form post that carries their session's CSRF token; else 403."""
    if not (csrf_token and secrets.compare_digest(csrf_token, user.csrf_token)):
        raise HTTPException(status_code=403, detail="The form expired; please reload the page.")
    return user


async def staff_form_user(user: Annotated[DeskUser, Depends(form_user)]) -> DeskUser:
    """An agent or a manager, for a form post of an agent's work; a trainer gets 403."""
    return _no_trainer(user)


async def reviewer_form_user(user: Annotated[DeskUser, Depends(form_user)]) -> DeskUser:
    """A manager or a trainer, for a form post of the review pages; an agent gets 403."""
    if not user.may_review:
        raise HTTPException(status_code=403, detail="Review is for managers and trainers.")
    return user


async def manager_form_user(user: Annotated[DeskUser, Depends(form_user)]) -> DeskUser:
    """A manager, for a form post of the campaign pages; an agent gets 403."""
    if not user.is_manager:
        raise HTTPException(status_code=403, detail="Campaigns are the manager's.")
    return user


def login_url(next_path: str) -> str:
    """The login page, coming back to ``next_path`` (a desk path only) afterwards."""
    return f"{LOGIN_PATH}?next={quote(safe_next(next_path))}"


def safe_next(next_path: str | None) -> str:
    """Where to go after logging in: a desk path, never another site."""
    if next_path and next_path.startswith("/desk") and not next_path.startswith("//"):
        return next_path
    return "/desk"
