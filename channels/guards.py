"""What every door checks before it works: the body's size, and text that is clean Unicode.

- :class:`BodySizeLimit`, ASGI middleware on the whole app: a request whose
  ``Content-Length`` says more than ``ICBOT_MAX_BODY_BYTES``, or whose
  streamed body grows past it, gets 413 before any route parses a byte. The
  body is read up to the limit before the route is called, so no parser
  (JSON, forms, Twilio's signature check) ever sees a larger one.
- :func:`clean_text`: the one function that strips what has no place in a
  stored message (NUL, other control characters, bidi overrides that make
  a transcript read differently from what was sent). Every door that stores
  text a stranger wrote calls it.
- :func:`is_valid_unicode`: whether a string can be stored and sent on at
  all (a lone surrogate, legal in JSON, cannot be encoded as UTF-8).
- :func:`refuse_without_echo`: the app's handler of invalid requests, whose
  422 answers say why a request was refused without echoing what was sent
  (FastAPI's default copies the input into the answer).
- :class:`NoEchoRoute`: a route class that also refuses a body that is not
  UTF-8 with 422 (FastAPI says 400), for the doors that take JSON text.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Coroutine
from typing import Any

from fastapi import Request, Response
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.routing import APIRoute
from starlette.types import ASGIApp, Message, Receive, Scope, Send

DEFAULT_MAX_BODY_BYTES = 64 * 1024

# Bidi controls: embeddings, overrides and isolates (U+202A-U+202E, U+2066-U+2069),
# the marks (U+200E, U+200F) and the Arabic letter mark (U+061C).
_BIDI = (0x061C, 0x200E, 0x200F, *range(0x202A, 0x202F), *range(0x2066, 0x206A))
# C0 but tab and newline, DEL, and C1.
_CONTROLS = (*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), *range(0x7F, 0xA0))
_STRIPPED: dict[int, None] = dict.fromkeys((*_CONTROLS, *_BIDI))


def clean_text(text: str) -> str:
    """``text`` without control or bidi control characters; line ends become ``\\n``.

    Tab and newline stay: a customer's message may have lines.
    """
    return text.replace("\r\n", "\n").replace("\r", "\n").translate(_STRIPPED)


def is_valid_unicode(text: str) -> bool:
    """Whether ``text`` can be encoded as UTF-8 (no lone surrogate)."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


class BodyTooLarge(Exception):
    """The request's body is over the limit."""


class BodySizeLimit:
    """ASGI middleware: 413 for a body over ``max_bytes``, before the app reads any of it.

    Args:
        app: the application it guards.
        max_bytes: the largest body a request may have.
    """

    def __init__(self, app: ASGIApp, *, max_bytes: int = DEFAULT_MAX_BODY_BYTES) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = _content_length(scope)
        if declared is None:
            await self._refuse(send, 400, "The Content-Length header is not a number.")
            return
        if declared > self.max_bytes:
            await self._refuse(send, 413, self._reason())
            return
        try:
            messages = await self._read(receive)
        except BodyTooLarge:
            await self._refuse(send, 413, self._reason())
            return
        await self.app(scope, _replay(messages, receive), send)

    async def _read(self, receive: Receive) -> list[Message]:
        """The request's body messages, read to the end or until they pass the limit."""
        messages: list[Message] = []
        size = 0
        while True:
            message = await receive()
            messages.append(message)
            if message["type"] != "http.request":
                return messages  # the client left: the app sees the disconnect
            size += len(message.get("body", b""))
            if size > self.max_bytes:
                raise BodyTooLarge
            if not message.get("more_body", False):
                return messages

    def _reason(self) -> str:
        return f"The request body is larger than {self.max_bytes} bytes."

    async def _refuse(self, send: Send, status: int, reason: str) -> None:
        body = json.dumps({"detail": reason}).encode()
        headers = [
            (b"content-type", b"application/json"),
            (b"content-length", str(len(body)).encode()),
            # The rest of the body is never read: the connection cannot serve another request.
            (b"connection", b"close"),
        ]
        await send({"type": "http.response.start", "status": status, "headers": headers})
        await send({"type": "http.response.body", "body": body})


def _content_length(scope: Scope) -> int | None:
    """The declared length: 0 when there is none, None when it is no number."""
    for name, value in scope.get("headers", []):
        if name == b"content-length":
            try:
                length = int(value)
            except ValueError:
                return None
            return length if length >= 0 else None
    return 0


def _replay(messages: list[Message], receive: Receive) -> Receive:
    """A ``receive`` that gives the messages already read, then what the client sends next."""
    pending = list(messages)

    async def replayed() -> Message:
        if pending:
            return pending.pop(0)
        return await receive()

    return replayed


class NoEchoRoute(APIRoute):
    """A route whose refusals name the reason but never echo the input.

    A body that is not UTF-8 is refused with 422 too (FastAPI says 400), so
    bad input is 422 whatever its kind.
    """

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        """The route's handler, wrapped."""
        handler = super().get_route_handler()

        async def guarded(request: Request) -> Response:
            body = await request.body()  # kept on the request: the handler reads it again
            try:
                body.decode("utf-8")
            except UnicodeDecodeError:
                raise RequestValidationError(
                    [{"type": "utf8_invalid", "loc": ("body",), "msg": "The body is not UTF-8"}]
                ) from None
            return await handler(request)

        return guarded


def _without_input(error: Any) -> Any:
    """A validation error without the input it was about."""
    if not isinstance(error, dict):
        return error
    return {key: value for key, value in error.items() if key != "input"}


async def refuse_without_echo(_request: Request, exc: Exception) -> Response:
    """The app's answer to any invalid request: 422 with the reasons, never the input.

    Installed for every route: echoing the input would copy a lone surrogate
    into JSON (a 500) and hand back whatever an attacker sent.
    """
    errors = exc.errors() if isinstance(exc, RequestValidationError) else []
    detail = [_without_input(error) for error in errors]
    return JSONResponse(status_code=422, content={"detail": jsonable_encoder(detail)})
