"""The dialer on the fake Twilio API and a fake clock, its calls ended through the real gateway.

Calls go out only inside calling hours, never more at once than the limit;
no-answers are tried again after the delay up to the maximum; a dialer
killed midway and restarted calls nobody twice; an SMS campaign keeps to its rate.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest

from channels.dialer import Dialer
from crm_backend.models import ConsentStatus, ContactChannel
from crm_backend.services import call_list_entries, consent, placed_calls
from tests.channels.dialer.conftest import LIMIT, LYON, Uows, at_lyon
from tests.channels.dialer_fakes import (
    CALLABLE,
    COMPANY,
    DO_NOT_CONTACT,
    OPTED_OUT,
    DyingTwilio,
    FakeClock,
    Killed,
    PhoneNetwork,
    eclipse_owners_in_lyon,
)
from tests.channels.twilio_fakes import ACCOUNT_SID, AUTH_TOKEN, PUBLIC_URL, RecordedRequest

CALLS_URL = f"https://api.twilio.com/2010-04-01/Accounts/{ACCOUNT_SID}/Calls.json"


ANA, BEN, CARA, DAN, EVE, FAY = CALLABLE.values()


def entry_states(uow_factory: Uows) -> dict[str, tuple[str, str | None, int]]:
    """Each entry by number: (status, outcome, attempts)."""
    with uow_factory() as uow:
        rows = uow.call_list_entries.list_by()
        return {e.account.primary_phone or "": (e.status, e.outcome, e.attempts) for e in rows}


def created_calls(twilio: DyingTwilio) -> list[tuple[str, dt.datetime]]:
    stamp = "%a, %d %b %Y %H:%M:%S %z"
    return [
        (c["to"], dt.datetime.strptime(c["date_created"], stamp)) for c in twilio.calls.values()
    ]


def test_the_acceptance_run_hours_limit_retries_and_two_restarts(
    uow_factory: Uows,
    twilio: DyingTwilio,
    network: PhoneNetwork,
    start_dialer: Callable[[], Dialer],
    clock: FakeClock,
) -> None:
    eclipse_owners_in_lyon(uow_factory)
    network.script = {
        ANA: [("no-answer", "")],
        BEN: [("busy", ""), ("no-answer", ""), ("no-answer", "")],
        CARA: [("completed", "machine_start")],  # no message: hang up, try again
    }
    dialer = start_dialer()
    twilio.die_at, twilio.after_create = 3, True  # Twilio placed it; the dialer never knew
    deaths = 0

    while clock() < at_lyon(13):
        network.tick()
        try:
            dialer.run_round()
        except Killed:
            deaths += 1
            if deaths == 1:  # the next one dies before its request leaves
                twilio.die_at, twilio.after_create = twilio.call_requests + 2, False
            dialer = start_dialer()
        assert network.live() <= LIMIT
        clock.advance(60)

    assert deaths == 2
    assert network.calls_to() == {ANA: 2, BEN: 3, CARA: 2, DAN: 1, EVE: 1, FAY: 1}
    for number, created in created_calls(twilio):
        assert dt.time(9) <= created.astimezone(LYON).time() < dt.time(19), (number, created)
    for number, ends in network.ended.items():
        starts = [created for to, created in created_calls(twilio) if to == number]
        for ended, retried in zip(ends, starts[1:], strict=False):
            assert retried - ended >= dt.timedelta(minutes=30), number
    assert entry_states(uow_factory) == {
        ANA: ("done", "answered", 2),
        BEN: ("done", "no_answer", 3),
        CARA: ("done", "answered", 2),
        DAN: ("done", "answered", 1),
        EVE: ("done", "answered", 1),
        FAY: ("done", "answered", 1),
        DO_NOT_CONTACT[1]: ("excluded", None, 0),
        OPTED_OUT[1]: ("excluded", None, 0),
    }
    with uow_factory() as uow:
        outcomes = sorted(
            (i.outcome or "", i.direction, i.channel) for i in uow.interactions.list_by()
        )
        assert uow.call_lists.list_by()[0].status == "done"
    assert outcomes == sorted(
        [("answered", "outbound", "voice")] * 5
        + [("no_answer", "outbound", "voice")] * 3
        + [("busy", "outbound", "voice"), ("machine", "outbound", "voice")]
    )


def test_nobody_is_called_before_nine_or_from_seven_in_the_customers_time(
    uow_factory: Uows, twilio: DyingTwilio, start_dialer: Callable[[], Dialer], clock: FakeClock
) -> None:
    eclipse_owners_in_lyon(uow_factory)
    dialer = start_dialer()

    clock.now = at_lyon(8, 59)
    assert dialer.run_round().placed == []
    clock.now = at_lyon(19)
    assert dialer.run_round().placed == []
    clock.now = at_lyon(9)
    assert len(dialer.run_round().placed) == LIMIT
    assert twilio.call_requests == LIMIT


def test_the_call_carries_the_entry_in_its_urls_and_asks_for_machine_detection(
    uow_factory: Uows, twilio: DyingTwilio, start_dialer: Callable[[], Dialer], clock: FakeClock
) -> None:
    _, call_list = eclipse_owners_in_lyon(uow_factory, message="Hello from Lumen.")
    clock.now = at_lyon(10)

    report = start_dialer().run_round()

    first = call_list.entries[0]
    assert report.placed == [first.id, call_list.entries[1].id]
    assert twilio.requests[0] == RecordedRequest(
        method="POST",
        url=CALLS_URL,
        data={
            "To": ANA,
            "From": COMPANY,
            "Url": f"{PUBLIC_URL}/twilio/voice?call_list_entry={first.id}",
            "StatusCallback": f"{PUBLIC_URL}/twilio/outbound/status?call_list_entry={first.id}",
            "MachineDetection": "DetectMessageEnd",
            "Timeout": "20",
        },
        auth=(ACCOUNT_SID, AUTH_TOKEN),
    )
    assert report.in_flight == LIMIT
    assert entry_states(uow_factory)[ANA] == ("calling", None, 1)


def test_killed_after_twilio_placed_the_call_it_is_adopted_from_twilios_log(
    uow_factory: Uows, twilio: DyingTwilio, start_dialer: Callable[[], Dialer], clock: FakeClock
) -> None:
    eclipse_owners_in_lyon(uow_factory)
    clock.now = at_lyon(10)
    twilio.die_at = 1
    with pytest.raises(Killed):
        start_dialer().run_round()
    assert entry_states(uow_factory)[ANA] == ("calling", None, 0)  # claimed, unconfirmed

    restarted = start_dialer()
    clock.advance(60)
    early = restarted.run_round()  # the claim is too young to settle: it still counts
    clock.advance(120)
    settled = restarted.run_round()

    assert (early.adopted, len(early.placed)) == ([], 1)
    assert (len(settled.adopted), settled.placed) == (1, [])
    assert network_counts(twilio) == {ANA: 1, BEN: 1}
    (sid,) = [s for s, c in twilio.calls.items() if c["to"] == ANA]
    assert entry_states(uow_factory)[ANA] == ("calling", None, 1)
    with uow_factory() as uow:
        ana = next(e for e in uow.call_list_entries.list_by() if e.call_sid == sid)
        assert [i.conversation_id for i in uow.interactions.list_by(call_list_entry_id=ana.id)] == [
            f"voice-{sid}"
        ]
    assert twilio.requests[-1].method == "GET"
    assert twilio.requests[-1].params == {"To": ANA, "From": COMPANY, "PageSize": "20"}


def network_counts(twilio: DyingTwilio) -> dict[str, int]:
    counts: dict[str, int] = {}
    for call in twilio.calls.values():
        counts[call["to"]] = counts.get(call["to"], 0) + 1
    return counts


def test_killed_before_the_request_left_the_entry_is_called_once_after_the_restart(
    uow_factory: Uows, twilio: DyingTwilio, start_dialer: Callable[[], Dialer], clock: FakeClock
) -> None:
    eclipse_owners_in_lyon(uow_factory)
    clock.now = at_lyon(10)
    twilio.die_at, twilio.after_create = 1, False
    with pytest.raises(Killed):
        start_dialer().run_round()

    clock.advance(180)
    report = start_dialer().run_round()

    assert len(report.released) == 1
    assert network_counts(twilio) == {ANA: 1, BEN: 1}
    assert entry_states(uow_factory)[ANA] == ("calling", None, 1)


def test_a_call_that_ended_while_the_dialer_was_down_is_ended_from_twilios_log(
    uow_factory: Uows, twilio: DyingTwilio, start_dialer: Callable[[], Dialer], clock: FakeClock
) -> None:
    eclipse_owners_in_lyon(uow_factory)
    clock.now = at_lyon(10)
    twilio.die_at = 1
    with pytest.raises(Killed):
        start_dialer().run_round()
    (call,) = twilio.calls.values()
    call["status"], call["duration"] = "no-answer", "0"

    clock.advance(180)
    start_dialer().run_round()

    assert entry_states(uow_factory)[ANA] == ("pending", "no_answer", 1)


def test_a_lost_status_callback_is_looked_up_after_the_call_timeout(
    uow_factory: Uows, twilio: DyingTwilio, start_dialer: Callable[[], Dialer], clock: FakeClock
) -> None:
    eclipse_owners_in_lyon(uow_factory)
    clock.now = at_lyon(10)
    dialer = start_dialer()
    dialer.run_round()
    for call in twilio.calls.values():
        call["status"], call["duration"], call["answered_by"] = "completed", "61", "human"

    clock.advance(3599)
    assert dialer.run_round().placed == []
    clock.advance(2)
    report = dialer.run_round()

    assert len(report.placed) == LIMIT
    assert entry_states(uow_factory)[ANA] == ("done", "answered", 1)
    assert entry_states(uow_factory)[BEN] == ("done", "answered", 1)


def test_twilio_unreachable_keeps_the_claim_until_its_log_can_be_read(
    uow_factory: Uows, twilio: DyingTwilio, start_dialer: Callable[[], Dialer], clock: FakeClock
) -> None:
    eclipse_owners_in_lyon(uow_factory)
    clock.now = at_lyon(10)
    dialer = start_dialer()
    twilio.error = (503, 20500, "Service unavailable")

    first = dialer.run_round()  # unknown whether Ana's call was placed: the round stops
    clock.advance(180)
    twilio.error = (503, 20500, "Service unavailable")
    second = dialer.run_round()  # Ana's claim is not settled, and counts; Ben is called
    third = dialer.run_round()  # the log reads: nothing placed, so Ana is called now

    assert (first.placed, first.in_flight) == ([], 1)
    assert (second.released, len(second.placed), second.in_flight) == ([], 1, 2)
    assert (len(third.released), len(third.placed), third.in_flight) == (1, 1, 2)
    assert network_counts(twilio) == {BEN: 1, ANA: 1}


def test_a_call_twilio_refuses_is_failed_and_one_throttled_is_tried_later(
    uow_factory: Uows, twilio: DyingTwilio, start_dialer: Callable[[], Dialer], clock: FakeClock
) -> None:
    eclipse_owners_in_lyon(uow_factory)
    clock.now = at_lyon(10)
    dialer = start_dialer()

    twilio.error = (400, 21211, "Invalid 'To' Phone Number")
    refused = dialer.run_round()  # Ana's number is refused; Ben and Cara are called
    end_call_of(uow_factory, twilio, BEN, clock)
    twilio.error = (429, 20429, "Too Many Requests")
    throttled = dialer.run_round()  # Dan's call is not placed

    assert (len(refused.failed), len(refused.placed)) == (1, LIMIT)
    assert (len(throttled.released), throttled.placed) == (1, [])
    states = entry_states(uow_factory)
    assert states[ANA] == ("done", "call_failed", 1)
    assert states[DAN] == ("pending", None, 0)
    assert len(dialer.run_round().placed) == 1
    assert network_counts(twilio) == {BEN: 1, CARA: 1, DAN: 1}


def end_call_of(uow_factory: Uows, twilio: DyingTwilio, number: str, clock: FakeClock) -> None:
    """End the number's call as its status callback would."""
    (sid,) = [s for s, c in twilio.calls.items() if c["to"] == number]
    with uow_factory() as uow:
        entry = next(e for e in uow.call_list_entries.list_by() if e.call_sid == sid)
        placed_calls.call_ended(
            uow, entry_id=entry.id, call_sid=sid, status="completed", now=clock()
        )
        uow.commit()


