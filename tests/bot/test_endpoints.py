"""endpoints.yml: Rasa shows the action server the secret of this stack with every call,
and speaks through the bot's response generator."""

from __future__ import annotations

from pathlib import Path

import pytest
from rasa.core.nlg import NaturalLanguageGenerator
from rasa.core.utils import AvailableEndpoints
from rasa.shared.core.domain import Domain
from rasa.shared.exceptions import RasaException

from bot.nlg import ApologyInPlaceGenerator
from languages import DEFAULT, domain_paths

REPO_ROOT = Path(__file__).resolve().parents[2]
ENDPOINTS = str(REPO_ROOT / "endpoints.yml")


@pytest.fixture(autouse=True)
def stack_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """What the launcher exports to Rasa."""
    monkeypatch.setenv("ICBOT_ACTIONS_URL", "http://127.0.0.1:5055/webhook")
    monkeypatch.setenv("ICBOT_ACTIONS_SECRET", "actions-secret")
    monkeypatch.setenv("ICBOT_TRACKER_DB", "/tmp/tracker.db")  # noqa: S108 - never opened


def test_the_action_endpoint_sends_the_secret_from_the_environment() -> None:
    action = AvailableEndpoints.read_endpoints(ENDPOINTS).action

    assert action is not None
    assert (action.url, action.headers) == (
        "http://127.0.0.1:5055/webhook",
        {"X-Icbot-Actions-Secret": "actions-secret"},
    )


def test_without_the_secret_rasa_does_not_read_its_endpoints(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("ICBOT_ACTIONS_SECRET")

    with pytest.raises(RasaException, match="ICBOT_ACTIONS_SECRET"):
        AvailableEndpoints.read_endpoints(ENDPOINTS)


def test_rasa_speaks_through_the_generator_with_one_apology() -> None:
    """The generator endpoints.yml names is the one Rasa builds, with the domain's responses."""
    domain = Domain.load(domain_paths(DEFAULT))
    nlg = NaturalLanguageGenerator.create(AvailableEndpoints.read_endpoints(ENDPOINTS).nlg, domain)

    assert isinstance(nlg, ApologyInPlaceGenerator)
    assert nlg.responses == domain.responses
