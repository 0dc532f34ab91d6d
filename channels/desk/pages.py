"""The desk's pages: login and logout, the queue, a conversation, the manager's view."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, HTTPException, Path, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from crm_backend.errors import HandoffNotFound, InvalidCredentials
from crm_backend.models import MAX_ROW_ID
from crm_backend.services import agents, desk_stats, satisfaction_stats

from ..deps import UowFactory, gateway_settings, uow_factory
from . import views
from .auth import (
    DeskUser,
    check_login_csrf,
    clear_session_cookie,
    form_user,
    manager_page_user,
    new_login_csrf,
    page_user,
    safe_next,
    session_cookie_name,
    session_user,
    set_login_csrf,
    set_session_cookie,
    staff_page_user,
)
from .chart import day_chart
from .crm_calls import crm
from .languages import with_language, with_languages
from .logins import LoginThrottle, TooManyFailures, password_checks
from .notices import notice
from .templating import render

router = APIRouter(prefix="/desk", tags=["desk"], include_in_schema=False)
Agent = Annotated[DeskUser, Depends(staff_page_user)]
HandoffId = Annotated[int, Path(ge=1, le=MAX_ROW_ID)]
REPORT_DAYS = 14
# The periods the manager's view offers; any other number of days (1 to 90) works by URL.
PERIODS = {
    1: "Today",
    7: "The last 7 days",
    14: "The last 14 days",
    30: "The last 30 days",
    90: "The last 90 days",
}


@router.get("/login", response_class=HTMLResponse)
async def login_page(request: Request, next: str | None = None) -> Response:
    """The login form (straight on for someone already logged in)."""
    if await session_user(request) is not None:
        return RedirectResponse(safe_next(next), status_code=303)
    return _login_form(request, next_path=safe_next(next), error=None, status_code=200)


def _login_form(
    request: Request, *, next_path: str, error: str | None, status_code: int
) -> Response:
    token = new_login_csrf()
    page = render(
        request,
        "login.html",
        {
            "next_path": next_path,
            "error": error,
            "csrf_token": token,
            "notice": notice(request.query_params.get("notice")),
            "user": None,
        },
        status_code=status_code,
    )
    set_login_csrf(request, page, token)
    return page


@router.post("/login")
async def login(
    request: Request,
    username: Annotated[str, Form(max_length=100)] = "",
    password: Annotated[str, Form(max_length=200)] = "",
    csrf_token: Annotated[str, Form()] = "",
    next: Annotated[str, Form()] = "/desk",
) -> Response:
    """Check the password; open a session in a fresh cookie.

    Too many failures for the user name or from the client: 429 before any
    password check (:mod:`.logins`).
    """
    check_login_csrf(request, csrf_token)
    factory = uow_factory(request)
    throttle = LoginThrottle(request, username)

    def log_in() -> str:
        # Checked again once a password-check seat is ours: failures may have come in meanwhile.
        throttle.check()
        with factory() as uow:
            agent = agents.authenticate(uow, username=username, password=password)
            opened = agents.open_session(uow, agent_id=agent.id)
            uow.commit()
            return opened.token

    try:
        throttle.check()
        token = await crm(log_in, limiter=password_checks(request))
    except TooManyFailures as refused:
        page = _login_form(
            request, next_path=safe_next(next), error=refused.advice(), status_code=429
        )
        page.headers["Retry-After"] = str(refused.retry_after)
        return page
    except InvalidCredentials:
        throttle.failed()
        return _login_form(
            request,
            next_path=safe_next(next),
            error="Unknown user name or wrong password.",
            status_code=401,
        )
    throttle.succeeded()
    response = RedirectResponse(safe_next(next), status_code=303)
    set_session_cookie(
        request, response, token, max_age=int(agents.SESSION_LIFETIME.total_seconds())
    )
    return response


@router.post("/logout")
async def logout(request: Request, user: Annotated[DeskUser, Depends(form_user)]) -> Response:
    """End the session here and on the server."""
    token = request.cookies.get(session_cookie_name(request), "")
    factory = uow_factory(request)

    def log_out() -> None:
        with factory() as uow:
            agents.close_session(uow, token=token)
            uow.commit()

    await crm(log_out)
    response = RedirectResponse("/desk/login?notice=logged_out", status_code=303)
    clear_session_cookie(request, response)
    return response


@router.get("", response_class=HTMLResponse)
async def queue_page(
    request: Request,
    user: Annotated[DeskUser, Depends(page_user)],
    notice_code: Annotated[str | None, Query(alias="notice")] = None,
) -> Response:
    """The queue: waiting conversations, most urgent first; then those agents have.

    A trainer has no queue: the desk's home for them is the review.
    """
    if user.is_trainer:
        return RedirectResponse("/desk/review", status_code=303)
    factory = uow_factory(request)
    rows = await with_languages(
        request, await crm(lambda: views.queue(factory, agent_id=user.agent_id))
    )
    return render(
        request,
        "queue.html",
        {"user": user, "rows": rows, "notice": notice(notice_code)},
    )


@router.get("/handoffs/{handoff_id}", response_class=HTMLResponse)
async def conversation_page(
    request: Request,
    handoff_id: HandoffId,
    user: Agent,
    notice_code: Annotated[str | None, Query(alias="notice")] = None,
) -> Response:
    """One conversation: transcript, customer, what the bot knew, and the agent's tools."""
    factory = uow_factory(request)
    timezone = gateway_settings(request).crm.handoff.hours.timezone
    try:
        view = await crm(
            lambda: views.conversation(
                factory, handoff_id=handoff_id, agent_id=user.agent_id, timezone=timezone
            )
        )
    except HandoffNotFound as exc:
        raise HTTPException(status_code=404, detail="No such conversation.") from exc
    view = await with_language(request, view)
    return render(
        request,
        "conversation.html",
        {
            "user": user,
            "view": view,
            "mine": view.handoff.mine or user.is_manager,
            "wrap_up_codes": gateway_settings(request).crm.handoff.wrap_up_codes,
            "notice": notice(notice_code),
            "last_id": view.transcript[-1].id if view.transcript else 0,
        },
    )


