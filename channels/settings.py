"""Settings of the gateway, read once from environment variables.

| variable | default | meaning |
| --- | --- | --- |
| ``ICBOT_API_TOKEN`` | generated into ``<ICBOT_VAR_DIR>/api_token`` | the integration token (``Authorization: Bearer …``) |
| ``ICBOT_PUBLIC_URL`` | ``http://localhost:8000`` | the gateway's public URL, as clients and Twilio see it |
| ``ICBOT_HOST`` | ``127.0.0.1`` | the address the gateway binds |
| ``ICBOT_PORT`` | ``8000`` | the port the gateway listens on |
| ``ICBOT_RASA_URL`` | ``http://127.0.0.1:5005`` | the Rasa server (REST channel and HTTP API) |
| ``ICBOT_RASA_URLS`` | none: ``ICBOT_RASA_URL`` alone, for English | the Rasa servers, comma-separated, each ``lang=url`` (``fr=http://127.0.0.1:5006``; a URL without ``lang=`` is English's); each language's servers share one tracker store with all the others, and each conversation goes to one server of its language (:mod:`channels.conversations.rasa_servers`, :mod:`channels.conversations.language`) |
| ``ICBOT_NUMBER_LANGUAGES`` | none | the language of each company number customers call or text, ``+33412345678=fr,+442071234567=en``; a key may be a prefix (``+33=fr``), the longest that matches wins |
| ``ICBOT_RASA_TOKEN`` | none | the token of Rasa's HTTP API |
| ``ICBOT_CHANNEL_SECRET`` | none (the launcher generates one per stack) | shown to Rasa's only input channel, ours (``bot/gateway_channel.py``), with every message |
| ``ICBOT_ACTIONS_URL`` | ``http://127.0.0.1:5055/webhook`` | the action server's webhook (``/healthz`` asks its ``/health``) |
| ``ICBOT_HEALTH_TIMEOUT`` | ``2`` | seconds each ``/healthz`` check may take |
| ``ICBOT_REDIS_URL`` | none: no lock store check | Rasa's Redis lock store (``redis://:PASSWORD@host:port/db``), which ``/healthz`` PINGs (:mod:`channels.health_stores`) |
| ``TWILIO_ACCOUNT_SID`` | none | the Twilio account that sends SMS (the outbound client); unset: outbound is off |
| ``TWILIO_AUTH_TOKEN`` | generated into ``<ICBOT_VAR_DIR>/twilio_auth_token`` | checks the signature of Twilio's webhooks and signs into Twilio's API; the generated one is for ``make call`` / ``make sms`` only |
| ``TWILIO_FROM_NUMBER`` | none | the company's Twilio number (E.164) that outbound SMS come from |
| ``ICBOT_VOICE`` | ``Polly.Amy`` | the voice of ``<Say>`` on the phone |
| ``ICBOT_VOICE_LANGUAGE`` | ``en-GB`` | the language of ``<Say>`` and of speech recognition |
| ``ICBOT_VOICE_FR`` | ``Polly.Lea`` | the voice of ``<Say>`` in a French conversation (:mod:`channels.twilio.phone_words`) |
| ``ICBOT_VOICE_LANGUAGE_FR`` | ``fr-FR`` | the language of ``<Say>`` and of speech recognition in a French conversation |
| ``ICBOT_REPLY_BUDGET`` | ``5`` | seconds the bot may take per turn on the phone and by SMS (Twilio gives up at 15) |
| ``ICBOT_FALLBACK_AGENT_NUMBER`` | none | where a call goes (``<Dial>``) when the bot cannot answer; unset: apologise and hang up |
| ``ICBOT_COMPANY_NAME`` | ``icbot`` | who "we" are in the SMS HELP answer |
| ``ICBOT_RELAY_NUMBERS`` | none: the ``<Gather>`` door on every number | the company numbers (E.164, comma-separated; ``*``: all) whose calls go to the streaming door on Twilio ConversationRelay (:mod:`channels.twilio.relay`, docs/phone.md) |
| ``ICBOT_RELAY_SPEECH_RATE`` | ``15`` | characters a second the relay door reckons the voice reads: it sends a reply's next sentence shortly before the one before is heard, so a caller who cuts in drops the rest |
| ``ICBOT_DIALER_CONCURRENCY`` | ``3`` | calls the dialer has under way at most (one counts until Twilio says it ended) |
| ``ICBOT_DIALER_INTERVAL`` | ``5`` | seconds between two rounds of the dialer |
| ``ICBOT_DIALER_RING_SECONDS`` | ``25`` | how long a call rings before it counts as no answer |
| ``ICBOT_SMS_PER_SECOND`` | ``1`` | campaign texts per second at most (Twilio queues a long code's beyond 1 a second) |
| ``ICBOT_DIALER_CLAIM_TIMEOUT`` | ``120`` | seconds after which a claim with no confirmed call is looked up in Twilio's log |
| ``ICBOT_DIALER_CALL_TIMEOUT`` | ``3600`` | seconds after which a call whose end never arrived is looked up by its sid |
| ``ICBOT_RATE_LIMIT_STORAGE``, ``ICBOT_TRUSTED_PROXIES``, ``ICBOT_LIMIT_*`` | see :mod:`channels.limits` | the doors' rate limits |
| ``ICBOT_MAX_BODY_BYTES`` | ``65536`` | the largest request body on any route; a larger one gets 413 before it is parsed (:mod:`channels.guards`) |

The CRM's own settings (``DATABASE_URL``, ``ICBOT_VAR_DIR``, …) are in
:mod:`crm_backend.settings`.
"""  # noqa: E501 - a table reads better on one line

