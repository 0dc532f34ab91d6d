"""deploy/k8s/: valid by Kubernetes' schemas, complete, and true to the code it runs."""

from __future__ import annotations

import copy
import re
from typing import Any

import pytest
import yaml

from .manifests import (
    K8S,
    K8S_VERSIONS,
    SCALED_ENDPOINTS,
    SECRET_EXAMPLE,
    config_map,
    containers,
    k8s_documents,
    k8s_files,
    k8s_objects,
    k8s_schema_errors,
    pod_spec,
    secret_keys,
    stack_commands,
    variables_read,
)

DOCUMENTS = [
    (path.name, index, doc)
    for path in k8s_files()
    if path.name != "kustomization.yaml"
    for index, doc in enumerate(k8s_documents(path))
]
CONTAINERS = list(containers())
# A job ends by itself: Kubernetes gives it no probes.
LONG_RUNNING = [c for c in CONTAINERS if c[0] not in ("Job", "CronJob")]
# PostgreSQL's and Redis's images read their own variables.
OURS = [c for c in CONTAINERS if c[2]["image"].startswith("icbot-")]
# Long-running containers without probes, and why.
NO_PROBES = {
    "dialer": "no port; the container's only process, restarted when it ends",
}
# Which stack command each workload runs.
COMMANDS = {"actions": "actions", "rasa": "rasa", "gateway": "gateway", "dialer": "dialer"}
SECRET_NAME = re.compile(r"PASSWORD|TOKEN|SECRET|AUTH")


def container(workload: str) -> dict[str, Any]:
    (found,) = [c for _, name, c in CONTAINERS if name == workload]
    return found


def workload(kind: str, name: str) -> dict[str, Any]:
    (found,) = [d for _, d in k8s_objects() if d["kind"] == kind and d["metadata"]["name"] == name]
    return found


@pytest.mark.parametrize("version", K8S_VERSIONS)
@pytest.mark.parametrize(
    ("file", "index", "doc"), DOCUMENTS, ids=[f"{f}:{i}" for f, i, _ in DOCUMENTS]
)
def test_every_manifest_is_valid_by_the_kubernetes_schemas(file, index, doc, version):
    assert k8s_schema_errors(doc, version) == ""


def test_a_broken_manifest_is_refused():
    broken = copy.deepcopy(workload("Deployment", "gateway"))
    spec = broken["spec"]["template"]["spec"]["containers"][0]
    spec["readinesProbe"] = spec.pop("readinessProbe")
    assert "readinesProbe" in k8s_schema_errors(broken, K8S_VERSIONS[-1])
    broken = copy.deepcopy(workload("StatefulSet", "rasa"))
    broken["spec"]["replicas"] = "two"
    assert "'two' is not of type" in k8s_schema_errors(broken, K8S_VERSIONS[-1])


def test_kustomization_applies_every_manifest_but_the_secret_example():
    kustomization = yaml.safe_load((K8S / "kustomization.yaml").read_text(encoding="utf-8"))
    files = {p.name for p in k8s_files()} - {"kustomization.yaml", SECRET_EXAMPLE}
    assert sorted(kustomization["resources"]) == sorted(files)


@pytest.mark.parametrize(("kind", "name", "spec"), CONTAINERS, ids=[n for _, n, _ in CONTAINERS])
def test_every_container_requests_and_limits_cpu_and_memory(kind, name, spec):
    resources = spec.get("resources", {})
    assert {part: sorted(resources.get(part, {})) for part in ("requests", "limits")} == {
        "requests": ["cpu", "memory"],
        "limits": ["cpu", "memory"],
    }


@pytest.mark.parametrize(
    ("kind", "name", "spec"), LONG_RUNNING, ids=[n for _, n, _ in LONG_RUNNING]
)
def test_every_long_running_container_has_probes(kind, name, spec):
    probes = {p for p in ("readinessProbe", "livenessProbe") if p in spec}
    assert probes == (set() if name in NO_PROBES else {"readinessProbe", "livenessProbe"})


def test_probes_ask_the_real_health_endpoints():
    assert container("actions")["readinessProbe"]["httpGet"] == {"path": "/health", "port": 5055}
    rasa = container("rasa")
    assert rasa["startupProbe"]["httpGet"]["path"] == "/"
    assert rasa["readinessProbe"]["exec"]["command"] == ["python", "deploy/rasa_ready.py"]
    # The gateway must stay in service while Rasa is down (its /healthz says 503 then).
    gateway = container("gateway")
    assert [gateway[p]["httpGet"]["path"] for p in ("readinessProbe", "livenessProbe")] == [
        "/docs",
        "/docs",
    ]


