"""Which endpoints file Rasa reads: embedded by default, scaled when the services are named."""

from __future__ import annotations

import re

import pytest

from launcher.stack import (
    ENDPOINTS,
    REPO_ROOT,
    SCALED_ENDPOINTS,
    SCALED_VARIABLES,
    Stack,
    StackError,
    endpoints_file,
)

SCALED = {name: f"value-of-{name.lower()}" for name in SCALED_VARIABLES}


def test_the_embedded_stack_reads_endpoints_yml() -> None:
    assert endpoints_file({}) == ENDPOINTS


def test_the_services_named_select_the_scaled_endpoints() -> None:
    assert endpoints_file(SCALED) == SCALED_ENDPOINTS


def test_an_explicit_file_wins() -> None:
    assert endpoints_file({**SCALED, "ICBOT_ENDPOINTS": "mine.yml"}) == "mine.yml"


@pytest.mark.parametrize("missing", SCALED_VARIABLES)
def test_a_half_scaled_environment_is_refused_by_name(missing: str) -> None:
    # Either host left still asks for the scaled mode.
    env = {name: value for name, value in SCALED.items() if name != missing}
    with pytest.raises(StackError, match=missing):
        endpoints_file(env)


def test_the_scaled_variables_are_what_the_scaled_file_expands() -> None:
    text = (REPO_ROOT / SCALED_ENDPOINTS).read_text(encoding="utf-8")
    expanded = set(re.findall(r"\$\{([A-Z_]+)\}", text))
    # The action server's two are the stack's own (Stack.child_env).
    assert expanded - {"ICBOT_ACTIONS_URL", "ICBOT_ACTIONS_SECRET"} == set(SCALED_VARIABLES)


def test_every_rasa_server_of_a_scaled_stack_reads_the_scaled_file() -> None:
    stack = Stack(env=SCALED, rasa_servers=2)
    for name in ("rasa-1", "rasa-2"):
        argv = stack.commands()[name]
        assert argv[argv.index("--endpoints") + 1] == SCALED_ENDPOINTS
    # The tracker database is PostgreSQL's, by name: no SQLite path slipped in.
    assert stack.child_env()["ICBOT_TRACKER_DB"] == SCALED["ICBOT_TRACKER_DB"]


def test_an_embedded_stack_keeps_its_sqlite_tracker_file(tmp_path) -> None:
    stack = Stack(env={"ICBOT_VAR_DIR": str(tmp_path)})
    argv = stack.commands()["rasa"]
    assert argv[argv.index("--endpoints") + 1] == ENDPOINTS
    assert stack.child_env()["ICBOT_TRACKER_DB"] == str(tmp_path / "tracker.db")
