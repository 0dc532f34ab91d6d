"""What the deployment tests read: docker-compose.yml, deploy/k8s/, and the code they must match.

The schema checks use what the app env installs (requirements/app.in): the compose
spec bundled with check-jsonschema and the Kubernetes schemas bundled with
kubernetes-validate, so nothing is fetched while testing.
"""

from __future__ import annotations

import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import kubernetes_validate
import yaml

from launcher.stack import Ports, Stack

ROOT = Path(__file__).resolve().parents[2]
COMPOSE = ROOT / "docker-compose.yml"
K8S = ROOT / "deploy" / "k8s"
SCALED_ENDPOINTS = ROOT / "deploy" / "endpoints.scaled.yml"
# Not applied by kustomization.yaml: the keys of the Secret an operator makes.
SECRET_EXAMPLE = "secret.example.yaml"
# The oldest Kubernetes we claim to run on, and the newest the schemas know.
K8S_VERSIONS = ("1.29", "1.37")
APP_IMAGE, RASA_IMAGE = "icbot-app", "icbot-rasa"

# Read by code that is not on main yet; each with where it comes from. Remove the
# entry once the code reads the variable.
PENDING_ENV = {
    "ICBOT_RASA_URLS": "the gateway's list of Rasa servers, being added on branch scale (issue 13)",
}
# Read by what is not our code: Rasa and TensorFlow (Makefile exports them too).
THIRD_PARTY_ENV = {"RASA_TELEMETRY_ENABLED", "TF_CPP_MIN_LOG_LEVEL", "PYTHONUNBUFFERED"}
CODE_FOLDERS = ("channels", "crm_backend", "actions", "launcher", "bot")
CONFIG_FILES = ("endpoints.yml", "credentials.yml", "deploy/endpoints.scaled.yml")
DOLLAR_BRACE = re.compile(r"\$\{([A-Z_][A-Z0-9_]*)")
DOLLAR_PAREN = re.compile(r"\$\(([A-Z_][A-Z0-9_]*)\)")


def compose() -> dict[str, Any]:
    """docker-compose.yml, merge keys resolved."""
    loaded: dict[str, Any] = yaml.safe_load(COMPOSE.read_text(encoding="utf-8"))
    return loaded


def compose_schema_errors(path: Path) -> str:
    """What check-jsonschema says is wrong with a compose file ("" when it is valid)."""
    run = subprocess.run(
        [sys.executable, "-m", "check_jsonschema", "--builtin-schema", "vendor.compose-spec",
         str(path)],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    return "" if run.returncode == 0 else run.stdout + run.stderr


def k8s_files() -> list[Path]:
    """Every YAML file in deploy/k8s/."""
    return sorted(K8S.glob("*.yaml"))


def k8s_documents(path: Path) -> list[dict[str, Any]]:
    """The documents of one manifest file."""
    return [doc for doc in yaml.safe_load_all(path.read_text(encoding="utf-8")) if doc]


def k8s_objects() -> Iterator[tuple[str, dict[str, Any]]]:
    """(file name, object) of every Kubernetes object kustomization.yaml applies."""
    for path in k8s_files():
        if path.name in ("kustomization.yaml", SECRET_EXAMPLE):
            continue
        for doc in k8s_documents(path):
            yield path.name, doc


def k8s_schema_errors(doc: dict[str, Any], version: str) -> str:
    """What the Kubernetes schemas of ``version`` refuse in one object ("" when valid)."""
    try:
        kubernetes_validate.validate(doc, version, strict=True)
    except kubernetes_validate.ValidationError as exc:
        return f"{exc.path}: {exc.message}"
    except kubernetes_validate.SchemaNotFoundError as exc:
        return str(exc.message)
    return ""


def pod_spec(doc: dict[str, Any]) -> dict[str, Any] | None:
    """The pod template's spec of a workload (Deployment, StatefulSet, Job, CronJob)."""
    spec = doc.get("spec", {})
    if doc["kind"] == "CronJob":
        spec = spec["jobTemplate"]["spec"]
    template = spec.get("template")
    return template["spec"] if template else None


def containers() -> Iterator[tuple[str, str, dict[str, Any]]]:
    """(kind, workload name, container) of every workload's containers."""
    for _, doc in k8s_objects():
        spec = pod_spec(doc)
        for container in (spec or {}).get("containers", []):
            yield doc["kind"], doc["metadata"]["name"], container


def config_map() -> dict[str, str]:
    """The data of the ConfigMap icbot-config."""
    for _, doc in k8s_objects():
        if doc["kind"] == "ConfigMap" and doc["metadata"]["name"] == "icbot-config":
            return {k: str(v) for k, v in doc["data"].items()}
    raise AssertionError("no ConfigMap icbot-config in deploy/k8s")


def secret_keys() -> set[str]:
    """The keys secret.example.yaml gives the Secret icbot-secrets."""
    (doc,) = k8s_documents(K8S / SECRET_EXAMPLE)
    return set(doc["stringData"])


def variables_read() -> set[str]:
    """The environment variables something of ours reads, found by grep.

    Quoted upper-case names in the code of the app and the bot, the ``${...}`` of
    Rasa's YAML files, and what the Makefile exports; a name only a manifest uses
    for another variable (``$(POSTGRES_PASSWORD)``) is checked where it is used.
    """
    names: set[str] = set()
    for folder in CODE_FOLDERS:
        for path in (ROOT / folder).rglob("*.py"):
            names.update(re.findall(r"[\"']([A-Z][A-Z0-9_]{2,})[\"']", path.read_text("utf-8")))
    for name in CONFIG_FILES:
        names.update(DOLLAR_BRACE.findall((ROOT / name).read_text(encoding="utf-8")))
    names.update(re.findall(r"^export ([A-Z_]+)", (ROOT / "Makefile").read_text("utf-8"), re.M))
    return names | THIRD_PARTY_ENV | set(PENDING_ENV)


def stack_commands() -> dict[str, list[str]]:
    """launcher/stack.py's command lines, as a container runs them.

    The interpreter of the stack's venv is the image's ``python``; the hosts are
    every interface of the container; Rasa reads deploy/endpoints.scaled.yml, the one
    intended difference (PostgreSQL tracker store, Redis lock store).
    """
    stack = Stack(
        ports=Ports(gateway=8000, rasa=5005, actions=5055),
        model=Path("models/icbot-en.tar.gz"),
        host="0.0.0.0",  # noqa: S104 - inside a container
        gateway_host="0.0.0.0",  # noqa: S104
        dialer=True,
    )
    commands = {}
    for name, argv in stack.commands().items():
        argv = ["python", *argv[1:]]
        commands[name] = [
            "deploy/endpoints.scaled.yml" if arg == "endpoints.yml" else arg for arg in argv
        ]
    return commands
