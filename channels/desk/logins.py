"""The desk's login under attack: failures counted where a new session cannot reset them.

- Failed logins are counted per user name (someone guessing one agent's
  password from many addresses) and per client (one address trying many
  names), in the app's rate limits (:mod:`channels.limits`, rules
  ``login_user`` and ``login_client``). Past either rule a login is refused
  with 429 and ``Retry-After`` before its password is looked at, so a
  refused guess costs no argon2 work and learns nothing. A successful login
  clears its user's failures; the client's stay, since one good password
  says nothing about the other names that client tried.
- Password checks run a few at a time (``password_checks``) on a limiter of
  their own: argon2id takes 64 MiB and about 0.3 s of a core each, and a
  flood of logins on the shared thread pool would starve every other door's
  database work.
"""

from __future__ import annotations

import math

from anyio import CapacityLimiter
from fastapi import Request

from ..limits import app_limits, client_of

USER_KEY = "desk-login-user"
CLIENT_KEY = "desk-login-client"


class TooManyFailures(Exception):
    """A login refused before its password check: too many failures lately."""

    def __init__(self, retry_after: float) -> None:
        self.retry_after = max(1, math.ceil(retry_after))
        super().__init__(f"too many failed logins; try again in {self.retry_after} s")

    def advice(self) -> str:
        """What the login page says: when to try again, in minutes."""
        minutes = math.ceil(self.retry_after / 60)
        return f"Too many failed logins. Please try again in {minutes} minute" + (
            "s." if minutes != 1 else "."
        )


class LoginThrottle:
    """The login counters of one request: its user name and its client."""

    def __init__(self, request: Request, username: str) -> None:
        self._limits = app_limits(request)
        self._client = client_of(request)
        # The name as the CRM looks it up, so " ANNA" and "anna" share their failures.
        self._username = username.strip().lower()

    def check(self) -> None:
        """Refuse a login over either rule; cheap, so it runs before any password work.

        Raises:
            TooManyFailures: the user name or the client failed too often lately.
        """
        rules = self._limits.settings
        wait = max(
            self._limits.wait(rules.login_user, USER_KEY, self._username),
            self._limits.wait(rules.login_client, CLIENT_KEY, self._client),
        )
        if wait > 0:
            raise TooManyFailures(wait)

    def failed(self) -> None:
        """Count a failed login against the user name and the client."""
        rules = self._limits.settings
        self._limits.hit(rules.login_user, USER_KEY, self._username)
        self._limits.hit(rules.login_client, CLIENT_KEY, self._client)

    def succeeded(self) -> None:
        """Forget the user name's failures."""
        self._limits.clear(self._limits.settings.login_user, USER_KEY, self._username)


def password_checks(request: Request) -> CapacityLimiter:
    """The app's limiter of password checks, made on first use with ``password_checks`` seats."""
    state = request.app.state
    limiter: CapacityLimiter | None = getattr(state, "password_checks", None)
    if limiter is None:
        limiter = CapacityLimiter(app_limits(request).settings.password_checks)
        state.password_checks = limiter
    return limiter
