"""Training time: cold, then after one response's words changed.

Both run on a copy of the training inputs in a temporary folder, with Rasa's
training cache (``RASA_CACHE_DIRECTORY``) there too, so "cold" means no cache
and no earlier model; the second run changes the words of one response, as
marketing would, and trains again with the cache the first run filled.
Neither touches ``models/`` or the user's ``~/.rasa``.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

from launcher.stack import RASA_BIN, REPO_ROOT

INPUTS = ("config.yml", "domain", "data", "bot")
# The domain file whose words the second run changes, as marketing would change one step's.
EDITED_DOMAIN_FILE = Path("domain", "products.yml")
EDIT = "Benchmark edit. "
# A response's first plain or quoted one-line text (block scalars are skipped).
_TEXT_LINE = re.compile(r"^(?P<head>\s+- text: )(?P<quote>[\"']?)(?P<rest>[^|>\s].*)$")


class TrainingFailed(RuntimeError):
    """``rasa train`` exited with an error."""


@dataclass(frozen=True)
class Training:
    """One ``rasa train`` run."""

    seconds: float
    model_bytes: int
    log: Path


def copy_project(target: Path) -> Path:
    """The training inputs, copied to ``target``."""
    target.mkdir(parents=True, exist_ok=True)
    for name in INPUTS:
        source = REPO_ROOT / name
        if source.is_dir():
            shutil.copytree(
                source, target / name, ignore=shutil.ignore_patterns("__pycache__", "*.pyc")
            )
        else:
            shutil.copy2(source, target / name)
    return target


def change_one_response(domain_file: Path) -> str:
    """Change the words of a domain file's first one-line response; the line as it now reads."""
    lines = domain_file.read_text(encoding="utf-8").splitlines(keepends=True)
    start = next(i for i, line in enumerate(lines) if line.startswith("responses:"))
    for i in range(start + 1, len(lines)):
        match = _TEXT_LINE.match(lines[i].rstrip("\n"))
        if match:
            lines[i] = f"{match['head']}{match['quote']}{EDIT}{match['rest']}\n"
            domain_file.write_text("".join(lines), encoding="utf-8")
            return lines[i].strip()
    raise ValueError(f"no one-line response text in {domain_file}")


def train(project: Path, *, cache: Path, out: Path, log: Path) -> Training:
    """``rasa train`` as ``make model`` runs it, with the given cache and output folder."""
    env = {
        **os.environ,
        "PYTHONPATH": str(project),
        "RASA_CACHE_DIRECTORY": str(cache),
        "RASA_TELEMETRY_ENABLED": "false",
        "TF_CPP_MIN_LOG_LEVEL": "2",
    }
    command = [
        str(RASA_BIN), "train", "--domain", "domain", "--data", "data",
        "--config", "config.yml", "--out", str(out), "--fixed-model-name", "bench",
    ]  # fmt: skip
    started = time.perf_counter()
    with log.open("wb") as output:
        done = subprocess.run(  # noqa: S603 - our own command
            command, cwd=project, env=env, stdout=output, stderr=subprocess.STDOUT, check=False
        )
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        raise TrainingFailed(f"rasa train exited with {done.returncode}; see {log}")
    model = out / "bench.tar.gz"
    return Training(seconds=seconds, model_bytes=model.stat().st_size, log=log)


@dataclass(frozen=True)
class TrainingRuns:
    """The cold run, the run after the change, and the changed line."""

    cold: Training
    changed: Training
    changed_line: str


def cold_and_changed(workdir: Path) -> TrainingRuns:
    """Train cold, change one response, train again."""
    project = copy_project(workdir / "project")
    cache, out = workdir / "cache", workdir / "models"
    cold = train(project, cache=cache, out=out, log=workdir / "train-cold.log")
    changed_line = change_one_response(project / EDITED_DOMAIN_FILE)
    changed = train(project, cache=cache, out=out, log=workdir / "train-changed.log")
    return TrainingRuns(cold=cold, changed=changed, changed_line=changed_line)
