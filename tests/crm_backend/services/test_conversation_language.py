"""A conversation's language and an account's preferred one, as the CRM keeps them."""

from __future__ import annotations

import pytest

from crm_backend.errors import AccountNotFound, InvalidRequest
from crm_backend.models import ConversationLanguage
from crm_backend.services.conversation_language import (
    conversation_language,
    preferred_language,
    preferred_language_of_phone,
    set_conversation_language,
    set_preferred_language,
)
from tests.factories import make_account

SPOKEN = ("en", "fr")


def rows(uow):
    return [
        (r.conversation_id, r.language, r.chosen_by, r.account_checked)
        for r in uow.session.query(ConversationLanguage).order_by(ConversationLanguage.id)
    ]


def test_a_conversation_has_no_language_until_one_is_chosen(uow):
    assert conversation_language(uow, conversation_id="web-1") is None


def test_the_language_is_kept_then_changed_in_the_same_row(uow_factory):
    with uow_factory() as uow:
        set_conversation_language(
            uow, conversation_id="web-1", language="en", chosen_by="page", allowed=SPOKEN
        )
        uow.commit()
    with uow_factory() as uow:
        set_conversation_language(
            uow,
            conversation_id="web-1",
            language="fr",
            chosen_by="switch",
            allowed=SPOKEN,
            account_checked=True,
        )
        set_conversation_language(
            uow, conversation_id="web-1", language="fr", chosen_by="switch", allowed=SPOKEN
        )
        uow.commit()
    with uow_factory() as uow:
        assert rows(uow) == [("web-1", "fr", "switch", True)]
        found = conversation_language(uow, conversation_id="web-1")
        assert (found.language, found.chosen_by) == ("fr", "switch")


@pytest.mark.parametrize(
    ("language", "chosen_by", "conversation_id"),
    [
        ("de", "page", "web-1"),
        ("EN", "page", "web-1"),
        ("en'; drop table accounts;--", "page", "web-1"),
        ("", "page", "web-1"),
        ("en", "whim", "web-1"),
        ("en", "page", "  "),
    ],
)
def test_what_it_cannot_hold_is_refused_and_nothing_is_written(
    uow, language, chosen_by, conversation_id
):
    with pytest.raises(InvalidRequest):
        set_conversation_language(
            uow,
            conversation_id=conversation_id,
            language=language,
            chosen_by=chosen_by,
            allowed=SPOKEN,
        )
    assert rows(uow) == []


def test_an_account_prefers_no_language_until_it_says_one(uow):
    account = make_account(uow)
    assert preferred_language(uow, account_id=account.id) is None
    set_preferred_language(uow, account_id=account.id, language="fr", allowed=SPOKEN)
    assert preferred_language(uow, account_id=account.id) == "fr"
    set_preferred_language(uow, account_id=account.id, language="", allowed=SPOKEN)
    assert account.preferred_language is None


def test_a_preference_icbot_cannot_speak_is_refused(uow):
    account = make_account(uow)
    with pytest.raises(InvalidRequest):
        set_preferred_language(uow, account_id=account.id, language="xx", allowed=SPOKEN)
    with pytest.raises(AccountNotFound):
        set_preferred_language(uow, account_id=999_999, language="fr", allowed=SPOKEN)
    assert account.preferred_language is None


def test_a_phone_names_the_language_of_its_accounts_when_they_agree(uow):
    pierre = make_account(uow, phones=["+33612345678"])
    pierre.preferred_language = "fr"
    sharer = make_account(uow, first_name="Anne", phones=["+33612345678"])
    make_account(uow, first_name="Tom", phones=["+447700900123"])
    uow.flush()
    assert preferred_language_of_phone(uow, phone="+33612345678") == "fr"
    sharer.preferred_language = "en"
    uow.flush()
    assert preferred_language_of_phone(uow, phone="+33612345678") is None
    assert preferred_language_of_phone(uow, phone="+447700900123") is None
    assert preferred_language_of_phone(uow, phone="+15550000000") is None
