"""Attacks on the identification, on the real stack (issue 10, findings #2 and #3).

- Guessing postcodes from fresh conversations: the failures are counted on the
  account in the CRM, so after the fifth even the right postcode verifies
  nobody, in the same words as any failure, and the desk sees why.
- A call from Pierre's number (signed by Twilio, so trusted) hears no name
  before the postcode: a caller ID can be spoofed or recycled.

The guesses go through the chat API with the integration token and ids of
their own, as a load generator would, so the per-client chat limits of an
anonymous client are not what stops them: the CRM's count is.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import httpx
import pytest
from sqlalchemy import select

from channels.twilio.simulator import SignedPoster, TwilioPhone
from crm_backend.models import Interaction, VerificationFailure
from crm_backend.services import accounts, verification_lock
from crm_backend.services.customer_view import customer_view
from crm_backend.uow import SqlAlchemyUnitOfWork

from .conftest import API_TOKEN, PIERRES_PHONE, TWILIO_AUTH_TOKEN, Chat, LiveStack

# A generated customer of the seed that no other e2e test identifies.
TARGET = "C-100030"
LOCK_AFTER = verification_lock.VERIFICATION_LOCK_FAILURES


def _target(live: LiveStack) -> tuple[int, str, str]:
    """The target's account id, name and postcode, as only the CRM knows them."""
    with SqlAlchemyUnitOfWork(live.sessions) as uow:
        account = accounts.get_account_by_number(uow, customer_number=TARGET)
        assert account.postcode is not None
        return account.id, account.name, account.postcode


def _wrong(postcode: str, n: int) -> str:
    """A five-digit postcode that is not ``postcode``."""
    guess = f"{(int(postcode) + 1 + n) % 100_000:05d}"
    assert guess != postcode
    return guess


def _try(live: LiveStack, key: str, postcode: str) -> str:
    """A fresh conversation: the key, then a postcode; what the bot answers to the postcode."""
    with Chat(live.url, f"e2e-guess-{uuid.uuid4().hex}", token=API_TOKEN) as chat:
        asked = chat.say(f"My customer number is {key}")
        assert "postcode" in asked.lower(), asked
        return chat.say(postcode)


def test_postcode_guesses_lock_the_account_and_the_desk_sees_it(live: LiveStack) -> None:
    account_id, name, postcode = _target(live)
    first_name = name.split()[0]

    failures = [_try(live, TARGET, _wrong(postcode, n)) for n in range(LOCK_AFTER)]
    locked = _try(live, TARGET, postcode)  # the right postcode, after the fifth failure
    stranger = _try(live, "C-999999", postcode)  # a key of no account

    # Every failure reads the same, the locked right answer and a key of nobody included.
    assert len(set(failures)) == 1
    assert locked == failures[0] == stranger
    for said in (*failures, locked):
        assert first_name not in said
        assert "speaking with" not in said.lower()
    with live.sessions() as session:
        counted = session.scalars(
            select(VerificationFailure.channel).where(VerificationFailure.account_id == account_id)
        ).all()
        confirmed = session.scalars(
            select(Interaction).where(
                Interaction.account_id == account_id, Interaction.identity_confirmed.is_(True)
            )
        ).all()
    assert counted == ["web"] * LOCK_AFTER  # the refused right answer is not a guess
    assert confirmed == []
    with SqlAlchemyUnitOfWork(live.sessions) as uow:
        panel = customer_view(uow, account_id=account_id)
    [alert] = [a for a in panel.alerts if "identity checks" in a.title]
    assert alert.title.startswith(f"{LOCK_AFTER} failed identity checks in the last hour")
    assert "verification locked until" in alert.title
    assert alert.detail == "high"


# One client on the internet, behind the gateway's proxy (the e2e stack trusts 127.0.0.1).
ATTACKER = {"X-Forwarded-For": "203.0.113.7"}
# Another generated customer of the seed, for the anonymous attack.
ANONYMOUS_TARGET = "C-100031"


def _anonymous_try(client: httpx.Client, key: str, postcode: str) -> str:
    """A fresh anonymous conversation, as the web page starts one: key, postcode, the answer."""
    started = client.post("/api/conversations", json={})
    assert started.status_code == 201, started.text
    messages = f"/api/conversations/{started.json()['conversation_id']}/messages"
    asked = client.post(messages, json={"text": f"I'm customer {key}"})
    assert asked.status_code == 200, asked.text
    answered = client.post(messages, json={"text": postcode})
    assert answered.status_code == 200, answered.text
    return "\n".join(m["text"] for m in answered.json()["messages"])


def test_two_hundred_anonymous_conversations_guess_nothing_and_the_next_is_refused(
    live: LiveStack,
) -> None:
    with SqlAlchemyUnitOfWork(live.sessions) as uow:
        target = accounts.get_account_by_number(uow, customer_number=ANONYMOUS_TARGET)
        account_id, name, postcode = target.id, target.name, str(target.postcode)
    limit = 200  # the default ICBOT_LIMIT_CONVERSATIONS: 200/hour

    with httpx.Client(base_url=live.url, headers=ATTACKER, timeout=30) as client:
        answers = [
            _anonymous_try(client, ANONYMOUS_TARGET, _wrong(postcode, n) if n < 5 else postcode)
            for n in range(limit)
        ]
        refused = client.post("/api/conversations", json={})

    # After the fifth failure the right postcode verifies nobody, in the words of any failure.
    assert set(answers) == {answers[0]}
    assert all(name.split()[0] not in said for said in answers)
    assert refused.status_code == 429
    assert int(refused.headers["Retry-After"]) > 0
    with live.sessions() as session:
        confirmed = session.scalars(
            select(Interaction).where(
                Interaction.account_id == account_id, Interaction.identity_confirmed.is_(True)
            )
        ).all()
    assert confirmed == []
    with SqlAlchemyUnitOfWork(live.sessions) as uow:
        panel = customer_view(uow, account_id=account_id)
    assert any("verification locked until" in a.title for a in panel.alerts)


class VouchedPhone(TwilioPhone):
    """A call whose caller ID the carrier vouched for (STIR/SHAKEN attestation A)."""

    def _fields(self, status: str) -> dict[str, str]:
        return {**super()._fields(status), "StirVerstat": "TN-Validation-Passed-A"}


@pytest.fixture
def poster(live: LiveStack) -> Iterator[SignedPoster]:
    with httpx.Client(timeout=30) as client:
        yield SignedPoster(client, public_url=live.url, auth_token=TWILIO_AUTH_TOKEN)


def test_a_call_from_pierres_number_hears_no_name_before_the_postcode(
    live: LiveStack, poster: SignedPoster
) -> None:
    phone = VouchedPhone(poster, caller=PIERRES_PHONE)

    greeting = " ".join(phone.dial().said)
    checked = " ".join(phone.say("69002").said)
    phone.end(duration=20)

    assert "postcode" in greeting.lower()
    assert "Pierre" not in greeting
    assert "Moreau" not in greeting
    assert "Am I speaking with Pierre Moreau?" in checked
    with live.sessions() as session:
        interaction = session.scalars(
            select(Interaction).where(Interaction.conversation_id == f"voice-{phone.call_sid}")
        ).one()
    # Known by the number, not yet confirmed (no "yes"); the carrier's verdict is on record.
    assert (interaction.account_id, interaction.identity_confirmed) == (None, False)
    assert interaction.stir_verstat == "TN-Validation-Passed-A"
