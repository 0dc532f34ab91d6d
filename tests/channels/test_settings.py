"""The Twilio doors' settings: from the environment, with defaults that work for the demo."""

from __future__ import annotations

from channels.settings import GatewaySettings, TwilioSettings


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