def test_consent_withdrawn_since_the_list_was_built_is_read_at_dial_time(
    uow_factory: Uows, twilio: DyingTwilio, start_dialer: Callable[[], Dialer], clock: FakeClock
) -> None:
    _, call_list = eclipse_owners_in_lyon(uow_factory)
    with uow_factory() as uow:
        consent.set_do_not_contact(uow, account_id=call_list.entries[0].account_id, source="test")
        consent.set_consent(
            uow,
            account_id=call_list.entries[1].account_id,
            channel=ContactChannel.PHONE,
            status=ConsentStatus.OPT_OUT,
            source="test",
        )
        uow.commit()
    clock.now = at_lyon(10)

    report = start_dialer().run_round()

    assert len(report.excluded) == 2
    assert network_counts(twilio) == {CARA: 1, DAN: 1}
    with uow_factory() as uow:
        ana = call_list_entries.get_entry(uow, entry_id=call_list.entries[0].id)
        assert (ana.status, ana.exclusion_reason) == ("excluded", "do-not-contact")


def test_an_sms_campaign_is_sent_within_the_rate(
    sms_dialer: tuple[Dialer, FakeClock], twilio: DyingTwilio, uow_factory: Uows
) -> None:
    dialer, clock = sms_dialer
    start = clock()
    sent_at: list[float] = []
    waits: list[float] = []

    def sleep(seconds: float) -> None:
        sent_at.extend([(clock() - start).total_seconds()] * (len(twilio.messages) - len(sent_at)))
        waits.append(seconds)
        clock.advance(seconds)

    dialer.run(should_stop=lambda: len(waits) == 6, sleep=sleep)

    sent = [(m["to"], m["body"]) for m in twilio.messages.values()]
    assert sorted(sent) == sorted((n, "Lumen: the Éclipse 3000, -10%.") for n in CALLABLE.values())
    # Two at once (a second's worth), then one every half second; then the usual interval.
    assert sent_at == [0.0, 0.0, 0.5, 1.0, 1.5, 2.0]
    assert waits == [0.5, 0.5, 0.5, 0.5, 5.0, 5.0]
    states = entry_states(uow_factory)
    assert {states[n] for n in CALLABLE.values()} == {("done", "sms_sent", 1)}
    assert states[OPTED_OUT[1]] == ("excluded", None, 0)