@router.get("/manager", response_class=HTMLResponse)
async def manager_page(
    request: Request,
    user: Annotated[DeskUser, Depends(manager_page_user)],
    days: Annotated[int, Query(ge=1, le=desk_stats.MAX_DAYS)] = REPORT_DAYS,
) -> Response:
    """The queue now; the period's containment, abandonment, times, reasons and days, charted.

    ``days`` is the period (today included); outside 1 to 90 the answer is 422.
    """
    factory = uow_factory(request)
    settings = gateway_settings(request).crm.handoff

    def report() -> desk_stats.DeskReport:
        with factory() as uow:
            return desk_stats.desk_report(uow, days=days, timezone=settings.hours.timezone)

    figures = await crm(report)
    periods = dict(PERIODS)
    periods.setdefault(days, f"The last {days} days")
    satisfaction = await crm(
        lambda: _satisfaction(factory, days=days, timezone=settings.hours.timezone)
    )
    return render(
        request,
        "manager.html",
        {
            "user": user,
            "report": figures,
            "chart": day_chart(figures.days),
            "definitions": desk_stats.definitions(),
            "hours": settings.hours.describe(),
            "days": days,
            "periods": sorted(periods.items()),
            "satisfaction": satisfaction,
            "notice": None,
        },
    )


def _satisfaction(
    factory: UowFactory, *, days: int, timezone: str
) -> satisfaction_stats.SatisfactionReport:
    """The manager's satisfaction figures (CSAT), beside the desk's."""
    with factory() as uow:
        return satisfaction_stats.satisfaction_report(uow, days=days, timezone=timezone)
