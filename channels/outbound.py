"""Outbound messages through Twilio's REST API, wrapping the ``twilio`` library's ``Client``.

Sending SMS now; placing calls comes with call lists. Before anything
leaves, the CRM says whether the number may be texted
(:func:`crm_backend.services.consent.number_refusal`): a number that texted
STOP, or whose account is do-not-contact or opted out of SMS, is refused,
and so is a marketing text without an opt-in. Twilio's own refusal of a
number that opted out with it (error 21610) is recorded in the CRM too.

Configured by ``TWILIO_ACCOUNT_SID``, ``TWILIO_AUTH_TOKEN`` and
``TWILIO_FROM_NUMBER``. Tests give it a fake ``HttpClient`` (the library's
transport) that records each request and answers as Twilio's API does.

The client is synchronous, like the library: async callers run it in a
worker thread (``anyio.to_thread.run_sync``).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from twilio.base.exceptions import TwilioException, TwilioRestException
from twilio.http import HttpClient
from twilio.rest import Client

from crm_backend.errors import CrmUnavailable, InvalidContactData
from crm_backend.services import consent
from crm_backend.text import normalize_phone

from . import transcripts
from .settings import GatewaySettings
from .transcripts import UowFactory

log = logging.getLogger(__name__)

CHANNEL = "sms"
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


class OutboundUnavailable(OutboundError):
    """Twilio could not be reached, or refused the request for another reason."""

    def __init__(self, message: str, *, status: int | None = None, code: int | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.code = code


@dataclass(frozen=True)
class SentSms:
    """A text Twilio accepted: its id and first status (``queued``, ``accepted``)."""

    sid: str
    to: str
    status: str


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
            transcripts.record(
                self._uow_factory,
                conversation_id=f"sms-{number}",
                channel=CHANNEL,
                role="bot",
                texts=[(body, {"outbound": True, "sid": sent.sid, "marketing": marketing})],
            )
        except CrmUnavailable:
            # Sent is sent: the caller must not send it again.
            log.exception("SMS %s to %s sent but not in the transcript", sent.sid, number)
        return sent

    def _allowed(self, to: str, *, marketing: bool) -> str:
        try:
            number = normalize_phone(to)
        except InvalidContactData as exc:
            raise SmsRefused(number=to, reason="not a phone number") from exc
        with self._uow_factory() as uow:
            refusal = consent.number_refusal(
                uow, phone=number, channel=CHANNEL, marketing=marketing
            )
        if refusal is not None:
            log.info("SMS to %s refused: %s", number, refusal)
            raise SmsRefused(number=number, reason=refusal)
        return number

    def _record_opt_out(self, number: str) -> None:
        with self._uow_factory() as uow:
            consent.opt_out_number(uow, phone=number, channel=CHANNEL, source="twilio")
            uow.commit()