from __future__ import annotations

import contextlib
import os
from collections.abc import Mapping
from dataclasses import dataclass, field

from crm_backend.errors import InvalidContactData
from crm_backend.settings import CrmSettings
from crm_backend.text import normalize_phone
from languages import DEFAULT, languages

from .guards import DEFAULT_MAX_BODY_BYTES
from .limits import LimitSettings

# ICBOT_RELAY_NUMBERS: every number.
ALL_NUMBERS = "*"


@dataclass(frozen=True)
class TwilioSettings:
    """The phone and SMS doors' settings: Twilio credentials, voice and the reply budget."""

    account_sid: str | None = None
    auth_token: str | None = None
    from_number: str | None = None
    voice: str = "Polly.Amy"
    voice_language: str = "en-GB"
    voice_fr: str = "Polly.Lea"
    voice_language_fr: str = "fr-FR"
    reply_budget: float = 5.0
    fallback_number: str | None = None
    company_name: str = "icbot"
    # The numbers whose calls take the ConversationRelay door (ICBOT_RELAY_NUMBERS); "*": all.
    relay_numbers: tuple[str, ...] = ()
    relay_speech_rate: float = 15.0

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> TwilioSettings:
        """Read the settings from ``env``.

        Raises:
            ValueError: ``ICBOT_RELAY_NUMBERS`` names something that is not a phone number,
                or ``ICBOT_RELAY_SPEECH_RATE`` is not a positive number.
        """
        rate = float(env.get("ICBOT_RELAY_SPEECH_RATE") or "15")
        if not rate > 0:
            raise ValueError(f"ICBOT_RELAY_SPEECH_RATE must be positive, not {rate}")
        return cls(
            account_sid=env.get("TWILIO_ACCOUNT_SID") or None,
            auth_token=env.get("TWILIO_AUTH_TOKEN") or None,
            from_number=env.get("TWILIO_FROM_NUMBER") or None,
            voice=env.get("ICBOT_VOICE") or "Polly.Amy",
            voice_language=env.get("ICBOT_VOICE_LANGUAGE") or "en-GB",
            voice_fr=env.get("ICBOT_VOICE_FR") or "Polly.Lea",
            voice_language_fr=env.get("ICBOT_VOICE_LANGUAGE_FR") or "fr-FR",
            reply_budget=float(env.get("ICBOT_REPLY_BUDGET") or "5"),
            fallback_number=env.get("ICBOT_FALLBACK_AGENT_NUMBER") or None,
            company_name=env.get("ICBOT_COMPANY_NAME") or "icbot",
            relay_numbers=parse_relay_numbers(env.get("ICBOT_RELAY_NUMBERS") or ""),
            relay_speech_rate=rate,
        )

    def relays(self, number: str) -> bool:
        """Whether calls to our ``number`` take the ConversationRelay door."""
        if ALL_NUMBERS in self.relay_numbers:
            return True
        try:
            return normalize_phone(number) in self.relay_numbers
        except InvalidContactData:
            return False


