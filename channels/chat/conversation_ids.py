"""Conversation ids the server issues: 128 random bits and a tag only the server can make.

An anonymous chat client talks only on an id from ``POST /api/conversations``:
an id it invents, or one it guesses, is unknown (404), so it can neither
continue another customer's conversation nor mint them for free.

The id is stateless: ``<random>.<tag>``, the tag an HMAC of the random part
with a key derived from the integration token. Issuing writes no row, and
any gateway process sharing the token recognises an id another issued.
Changing the token ends the anonymous conversations in progress (their
pages ask for a new id).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets

RANDOM_BYTES = 16  # 128 bits
TAG_BYTES = 16
# Separates the derived key from any other use of the token.
_PURPOSE = b"icbot conversation ids v1"


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


class ConversationIds:
    """Issues conversation ids and recognises those it issued.

    Args:
        key: the HMAC key; :meth:`from_token` derives it from the integration token.
    """

    def __init__(self, key: bytes) -> None:
        self._key = key

    @classmethod
    def from_token(cls, api_token: str) -> ConversationIds:
        """Ids keyed by the integration token, shared by every gateway process."""
        return cls(hmac.new(api_token.encode(), _PURPOSE, hashlib.sha256).digest())

    def issue(self) -> str:
        """A new, unguessable id (URL-safe, 45 characters)."""
        random_part = _b64(secrets.token_bytes(RANDOM_BYTES))
        return f"{random_part}.{self._tag(random_part)}"

    def issued(self, conversation_id: str) -> bool:
        """Whether this server (or one sharing its token) issued ``conversation_id``."""
        random_part, dot, tag = conversation_id.partition(".")
        if not dot or not random_part:
            return False
        return hmac.compare_digest(tag.encode(), self._tag(random_part).encode())

    def _tag(self, random_part: str) -> str:
        digest = hmac.new(self._key, random_part.encode(), hashlib.sha256).digest()
        return _b64(digest[:TAG_BYTES])
