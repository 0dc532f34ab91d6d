"""Outbound texts and calls through Twilio's REST API, wrapping the ``twilio`` library's ``Client``.

Before anything leaves, the CRM says whether the number may be reached
(:func:`crm_backend.services.consent.number_refusal`): a number that texted
STOP, or whose account is do-not-contact or opted out of the channel, is
refused, and so is a marketing text or call without an opt-in. Twilio's own
refusal of a number that opted out with it (error 21610) is recorded in the
CRM too. The dialer (:mod:`channels.dialer`) places its calls here, and
reads Twilio's call log here when it must find out whether a call was placed.

Configured by ``TWILIO_ACCOUNT_SID``, ``TWILIO_AUTH_TOKEN`` and
``TWILIO_FROM_NUMBER``. Tests give it a fake ``HttpClient`` (the library's
transport) that records each request and answers as Twilio's API does.

The client is synchronous, like the library: async callers run it in a
worker thread (``anyio.to_thread.run_sync``).
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass
from typing import Any

from twilio.base.exceptions import TwilioException, TwilioRestException
from twilio.http import HttpClient
from twilio.rest import Client

from crm_backend.errors import CrmUnavailable, InvalidContactData
from crm_backend.redact import mask
from crm_backend.services import consent
from crm_backend.text import normalize_phone

from ..conversations import transcripts
from ..deps import UowFactory
from ..settings import GatewaySettings

log = logging.getLogger(__name__)

CHANNEL = "sms"
CALL_CHANNEL = "phone"
# Twilio: 429 Too Many Requests; nothing was created, try again later.
TOO_MANY_REQUESTS = 429
# How many of a number's latest calls or texts are read to find one we placed.
LOG_DEPTH = 20
# Twilio: "Attempt to send to unsubscribed recipient" (the number texted STOP to Twilio).
TWILIO_UNSUBSCRIBED = 21610


class OutboundError(Exception):
    """Base of the outbound client's errors."""


class OutboundNotConfigured(OutboundError):
    """TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN or TWILIO_FROM_NUMBER is missing."""


class SmsRefused(OutboundError):
    """The number must not get this text: the reason says why."""

    def __init__(self, *, number: str, reason: str) -> None:
        super().__init__(f"no SMS to {number}: {reason}")
        self.number = number
        self.reason = reason


class CallRefused(OutboundError):
    """The number must not be called: the reason says why."""

    def __init__(self, *, number: str, reason: str) -> None:
        super().__init__(f"no call to {number}: {reason}")
        self.number = number
        self.reason = reason


