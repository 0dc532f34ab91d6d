"""The cached ``jsonschema.validate`` behaves as jsonschema's own, on Rasa's check too."""

from __future__ import annotations

from typing import Any

import jsonschema
import pytest
from rasa.core.actions.action import RemoteAction
from rasa.utils.endpoints import EndpointConfig

import bot  # noqa: F401 - installs the speed-ups, as Rasa's import of the pipeline does
from bot import speedups

SCHEMA = {
    "type": "object",
    "properties": {"events": {"type": "array"}, "responses": {"type": "array"}},
    "required": ["events"],
}


def _original_error(instance: Any, schema: Any) -> str | None:
    try:
        speedups._ORIGINAL(instance, schema)
    except jsonschema.ValidationError as exc:
        return exc.message
    return None


def _cached_error(instance: Any, schema: Any) -> str | None:
    try:
        speedups.validate(instance, schema)
    except jsonschema.ValidationError as exc:
        return exc.message
    return None


def test_importing_the_bot_package_installs_it() -> None:
    assert jsonschema.validate is speedups.validate


@pytest.mark.parametrize(
    "instance",
    [
        {"events": [], "responses": []},
        {"responses": []},
        {"events": "not a list"},
        "not an object",
    ],
)
def test_the_same_answer_as_jsonschema(instance: Any) -> None:
    assert _cached_error(instance, SCHEMA) == _original_error(instance, SCHEMA)


def test_the_validator_of_a_schema_is_built_once() -> None:
    speedups._validator.cache_clear()
    for _ in range(5):
        speedups.validate({"events": []}, dict(SCHEMA))

    info = speedups._validator.cache_info()
    assert (info.misses, info.hits) == (1, 4)


def test_a_bad_schema_is_still_refused() -> None:
    with pytest.raises(jsonschema.SchemaError):
        speedups.validate({}, {"type": 12})


def test_rasa_still_rejects_a_malformed_action_server_answer() -> None:
    action = RemoteAction("action_anything", EndpointConfig("http://localhost:5055/webhook"))

    assert action._validate_action_result({"events": [], "responses": []})
    with pytest.raises(jsonschema.ValidationError, match="is not of type 'array'"):
        action._validate_action_result({"events": "not a list"})