@pytest.mark.parametrize(("name", "process"), sorted(COMMANDS.items()))
def test_commands_mirror_the_launcher(name, process):
    assert container(name)["command"] == stack_commands()[process]


def test_the_migration_job_migrates_and_the_purge_runs_daily():
    assert container("migrate")["command"] == ["python", "-m", "crm_backend", "migrate"]
    assert container("purge")["command"] == ["python", "-m", "crm_backend", "purge"]
    assert "ICBOT_TRACKER_STORE_URL" in {e["name"] for e in container("purge")["env"]}


@pytest.mark.parametrize(("kind", "name", "spec"), OURS, ids=[n for _, n, _ in OURS])
def test_every_variable_set_is_read_by_the_code(kind, name, spec):
    env = spec.get("env", [])
    composed = {n for e in env for n in re.findall(r"\$\(([A-Z_]+)\)", e.get("value", ""))}
    names = {e["name"] for e in env} | set(config_map())
    assert names - variables_read() - composed == set()


@pytest.mark.parametrize(("kind", "name", "spec"), CONTAINERS, ids=[n for _, n, _ in CONTAINERS])
def test_secrets_come_from_the_secret_and_exist_there(kind, name, spec):
    literal = [
        e["name"] for e in spec.get("env", []) if SECRET_NAME.search(e["name"]) and "value" in e
    ]
    refs = {
        e["valueFrom"]["secretKeyRef"]["key"]
        for e in spec.get("env", [])
        if "secretKeyRef" in e.get("valueFrom", {})
    }
    assert (literal, refs - secret_keys()) == ([], set())


def test_mounted_secret_files_exist_in_the_secret():
    keys = {
        item["key"]
        for _, doc in k8s_objects()
        for volume in (pod_spec(doc) or {}).get("volumes", [])
        for item in volume.get("secret", {}).get("items", [])
    }
    assert keys == {"suppression_key"}
    assert keys <= secret_keys()


def test_the_config_map_holds_every_key_referenced():
    refs = {
        e["valueFrom"]["configMapKeyRef"]["key"]
        for _, _, spec in CONTAINERS
        for e in spec.get("env", [])
        if "configMapKeyRef" in e.get("valueFrom", {})
    }
    assert refs - set(config_map()) == set()


def test_rasa_gets_every_variable_its_endpoints_need():
    needed = set(re.findall(r"\$\{([A-Z_]+)\}", SCALED_ENDPOINTS.read_text(encoding="utf-8")))
    needed |= {"ICBOT_RASA_TOKEN", "ICBOT_CHANNEL_SECRET"}
    given = {e["name"] for e in container("rasa")["env"]} | set(config_map())
    assert needed - given == set()


def test_the_gateway_lists_every_rasa_pod_by_its_stable_name():
    rasa = workload("StatefulSet", "rasa")
    service = workload("Service", rasa["spec"]["serviceName"])
    assert service["spec"]["clusterIP"] == "None"
    name, port = rasa["metadata"]["name"], service["spec"]["ports"][0]["port"]
    expected = [f"http://{name}-{n}.{service['metadata']['name']}:{port}" for n in
                range(rasa["spec"]["replicas"])]  # fmt: skip
    config = config_map()
    assert (config["ICBOT_RASA_URLS"].split(","), config["ICBOT_RASA_URL"]) == (
        expected,
        expected[0],
    )


def test_the_scaled_endpoints_use_postgresql_and_redis():
    endpoints = yaml.safe_load(SCALED_ENDPOINTS.read_text(encoding="utf-8"))
    tracker, lock = endpoints["tracker_store"], endpoints["lock_store"]
    plain = yaml.safe_load((K8S.parents[1] / "endpoints.yml").read_text(encoding="utf-8"))
    # The same store class as the embedded stack's, on PostgreSQL.
    assert tracker["type"] == plain["tracker_store"]["type"]
    assert (tracker["dialect"], lock["type"]) == ("postgresql", "redis")
    assert {"url", "db", "username", "password"} <= set(tracker)
    assert (endpoints["action_endpoint"], endpoints["nlg"]) == (
        plain["action_endpoint"],
        plain["nlg"],
    )
