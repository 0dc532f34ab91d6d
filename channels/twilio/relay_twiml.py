"""The TwiML of the streaming phone door: ``<Connect><ConversationRelay>``, and what follows it.

A call to a number of ``ICBOT_RELAY_NUMBERS`` is answered with::

    <Connect action="{public}/twilio/relay/ended">
      <ConversationRelay url="wss://{host}/twilio/relay?call={CallSid}" language="en-GB"
          ttsProvider="Amazon" voice="Amy-Neural" interruptible="any" dtmfDetection="true"
          hints="…"><Language code="fr-FR" ttsProvider="Amazon" voice="Lea-Neural"/>…
      </ConversationRelay>
    </Connect>

Twilio then opens the WebSocket (:mod:`channels.twilio.relay`), signing the
upgrade for that URL: the ``call`` in it ties the signature to one call. No
``welcomeGreeting``: the bot greets the caller over the socket, knowing them
by number, as on the ``<Gather>`` door. The language is the conversation's
(the number's, ``ICBOT_NUMBER_LANGUAGES``, for a call that just came in); a
``<Language>`` per language the doors speak lets the socket switch to
another one when the caller or their account does.

The voice is the ``<Say>`` voice of the language (``ICBOT_VOICE``,
``ICBOT_VOICE_FR``) said the way ConversationRelay names voices:
``Polly.Amy`` is Amazon's ``Amy-Neural`` (a Polly name with an engine,
``Polly.Amy-Generative``, keeps it), ``Google.en-GB-Neural2-A`` is Google's
``en-GB-Neural2-A``; any other name goes as it is, with Twilio's default
provider.

When the socket sends ``end`` (the bot said goodbye, handed the call to a
person, or could not answer), Twilio posts the ``action`` URL with the
``HandoffData`` the socket gave (``{"reason": …}``) and the session's
``SessionStatus``; :func:`after_session` is the answer: ``<Hangup/>``, or
``<Dial>`` to the agents' line (``ICBOT_FALLBACK_AGENT_NUMBER``).
"""

from __future__ import annotations

import json

from twilio.twiml.voice_response import VoiceResponse

from ..conversation_language import DEFAULT, SUPPORTED
from ..conversations.language import number_language
from ..settings import GatewaySettings, TwilioSettings
from . import phone_words
from .phone_text import speech_hints
from .security import SignedRequest
from .voice_twiml import VoiceTwiml

SOCKET_PATH = "/twilio/relay"
ENDED_PATH = "/twilio/relay/ended"
# Why the socket ended the session (the "reason" of its handoffData).
GOODBYE = "goodbye"
HANDOFF = "handoff"
FAILED = "failed"
REASONS = frozenset({GOODBYE, HANDOFF, FAILED})
# Twilio's SessionStatus when the session could not run (the socket was unreachable or broke).
SESSION_FAILED = "failed"
# HandoffData is ours: a small JSON object; anything larger is not.
MAX_HANDOFF_DATA = 1024
_PROVIDERS = {"Polly": "Amazon", "Google": "Google", "ElevenLabs": "ElevenLabs"}


def websocket_base(public_url: str) -> str:
    """The public URL with the WebSocket scheme: ``https`` is ``wss``, ``http`` is ``ws``."""
    scheme, sep, rest = public_url.rstrip("/").partition("://")
    if not sep:
        return public_url
    return {"https": "wss", "http": "ws"}.get(scheme.lower(), scheme) + "://" + rest


def socket_url(public_url: str, call_sid: str) -> str:
    """The URL Twilio opens for the call, and signs."""
    return f"{websocket_base(public_url)}{SOCKET_PATH}?call={call_sid}"


def relay_voice(say_voice: str) -> tuple[str | None, str]:
    """The ConversationRelay ``ttsProvider`` and ``voice`` for a ``<Say>`` voice name."""
    prefix, dot, name = say_voice.partition(".")
    provider = _PROVIDERS.get(prefix) if dot else None
    if provider is None:
        return None, say_voice
    if provider == "Amazon" and "-" not in name:
        return provider, f"{name}-Neural"
    return provider, name


def call_language(settings: GatewaySettings, to: str, known: str) -> str:
    """The language a call starts in: the conversation's when known, else our number's."""
    if known != DEFAULT:
        return known
    by_number = number_language(to, settings.number_languages)
    if by_number is not None and by_number in SUPPORTED:
        return by_number
    return DEFAULT


def connect(
    settings: GatewaySettings, *, call_sid: str, language: str, hints: str
) -> VoiceResponse:
    """``<Connect><ConversationRelay>`` for the call, in ``language``."""
    twilio = settings.twilio
    response = VoiceResponse()
    connect_verb = response.connect(action=f"{settings.public_url}{ENDED_PATH}", method="POST")
    voice, voice_language = phone_words.voice(twilio, language)
    provider, relay_voice_name = relay_voice(voice)
    relay = connect_verb.conversation_relay(
        url=socket_url(settings.public_url, call_sid),
        language=voice_language,
        tts_provider=provider,
        voice=relay_voice_name,
        interruptible="any",
        dtmf_detection=True,
        hints=hints or None,
    )
    for other in SUPPORTED:
        other_voice, other_language = phone_words.voice(twilio, other)
        other_provider, other_name = relay_voice(other_voice)
        relay.language(code=other_language, tts_provider=other_provider, voice=other_name)
    return response


def connect_call(
    settings: GatewaySettings, call: SignedRequest, *, known_language: str, products: list[str]
) -> VoiceResponse:
    """The answer to a call that came in on a relay number (``POST /twilio/voice``)."""
    language = call_language(settings, call.get("To"), known_language)
    hints = speech_hints(products=products, language=language)
    return connect(settings, call_sid=call.get("CallSid"), language=language, hints=hints)


def handoff_data(reason: str) -> str:
    """The ``handoffData`` of the socket's ``end`` message."""
    return json.dumps({"reason": reason})


def reason_of(raw: str) -> str | None:
    """The reason in Twilio's ``HandoffData``: ours, or None (absent, too long, not ours)."""
    if not raw or len(raw) > MAX_HANDOFF_DATA:
        return None
    try:
        data = json.loads(raw)
    except ValueError:
        return None
    reason = data.get("reason") if isinstance(data, dict) else None
    return reason if reason in REASONS else None


def after_session(
    twilio: TwilioSettings,
    *,
    public_url: str,
    reason: str | None,
    session_status: str,
    language: str,
) -> VoiceResponse:
    """What the call does once the session ended: put through to a person, or hang up.

    The socket said its last words already (the goodbye, the bot's handoff
    lines or the apology). A session that failed without a word from us
    (the socket never answered) gets the ``<Gather>`` door's apology here.
    """
    agents = twilio.fallback_number
    response = VoiceResponse()
    if reason in (HANDOFF, FAILED) and agents:
        response.dial(agents)
        return response
    if reason is None and session_status == SESSION_FAILED:
        return VoiceTwiml(twilio, public_url=public_url, language=language).failed()
    response.hangup()
    return response
