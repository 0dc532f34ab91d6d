"""What every door shares: CRM work off the event loop, and the app's clock."""

from __future__ import annotations

import datetime as dt

import pytest
from fastapi import FastAPI, Request
from sqlalchemy.exc import InterfaceError, OperationalError

from channels.deps import in_thread, now
from crm_backend.errors import CrmUnavailable


async def test_crm_work_runs_in_a_worker_thread_and_returns_its_result() -> None:
    assert await in_thread(lambda: 6 * 7) == 42


@pytest.mark.parametrize("error", [OperationalError, InterfaceError])
async def test_a_database_out_of_reach_is_named_crm_unavailable(error: type[Exception]) -> None:
    def fail() -> None:
        raise error("SELECT 1", {}, Exception("connection refused"))

    with pytest.raises(CrmUnavailable) as raised:
        await in_thread(fail)

    assert isinstance(raised.value.__cause__, error)


def test_now_is_the_apps_clock_when_it_has_one() -> None:
    app = FastAPI()
    request = Request({"type": "http", "app": app})
    before = dt.datetime.now(dt.UTC)

    assert before <= now(request) <= dt.datetime.now(dt.UTC)
    app.state.clock = lambda: dt.datetime(2025, 11, 3, 9, tzinfo=dt.UTC)
    assert now(request) == dt.datetime(2025, 11, 3, 9, tzinfo=dt.UTC)
