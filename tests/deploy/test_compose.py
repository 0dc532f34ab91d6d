"""docker-compose.yml: valid by the compose spec, and true to the code it runs."""

from __future__ import annotations

import re

import pytest
import yaml

from .manifests import (
    APP_IMAGE,
    COMPOSE,
    RASA_IMAGE,
    compose,
    compose_schema_errors,
    stack_commands,
    variables_read,
)

SERVICES = compose()["services"]
# Services without a health check, and why.
NO_HEALTHCHECK = {
    "migrate": "a one-shot job: the others wait for it to complete",
    "dialer": "no port; the container's only process, restarted when it ends",
    "purge": "a daily loop with nothing to ask",
}
# Which stack command each service runs.
COMMANDS = {"actions": "actions", "rasa": "rasa", "gateway": "gateway", "dialer": "dialer"}


def ours(name: str) -> bool:
    """Whether a service runs one of our images (not PostgreSQL's or Redis's)."""
    image = str(SERVICES[name].get("image", ""))
    return image.startswith((APP_IMAGE, RASA_IMAGE))


def test_the_compose_file_is_valid_by_the_compose_spec():
    assert compose_schema_errors(COMPOSE) == ""


def test_a_broken_compose_file_is_refused(tmp_path):
    broken = compose()
    broken["services"]["gateway"]["helthcheck"] = broken["services"]["gateway"].pop("healthcheck")
    path = tmp_path / "docker-compose.yml"
    path.write_text(yaml.safe_dump(broken), encoding="utf-8")
    assert "helthcheck" in compose_schema_errors(path)


def test_every_service_is_there():
    assert set(SERVICES) == {
        "postgres", "redis", "migrate", "actions", "rasa", "gateway", "dialer", "purge",
    }  # fmt: skip


@pytest.mark.parametrize("name", sorted(SERVICES))
def test_every_long_running_service_has_a_health_check(name):
    has_one = bool(SERVICES[name].get("healthcheck", {}).get("test"))
    assert has_one != (name in NO_HEALTHCHECK)


@pytest.mark.parametrize("name", sorted(SERVICES))
def test_every_service_reserves_and_limits_cpu_and_memory(name):
    resources = SERVICES[name].get("deploy", {}).get("resources", {})
    assert {part: sorted(resources.get(part, {})) for part in ("reservations", "limits")} == {
        "reservations": ["cpus", "memory"],
        "limits": ["cpus", "memory"],
    }


@pytest.mark.parametrize(("service", "process"), sorted(COMMANDS.items()))
def test_commands_mirror_the_launcher(service, process):
    assert SERVICES[service]["command"] == stack_commands()[process]


def test_the_migration_migrates_and_seeds_before_the_app_starts():
    assert SERVICES["migrate"]["command"] == ["python", "-m", "crm_backend", "seed"]
    for name in ("actions", "gateway", "dialer", "purge"):
        assert SERVICES[name]["depends_on"]["migrate"] == {
            "condition": "service_completed_successfully"
        }


@pytest.mark.parametrize("name", [n for n in sorted(SERVICES) if ours(n)])
def test_every_variable_set_is_read_by_the_code(name):
    unknown = set(SERVICES[name].get("environment", {})) - variables_read()
    assert unknown == set()


def test_rasa_gets_every_variable_its_endpoints_need():
    needed = set(re.findall(r"\$\{([A-Z_]+)\}", (COMPOSE.parent / "deploy" /
                 "endpoints.scaled.yml").read_text(encoding="utf-8")))  # fmt: skip
    needed |= {"ICBOT_RASA_TOKEN", "ICBOT_CHANNEL_SECRET"}
    assert needed - set(SERVICES["rasa"]["environment"]) == set()


def test_secrets_have_no_default_but_an_obvious_demo_one():
    text = COMPOSE.read_text(encoding="utf-8")
    defaults = re.findall(r"\$\{(\w*(?:PASSWORD|TOKEN|SECRET|AUTH)\w*):-([^}]*)\}", text)
    assert defaults, "the secrets come from ${...}"
    assert [(name, value) for name, value in defaults if not value.startswith("demo-only-")] == []


def test_the_gateway_lists_its_rasa_servers_with_the_first_as_its_one_server():
    env = SERVICES["gateway"]["environment"]
    assert env["ICBOT_RASA_URL"] == env["ICBOT_RASA_URLS"].split(",")[0]
