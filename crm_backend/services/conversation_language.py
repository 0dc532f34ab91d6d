"""The language of a conversation, what chose it, and the language an account prefers.

The gateway decides a conversation's language (the CRM does not know where the
choices come from: a request of the customer, the number called, a web page);
the CRM keeps it, so every gateway process, the desk and a restart agree on it.
Languages are short codes ("en", "fr"); which ones icbot speaks is the caller's
knowledge, passed as ``allowed``.
"""

from __future__ import annotations

import re
from collections.abc import Collection

from ..errors import InvalidRequest
from ..models import ConversationLanguage
from ..uow import UnitOfWork
from .accounts import get_account

# What chose a conversation's language (ConversationLanguage.chosen_by), strongest first.
CHOSEN_BY = ("switch", "account", "number", "page", "identifier", "default")
_CODE = re.compile(r"[a-z]{2}")


def _checked(language: str, allowed: Collection[str]) -> str:
    if not _CODE.fullmatch(language) or language not in allowed:
        raise InvalidRequest(f"not a language icbot speaks: {language[:20]!r}")
    return language


def conversation_language(uow: UnitOfWork, *, conversation_id: str) -> ConversationLanguage | None:
    """The conversation's language and what chose it; None before it was chosen."""
    return uow.conversation_languages.of(conversation_id)


def set_conversation_language(
    uow: UnitOfWork,
    *,
    conversation_id: str,
    language: str,
    chosen_by: str,
    allowed: Collection[str],
    account_checked: bool | None = None,
) -> ConversationLanguage:
    """Hold the conversation in ``language`` from now on (the row is added or changed).

    ``account_checked`` (None: unchanged) says the identified account's preference was
    looked at.

    Raises:
        InvalidRequest: a language not in ``allowed``, an unknown ``chosen_by``, no id.
    """
    if not conversation_id.strip():
        raise InvalidRequest("a conversation language needs a conversation id")
    if chosen_by not in CHOSEN_BY:
        raise InvalidRequest(f"unknown reason for a language: {chosen_by[:20]!r}")
    _checked(language, allowed)
    row = uow.conversation_languages.of(conversation_id)
    if row is None:
        row = uow.conversation_languages.add(
            ConversationLanguage(
                conversation_id=conversation_id,
                language=language,
                chosen_by=chosen_by,
                account_checked=bool(account_checked),
            )
        )
    else:
        row.language, row.chosen_by = language, chosen_by
        if account_checked is not None:
            row.account_checked = account_checked
    uow.flush()
    return row


def preferred_language_of_phone(uow: UnitOfWork, *, phone: str) -> str | None:
    """The preferred language of the account with this E.164 number; None: none, or several.

    A number shared by accounts that prefer different languages names none.
    """
    said = {a.preferred_language for a in uow.accounts.find_by_phone(phone)}
    said.discard(None)
    return said.pop() if len(said) == 1 else None


def preferred_language(uow: UnitOfWork, *, account_id: int) -> str | None:
    """The account's preferred language; None when it said none.

    Raises:
        AccountNotFound: no account has ``account_id``.
    """
    return get_account(uow, account_id=account_id).preferred_language


def set_preferred_language(
    uow: UnitOfWork, *, account_id: int, language: str | None, allowed: Collection[str]
) -> None:
    """Record the language the account prefers (None or "": not said).

    Raises:
        AccountNotFound: no account has ``account_id``.
        InvalidRequest: a language not in ``allowed``.
    """
    account = get_account(uow, account_id=account_id)
    account.preferred_language = _checked(language, allowed) if language else None
    uow.flush()
