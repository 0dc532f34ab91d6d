"""The gateway's settings, the Twilio doors' among them: from the environment, with defaults
that work for the embedded demo."""

from __future__ import annotations

import pytest

from channels.settings import (
    GatewaySettings,
    TwilioSettings,
    parse_number_languages,
    parse_rasa_urls,
)


def test_settings_come_from_the_environment() -> None:
    settings = GatewaySettings.from_env(
        {
            "DATABASE_URL": "postgresql+psycopg://crm@db/icbot",
            "ICBOT_API_TOKEN": "secret",
            "ICBOT_PUBLIC_URL": "https://icbot.example/",
            "ICBOT_PORT": "9000",
            "ICBOT_RASA_URL": "http://rasa:5005",
        }
    )

    assert settings.crm.database_url == "postgresql+psycopg://crm@db/icbot"
    assert (settings.api_token, settings.public_url, settings.port) == (
        "secret",
        "https://icbot.example",
        9000,
    )
    assert (settings.host, settings.rasa_url, settings.rasa_token) == (
        "127.0.0.1",
        "http://rasa:5005",
        None,
    )


def test_settings_defaults_work_for_the_embedded_demo() -> None:
    settings = GatewaySettings.from_env({})

    assert (settings.api_token, settings.public_url, settings.host, settings.port) == (
        None,
        "http://localhost:8000",
        "127.0.0.1",
        8000,
    )
    assert settings.crm.database_url.startswith("sqlite:///")


def test_twilio_settings_come_from_the_environment() -> None:
    settings = GatewaySettings.from_env(
        {
            "TWILIO_ACCOUNT_SID": "AC123",
            "TWILIO_AUTH_TOKEN": "secret",
            "TWILIO_FROM_NUMBER": "+33900000000",
            "ICBOT_VOICE": "Polly.Celine",
            "ICBOT_VOICE_LANGUAGE": "fr-FR",
            "ICBOT_REPLY_BUDGET": "3.5",
            "ICBOT_FALLBACK_AGENT_NUMBER": "+33400000000",
            "ICBOT_COMPANY_NAME": "Lumen",
        }
    )

    assert settings.twilio == TwilioSettings(
        account_sid="AC123",
        auth_token="secret",
        from_number="+33900000000",
        voice="Polly.Celine",
        voice_language="fr-FR",
        reply_budget=3.5,
        fallback_number="+33400000000",
        company_name="Lumen",
    )


def test_twilio_defaults_work_for_the_embedded_demo() -> None:
    assert GatewaySettings.from_env({}).twilio == TwilioSettings(
        account_sid=None,
        auth_token=None,  # the gateway generates a demo token into var/
        from_number=None,  # outbound SMS are off
        voice="Polly.Amy",
        voice_language="en-GB",
        reply_budget=5.0,
        fallback_number=None,
        company_name="icbot",
    )


# --- languages --------------------------------------------------------------------------------


def test_rasa_urls_name_their_language_and_a_bare_url_is_englishs():
    settings = GatewaySettings.from_env(
        {
            "ICBOT_RASA_URLS": (
                " http://a:5005 , fr=http://b:5006,en=http://c:5007,fr=http://d:5008?x=1,"
            ),
        }
    )

    assert settings.rasa_urls == (
        ("en", "http://a:5005"),
        ("fr", "http://b:5006"),
        ("en", "http://c:5007"),
        ("fr", "http://d:5008?x=1"),
    )
    assert settings.rasa_servers == {
        "en": ("http://a:5005", "http://c:5007"),
        "fr": ("http://b:5006", "http://d:5008?x=1"),
    }


def test_without_rasa_urls_icbot_rasa_url_is_englishs():
    assert GatewaySettings.from_env({}).rasa_servers == {"en": ("http://127.0.0.1:5005",)}


@pytest.mark.parametrize("raw", ["de=http://a:1", "xx=http://a:1", "=http://a:1"])
def test_a_rasa_url_for_a_language_icbot_does_not_speak_stops_the_start(raw):
    with pytest.raises(ValueError, match="ICBOT_RASA_URLS"):
        parse_rasa_urls(raw)


def test_number_languages_are_e164_numbers_or_prefixes():
    assert parse_number_languages("+33 4 12 34 56 78=fr, +442071234567=en,+33=fr,") == {
        "+33412345678": "fr",
        "+442071234567": "en",
        "+33": "fr",
    }
    assert GatewaySettings.from_env({}).number_languages == {}


@pytest.mark.parametrize(
    "raw", ["+33412345678", "0412345678=fr", "+33abc=fr", "+33412345678=de", "=fr"]
)
def test_a_number_language_that_does_not_read_stops_the_start(raw):
    with pytest.raises(ValueError, match="ICBOT_NUMBER_LANGUAGES"):
        parse_number_languages(raw)
