"""What the dialer's tests run it against: a fake clock, a dying Twilio client, the phone network.

- :class:`FakeClock`: the time the dialer, the gateway and Twilio's fake all read.
- :class:`DyingTwilio`: Twilio's API (``RecordingHttpClient``) whose client
  process dies at the n-th call it asks for, before or after Twilio created it.
- :class:`PhoneNetwork`: ends the calls Twilio placed once they have rung,
  as each number's script says, by posting Twilio's signed status callback
  to the gateway.
- :func:`eclipse_owners_in_lyon`: the campaign and call list of the acceptance example.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from twilio.http.response import Response as TwilioResponse

from channels.twilio.simulator import SignedPoster
from crm_backend.models import CallList, Campaign, ConsentStatus, ContactChannel
from crm_backend.services import call_lists, campaigns
from crm_backend.services.call_lists import TargetFilter
from crm_backend.uow import SqlAlchemyUnitOfWork
from tests.channels.twilio_fakes import ACCOUNT_SID, RecordingHttpClient
from tests.factories import make_account, make_product, own_product

COMPANY = "+33900000000"
# Monday 3 November 2025, 07:30 in Lyon (UTC+1): an hour and a half before calling hours.
MONDAY_EARLY = dt.datetime(2025, 11, 3, 6, 30, tzinfo=dt.UTC)
PHONE_IN = {ContactChannel.PHONE: ConsentStatus.OPT_IN}
# The people the list calls, by first name and number.
CALLABLE = {
    "Ana": "+33610000001",
    "Ben": "+33610000002",
    "Cara": "+33610000003",
    "Dan": "+33610000004",
    "Eve": "+33610000005",
    "Fay": "+33610000006",
}
DO_NOT_CONTACT = ("Gil", "+33610000007")
OPTED_OUT = ("Hana", "+33610000008")


class FakeClock:
    """A clock that moves only when told to."""

    def __init__(self, start: dt.datetime) -> None:
        self.now = start

    def __call__(self) -> dt.datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        """Let ``seconds`` pass (the dialer's ``sleep``)."""
        self.now += dt.timedelta(seconds=seconds)


class Killed(BaseException):
    """The dialer's process dies here (nothing catches it, as nothing catches SIGKILL)."""


class DyingTwilio(RecordingHttpClient):
    """Twilio's API; the client dies when asking for call number ``die_at`` (1-based).

    ``after_create``: Twilio created the call and the answer never reached
    the dialer; else the request never left.
    """

    def __init__(self, clock: FakeClock) -> None:
        super().__init__(clock=clock)
        self.die_at: int | None = None
        self.after_create = True
        self.call_requests = 0

    def request(self, method: str, uri: str, *args: Any, **kwargs: Any) -> TwilioResponse:
        if method.upper() != "POST" or not uri.endswith("/Calls.json"):
            return super().request(method, uri, *args, **kwargs)
        self.call_requests += 1
        if self.call_requests != self.die_at:
            return super().request(method, uri, *args, **kwargs)
        self.die_at = None
        if self.after_create:
            super().request(method, uri, *args, **kwargs)
        raise Killed(f"the dialer died asking for call {self.call_requests}")


@dataclass
class PhoneNetwork:
    """Ends Twilio's calls after they rang, posting the status callback the gateway gets.

    ``script`` maps a number to how its successive calls end, as
    ``(CallStatus, AnsweredBy)``; a number's calls beyond its script, or a
    number without one, are answered by a person. ``ended`` keeps, per
    number, when each of its calls ended.
    """

    twilio: RecordingHttpClient
    poster: SignedPoster
    clock: FakeClock
    script: Mapping[str, Sequence[tuple[str, str]]] = field(default_factory=dict)
    ring: dt.timedelta = dt.timedelta(minutes=2)
    ended: dict[str, list[dt.datetime]] = field(default_factory=lambda: defaultdict(list))

    def tick(self) -> None:
        """End every call that has rung long enough."""
        for sid, call in self.twilio.calls.items():
            if call["status"] != "queued" or self.created_at(sid) > self.clock() - self.ring:
                continue
            number = call["to"]
            turns = self.script.get(number, ())
            index = len(self.ended[number])
            status, answered_by = turns[index] if index < len(turns) else ("completed", "human")
            call["status"], call["answered_by"] = status, answered_by or None
            call["duration"] = "95" if status == "completed" else "0"
            self.ended[number].append(self.clock())
            response = self.poster.post(
                self.twilio.created[sid]["StatusCallback"],
                {
                    "AccountSid": ACCOUNT_SID,
                    "CallSid": sid,
                    "CallStatus": status,
                    "CallDuration": call["duration"],
                    "AnsweredBy": answered_by,
                    "Direction": "outbound-api",
                    "From": COMPANY,
                    "To": number,
                },
            )
            assert response.status_code == 200, response.text

    def created_at(self, sid: str) -> dt.datetime:
        """When Twilio created the call (to the second, as Twilio dates it)."""
        stamp = self.twilio.calls[sid]["date_created"]
        return dt.datetime.strptime(stamp, "%a, %d %b %Y %H:%M:%S %z")

    def live(self) -> int:
        """How many calls are ringing or under way now."""
        return sum(1 for call in self.twilio.calls.values() if call["status"] == "queued")

    def calls_to(self) -> dict[str, int]:
        """How many calls each number got."""
        counts: dict[str, int] = defaultdict(int)
        for call in self.twilio.calls.values():
            counts[call["to"]] += 1
        return dict(counts)


def eclipse_owners_in_lyon(
    uow_factory: Callable[[], SqlAlchemyUnitOfWork],
    *,
    channel: str = "phone",
    message: str = "",
    max_attempts: int = 3,
    script: str = "laptop_offer",
) -> tuple[Campaign, CallList]:
    """The Lyon owners of an Éclipse laptop: six to call, one do-not-contact, one opted out.

    The list is built, assigned to the bot and started; calling hours 9:00 to 19:00.
    """
    consent = {ContactChannel(channel): ConsentStatus.OPT_IN}
    with uow_factory() as uow:
        laptop = make_product(uow, sku="ECL-3000", name="Éclipse 3000")
        people = [
            make_account(uow, first_name=name, phones=[number], emails=[], consents=consent)
            for name, number in CALLABLE.items()
        ]
        people.append(
            make_account(
                uow,
                first_name=DO_NOT_CONTACT[0],
                phones=[DO_NOT_CONTACT[1]],
                emails=[],
                consents=consent,
                do_not_contact=True,
            )
        )
        people.append(
            make_account(
                uow,
                first_name=OPTED_OUT[0],
                phones=[OPTED_OUT[1]],
                emails=[],
                consents={ContactChannel(channel): ConsentStatus.OPT_OUT},
            )
        )
        for account in people:
            own_product(uow, account, laptop, purchased_on=dt.date(2022, 5, 1))
        campaign = campaigns.create_campaign(
            uow,
            name="Trade up to the Éclipse 3000",
            script=script,
            channel=channel,
            starts_on=dt.date(2025, 11, 3),
            ends_on=dt.date(2025, 11, 28),
            product_sku="ECL-3000",
            max_attempts=max_attempts,
            retry_delay_minutes=30,
            message=message,
        )
        call_list = call_lists.build_call_list(
            uow,
            campaign_id=campaign.id,
            name="Éclipse owners, Lyon",
            target=TargetFilter(owns_product="eclipse", owns_category="laptop", city="Lyon"),
            today=dt.date(2025, 11, 3),
        )
        call_lists.start_call_list(uow, call_list_id=call_list.id)
        uow.commit()
    return campaign, call_list