@dataclass(frozen=True)
class DialerSettings:
    """How the dialer works the bot's call lists (``python -m channels.dialer``)."""

    concurrency: int = 3
    interval: float = 5.0
    ring_seconds: int = 25
    sms_per_second: float = 1.0
    claim_timeout: float = 120.0
    call_timeout: float = 3600.0

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> DialerSettings:
        """Read the settings from ``env``.

        Raises:
            ValueError: a value that is not a positive number.
        """
        settings = cls(
            concurrency=int(env.get("ICBOT_DIALER_CONCURRENCY") or "3"),
            interval=float(env.get("ICBOT_DIALER_INTERVAL") or "5"),
            ring_seconds=int(env.get("ICBOT_DIALER_RING_SECONDS") or "25"),
            sms_per_second=float(env.get("ICBOT_SMS_PER_SECOND") or "1"),
            claim_timeout=float(env.get("ICBOT_DIALER_CLAIM_TIMEOUT") or "120"),
            call_timeout=float(env.get("ICBOT_DIALER_CALL_TIMEOUT") or "3600"),
        )
        for name, value in vars(settings).items():
            if not value > 0:
                raise ValueError(f"the dialer's {name} must be positive, not {value}")
        return settings


@dataclass(frozen=True)
class GatewaySettings:
    """What the gateway needs from its environment."""

    crm: CrmSettings
    api_token: str | None = None
    public_url: str = "http://localhost:8000"
    host: str = "127.0.0.1"
    port: int = 8000
    rasa_url: str = "http://127.0.0.1:5005"
    # Several servers (ICBOT_RASA_URLS), as (language, url); empty: rasa_url alone, English's.
    rasa_urls: tuple[tuple[str, str], ...] = ()
    # The language of each company number (ICBOT_NUMBER_LANGUAGES), E.164 or a prefix of one.
    number_languages: Mapping[str, str] = field(default_factory=dict)
    rasa_token: str | None = None
    channel_secret: str | None = None
    actions_url: str = "http://127.0.0.1:5055/webhook"
    health_timeout: float = 2.0
    # Rasa's Redis lock store (scaled mode), for /healthz; None: not checked.
    redis_url: str | None = None
    twilio: TwilioSettings = field(default_factory=TwilioSettings)
    dialer: DialerSettings = field(default_factory=DialerSettings)
    limits: LimitSettings = field(default_factory=LimitSettings)
    max_body_bytes: int = DEFAULT_MAX_BODY_BYTES

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> GatewaySettings:
        """Read the settings from ``environ`` (default: ``os.environ``)."""
        env = os.environ if environ is None else environ
        return cls(
            crm=CrmSettings.from_env(dict(env)),
            api_token=env.get("ICBOT_API_TOKEN") or None,
            public_url=(env.get("ICBOT_PUBLIC_URL") or "http://localhost:8000").rstrip("/"),
            host=env.get("ICBOT_HOST") or "127.0.0.1",
            port=int(env.get("ICBOT_PORT") or "8000"),
            rasa_url=env.get("ICBOT_RASA_URL") or "http://127.0.0.1:5005",
            rasa_urls=parse_rasa_urls(env.get("ICBOT_RASA_URLS") or ""),
            number_languages=parse_number_languages(env.get("ICBOT_NUMBER_LANGUAGES") or ""),
            rasa_token=env.get("ICBOT_RASA_TOKEN") or None,
            channel_secret=env.get("ICBOT_CHANNEL_SECRET") or None,
            actions_url=env.get("ICBOT_ACTIONS_URL") or "http://127.0.0.1:5055/webhook",
            health_timeout=float(env.get("ICBOT_HEALTH_TIMEOUT") or "2"),
            redis_url=env.get("ICBOT_REDIS_URL") or None,
            twilio=TwilioSettings.from_env(env),
            dialer=DialerSettings.from_env(env),
            limits=LimitSettings.from_env(env),
            max_body_bytes=int(env.get("ICBOT_MAX_BODY_BYTES") or DEFAULT_MAX_BODY_BYTES),
        )

    @property
    def rasa_servers(self) -> dict[str, tuple[str, ...]]:
        """Each language's Rasa servers: ``ICBOT_RASA_URLS`` when set, else ``ICBOT_RASA_URL``."""
        pools: dict[str, tuple[str, ...]] = {}
        for language, url in self.rasa_urls or ((DEFAULT, self.rasa_url),):
            pools[language] = (*pools.get(language, ()), url)
        return pools


