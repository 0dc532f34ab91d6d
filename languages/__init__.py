"""The languages icbot speaks: one Rasa model each, from the shared dialogue and its own words.

Shared by every language (a new step is written once):

- ``domain/``: intents, entities, slots, forms and actions;
- ``data/rules/``, ``data/stories/`` and ``data/regex.yml``: the dialogue and the regex features;
- ``config.yml``: the pipeline and the policies.

A language's own, in ``data/<lang>/`` (docs/languages.md):

- ``nlu/``: its training examples, one file per IC step;
- ``domain/``: its part of the domain, one file per IC step: everything the bot says
  (the responses: the same names, conditions and buttons in every language) and the
  slots that hold words (the "did you mean" buttons' titles, the write guard's questions);
- ``language.yml``: its name and what of ``config.yml`` it changes (the write guard's
  cues are words of the language).

``python -m languages build LANG OUT`` writes ``build/LANG/``: ``config.yml`` (the shared
one with the language's settings) and ``domain/`` (links to ``domain/`` and to the
language's domain, which Rasa reads as one). The Makefile trains and validates
each language from there; tests load a language's domain with :func:`domain_paths`.
Plain YAML, no Rasa import: both environments read it (the gateway routes by language).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import yaml

REPO_ROOT = Path(__file__).resolve().parent.parent
# The language of a conversation nobody has chosen yet, and of the tools' defaults.
DEFAULT = "en"
SETTINGS_FILE = "language.yml"
# An option that language.yml may give as a file of data/<lang>/, one entry per line: the
# entries are written into the built config.yml, so Rasa's fingerprint sees them.
LIST_FILE_OPTION = "third_parties"


def languages(root: Path = REPO_ROOT) -> list[str]:
    """The languages with training data (``data/<lang>/nlu/``), the default first."""
    found = sorted(p.parent.name for p in (root / "data").glob("*/nlu") if p.is_dir())
    return sorted(found, key=lambda lang: lang != DEFAULT)


def domain_paths(language: str, root: Path = REPO_ROOT) -> list[Path]:
    """The folders making a language's domain: the shared ``domain/`` and its own."""
    return [root / "domain", root / "data" / language / "domain"]


def training_data(language: str, root: Path = REPO_ROOT) -> list[Path]:
    """What ``rasa train --data`` reads for a language: the shared dialogue and its NLU."""
    data = root / "data"
    return [data / "rules", data / "stories", data / "regex.yml", data / language / "nlu"]


def settings(language: str, root: Path = REPO_ROOT) -> dict[str, Any]:
    """The language's ``language.yml``."""
    path = root / "data" / language / SETTINGS_FILE
    return yaml.safe_load(path.read_text(encoding="utf-8")) or {}


def list_file(path: Path) -> list[str]:
    """A list of the language's data: an entry per line, without blanks and ``#`` comments."""
    lines = path.read_text(encoding="utf-8").splitlines()
    return [line.strip() for line in lines if line.strip() and not line.lstrip().startswith("#")]


def config(language: str, root: Path = REPO_ROOT) -> dict[str, Any]:
    """``config.yml`` for a language: its code, and its options for the components it names."""
    shared = yaml.safe_load((root / "config.yml").read_text(encoding="utf-8"))
    options = settings(language, root).get("pipeline") or {}
    unknown = set(options) - {component["name"] for component in shared["pipeline"]}
    if unknown:
        raise ValueError(
            f"data/{language}/{SETTINGS_FILE} names no component of config.yml: {sorted(unknown)}"
        )
    pipeline = [
        {**component, **(options.get(component["name"]) or {})} for component in shared["pipeline"]
    ]
    for component in pipeline:
        listed = component.get(LIST_FILE_OPTION)
        if isinstance(listed, str):
            component[LIST_FILE_OPTION] = list_file(root / "data" / language / listed)
    return {**shared, "language": language, "pipeline": pipeline}


def build(language: str, out: Path, root: Path = REPO_ROOT) -> None:
    """Write ``out/config.yml`` and ``out/domain/`` (links): what Rasa trains and validates."""
    if language not in languages(root):
        raise ValueError(f"no training data for {language!r}: data/{language}/nlu/ is missing")
    domain = out / "domain"
    domain.mkdir(parents=True, exist_ok=True)
    for name, target in zip(("shared", language), domain_paths(language, root), strict=True):
        link = domain / name
        if link.is_symlink() or link.exists():
            link.unlink()
        link.symlink_to(os.path.relpath(target, domain), target_is_directory=True)
    header = (
        f"# Written by `python -m languages build {language}` from config.yml and"
        f" data/{language}/{SETTINGS_FILE}: edit those.\n"
    )
    text = yaml.safe_dump(config(language, root), allow_unicode=True, sort_keys=False)
    (out / "config.yml").write_text(header + text, encoding="utf-8")
