"""Training time: every language's model cold, then English's after one response's words changed.

They run on a copy of the training inputs in a temporary folder, with Rasa's
training cache (``RASA_CACHE_DIRECTORY``, one per language) there too, so "cold"
means no cache and no earlier model; the languages train as ``make model``
trains them: all at once, each from ``build/<lang>/`` (written by ``python -m
languages build``). The cold figure is the time until the last is done. The last run changes
the words of one English response, as marketing would, and trains English again
with the cache the first runs filled. None touches ``models/`` or the user's ``~/.rasa``.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from languages import languages, training_data
from launcher.stack import RASA_BIN, RASA_PYTHON, REPO_ROOT

INPUTS = ("config.yml", "domain", "data", "bot", "languages")
# The language, and its domain file, whose words the last run changes, as marketing would.
EDITED_LANGUAGE = "en"
EDITED_DOMAIN_FILE = Path("data", EDITED_LANGUAGE, "domain", "products.yml")
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


def train(project: Path, language: str, *, cache: Path, out: Path, log: Path) -> Training:
    """``rasa train`` of one language as ``make model`` runs it, with the given cache and output."""
    env = {
        **os.environ,
        "PYTHONPATH": str(project),
        "RASA_CACHE_DIRECTORY": str(cache),
        "RASA_TELEMETRY_ENABLED": "false",
        "TF_CPP_MIN_LOG_LEVEL": "2",
    }
    build = Path("build", language)
    data = [str(path.relative_to(project)) for path in training_data(language, project)]
    commands = [
        [str(RASA_PYTHON), "-m", "languages", "build", language, str(build)],
        [
            str(RASA_BIN), "train", "--domain", str(build / "domain"),
            "--config", str(build / "config.yml"), "--data", *data,
            "--out", str(out), "--fixed-model-name", f"bench-{language}",
        ],
    ]  # fmt: skip
    started = time.perf_counter()
    with log.open("wb") as output:
        for command in commands:
            done = subprocess.run(  # noqa: S603 - our own command
                command, cwd=project, env=env, stdout=output, stderr=subprocess.STDOUT, check=False
            )
            if done.returncode != 0:
                raise TrainingFailed(f"{command[1]} exited with {done.returncode}; see {log}")
    seconds = time.perf_counter() - started
    model = out / f"bench-{language}.tar.gz"
    return Training(seconds=seconds, model_bytes=model.stat().st_size, log=log)


@dataclass(frozen=True)
class TrainingRuns:
    """Each language's cold run, English's run after the change, and the changed line."""

    cold: dict[str, Training]
    changed: Training
    changed_line: str
    # Every language's model from nothing, all at once (what ``make model`` does on a fresh clone).
    cold_seconds: float


def cold_and_changed(workdir: Path) -> TrainingRuns:
    """Train every language cold, change one English response, train English again."""
    project = copy_project(workdir / "project")
    cache, out = workdir / "cache", workdir / "models"
    names = languages(project)
    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=len(names)) as pool:
        runs = {
            language: pool.submit(
                train,
                project,
                language,
                cache=cache / language,
                out=out,
                log=workdir / f"train-cold-{language}.log",
            )
            for language in names
        }
        cold = {language: run.result() for language, run in runs.items()}
    cold_seconds = time.perf_counter() - started
    changed_line = change_one_response(project / EDITED_DOMAIN_FILE)
    changed = train(
        project,
        EDITED_LANGUAGE,
        cache=cache / EDITED_LANGUAGE,
        out=out,
        log=workdir / "train-changed.log",
    )
    return TrainingRuns(
        cold=cold, changed=changed, changed_line=changed_line, cold_seconds=cold_seconds
    )