class OutboundUnavailable(OutboundError):
    """Twilio could not be reached, or refused the request for another reason.

    ``status`` is Twilio's HTTP status when it answered: a 4xx other than
    429 means nothing was created; with no status, or a 5xx, it is unknown.
    """

    def __init__(self, message: str, *, status: int | None = None, code: int | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.code = code

    @property
    def rejected(self) -> bool:
        """Twilio answered and created nothing, and trying again later will not help."""
        return self.status is not None and 400 <= self.status < 500 and not self.throttled

    @property
    def throttled(self) -> bool:
        """Twilio asks to slow down: nothing was created; the same request may work later."""
        return self.status == TOO_MANY_REQUESTS


@dataclass(frozen=True)
class SentSms:
    """A text Twilio accepted: its id and first status (``queued``, ``accepted``)."""

    sid: str
    to: str
    status: str


@dataclass(frozen=True)
class PlacedCall:
    """A call as Twilio has it: its id, status and, once known, who answered and for how long."""

    sid: str
    to: str
    status: str
    created_at: dt.datetime | None = None
    answered_by: str | None = None
    duration_seconds: int = 0


class TwilioOutbound:
    """Sends SMS from the company's Twilio number to customers who may get them."""

    def __init__(
        self,
        *,
        account_sid: str,
        auth_token: str,
        from_number: str,
        uow_factory: UowFactory,
        http_client: HttpClient | None = None,
    ) -> None:
        if not (account_sid and auth_token and from_number):
            raise OutboundNotConfigured(
                "outbound SMS need TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN and TWILIO_FROM_NUMBER"
            )
        self.from_number = from_number
        self._uow_factory = uow_factory
        # environment={}: only what is given here, never other variables of the process.
        self._client = Client(account_sid, auth_token, http_client=http_client, environment={})

    @classmethod
    def from_settings(
        cls,
        settings: GatewaySettings,
        uow_factory: UowFactory,
        *,
        http_client: HttpClient | None = None,
    ) -> TwilioOutbound:
        """The client the settings configure.

        Raises:
            OutboundNotConfigured: a Twilio credential or the sending number is missing.
        """
        twilio = settings.twilio
        return cls(
            account_sid=twilio.account_sid or "",
            auth_token=twilio.auth_token or "",
            from_number=twilio.from_number or "",
            uow_factory=uow_factory,
            http_client=http_client,
        )

    def send_sms(self, *, to: str, body: str, marketing: bool = True) -> SentSms:
        """Text ``body`` to ``to``, if the CRM says the number may get it.

        Args:
            to: the customer's number, in any form ``normalize_phone`` reads.
            body: the text.
            marketing: a campaign text (needs an opt-in), not a service message.

        Raises:
            SmsRefused: the number opted out, its account is do-not-contact, a
                marketing text has no opt-in, or it is no phone number. Nothing was sent.
            OutboundUnavailable: Twilio could not be reached or refused the message.
            CrmUnavailable: the CRM cannot say whether the number may be texted.
        """
        number = self._allowed(to, marketing=marketing)
        try:
            message = self._client.messages.create(to=number, from_=self.from_number, body=body)
        except TwilioRestException as exc:
            if exc.code == TWILIO_UNSUBSCRIBED:
                self._record_opt_out(number)
                raise SmsRefused(number=number, reason=consent.OPTED_OUT) from exc
            raise OutboundUnavailable(
                f"Twilio refused the SMS to {number}: {exc.msg}", status=exc.status, code=exc.code
            ) from exc
        except (TwilioException, OSError) as exc:  # requests' errors are OSErrors
            raise OutboundUnavailable(f"Twilio cannot be reached: {exc!s}") from exc
        sent = SentSms(sid=str(message.sid), to=number, status=str(message.status))
        try:
            # In the number's SMS conversation, so its agent sees what we sent.
            transcripts.write(
                self._uow_factory,
                conversation_id=f"sms-{number}",
                channel=CHANNEL,
                role="bot",
                texts=[(body, {"outbound": True, "sid": sent.sid, "marketing": marketing})],
            )
        except CrmUnavailable:
            # Sent is sent: the caller must not send it again.
            log.exception("SMS %s to %s sent but not in the transcript", sent.sid, mask(number))
        return sent

    def place_call(
        self,
        *,
        to: str,
        url: str,
        status_callback: str,
        machine_detection: str | None = None,
        ring_seconds: int = 25,
    ) -> PlacedCall:
        """Ask Twilio to call ``to`` and fetch ``url`` for what to say, if the number may be called.

        Args:
            to: the customer's number, in any form ``normalize_phone`` reads.
            url: the voice webhook Twilio requests when the call is answered.
            status_callback: where Twilio posts the call's final status.
            machine_detection: ``Enable`` or ``DetectMessageEnd`` (Twilio's
                answering-machine detection), or None for none.
            ring_seconds: how long it rings before Twilio gives up (no-answer).

        Raises:
            CallRefused: the number may not be called (or is none). Nothing was asked of Twilio.
            OutboundUnavailable: Twilio refused the call (``rejected``, nothing
                placed), asks to slow down (``throttled``), or did not answer:
                then nobody knows whether the call was placed.
            CrmUnavailable: the CRM cannot say whether the number may be called.
        """
        number = self._allowed(to, marketing=True, channel=CALL_CHANNEL)
        options: dict[str, Any] = (
            {"machine_detection": machine_detection} if machine_detection else {}
        )
        try:
            call = self._client.calls.create(
                to=number,
                from_=self.from_number,
                url=url,
                status_callback=status_callback,
                timeout=ring_seconds,
                **options,
            )
        except TwilioRestException as exc:
            raise OutboundUnavailable(
                f"Twilio refused the call to {number}: {exc.msg}", status=exc.status, code=exc.code
            ) from exc
        except (TwilioException, OSError) as exc:
            raise OutboundUnavailable(f"Twilio cannot be reached: {exc!s}") from exc
        return _placed(call)

    def calls_since(self, *, to: str, since: dt.datetime) -> list[PlacedCall]:
        """Our calls to ``to`` that Twilio created at or after ``since``, newest first.

        Raises:
            OutboundUnavailable: Twilio could not be asked.
        """
        try:
            calls = self._client.calls.list(
                to=normalize_phone(to), from_=self.from_number, limit=LOG_DEPTH
            )
        except (TwilioException, OSError, InvalidContactData) as exc:
            raise OutboundUnavailable(f"Twilio's call log cannot be read: {exc!s}") from exc
        placed = [_placed(call) for call in calls]
        return [c for c in placed if c.created_at is None or c.created_at >= since]

    def fetch_call(self, sid: str) -> PlacedCall:
        """The call as Twilio has it now.

        Raises:
            OutboundUnavailable: Twilio could not be asked, or has no such call.
        """
        try:
            return _placed(self._client.calls(sid).fetch())
        except TwilioRestException as exc:
            raise OutboundUnavailable(
                f"Twilio has no call {sid}: {exc.msg}", status=exc.status, code=exc.code
            ) from exc
        except (TwilioException, OSError) as exc:
            raise OutboundUnavailable(f"Twilio cannot be reached: {exc!s}") from exc

    def texts_since(self, *, to: str, since: dt.datetime) -> list[SentSms]:
        """Our texts to ``to`` that Twilio created at or after ``since``, newest first.

        Raises:
            OutboundUnavailable: Twilio could not be asked.
        """
        try:
            number = normalize_phone(to)
            messages = self._client.messages.list(
                to=number, from_=self.from_number, limit=LOG_DEPTH
            )
        except (TwilioException, OSError, InvalidContactData) as exc:
            raise OutboundUnavailable(f"Twilio's message log cannot be read: {exc!s}") from exc
        return [
            SentSms(sid=str(m.sid), to=number, status=str(m.status))
            for m in messages
            if m.date_created is None or m.date_created >= since
        ]

    def _allowed(self, to: str, *, marketing: bool, channel: str = CHANNEL) -> str:
        refused = SmsRefused if channel == CHANNEL else CallRefused
        try:
            number = normalize_phone(to)
        except InvalidContactData as exc:
            raise refused(number=to, reason="not a phone number") from exc
        with self._uow_factory() as uow:
            refusal = consent.number_refusal(
                uow, phone=number, channel=channel, marketing=marketing
            )
        if refusal is not None:
            log.info("%s to %s refused: %s", channel, mask(number), refusal)
            raise refused(number=number, reason=refusal)
        return number

    def _record_opt_out(self, number: str) -> None:
        with self._uow_factory() as uow:
            consent.opt_out_number(uow, phone=number, channel=CHANNEL, source="twilio")
            uow.commit()


def _placed(call: Any) -> PlacedCall:
    duration = str(call.duration or "0")
    return PlacedCall(
        sid=str(call.sid),
        to=str(call.to),
        status=str(call.status),
        created_at=call.date_created,
        answered_by=str(call.answered_by) if call.answered_by else None,
        duration_seconds=int(duration) if duration.isdigit() else 0,
    )
