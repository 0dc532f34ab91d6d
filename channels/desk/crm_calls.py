"""The desk's routes call the CRM off the event loop; a CRM that is down is a 503 page."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from anyio import CapacityLimiter
from fastapi import HTTPException

from crm_backend.errors import CrmUnavailable

from ..deps import in_thread

T = TypeVar("T")

UNAVAILABLE = "The CRM is unavailable."


async def crm(function: Callable[[], T], *, limiter: CapacityLimiter | None = None) -> T:
    """Run a CRM read or write in a worker thread; a database down is a 503.

    ``limiter`` bounds how many such calls run at once (the login's password
    checks have their own); by default, anyio's shared one.

    Raises:
        HTTPException: 503, the CRM cannot be reached.
    """
    try:
        return await in_thread(function, limiter=limiter)
    except CrmUnavailable as exc:
        raise HTTPException(status_code=503, detail=UNAVAILABLE) from exc
