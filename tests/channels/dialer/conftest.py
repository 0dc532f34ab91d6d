"""Fixtures of the dialer's tests: a fake clock, a Twilio that can die midway, the phone network.

- ``clock``: Monday 3 November 2025, early; :func:`at_lyon` names a time of that day in Lyon.
- ``twilio``: Twilio's API in memory (:class:`~tests.channels.dialer_fakes.DyingTwilio`);
  ``network``: the phone network, posting status callbacks to the gateway.
- ``start_dialer``: a new dialer process on them, :data:`LIMIT` calls at once;
  ``sms_dialer``: one for an SMS campaign, at 10:00 in Lyon.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from zoneinfo import ZoneInfo

import pytest
from fastapi.testclient import TestClient

from channels.dialer import Dialer
from channels.settings import DialerSettings
from channels.twilio.outbound import TwilioOutbound
from channels.twilio.simulator import SignedPoster
from crm_backend.uow import SqlAlchemyUnitOfWork
from tests.channels.dialer_fakes import (
    COMPANY,
    MONDAY_EARLY,
    DyingTwilio,
    FakeClock,
    PhoneNetwork,
    eclipse_owners_in_lyon,
)
from tests.channels.twilio_fakes import ACCOUNT_SID, AUTH_TOKEN, PUBLIC_URL

LYON = ZoneInfo("Europe/Paris")


LIMIT = 2


Uows = Callable[[], SqlAlchemyUnitOfWork]


def at_lyon(hour: int, minute: int = 0) -> dt.datetime:
    """Monday 3 November 2025 at that time in Lyon, in UTC."""
    return dt.datetime(2025, 11, 3, hour, minute, tzinfo=LYON).astimezone(dt.UTC)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(MONDAY_EARLY)


@pytest.fixture
def twilio(clock: FakeClock) -> DyingTwilio:
    return DyingTwilio(clock)


@pytest.fixture
def network(
    twilio: DyingTwilio, signed_poster: SignedPoster, twilio_gateway: TestClient, clock: FakeClock
) -> PhoneNetwork:
    """The phone network, posting status callbacks to the gateway, which reads the fake clock."""
    twilio_gateway.app.state.clock = clock
    return PhoneNetwork(twilio=twilio, poster=signed_poster, clock=clock)


@pytest.fixture
def start_dialer(uow_factory: Uows, twilio: DyingTwilio, clock: FakeClock) -> Callable[[], Dialer]:
    """Starts a dialer process (a new one each time: only the database survives a restart)."""

    def start() -> Dialer:
        outbound = TwilioOutbound(
            account_sid=ACCOUNT_SID,
            auth_token=AUTH_TOKEN,
            from_number=COMPANY,
            uow_factory=uow_factory,
            http_client=twilio,
        )
        return Dialer(
            uow_factory=uow_factory,
            outbound=outbound,
            settings=DialerSettings(concurrency=LIMIT, ring_seconds=20),
            public_url=PUBLIC_URL,
            clock=clock,
        )

    return start


@pytest.fixture
def sms_dialer(
    uow_factory: Uows, twilio: DyingTwilio, clock: FakeClock
) -> tuple[Dialer, FakeClock]:
    eclipse_owners_in_lyon(uow_factory, channel="sms", message="Lumen: the Éclipse 3000, -10%.")
    outbound = TwilioOutbound(
        account_sid=ACCOUNT_SID,
        auth_token=AUTH_TOKEN,
        from_number=COMPANY,
        uow_factory=uow_factory,
        http_client=twilio,
    )
    dialer = Dialer(
        uow_factory=uow_factory,
        outbound=outbound,
        settings=DialerSettings(sms_per_second=2, interval=5),
        public_url=PUBLIC_URL,
        clock=clock,
    )
    clock.now = at_lyon(10)
    return dialer, clock
