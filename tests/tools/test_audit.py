"""make audit (tools/audit.py): findings fail the app lock only; no database is said so."""

from __future__ import annotations

from pathlib import Path
from types import ModuleType

import pytest

from tests.tools.loader import load_tool


@pytest.fixture(scope="module")
def audit() -> ModuleType:
    return load_tool("audit.py", "audit_tool")


SANIC = {
    "name": "sanic",
    "version": "21.12.2",
    "vulns": [{"id": "GHSA-xxxx", "fix_versions": ["22.9.1"], "aliases": []}],
}
CLEAN = {"name": "httpx", "version": "0.28.1", "vulns": []}


def reports(audit: ModuleType, by_lock: dict[str, object]):
    def run(lock: Path, service: str):
        return audit.read_report(lock, service, by_lock[lock.name], stderr="")

    return run


def test_a_finding_fails_the_app_lock_and_is_only_listed_for_the_rasa_lock(
    audit: ModuleType, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    found = {"dependencies": [CLEAN, SANIC]}
    monkeypatch.setattr(audit, "run_pip_audit", reports(audit, {"rasa.lock": found}))
    assert audit.main(["requirements/rasa.lock"]) == 0
    rasa_out = capsys.readouterr().out

    monkeypatch.setattr(audit, "run_pip_audit", reports(audit, {"app.lock": found}))
    assert audit.main(["requirements/app.lock"]) == 1
    app_out = capsys.readouterr().out

    assert rasa_out.splitlines() == [
        "requirements/rasa.lock:",
        "  2 packages checked against pypi",
        "  sanic 21.12.2: GHSA-xxxx (fixed in: 22.9.1)",
        "  1 known, not failing the audit: Rasa 3.6's pinned stack, on loopback behind "
        "secrets (docs/security.md)",
    ]
    assert app_out.splitlines()[-1] == "  1 known: upgrade the pins (make lock) and run again"


def test_an_index_without_a_vulnerability_feed_is_not_a_clean_lock(
    audit: ModuleType, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # What pip-audit writes when PyPI's JSON API answers 404 for everything ("No known
    # vulnerabilities found", exit 0), and what it leaves when OSV cannot be resolved.
    not_found = {"dependencies": [{"name": "httpx", "skip_reason": "Dependency not found on PyPI"}]}

    def run(lock: Path, service: str):
        if service == "pypi":
            return audit.read_report(lock, service, not_found)
        return audit.read_report(
            lock, service, None, stderr="Traceback...\nConnectionError: api.osv.dev: no name"
        )

    monkeypatch.setattr(audit, "run_pip_audit", run)

    assert audit.main(["requirements/app.lock"]) == 0
    assert capsys.readouterr().out.splitlines() == [
        "requirements/app.lock:",
        "  requirements/app.lock: pypi: not reachable: pypi answered for none of the 1 packages "
        "(e.g. 'not found on PyPI': this index has no vulnerability feed)",
        "  requirements/app.lock: osv: not reachable: ConnectionError: api.osv.dev: no name",
        "  NOT AUDITED: no vulnerability database could be reached (tried pypi, osv). "
        "Run `make audit` where one is.",
    ]
