"""Play story files against the trained bot and read back where each one went another way.

The stories are in Rasa's test-story format. Rasa's own ``rasa test core
--e2e`` plays them against the model (it does not call the action server:
what the actions set is the story's ``slot_was_set``), checking at each
turn what the bot understood (the intent of the customer's words) and what
it did next. Rasa writes the failed stories with ``# predicted:`` comments;
this module reads them back and says, for each story, whether it passed and,
for a failure, the turn where the bot did something else: what the customer
said, what the story expected, what the bot did, and the line of the story.

A story file is in the language of its folder: ``tests/stories/fr/`` holds
French stories, played against ``models/icbot-fr.tar.gz``; any other file
is English, played against ``models/icbot-en.tar.gz`` (:func:`story_language`).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import shutil
import subprocess
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from languages import DEFAULT as DEFAULT_LANGUAGE
from languages import languages

REPO_ROOT = Path(__file__).resolve().parents[1]
RASA = REPO_ROOT / ".venv" / "rasa" / "bin" / "rasa"
MODELS = REPO_ROOT / "models"
DEFAULT_MODEL = MODELS / f"icbot-{DEFAULT_LANGUAGE}.tar.gz"
LISTEN = "action_listen"
WAIT = "wait for the customer"
_STORY = re.compile(r"^- story: (?P<name>.*) \((?P<path>[^()]*)\)\s*$")
_STEP = re.compile(
    r"^\s+- (?P<kind>intent|action): (?P<name>\S+)(?:\s+# predicted: (?P<predicted>.*))?$"
)
_USER = re.compile(r"^\s+- user: \|-?\s*$")
# Entity markup in the customer's words: [text](entity) or [text]{"entity": ..., "value": ...}.
_MARKUP = re.compile(r"\[(?P<text>[^\]]*)\](?:\((?P<name>[^)]*)\)|(?P<json>\{[^}]*\}))")


class StoryRunError(Exception):
    """Rasa could not run the stories (no model, no Rasa, a file it refused)."""


@dataclass(frozen=True)
class Step:
    """A step of a story as written: a customer turn or a bot action, with its line."""

    kind: str  # "intent" or "action"
    name: str
    line: int
    text: str = ""
    entities: str = ""  # the details marked in the customer's words, as :func:`details` says them


@dataclass(frozen=True)
class Divergence:
    """Where the bot did something else than the story says."""

    turn: int
    said: str
    intent: str
    expected: str
    actual: str
    line: int
    understood: bool = True  # False: the customer's words were read otherwise
    marked: str = ""  # the details the story marks in the words ...
    found: str = ""  # ... and those the bot found, when they differ


@dataclass
class StoryResult:
    """One story: passed, or failed at its first divergence."""

    name: str
    path: Path
    line: int
    passed: bool
    divergence: Divergence | None = None


@dataclass
class Report:
    """The results of one run."""

    model: Path
    files: list[Path]
    stories: list[StoryResult] = field(default_factory=list)
    # Every model played (one per language); [] when only ``model``.
    models: list[Path] = field(default_factory=list)
    # response name → its first wording, so the report shows what the bot said.
    wording: dict[str, str] = field(default_factory=dict)
    at: dt.datetime = field(default_factory=lambda: dt.datetime.now().replace(microsecond=0))

    @property
    def failed(self) -> list[StoryResult]:
        return [s for s in self.stories if not s.passed]


# --- the stories as written ----------------------------------------------------------------


def _mapping(node: Node) -> dict[str, Node]:
    if not isinstance(node, MappingNode):
        return {}
    return {str(k.value): v for k, v in node.value if isinstance(k, ScalarNode)}


def written_stories(path: Path) -> dict[str, tuple[int, list[Step]]]:
    """Story name → (its line, its customer turns and bot actions) as the file has them."""
    root = yaml.compose(path.read_text(encoding="utf-8"), Loader=yaml.SafeLoader)
    stories = _mapping(root).get("stories") if root is not None else None
    found: dict[str, tuple[int, list[Step]]] = {}
    for node in stories.value if isinstance(stories, SequenceNode) else []:
        fields = _mapping(node)
        name = fields.get("story")
        steps_node = fields.get("steps")
        if not isinstance(name, ScalarNode) or not isinstance(steps_node, SequenceNode):
            continue
        steps = []
        for step in steps_node.value:
            parts = _mapping(step)
            line = step.start_mark.line + 1
            if "intent" in parts:
                said = parts.get("user")
                text = str(said.value) if isinstance(said, ScalarNode) else ""
                listed = _listed_entities(parts.get("entities"))
                marked = details(text) or listed
                steps.append(Step("intent", str(parts["intent"].value), line, _plain(text), marked))
            elif "action" in parts:
                steps.append(Step("action", str(parts["action"].value), line))
        found[str(name.value)] = (node.start_mark.line + 1, steps)
    return found


def _plain(text: str) -> str:
    """The customer's words without entity markup: "[69002](postcode)" → "69002"."""
    return " ".join(_MARKUP.sub(lambda m: m["text"], text).split())


