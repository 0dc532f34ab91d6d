"""Desk agents: accounts with argon2id password hashes, logins and server-side sessions.

A login opens a :class:`~crm_backend.models.DeskSession`: the browser keeps a
random 256-bit token, the database only its SHA-256, so a leaked table opens
no session, and logging out (or disabling the agent) ends it everywhere at
once. Each session carries its own CSRF token for the desk's forms. Sessions
note when they were last used, which tells who is on duty for the queue's
wait estimate.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import re
import secrets
from dataclasses import dataclass

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from ..errors import AgentNotFound, InvalidCredentials, InvalidRequest
from ..models import Agent, AgentRole, DeskSession
from ..uow import UnitOfWork
from .call_list_entries import DIALER
from .call_lists import AGENTS, BOT
from .dates import now_or

SESSION_LIFETIME = dt.timedelta(hours=10)
# A session used within this long counts its agent as on duty.
PRESENCE_WINDOW = dt.timedelta(minutes=3)
# How often a session's last_seen_at is written at most: not on every request.
TOUCH_EVERY = dt.timedelta(seconds=30)
MIN_PASSWORD_LENGTH = 10
_USERNAME = re.compile(r"^[a-z0-9][a-z0-9._-]{1,49}$")
# Names the CRM writes where an agent's user name goes: the dialer holds call-list
# entries under its name, lists are assigned to the bot or to all agents, activities
# belong to the team by default (activities.create_activity), the transcript's own
# notes are the system's. An agent so named would hold the dialer's calls or the bot's lists.
RESERVED_NAMES = frozenset({DIALER, BOT, AGENTS, "ic-team", "system"})

_hasher = PasswordHasher()


@functools.cache
def _dummy_hash() -> str:
    """Checked for an unknown user name, so it costs the same time as a wrong password."""
    return _hasher.hash(secrets.token_urlsafe(16))


@dataclass(frozen=True)
class OpenedSession:
    """A new login: the token for the cookie (shown once) and the stored session."""

    token: str
    session: DeskSession


def hash_password(password: str) -> str:
    """The argon2id hash of a password, with a random salt."""
    return _hasher.hash(password)


def create_agent(
    uow: UnitOfWork,
    *,
    username: str,
    password: str,
    display_name: str,
    role: AgentRole | str = AgentRole.AGENT,
) -> Agent:
    """Create a desk user.

    Raises:
        InvalidRequest: a user name that is not lower-case letters, digits, ``.``, ``_``
            or ``-``, or one the CRM uses itself (:data:`RESERVED_NAMES`); a password
            shorter than 10 characters; an empty display name; an unknown role.
        Conflict: the user name is taken (at the next flush or commit).
    """
    username = username.strip().lower()
    if not _USERNAME.match(username):
        raise InvalidRequest(f"user name {username!r}: 2 to 50 of a-z, 0-9, '.', '_', '-'")
    if username in RESERVED_NAMES:
        raise InvalidRequest(
            f"user name {username!r} is reserved: the CRM uses it for the dialer, the bot, "
            f"all agents or the team (reserved: {', '.join(sorted(RESERVED_NAMES))})"
        )
    if len(password) < MIN_PASSWORD_LENGTH:
        raise InvalidRequest(f"a password needs at least {MIN_PASSWORD_LENGTH} characters")
    if not display_name.strip():
        raise InvalidRequest("an agent needs a display name")
    try:
        role = AgentRole(role)
    except ValueError:
        raise InvalidRequest(f"role is {', '.join(AgentRole)}, not {role!r}") from None
    agent = Agent(
        username=username,
        display_name=display_name.strip(),
        password_hash=hash_password(password),
        role=role,
        active=True,
    )
    uow.agents.add(agent)
    uow.flush()
    return agent


def get_agent(uow: UnitOfWork, *, agent_id: int) -> Agent:
    """The agent with that id.

    Raises:
        AgentNotFound: there is none.
    """
    agent = uow.agents.get(agent_id)
    if agent is None:
        raise AgentNotFound(key=agent_id)
    return agent


def find_agent(uow: UnitOfWork, *, username: str) -> Agent | None:
    """The agent with that user name, or None."""
    return uow.agents.get_by(username=username.strip().lower())


def authenticate(uow: UnitOfWork, *, username: str, password: str) -> Agent:
    """The active agent whose user name and password these are.

    A hash made with older parameters is replaced by a current one.

    Raises:
        InvalidCredentials: unknown user, disabled user or wrong password (not saying which).
    """
    agent = find_agent(uow, username=username)
    stored = agent.password_hash if agent is not None else _dummy_hash()
    try:
        _hasher.verify(stored, password)
    except (VerificationError, InvalidHashError):
        raise InvalidCredentials() from None
    if agent is None or not agent.active:
        raise InvalidCredentials()
    if _hasher.check_needs_rehash(agent.password_hash):
        agent.password_hash = hash_password(password)
        uow.flush()
    return agent


def open_session(
    uow: UnitOfWork,
    *,
    agent_id: int,
    now: dt.datetime | None = None,
    lifetime: dt.timedelta = SESSION_LIFETIME,
) -> OpenedSession:
    """Start a desk session for an agent; the token goes into the browser's cookie.

    Raises:
        AgentNotFound: no agent has that id.
    """
    now = now_or(now)
    agent = get_agent(uow, agent_id=agent_id)
    uow.desk_sessions.remove_expired(now=now)
    token = secrets.token_urlsafe(32)
    session = DeskSession(
        token_hash=_digest(token),
        agent=agent,
        csrf_token=secrets.token_urlsafe(32),
        created_at=now,
        expires_at=now + lifetime,
        last_seen_at=now,
    )
    uow.desk_sessions.add(session)
    uow.flush()
    return OpenedSession(token=token, session=session)


def session_for(
    uow: UnitOfWork, *, token: str, now: dt.datetime | None = None
) -> DeskSession | None:
    """The live session of a cookie's token, its agent active; None for anything else.

    Notes the session as used (at most every 30 seconds, so a busy desk does not
    write on every request).
    """
    now = now_or(now)
    if not token:
        return None
    session = uow.desk_sessions.get_by(token_hash=_digest(token))
    if session is None or session.expires_at <= now or not session.agent.active:
        return None
    if now - session.last_seen_at >= TOUCH_EVERY:
        session.last_seen_at = now
        uow.flush()
    return session


def close_session(uow: UnitOfWork, *, token: str) -> None:
    """End the session of a token (logging out); an unknown token is already closed."""
    session = uow.desk_sessions.get_by(token_hash=_digest(token)) if token else None
    if session is not None:
        uow.desk_sessions.remove(session)
        uow.flush()


def agents_on_duty(uow: UnitOfWork, *, now: dt.datetime | None = None) -> int:
    """How many agents used the desk within the last few minutes."""
    now = now_or(now)
    return uow.desk_sessions.agents_present(seen_since=now - PRESENCE_WINDOW, now=now)


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()
