"""Twilio's webhook signature: a request to a Twilio door without a valid one gets 403.

Twilio signs every webhook with the account's auth token: an HMAC over the
URL it requested and the POST parameters sorted by name, sent in
``X-Twilio-Signature``. The gateway runs behind a proxy or tunnel, so the URL
it sees is not the one Twilio requested: the check rebuilds it from
``ICBOT_PUBLIC_URL``, the request's path and its query string, and lets the
``twilio`` library's :class:`RequestValidator` compare. A request signed for
another URL (re-targeted) fails like a forged one.

The doors depend on :func:`signed_request`, which runs before they touch
the CRM or the bot, so a refused request leaves no trace. It reads at most
``MAX_FORM_BYTES`` of the body (Twilio's forms are a few kilobytes) before
it parses or checks anything: a larger one gets 413.

Without ``TWILIO_AUTH_TOKEN`` the gateway generates a demo token into
``<ICBOT_VAR_DIR>/twilio_auth_token`` (mode 0600), which ``make call`` and
``make sms`` sign with. Real Twilio requests fail against it: a real number
needs the account's token in ``TWILIO_AUTH_TOKEN``.
"""

from __future__ import annotations

import logging
import secrets
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qsl

from fastapi import FastAPI, HTTPException, Request
from starlette.datastructures import ImmutableMultiDict
from twilio.request_validator import RequestValidator

from crm_backend.auth import stored_secret

from ..deps import gateway_settings
from ..settings import GatewaySettings

log = logging.getLogger(__name__)

SIGNATURE_HEADER = "X-Twilio-Signature"
TOKEN_FILE = "twilio_auth_token"  # noqa: S105 - a file's name, not a secret
# Twilio's largest webhook forms (a call with every optional field) are under 4 KiB.
MAX_FORM_BYTES = 16 * 1024
MAX_FORM_FIELDS = 200
FORM_TYPE = "application/x-www-form-urlencoded"


@dataclass(frozen=True)
class SignedRequest:
    """A Twilio webhook whose signature checked out: the URL Twilio requested and its form."""

    url: str
    params: dict[str, str]

    def get(self, name: str) -> str:
        """A form parameter, stripped; empty when Twilio did not send it."""
        return self.params.get(name, "").strip()


def twilio_auth_token(*, configured: str | None, var_dir: Path) -> str:
    """``configured`` when set, else the demo token in ``var_dir``, generated if missing.

    Raises:
        TokenFileError: the token file exists but is unreadable or empty.
    """
    if configured and configured.strip():
        return configured.strip()
    # Twilio's auth tokens are 32 hex digits; the demo one looks the same.
    return stored_secret(var_dir / TOKEN_FILE, make=lambda: secrets.token_hex(16))


def public_url(base: str, request: Request) -> str:
    """The URL Twilio requested: the public base, the path and the query string as received."""
    url = base.rstrip("/") + request.url.path
    return f"{url}?{request.url.query}" if request.url.query else url


def app_auth_token(app: FastAPI) -> str:
    """The app's Twilio auth token, resolved once and kept on ``app.state``."""
    token: str | None = getattr(app.state, "twilio_auth_token", None)
    if token is None:
        settings: GatewaySettings = app.state.settings
        token = twilio_auth_token(
            configured=settings.twilio.auth_token, var_dir=settings.crm.var_dir
        )
        if not settings.twilio.auth_token:
            log.warning(
                "TWILIO_AUTH_TOKEN is not set: Twilio webhooks are checked against the demo "
                "token in %s, which only `make call` and `make sms` know",
                settings.crm.var_dir / TOKEN_FILE,
            )
        app.state.twilio_auth_token = token
    return token


async def signed_request(request: Request) -> SignedRequest:
    """The webhook's form, once its size and signature are checked (a FastAPI dependency).

    Raises:
        HTTPException: 413 when the body is larger than Twilio's forms are,
            403 when it is no form or the signature is missing or does not match.
    """
    body = await bounded_body(request, MAX_FORM_BYTES)
    signature = request.headers.get(SIGNATURE_HEADER, "")
    url = public_url(gateway_settings(request).public_url, request)
    # Twilio posts URL-encoded text fields only: a multipart body (a file part) is not Twilio's.
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    form = _form(body) if content_type == FORM_TYPE else None
    validator = RequestValidator(app_auth_token(request.app))
    if not (signature and form is not None and validator.validate(url, form, signature)):
        log.warning("refused a Twilio webhook with a missing or wrong signature for %s", url)
        raise HTTPException(status_code=403, detail="missing or wrong X-Twilio-Signature")
    return SignedRequest(url=url, params=dict(form.items()))


async def bounded_body(request: Request, limit: int) -> bytes:
    """The request's body, read no further than ``limit`` bytes.

    The declared length is believed only when it is too large; a body without
    one (chunked) is read until it passes the limit, never to its end.

    Raises:
        HTTPException: 413 when the body is larger than ``limit``.
    """
    too_large = HTTPException(status_code=413, detail=f"a Twilio form is at most {limit} bytes")
    declared = request.headers.get("content-length", "")
    if declared and (not declared.isdigit() or int(declared) > limit):
        raise too_large
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > limit:
            raise too_large
    return bytes(body)


def _form(body: bytes) -> ImmutableMultiDict[str, str] | None:
    """The URL-encoded fields, decoded as Starlette's own form parser does; None if too many."""
    try:
        pairs = parse_qsl(
            body.decode("latin-1"), keep_blank_values=True, max_num_fields=MAX_FORM_FIELDS
        )
    except ValueError:
        return None
    return ImmutableMultiDict(pairs)
