"""The domain knows nothing of its doors: no Rasa, no Twilio, no HTTP framework.

Imports are read from the syntax tree of every module under ``crm_backend/``
(plain imports, ``from`` imports, attributes of imported modules such as
``fastapi.Request``, and ``importlib.import_module("...")`` with a literal),
so neither comments nor strings can fool the check. FastAPI, Starlette and
pydantic are the gateway's: the CRM's HTTP API and its schemas live in
``channels/crm_api/``.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

CRM_BACKEND = Path(__file__).resolve().parents[2] / "crm_backend"
FORBIDDEN = (
    "rasa",
    "rasa_sdk",
    "twilio",
    "fastapi",
    "starlette",
    "pydantic",
)


def imported_names(source: str) -> list[tuple[int, str]]:
    """(line, dotted name) of everything a module imports or reaches through an imported module."""
    tree = ast.parse(source)
    names: list[tuple[int, str]] = []
    modules: dict[str, str] = {}  # local name → module it is bound to
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                names.append((node.lineno, alias.name))
                local = alias.asname or alias.name.split(".")[0]
                modules[local] = alias.name if alias.asname else local
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.append((node.lineno, node.module))
            for alias in node.names:
                names.append((node.lineno, f"{node.module}.{alias.name}"))
                modules[alias.asname or alias.name] = f"{node.module}.{alias.name}"
        elif isinstance(node, ast.Call) and _is_dynamic_import(node.func):
            first = node.args[0] if node.args else None
            if isinstance(first, ast.Constant) and isinstance(first.value, str):
                names.append((node.lineno, first.value))
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute):
            dotted = _dotted(node)
            if dotted and dotted.split(".")[0] in modules:
                root, _, rest = dotted.partition(".")
                names.append((node.lineno, f"{modules[root]}.{rest}"))
    return names


def _is_dynamic_import(func: ast.expr) -> bool:
    if isinstance(func, ast.Name):
        return func.id in {"__import__", "import_module"}
    return isinstance(func, ast.Attribute) and func.attr == "import_module"


def _dotted(node: ast.expr) -> str | None:
    parts = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if not isinstance(node, ast.Name):
        return None
    return ".".join([node.id, *reversed(parts)])


def forbidden_imports(source: str) -> list[tuple[int, str]]:
    """The imports of ``source`` that the CRM must not make."""
    return sorted(
        {
            (line, name)
            for line, name in imported_names(source)
            if any(name == f or name.startswith(f"{f}.") for f in FORBIDDEN)
        }
    )


def crm_modules() -> list[Path]:
    return sorted(CRM_BACKEND.rglob("*.py"))


def test_the_crm_backend_has_modules_to_check():
    names = {p.relative_to(CRM_BACKEND).as_posix() for p in crm_modules()}

    assert {"errors.py", "uow.py", "services/orders.py", "models/sales.py"} <= names


@pytest.mark.parametrize("path", crm_modules(), ids=lambda p: p.relative_to(CRM_BACKEND).as_posix())
def test_no_crm_module_imports_a_door(path):
    assert forbidden_imports(path.read_text(encoding="utf-8")) == []


def test_the_check_sees_every_way_of_importing():
    source = "\n".join(
        [
            "import rasa",  # 1
            "import rasa_sdk.executor as ex",  # 2
            "from rasa_sdk import Action",  # 3
            "from twilio.rest import Client",  # 4
            "from starlette.requests import Request",  # 5
            "from fastapi import APIRouter, Depends, Request",  # 6
            "import fastapi",  # 7
            "def handler(request: fastapi.Request): ...",  # 8
            "import importlib",  # 9
            "importlib.import_module('twilio')",  # 10
            "from fastapi.requests import Request as R",  # 11
            "# import rasa in a comment, and 'from twilio import x' in a string",  # 12
            "from . import rasa_like",  # 13
            "import rasa_like_package",  # 14
        ]
    )

    assert forbidden_imports(source) == [
        (1, "rasa"),
        (2, "rasa_sdk.executor"),
        (3, "rasa_sdk"),
        (3, "rasa_sdk.Action"),
        (4, "twilio.rest"),
        (4, "twilio.rest.Client"),
        (5, "starlette.requests"),
        (5, "starlette.requests.Request"),
        (6, "fastapi"),
        (6, "fastapi.APIRouter"),
        (6, "fastapi.Depends"),
        (6, "fastapi.Request"),
        (7, "fastapi"),
        (8, "fastapi.Request"),
        (10, "twilio"),
        (11, "fastapi.requests"),
        (11, "fastapi.requests.Request"),
    ]


def test_no_router_or_schema_of_an_http_api_either():
    source = "\n".join(
        [
            "from fastapi import APIRouter, Depends, HTTPException, status",  # 1
            "router = APIRouter()",  # 2
            "from pydantic import BaseModel",  # 3
            "import starlette.routing",  # 4
        ]
    )

    assert forbidden_imports(source) == [
        (1, "fastapi"),
        (1, "fastapi.APIRouter"),
        (1, "fastapi.Depends"),
        (1, "fastapi.HTTPException"),
        (1, "fastapi.status"),
        (3, "pydantic"),
        (3, "pydantic.BaseModel"),
        (4, "starlette.routing"),
    ]
