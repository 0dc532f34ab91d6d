"""jsonschema's validator built once per schema, for Rasa's hot path.

Rasa 3.6 checks every answer of the action server with
``jsonschema.validate(result, schema)``, and ``validate`` checks the schema
itself against the JSON Schema meta-schema on every call before it validates
the answer. On a turn of icbot that was 43 % of Rasa's CPU (61 ms per call;
``bench/results/profile.md``). jsonschema's own documentation advises building
the validator once when one schema checks many instances; this module does
that behind the same function, so Rasa's code is unchanged:

- the same signature and the same result: ``None``, or the error that
  ``jsonschema.exceptions.best_match`` picks, raised;
- the schema is still checked (``check_schema``), once per distinct schema;
- any call this cache cannot key (extra arguments, a schema that is not plain
  JSON) goes to jsonschema's own ``validate``.

:func:`install` is called when Rasa imports the ``bot`` package for the
pipeline's components, at training and at serving.
"""

from __future__ import annotations

import functools
import json
from typing import Any

import jsonschema
from jsonschema import exceptions, validators

_ORIGINAL = jsonschema.validate


@functools.lru_cache(maxsize=64)
def _validator(cls: type[Any] | None, schema_json: str) -> Any:
    schema = json.loads(schema_json)
    validator_class = cls or validators.validator_for(schema)
    validator_class.check_schema(schema)
    return validator_class(schema)


def validate(
    instance: Any, schema: Any, cls: type[Any] | None = None, *args: Any, **kwargs: Any
) -> None:
    """``jsonschema.validate``, with the validator of each schema built once."""
    if args or kwargs:
        _ORIGINAL(instance, schema, cls, *args, **kwargs)
        return
    try:
        key = json.dumps(schema, sort_keys=True, allow_nan=False)
    except (TypeError, ValueError):
        _ORIGINAL(instance, schema, cls)
        return
    error = exceptions.best_match(_validator(cls, key).iter_errors(instance))
    if error is not None:
        raise error


def install() -> None:
    """Make ``jsonschema.validate`` the cached one (idempotent)."""
    jsonschema.validate = validate
