"""The customer's preferred language, shown beside the conversation and set by agents."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from fastapi.testclient import TestClient

from channels.desk.templating import _environment
from tests.channels.desk.conftest import Uows, logged_in
from tests.channels.handoff_fakes import DeskBrowser
from tests.factories import make_account


@pytest.fixture
def account_id(uow_factory: Uows) -> int:
    with uow_factory() as uow:
        account = make_account(uow)
        uow.commit()
        return account.id


def preferred(uow_factory: Uows, account_id: int) -> str | None:
    with uow_factory() as uow:
        return uow.accounts.get(account_id).preferred_language


@pytest.mark.parametrize("who", ["anna", "boss"])
def test_agents_and_managers_set_the_language_and_go_back_to_their_page(
    desk: TestClient, uow_factory: Uows, account_id: int, who: str
) -> None:
    browser = logged_in(desk, who)

    response = browser.post(
        f"/desk/accounts/{account_id}/language", language="fr", back="/desk/handoffs/7"
    )
    cleared = browser.post(f"/desk/accounts/{account_id}/language", language="", back="/desk")

    assert (response.status_code, response.headers["location"]) == (
        303,
        "/desk/handoffs/7?notice=language_saved",
    )
    assert cleared.headers["location"] == "/desk?notice=language_saved"
    assert preferred(uow_factory, account_id) is None


def test_the_language_is_saved(anna: DeskBrowser, uow_factory: Uows, account_id: int) -> None:
    anna.post(f"/desk/accounts/{account_id}/language", language="fr", back="/desk")

    assert preferred(uow_factory, account_id) == "fr"


@pytest.mark.parametrize(
    ("form", "location"),
    [
        ({"language": "de"}, "/desk?notice=invalid"),
        ({"language": "fr'--"}, "/desk?notice=invalid"),
        ({"language": "fr", "back": "https://evil.example/"}, "/desk?notice=language_saved"),
        ({"language": "fr", "back": "//evil.example"}, "/desk?notice=language_saved"),
    ],
)
def test_what_the_form_may_not_say_changes_nothing_or_stays_on_the_desk(
    anna: DeskBrowser, uow_factory: Uows, account_id: int, form: dict[str, str], location: str
) -> None:
    response = anna.post(f"/desk/accounts/{account_id}/language", **form)

    assert (response.status_code, response.headers["location"]) == (303, location)
    assert preferred(uow_factory, account_id) in {None, "fr"}
    if "invalid" in location:
        assert preferred(uow_factory, account_id) is None


def test_a_post_without_the_forms_token_or_for_no_account_is_refused(
    anna: DeskBrowser, uow_factory: Uows, account_id: int
) -> None:
    url = f"/desk/accounts/{account_id}/language"

    forged = anna.client.post(url, data={"language": "fr"}, follow_redirects=False)
    unknown = anna.post("/desk/accounts/999999/language", language="fr")
    not_an_id = anna.post("/desk/accounts/0/language", language="fr")
    too_long = anna.post(url, language="f" * 11)

    assert [r.status_code for r in (forged, unknown, not_an_id, too_long)] == [403, 404, 422, 422]
    assert preferred(uow_factory, account_id) is None


def test_the_customer_facts_show_the_preferred_language_in_a_form() -> None:
    customer = SimpleNamespace(
        account_id=5,
        name="Pierre Moreau",
        customer_number="C-100001",
        phone="",
        email="",
        address="",
        preferred_language="fr",
        alerts=[],
        products=[],
        open_orders=[],
        open_quotes=[],
        leads=[],
        interactions=[],
    )
    html = _environment.get_template("_customer.html").render(
        c=customer,
        user=SimpleNamespace(csrf_token="tok"),
        request=SimpleNamespace(url=SimpleNamespace(path="/desk/handoffs/3")),
    )

    assert 'action="/desk/accounts/5/language"' in html
    assert 'name="csrf_token" value="tok"' in html
    assert 'name="back" value="/desk/handoffs/3"' in html
    assert '<option value="fr" selected>Français</option>' in html
    assert '<option value="en">English</option>' in html
