"""``python -m channels.dialer [--once]``: the dialer as a process of its own."""

from __future__ import annotations

import argparse
import logging
import signal
import sys
import threading
from collections.abc import Sequence
from types import FrameType

from twilio.http.http_client import TwilioHttpClient

from crm_backend.db import build_session_factory
from crm_backend.errors import CrmError
from crm_backend.uow import SqlAlchemyUnitOfWork

from ..settings import GatewaySettings
from ..twilio.outbound import OutboundError, OutboundNotConfigured, TwilioOutbound
from .rounds import Dialer

log = logging.getLogger(__name__)

# Seconds a request to Twilio may take: well below the claim timeout, so a
# claim is settled from Twilio's log only once its own request is over.
HTTP_TIMEOUT = 30.0


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m channels.dialer [--once]``: run the dialer until SIGINT or SIGTERM."""
    parser = argparse.ArgumentParser(
        prog="python -m channels.dialer",
        description="Work the bot's active call lists: place calls and send texts through Twilio.",
    )
    parser.add_argument("--once", action="store_true", help="run one round, then stop")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    try:
        settings = GatewaySettings.from_env()
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    sessions = build_session_factory(settings.crm)

    def uow_factory() -> SqlAlchemyUnitOfWork:
        return SqlAlchemyUnitOfWork(sessions)

    try:
        outbound = TwilioOutbound.from_settings(
            settings, uow_factory, http_client=TwilioHttpClient(timeout=HTTP_TIMEOUT)
        )
    except OutboundNotConfigured as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    dialer = Dialer(
        uow_factory=uow_factory,
        outbound=outbound,
        settings=settings.dialer,
        public_url=settings.public_url,
    )
    if args.once:
        report = dialer.run_round()
        print(
            f"called {len(report.placed)}, texted {len(report.texted)}, "
            f"excluded {len(report.excluded)}, failed {len(report.failed)}, "
            f"adopted {len(report.adopted)}, released {len(report.released)}, "
            f"{report.in_flight} under way"
        )
        return 0
    stop = threading.Event()

    def on_signal(_signum: int, _frame: FrameType | None) -> None:
        stop.set()

    signal.signal(signal.SIGINT, on_signal)
    signal.signal(signal.SIGTERM, on_signal)
    log.info("dialer: working the bot's call lists (Ctrl-C stops)")
    try:
        dialer.run(should_stop=stop.is_set, sleep=stop.wait)
    except (CrmError, OutboundError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    return 0
