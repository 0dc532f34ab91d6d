"""Who may come in at the desk: the login's cookie and CSRF token, the session's, roles."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from tests.channels.desk.conftest import PASSWORD, handed_off, queue
from tests.channels.handoff_fakes import DeskBrowser


@pytest.mark.parametrize(
    "path", ["/desk", "/desk/handoffs/1", "/desk/manager", "/desk/handoffs/1?notice=sent"]
)
def test_pages_send_a_stranger_to_the_login(desk_gateway: TestClient, path: str) -> None:
    response = desk_gateway.get(path, follow_redirects=False)

    assert response.status_code == 303
    assert response.headers["location"].startswith("/desk/login?next=/desk")


@pytest.mark.parametrize(
    "path",
    [
        "/desk/api/queue",
        "/desk/stream",
        "/desk/api/handoffs/1/transcript",
        "/desk/handoffs/1/stream",
    ],
)
def test_the_api_and_streams_answer_a_stranger_401(desk_gateway: TestClient, path: str) -> None:
    assert desk_gateway.get(path).status_code == 401


def test_a_stranger_cannot_post_either(desk_gateway: TestClient) -> None:
    response = desk_gateway.post(
        "/desk/handoffs/1/take", data={"csrf_token": "x"}, follow_redirects=False
    )

    assert (response.status_code, response.headers["location"][:11]) == (303, "/desk/login")


def test_login_sets_a_host_bound_http_only_strict_cookie(
    desk_gateway: TestClient, staff: dict[str, int]
) -> None:
    response = DeskBrowser(desk_gateway).log_in("anna", PASSWORD)

    cookie = response.headers["set-cookie"]
    assert cookie.startswith("__Host-icbot_desk=")
    assert {"HttpOnly", "Secure", "SameSite=strict", "Path=/"} <= {
        part.strip() for part in cookie.split(";")
    }
    assert response.headers["location"] == "/desk"


def test_a_login_without_its_csrf_token_is_refused(
    desk_gateway: TestClient, staff: dict[str, int]
) -> None:
    desk_gateway.get("/desk/login")

    response = desk_gateway.post(
        "/desk/login", data={"username": "anna", "password": PASSWORD}, follow_redirects=False
    )

    assert response.status_code == 403


def test_a_post_without_the_sessions_csrf_token_is_refused(
    desk_gateway: TestClient, anna: DeskBrowser
) -> None:
    handoff_id = handed_off(desk_gateway)

    missing = desk_gateway.post(f"/desk/handoffs/{handoff_id}/take", follow_redirects=False)
    forged = desk_gateway.post(
        f"/desk/handoffs/{handoff_id}/take", data={"csrf_token": "forged"}, follow_redirects=False
    )

    assert (missing.status_code, forged.status_code) == (403, 403)
    assert queue(anna)[0]["status"] == "waiting"


def test_an_agent_cannot_open_the_managers_view(
    desk_gateway: TestClient, anna: DeskBrowser
) -> None:
    assert desk_gateway.get("/desk/manager").status_code == 403


def test_logging_out_ends_the_session_on_the_server(
    desk_gateway: TestClient, anna: DeskBrowser
) -> None:
    token = desk_gateway.cookies.get("__Host-icbot_desk")

    response = anna.post("/desk/logout")

    assert (response.status_code, response.headers["location"]) == (
        303,
        "/desk/login?notice=logged_out",
    )
    desk_gateway.cookies.set("__Host-icbot_desk", token, domain="testserver")
    assert desk_gateway.get("/desk/api/queue").status_code == 401
