"""The CRM's settings from the environment: the handoff rules and the desk's hours."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from crm_backend.opening_hours import InvalidOpeningHours
from crm_backend.settings import DEFAULT_WRAP_UP_CODES, CrmSettings, HandoffSettings


def test_handoff_settings_come_from_the_environment():
    settings = CrmSettings.from_env(
        {
            "ICBOT_DESK_HOURS": "mon-sun 07:00-22:00",
            "ICBOT_DESK_TIMEZONE": "America/Montreal",
            "ICBOT_HANDOFF_TOPICS": " Complaint ",
            "ICBOT_HANDOFF_ORDER_LIMIT": "10000.50",
            "ICBOT_WRAP_UP_CODES": "sold, lost ,",
            "ICBOT_HANDLE_MINUTES": "4.5",
        }
    ).handoff

    assert settings.hours.timezone == "America/Montreal"
    assert settings.hours.describe() == "Monday to Sunday, 7:00 to 22:00"
    assert (settings.topics, settings.order_limit) == (
        frozenset({"complaint"}),
        Decimal("10000.50"),
    )
    assert (settings.wrap_up_codes, settings.handle_minutes) == (("sold", "lost"), 4.5)


def test_handoff_defaults_work_for_the_demo():
    settings = CrmSettings.from_env({}).handoff

    assert settings == HandoffSettings()
    assert settings.hours.describe() == "Monday to Friday, 8:00 to 20:00; Saturday, 9:00 to 17:00"
    assert settings.hours.is_open(dt.datetime(2025, 11, 3, 9, 0, tzinfo=dt.UTC))
    assert (settings.topics, settings.order_limit) == (
        frozenset({"complaint", "cancellation"}),
        Decimal("10000"),
    )
    assert settings.wrap_up_codes == DEFAULT_WRAP_UP_CODES


def test_no_topics_and_no_order_limit_can_be_configured():
    settings = HandoffSettings.from_env(
        {"ICBOT_HANDOFF_TOPICS": "", "ICBOT_HANDOFF_ORDER_LIMIT": ""}
    )

    assert (settings.topics, settings.order_limit) == (frozenset(), None)


@pytest.mark.parametrize(
    ("env", "error"),
    [
        ({"ICBOT_DESK_HOURS": "always"}, InvalidOpeningHours),
        ({"ICBOT_DESK_TIMEZONE": "Nowhere/Else"}, InvalidOpeningHours),
        ({"ICBOT_HANDOFF_ORDER_LIMIT": "lots"}, ValueError),
    ],
)
def test_a_setting_that_does_not_parse_stops_the_start(env, error):
    with pytest.raises(error):
        HandoffSettings.from_env(env)
