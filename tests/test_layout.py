"""The house's rules (docs/architecture.md): one name per IC step, small modules.

A newcomer finds an IC step under one name in the domain, the NLU, the
rules, the actions and the CRM service; nothing else sits beside them
without a reason written here.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from languages import languages

ROOT = Path(__file__).resolve().parents[1]

IC_STEPS = (
    "identification",
    "products",
    "quotes",
    "orders",
    "follow_up",
    "leads",
    "handoff",
    "marketing",
    "conversation",
)
# Where each step has a file of its own name; {lang}: in every language's folder (languages/).
STEP_FILES = (
    "domain/{step}.yml",
    "data/{lang}/nlu/{step}.yml",
    "data/{lang}/domain/{step}.yml",
    "data/rules/{step}.yml",
    "actions/{step}.py",
    "crm_backend/services/{step}.py",
)
# Files in the step folders that are no step, and why.
NOT_STEPS = {
    "data/{lang}/nlu/review.yml": (
        "the customer messages reviewers marked at /desk/review, every step's, redacted:"
        " written by `make review-export`"
    ),
}
MAX_LINES = 400
# Data, not logic: long by nature.
LONG_ALLOWED = ("crm_backend/migrations/", "crm_backend/seed/")


STEP_FOLDERS = ("domain", "data/{lang}/nlu", "data/{lang}/domain", "data/rules")


@pytest.mark.parametrize("lang", languages())
@pytest.mark.parametrize("step", IC_STEPS)
def test_an_ic_step_has_one_name_in_every_folder(step, lang):
    paths = [p.format(step=step, lang=lang) for p in STEP_FILES]
    assert [p for p in paths if not (ROOT / p).is_file()] == []


@pytest.mark.parametrize("lang", languages())
@pytest.mark.parametrize("folder", STEP_FOLDERS)
def test_the_step_folders_hold_steps_only(folder, lang):
    strays = [
        f"{folder}/{path.name}"
        for path in sorted((ROOT / folder.format(lang=lang)).glob("*.yml"))
        if path.stem not in IC_STEPS and f"{folder}/{path.name}" not in NOT_STEPS
    ]
    assert strays == []


def python_modules():
    """(path from the root, path) of every Python module of ours, tests included."""
    for folder in (
        "actions",
        "bench",
        "bot",
        "channels",
        "converse",
        "crm_backend",
        "languages",
        "launcher",
        "storylab",
        "tests",
        "tools",
    ):
        for path in sorted((ROOT / folder).rglob("*.py")):
            yield path.relative_to(ROOT).as_posix(), path


def test_no_module_is_over_400_lines():
    long = {
        name: count
        for name, path in python_modules()
        if not name.startswith(LONG_ALLOWED)
        and (count := len(path.read_text(encoding="utf-8").splitlines())) > MAX_LINES
    }
    assert long == {}