def _language(code: str, variable: str) -> str:
    code = code.strip()
    if code not in languages():
        raise ValueError(f"{variable}: {code!r} is no language icbot speaks ({languages()})")
    return code


def parse_rasa_urls(raw: str) -> tuple[tuple[str, str], ...]:
    """``ICBOT_RASA_URLS``: ``[lang=]url`` entries, comma-separated; no ``lang=``: English.

    Raises:
        ValueError: an entry names a language icbot does not speak.
    """
    entries = []
    for entry in raw.split(","):
        entry = entry.strip()
        if not entry:
            continue
        language, sep, url = entry.partition("=")
        if sep and "://" not in language:
            entries.append((_language(language, "ICBOT_RASA_URLS"), url.strip()))
        else:
            entries.append((DEFAULT, entry))
    return tuple(entries)


def parse_relay_numbers(raw: str) -> tuple[str, ...]:
    """``ICBOT_RELAY_NUMBERS``: E.164 numbers, comma-separated, normalized; ``*`` for all.

    Raises:
        ValueError: an entry that is not a phone number.
    """
    numbers: list[str] = []
    for entry in raw.split(","):
        entry = entry.strip()
        if not entry:
            continue
        if entry == ALL_NUMBERS:
            return (ALL_NUMBERS,)
        try:
            numbers.append(normalize_phone(entry))
        except InvalidContactData as exc:
            raise ValueError(f"ICBOT_RELAY_NUMBERS: {entry!r} is not a phone number") from exc
    return tuple(dict.fromkeys(numbers))


def parse_number_languages(raw: str) -> dict[str, str]:
    """``ICBOT_NUMBER_LANGUAGES``: ``number=lang`` entries, comma-separated, numbers in E.164.

    A full number is normalized (``+33 4 12 34 56 78``); a shorter key (``+33``) is a prefix.

    Raises:
        ValueError: an entry without ``=``, not a number, or a language icbot does not speak.
    """
    numbers: dict[str, str] = {}
    for entry in raw.split(","):
        if not entry.strip():
            continue
        number, sep, language = entry.partition("=")
        compact = "".join(number.split())
        if not sep or not compact.startswith("+") or not compact[1:].isdigit():
            raise ValueError(f"ICBOT_NUMBER_LANGUAGES: {entry.strip()!r} is not +number=lang")
        # Not a whole number: a prefix ("+33" names every French number).
        with contextlib.suppress(InvalidContactData):
            compact = normalize_phone(compact)
        numbers[compact] = _language(language, "ICBOT_NUMBER_LANGUAGES")
    return numbers
