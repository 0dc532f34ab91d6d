"""The gateway's settings, the Twilio doors' among them: from the environment, with defaults
that work for the embedded demo."""

from __future__ import annotations

from channels.settings import GatewaySettings, TwilioSettings


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