def details(text: str) -> str:
    """The entities marked in words, said plainly: 'date "this month", product "BAG-ECL"'."""
    found = []
    for mark in _MARKUP.finditer(text):
        name, value = mark["name"], mark["text"]
        if mark["json"]:
            try:
                data = json.loads(mark["json"])
            except json.JSONDecodeError:
                data = {}
            name, value = str(data.get("entity", "")), str(data.get("value", value))
        found.append(f'{name} "{value}"')
    return ", ".join(found)


def _listed_entities(node: Node | None) -> str:
    if not isinstance(node, SequenceNode):
        return ""
    found = []
    for item in node.value:
        for key, value in _mapping(item).items():
            if isinstance(value, ScalarNode) and key not in ("role", "group"):
                found.append(f'{key} "{value.value}"')
    return ", ".join(found)


# --- what Rasa wrote ------------------------------------------------------------------------


@dataclass(frozen=True)
class _Played:
    kind: str
    name: str
    predicted: str | None
    text: str = ""


def played_stories(failed_file: Path) -> dict[tuple[str, str], list[_Played]]:
    """(story name, path Rasa read) → the steps as Rasa played them, with its predictions."""
    stories: dict[tuple[str, str], list[_Played]] = {}
    if not failed_file.exists():
        return stories
    current: list[_Played] | None = None
    lines = failed_file.read_text(encoding="utf-8").splitlines()
    for n, line in enumerate(lines):
        story = _STORY.match(line)
        if story:
            current = stories.setdefault((story["name"], story["path"]), [])
            continue
        if current is None:
            continue
        if _USER.match(line):
            said = lines[n + 1].strip() if n + 1 < len(lines) else ""
            current.append(_Played("user", "", None, said))
            continue
        step = _STEP.match(line)
        if step:
            current.append(_Played(step["kind"], step["name"], step["predicted"]))
    return stories


def succeeded(successful_file: Path) -> set[tuple[str, str]]:
    """(story name, path) of the stories Rasa played without a divergence."""
    if not successful_file.exists():
        return set()
    return {
        (m["name"], m["path"])
        for m in map(_STORY.match, successful_file.read_text(encoding="utf-8").splitlines())
        if m
    }


def divergence(played: list[_Played], written: list[Step]) -> Divergence | None:
    """The first turn where the bot's prediction differs from the story, or None."""
    customer = [s for s in written if s.kind == "intent"]
    actions = iter([s for s in written if s.kind == "action"])
    turn, said, intent = 0, "", ""
    for step in played:
        if step.kind in ("intent", "user"):
            turn += 1
            mine = customer[turn - 1] if turn <= len(customer) else None
            said = (mine.text if mine else "") or step.text
            intent = step.name or (mine.name if mine else "")
            if step.predicted:
                understood_as, _, words = step.predicted.partition(":")
                line = mine.line if mine else 0
                marked = mine.entities if mine else ""
                return Divergence(
                    turn,
                    said,
                    intent,
                    step.name,
                    understood_as.strip(),
                    line,
                    understood=False,
                    marked=marked,
                    found=details(words),
                )
            continue
        if step.name == LISTEN:
            if step.predicted:
                following = customer[turn] if turn < len(customer) else None
                line = following.line if following else _after(written)
                return Divergence(turn, said, intent, WAIT, step.predicted, line)
            continue
        expected = next(actions, None)
        if step.predicted:
            line = expected.line if expected else _after(written)
            return Divergence(turn, said, intent, step.name, step.predicted, line)
    return None


def _after(written: list[Step]) -> int:
    return written[-1].line + 1 if written else 0


# --- running ---------------------------------------------------------------------------------


