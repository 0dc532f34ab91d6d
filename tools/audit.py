"""``make audit``: both lock files against a vulnerability database, with pip-audit.

Usage: ``python tools/audit.py requirements/app.lock requirements/rasa.lock``

Each lock file is checked with ``pip-audit --no-deps --disable-pip -r <lock>``
(every line is pinned, so nothing is resolved or installed) against PyPI's
vulnerability feed, then OSV's when PyPI's cannot be read. Where neither
answers, the audit says so in one line and does not pretend the lock is clean:
pip-audit itself reports "No known vulnerabilities found" when PyPI's JSON API
answers 404 for every package (a mirror without it), and a traceback when OSV
cannot be resolved.

Exit status: 1 when the app lock has a known vulnerability, else 0.

- The app environment is ours: every pin can move, so a known vulnerability in
  it fails the target until the lock is upgraded (``make lock``).
- The rasa environment is listed, never failed: Rasa 3.6.21 (its last release)
  pins an unmaintained server stack (sanic 21.12, its aiohttp and others) that
  cannot be upgraded without leaving Rasa 3.6. It is contained instead: Rasa
  and the action server listen on loopback only, behind shared secrets
  (docs/security.md).
- An unreachable database is not a failure: the machine may have no way to one
  (the message says so), and a red build that nobody can turn green teaches
  people to ignore it.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

SERVICES = ("pypi", "osv")
# Locks whose findings are reported without failing the audit, and why.
CONTAINED = {
    "rasa.lock": "Rasa 3.6's pinned stack, on loopback behind secrets (docs/security.md)",
}
NOT_FOUND = "not found on PyPI"


@dataclass
class Audit:
    """What one service said about one lock file."""

    lock: Path
    service: str
    reachable: bool
    reason: str = ""
    findings: list[tuple[str, str, str, str]] = field(default_factory=list)  # name, ver, id, fix
    skipped: list[str] = field(default_factory=list)
    audited: int = 0


def run_pip_audit(lock: Path, service: str) -> Audit:
    """One pip-audit run, its JSON read; a service it cannot reach is said so, not raised."""
    with tempfile.TemporaryDirectory() as scratch:
        report = Path(scratch) / "report.json"
        done = subprocess.run(  # noqa: S603 - our own interpreter and arguments
            [
                sys.executable,
                "-m",
                "pip_audit",
                "--no-deps",
                "--disable-pip",
                "--progress-spinner",
                "off",
                "--timeout",
                "10",
                "--vulnerability-service",
                service,
                "--format",
                "json",
                "--output",
                str(report),
                "--requirement",
                str(lock),
            ],
            capture_output=True,
            text=True,
            check=False,
        )
        data = json.loads(report.read_text()) if report.exists() and report.stat().st_size else None
    return read_report(lock, service, data, stderr=done.stderr)


def read_report(lock: Path, service: str, data: Any, *, stderr: str = "") -> Audit:
    """What pip-audit's JSON report (None: it wrote none) says about ``lock``."""
    if data is None:
        last = (stderr.strip().splitlines() or ["no output"])[-1]
        return Audit(lock, service, reachable=False, reason=last[:300])
    audit = Audit(lock, service, reachable=True)
    for dependency in data.get("dependencies", []):
        if "skip_reason" in dependency:
            audit.skipped.append(dependency["name"])
            continue
        audit.audited += 1
        for vuln in dependency.get("vulns", []):
            fixes = ", ".join(vuln.get("fix_versions") or []) or "no fix"
            audit.findings.append(
                (dependency["name"], dependency.get("version", "?"), vuln["id"], fixes)
            )
    if audit.audited == 0:
        audit.reachable = False
        audit.reason = (
            f"{service} answered for none of the {len(audit.skipped)} packages "
            f"(e.g. '{NOT_FOUND}': this index has no vulnerability feed)"
        )
    return audit


def audit_lock(lock: Path) -> Audit:
    """The first service that answers about ``lock``; the last refusal when none does."""
    audit = Audit(lock, "", reachable=False)
    for service in SERVICES:
        audit = run_pip_audit(lock, service)
        if audit.reachable:
            break
        print(f"  {lock}: {service}: not reachable: {audit.reason}")
    return audit


def main(argv: list[str]) -> int:
    """Audit each lock file named in ``argv``; 1 when a lock that may fail has a finding."""
    failed = False
    for name in argv:
        lock = Path(name)
        print(f"{lock}:")
        audit = audit_lock(lock)
        if not audit.reachable:
            print(
                f"  NOT AUDITED: no vulnerability database could be reached "
                f"(tried {', '.join(SERVICES)}). Run `make audit` where one is."
            )
            continue
        contained = CONTAINED.get(lock.name)
        print(f"  {audit.audited} packages checked against {audit.service}", end="")
        print(
            f"; {len(audit.skipped)} not found there: {', '.join(audit.skipped)}"
            if audit.skipped
            else ""
        )
        for package, version, vuln, fixes in audit.findings:
            print(f"  {package} {version}: {vuln} (fixed in: {fixes})")
        if not audit.findings:
            print("  no known vulnerabilities")
        elif contained:
            print(f"  {len(audit.findings)} known, not failing the audit: {contained}")
        else:
            print(f"  {len(audit.findings)} known: upgrade the pins (make lock) and run again")
            failed = True
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
