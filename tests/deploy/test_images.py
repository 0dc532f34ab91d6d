"""deploy/Dockerfile.app and deploy/Dockerfile.rasa: what they install, copy and run.

No Docker engine here, so the images are never built; this reads the files.
"""

from __future__ import annotations

import json
import re

from .manifests import ROOT, stack_commands

APP = (ROOT / "deploy" / "Dockerfile.app").read_text(encoding="utf-8")
RASA = (ROOT / "deploy" / "Dockerfile.rasa").read_text(encoding="utf-8")
MARKER = "# tests and checks"


def cmd(dockerfile: str) -> list[str]:
    """The CMD of a Dockerfile, in its JSON form, its lines joined."""
    text = dockerfile.split("\nCMD ", 1)[1].replace("\\\n", " ")
    argv: list[str] = json.loads(text)
    return argv


def pins(text: str) -> set[str]:
    return set(re.findall(r"^([A-Za-z0-9_.\[\]-]+)==", text, re.M))


def test_the_app_image_installs_app_in_up_to_its_tests_section_with_the_lock():
    app_in = (ROOT / "requirements" / "app.in").read_text(encoding="utf-8")
    assert MARKER in app_in.splitlines()
    assert f"sed '/^{MARKER}/,$d' requirements/app.in" in APP
    assert "-c requirements/app.lock" in APP
    runtime = pins(app_in.split(MARKER)[0])
    assert {"uvicorn[standard]", "rasa-sdk", "psycopg[binary]", "alembic", "fastapi"} <= runtime


def test_the_app_image_holds_every_package_its_processes_import():
    for folder in ("crm_backend", "channels", "actions", "launcher", "data/scripts"):
        assert f"COPY {folder} {folder}" in APP
    assert "COPY alembic.ini" in APP


def test_the_images_run_what_the_launcher_runs():
    assert cmd(APP) == stack_commands()["gateway"]
    assert cmd(RASA) == stack_commands()["rasa"]


def test_the_rasa_image_holds_the_model_and_its_endpoints():
    assert "-r requirements/rasa.in -c requirements/rasa.lock" in RASA
    assert "COPY models/icbot-en.tar.gz models/icbot-en.tar.gz" in RASA
    assert "deploy/endpoints.scaled.yml deploy/rasa_ready.py" in RASA
    dockerignore = (ROOT / ".dockerignore").read_text(encoding="utf-8").splitlines()
    assert dockerignore.index("!models/icbot-en.tar.gz") > dockerignore.index("models/*")