def story_files(inputs: Sequence[Path]) -> list[Path]:
    """The story files named, a folder standing for its ``*.yml`` files and its languages' own."""
    found: list[Path] = []
    for item in inputs:
        if not item.is_dir():
            found.append(item)
            continue
        found += sorted(item.glob("*.yml"))
        for language in languages(REPO_ROOT):
            if language != DEFAULT_LANGUAGE and item.name != language:
                found += sorted((item / language).glob("*.yml"))
    return found


def story_language(path: Path) -> str:
    """The language of a story file: its folder's name when a language's (``fr/``), else English."""
    folder = path.parent.name
    others = set(languages(REPO_ROOT)) - {DEFAULT_LANGUAGE}
    return folder if folder in others else DEFAULT_LANGUAGE


def model_of(language: str, models: Path = MODELS) -> Path:
    """The trained model of a language, as ``make model`` names it."""
    return models / f"icbot-{language}.tar.gz"


def run_by_language(
    files: Sequence[Path], *, models: Path = MODELS, out: Path, rasa: Path = RASA
) -> Report:
    """Play each language's story files against its model; one report for them all.

    Raises:
        StoryRunError: a language's model is missing, no Rasa, or Rasa failed.
    """
    grouped: dict[str, list[Path]] = {}
    for path in files:
        grouped.setdefault(story_language(path), []).append(path)
    reports = [
        # Rasa's own results of each language go in their own folder (out/<lang>/rasa/).
        run_stories(group, model=model_of(language, models), out=out / language, rasa=rasa)
        for language, group in grouped.items()
    ]
    if len(reports) == 1:
        return reports[0]
    return Report(
        model=reports[0].model,
        files=[f for r in reports for f in r.files],
        stories=[s for r in reports for s in r.stories],
        models=[r.model for r in reports],
    )


def run_stories(
    files: Sequence[Path], *, model: Path = DEFAULT_MODEL, out: Path, rasa: Path = RASA
) -> Report:
    """Play the story files against the model with Rasa and read back what happened.

    Raises:
        StoryRunError: no model, no Rasa, or Rasa failed.
    """
    if not model.exists():
        raise StoryRunError(f"no trained model at {model}: run `make model` first")
    if not rasa.exists():
        raise StoryRunError(f"Rasa is not installed at {rasa}: run `make envs` first")
    raw = out / "rasa"
    shutil.rmtree(raw, ignore_errors=True)
    raw.mkdir(parents=True)
    with tempfile.TemporaryDirectory(prefix="stories-") as staging:
        # Rasa reads the customer's words of a story (--e2e) only from files named test_*.
        copies: dict[str, Path] = {}
        for n, path in enumerate(files, 1):
            copy = Path(staging) / f"test_{n:03d}_{path.name}"
            shutil.copyfile(path, copy)
            copies[str(copy)] = path
        command = [
            str(rasa), "test", "core", "--model", str(model), "--stories", staging,
            "--out", str(raw), "--no-plot", "--successes", "--e2e",
        ]  # fmt: skip
        env = {**os.environ, "PYTHONPATH": str(REPO_ROOT), "RASA_TELEMETRY_ENABLED": "false"}
        done = subprocess.run(  # noqa: S603 - our own Rasa, our own arguments
            command, cwd=REPO_ROOT, env=env, capture_output=True, text=True, check=False
        )
        (raw / "rasa.log").write_text(done.stdout + done.stderr, encoding="utf-8")
        if done.returncode != 0:
            raise StoryRunError(f"Rasa failed (exit {done.returncode}); see {raw / 'rasa.log'}")
        return _read_results(files, copies, raw, model)


def _read_results(files: Sequence[Path], copies: dict[str, Path], raw: Path, model: Path) -> Report:
    report = Report(model=model, files=list(files))
    played = played_stories(raw / "failed_test_stories.yml")
    passed = succeeded(raw / "successful_test_stories.yml")
    for copy, original in copies.items():
        for name, (line, written) in written_stories(original).items():
            if (name, copy) in passed:
                report.stories.append(StoryResult(name, original, line, passed=True))
                continue
            steps = played.get((name, copy))
            where = divergence(steps, written) if steps is not None else None
            if steps is None:
                where = Divergence(0, "", "", "the story to be played", "Rasa skipped it", line)
            report.stories.append(StoryResult(name, original, line, False, where))
    return report
