"""The dialer's rounds: settle what is unsettled, place calls, send texts (see the package)."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from dataclasses import dataclass, field

from crm_backend.errors import CrmUnavailable
from crm_backend.models import ContactChannel, utcnow
from crm_backend.services import call_list_entries as entries
from crm_backend.services import placed_calls

from ..deps import UowFactory
from ..settings import DialerSettings
from ..twilio.outbound import (
    CallRefused,
    OutboundUnavailable,
    PlacedCall,
    SentSms,
    SmsRefused,
    TwilioOutbound,
)
from ..twilio.outbound_calls import status_url, voice_url

log = logging.getLogger(__name__)

Clock = Callable[[], dt.datetime]
# Twilio dates its records to the second, and clocks drift: look a little before a claim.
LOG_SKEW = dt.timedelta(seconds=30)
FINAL_CALL_STATUSES = placed_calls.FINAL_STATUSES


@dataclass
class Round:
    """What one round did, and how long the dialer may wait before the next."""

    placed: list[int] = field(default_factory=list)
    texted: list[int] = field(default_factory=list)
    excluded: list[int] = field(default_factory=list)
    failed: list[int] = field(default_factory=list)
    adopted: list[int] = field(default_factory=list)
    released: list[int] = field(default_factory=list)
    in_flight: int = 0
    wait: float = 0.0


class _Stop(Exception):
    """Twilio or the CRM asks us to stop this round (throttled, down)."""


class Dialer:
    """Places the bot's calls and texts, a round at a time, on an injected clock."""

    def __init__(
        self,
        *,
        uow_factory: UowFactory,
        outbound: TwilioOutbound,
        settings: DialerSettings,
        public_url: str,
        clock: Clock = utcnow,
    ) -> None:
        self._uows = uow_factory
        self._outbound = outbound
        self._settings = settings
        self._public_url = public_url.rstrip("/")
        self._clock = clock
        # Texts may go out at sms_per_second, with a burst of one second's worth.
        self._burst = max(1.0, settings.sms_per_second)
        self._allowance = self._burst
        self._allowance_at: dt.datetime | None = None

    def run_round(self) -> Round:
        """Reconcile, call, text; never raises for Twilio or the CRM being down."""
        now = self._clock()
        report = Round(wait=self._settings.interval)
        try:
            self._reconcile(now, report)
            self._call(now, report)
            self._text(now, report)
        except (_Stop, CrmUnavailable, OutboundUnavailable) as exc:
            log.warning("dialer round cut short: %s", exc)
        try:
            with self._uows() as uow:
                report.in_flight = len(entries.held_by(uow, by=entries.DIALER))
        except CrmUnavailable:
            log.warning("the CRM cannot be reached")
        return report

    def run(self, *, should_stop: Callable[[], bool], sleep: Callable[[float], object]) -> None:
        """Run rounds until ``should_stop()``, sleeping as each round allows."""
        while not should_stop():
            report = self.run_round()
            if report.placed or report.texted or report.adopted:
                log.info(
                    "dialer: %d called, %d texted, %d adopted, %d under way",
                    len(report.placed),
                    len(report.texted),
                    len(report.adopted),
                    report.in_flight,
                )
            sleep(report.wait)

    # --- reconcile ---------------------------------------------------------------------

    def _reconcile(self, now: dt.datetime, report: Round) -> None:
        claim_limit = now - dt.timedelta(seconds=self._settings.claim_timeout)
        call_limit = now - dt.timedelta(seconds=self._settings.call_timeout)
        with self._uows() as uow:
            stale = [
                (e.id, e.account.primary_phone, e.call_list.campaign.channel, e.claimed_at or now)
                for e in entries.unconfirmed_claims(
                    uow, by=entries.DIALER, claimed_before=claim_limit
                )
            ]
            lost = [
                (e.id, e.call_sid or "")
                for e in entries.unfinished_calls(uow, by=entries.DIALER, placed_before=call_limit)
            ]
        for entry_id, phone, channel, claimed_at in stale:
            try:
                self._settle_claim(entry_id, phone, channel, claimed_at - LOG_SKEW, now, report)
            except OutboundUnavailable as exc:
                log.warning("entry %s: claim left for the next round: %s", entry_id, exc)
        for entry_id, sid in lost:
            try:
                call = self._outbound.fetch_call(sid)
            except OutboundUnavailable as exc:
                log.warning("entry %s: call %s not looked up: %s", entry_id, sid, exc)
                continue
            if call.status in FINAL_CALL_STATUSES:
                log.info("entry %s: call %s ended without a status callback", entry_id, sid)
                self._ended(entry_id, call, now)

    def _settle_claim(
        self,
        entry_id: int,
        phone: str | None,
        channel: str,
        since: dt.datetime,
        now: dt.datetime,
        report: Round,
    ) -> None:
        """Adopt what Twilio did for an unconfirmed claim, or put the entry back."""
        calls: list[PlacedCall] = []
        texts: list[SentSms] = []
        if phone is not None and channel == ContactChannel.SMS:
            texts = self._outbound.texts_since(to=phone, since=since)
        elif phone is not None:
            calls = self._outbound.calls_since(to=phone, since=since)
        with self._uows() as uow:
            if texts:
                entry = entries.get_entry(uow, entry_id=entry_id)
                entries.sms_sent(
                    uow,
                    entry_id=entry_id,
                    by=entries.DIALER,
                    message_sid=texts[-1].sid,
                    text=entry.call_list.campaign.message,
                    now=now,
                )
            elif calls:
                # Newest first: the oldest since the claim is the one the claim placed.
                placed = calls[-1]
                placed_calls.call_placed(
                    uow, entry_id=entry_id, call_sid=placed.sid, now=placed.created_at or now
                )
            else:
                entries.release(uow, entry_id=entry_id, by=entries.DIALER)
            uow.commit()
        if not (calls or texts):
            log.info("entry %s: nothing was placed before the dialer stopped: pending", entry_id)
            report.released.append(entry_id)
            return
        log.info("entry %s: adopting what Twilio did before the dialer stopped", entry_id)
        report.adopted.append(entry_id)
        if calls and calls[-1].status in FINAL_CALL_STATUSES:
            self._ended(entry_id, calls[-1], now)

    def _ended(self, entry_id: int, call: PlacedCall, now: dt.datetime) -> None:
        with self._uows() as uow:
            placed_calls.call_ended(
                uow,
                entry_id=entry_id,
                call_sid=call.sid,
                status=call.status,
                duration_seconds=call.duration_seconds,
                answered_by=call.answered_by or "",
                now=now,
            )
            uow.commit()

    # --- call ----------------------------------------------------------------------------

    def _call(self, now: dt.datetime, report: Round) -> None:
        with self._uows() as uow:
            under_way = len(entries.held_by(uow, by=entries.DIALER))
            free = self._settings.concurrency - under_way
            if free <= 0:
                return
            due = [e.id for e in entries.due_entries(uow, now=now, channel=ContactChannel.PHONE)]
        for entry_id in due:
            if len(report.placed) >= free:
                return
            self._call_one(entry_id, now, report)

    def _call_one(self, entry_id: int, now: dt.datetime, report: Round) -> None:
        target = self._claim(entry_id, now, report)
        if target is None:
            return
        phone, machine_message = target
        try:
            call = self._outbound.place_call(
                to=phone,
                url=voice_url(self._public_url, entry_id),
                status_callback=status_url(self._public_url, entry_id),
                machine_detection="DetectMessageEnd" if machine_message else "Enable",
                ring_seconds=self._settings.ring_seconds,
            )
        except CallRefused as exc:
            self._exclude(entry_id, exc.reason, report)
            return
        except OutboundUnavailable as exc:
            self._unplaced(entry_id, exc, now, report)
            return
        with self._uows() as uow:
            placed_calls.call_placed(uow, entry_id=entry_id, call_sid=call.sid, now=now)
            uow.commit()
        report.placed.append(entry_id)

    def _claim(self, entry_id: int, now: dt.datetime, report: Round) -> tuple[str, str] | None:
        """Claim the entry and commit; its number and machine message, or None if not to call."""
        with self._uows() as uow:
            if not entries.claim(uow, entry_id=entry_id, by=entries.DIALER, now=now):
                return None
            uow.commit()
        with self._uows() as uow:
            entry = entries.get_entry(uow, entry_id=entry_id)
            reason = entries.refusal(uow, entry=entry)
            phone = entry.account.primary_phone
            message = entry.call_list.campaign.message
        if reason is not None or phone is None:
            self._exclude(entry_id, reason or entries.NO_PHONE, report)
            return None
        return phone, message

    def _exclude(self, entry_id: int, reason: str, report: Round) -> None:
        with self._uows() as uow:
            entries.exclude(uow, entry_id=entry_id, by=entries.DIALER, reason=reason)
            uow.commit()
        log.info("entry %s excluded at dial time: %s", entry_id, reason)
        report.excluded.append(entry_id)

    def _unplaced(
        self, entry_id: int, exc: OutboundUnavailable, now: dt.datetime, report: Round
    ) -> None:
        if exc.throttled:
            with self._uows() as uow:
                entries.release(uow, entry_id=entry_id, by=entries.DIALER)
                uow.commit()
            report.released.append(entry_id)
            raise _Stop("Twilio asks to slow down") from exc
        if exc.rejected:
            with self._uows() as uow:
                entries.contact_failed(
                    uow, entry_id=entry_id, by=entries.DIALER, reason=str(exc), now=now
                )
                uow.commit()
            report.failed.append(entry_id)
            return
        # Unknown whether Twilio placed it: the claim stays, to be settled from Twilio's log.
        raise _Stop(f"entry {entry_id} left for reconciliation: {exc}") from exc

    # --- text ----------------------------------------------------------------------------

    def _text(self, now: dt.datetime, report: Round) -> None:
        self._refill(now)
        with self._uows() as uow:
            due = [e.id for e in entries.due_entries(uow, now=now, channel=ContactChannel.SMS)]
        for entry_id in due:
            if self._allowance < 1:
                report.wait = min(
                    report.wait, (1 - self._allowance) / self._settings.sms_per_second
                )
                return
            if self._text_one(entry_id, now, report):
                self._allowance -= 1

    def _refill(self, now: dt.datetime) -> None:
        if self._allowance_at is not None:
            elapsed = max((now - self._allowance_at).total_seconds(), 0.0)
            self._allowance = min(
                self._burst, self._allowance + elapsed * self._settings.sms_per_second
            )
        self._allowance_at = now

    def _text_one(self, entry_id: int, now: dt.datetime, report: Round) -> bool:
        """Text one entry; whether Twilio was asked (it counts against the rate)."""
        target = self._claim(entry_id, now, report)
        if target is None:
            return False
        phone, text = target
        try:
            sent = self._outbound.send_sms(to=phone, body=text, marketing=True)
        except SmsRefused as exc:
            self._exclude(entry_id, exc.reason, report)
            return False
        except OutboundUnavailable as exc:
            self._unplaced(entry_id, exc, now, report)
            return True
        with self._uows() as uow:
            entries.sms_sent(
                uow,
                entry_id=entry_id,
                by=entries.DIALER,
                message_sid=sent.sid,
                text=text,
                now=now,
            )
            uow.commit()
        report.texted.append(entry_id)
        return True
