"""Suppressions: a refusal kept as a salted hash, on one channel or all."""

from __future__ import annotations

from sqlalchemy.orm import Session, sessionmaker

from crm_backend.services import consent, suppressions
from crm_backend.uow import SqlAlchemyUnitOfWork
from tests.crm_backend.cli import test_privacy as privacy_tests

# The privacy commands' environment (the suppression key's folder) and seeded CRM.
env = privacy_tests.env
sessions = privacy_tests.sessions


def test_an_opt_out_suppression_refuses_the_number_on_that_channel_only(
    env: dict[str, str], sessions: sessionmaker[Session]
) -> None:
    with SqlAlchemyUnitOfWork(sessions) as uow:
        suppressions.suppress(uow, kind="phone", value="+33699999999", channel="sms")
        uow.commit()
        assert consent.number_refusal(uow, phone="+33699999999", channel="sms") == consent.OPTED_OUT
        assert consent.number_opted_out(uow, phone="0699999999", channel="sms")
        assert not consent.number_opted_out(uow, phone="0699999999", channel="phone")
        assert (
            consent.number_refusal(uow, phone="+33699999999", channel="phone") == consent.NO_CONSENT
        )
