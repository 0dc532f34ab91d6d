"""Check story files and interactive scripts before they are tried, naming each wrong line.

A story file is in Rasa's test-story format (``stories:``, each with
``story:`` and ``steps:``); every intent, action, entity, slot and form it
names must exist in the bot's domain. A script file (``script:``) is checked
by :func:`crm_backend.script_reader.release_problems`: the script itself, and
its words for SMS (no word Twilio takes for an unsubscribe, "STOP", ..., may be
offered as an answer).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from crm_backend.script_reader import release_problems
from languages import DEFAULT as DEFAULT_LANGUAGE
from languages import domain_paths

REPO_ROOT = Path(__file__).resolve().parents[1]
# The bot's domain: one file per IC step, read as one (Rasa's ``--domain domain``).
# The shared domain and the default language's responses: every language has the same names.
DOMAIN = tuple(domain_paths(DEFAULT_LANGUAGE))
# Rasa's own actions a story may name (rasa/shared/core/constants.py).
RASA_ACTIONS = frozenset(
    {
        "action_listen",
        "action_restart",
        "action_session_start",
        "action_default_fallback",
        "action_deactivate_loop",
        "action_revert_fallback_events",
        "action_default_ask_affirmation",
        "action_default_ask_rephrase",
        "action_two_stage_fallback",
        "action_unlikely_intent",
        "action_back",
        "action_extract_slots",
    }
)
RASA_INTENTS = frozenset({"nlu_fallback", "restart", "session_start", "back", "out_of_scope"})
STEP_KEYS = ("intent", "user", "action", "slot_was_set", "active_loop", "checkpoint", "or")
# Actions whose next steps the rules branch on: a story says, right after the
# action, what it set (a story test looks nothing up), else the bot "diverges".
SAYS_AFTER = {
    "action_close_interaction": (
        "satisfaction_due",
        "false on our own calls and a second goodbye; true when the bot then asks "
        "for a rating with satisfaction_form",
    ),
}


@dataclass(frozen=True)
class Finding:
    """Something wrong in a file, at a line (0: the whole file)."""

    path: Path
    line: int
    message: str

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else str(self.path)
        return f"{where}: {self.message}"


@dataclass(frozen=True)
class Domain:
    """What a story may name: the bot's intents, actions, entities, slots and forms."""

    intents: frozenset[str]
    actions: frozenset[str]
    entities: frozenset[str]
    slots: dict[str, Any]
    forms: frozenset[str]

    @classmethod
    def load(cls, path: Path | Sequence[Path] = DOMAIN) -> Domain:
        """Read the domain: files or folders of them (plain YAML; Rasa is not needed)."""
        data = read_domain(path)
        forms = frozenset(data.get("forms") or {})
        responses = set(data.get("responses") or {})
        return cls(
            intents=frozenset(_names(data.get("intents"))),
            actions=frozenset({*_names(data.get("actions")), *responses, *forms}),
            entities=frozenset(_names(data.get("entities"))),
            slots=dict(data.get("slots") or {}),
            forms=forms,
        )


def read_domain(path: Path | Sequence[Path] = DOMAIN) -> dict[str, Any]:
    """The domain as one mapping: files, and every YAML file under folders, merged as Rasa does.

    Lists (intents, entities, actions) are joined and mappings (slots, forms,
    responses) united; a name is defined in one file only.
    """
    files: list[Path] = []
    for place in [path] if isinstance(path, Path) else path:
        if place.is_dir():
            files += [f for f in sorted(place.rglob("*")) if f.suffix in (".yml", ".yaml")]
        else:
            files.append(place)
    merged: dict[str, Any] = {}
    for file in files:
        data = yaml.safe_load(file.read_text(encoding="utf-8")) or {}
        for key, value in data.items():
            if isinstance(value, list):
                merged[key] = [*merged.get(key, []), *value]
            elif isinstance(value, dict):
                merged[key] = {**merged.get(key, {}), **value}
            else:
                merged.setdefault(key, value)
    return merged


def _names(items: Iterable[Any] | None) -> Iterator[str]:
    for item in items or ():
        yield from (item if isinstance(item, dict) else [item])


def _line(node: Node) -> int:
    return node.start_mark.line + 1


def _mapping(node: Node) -> dict[str, Node]:
    if not isinstance(node, MappingNode):
        return {}
    return {str(k.value): v for k, v in node.value if isinstance(k, ScalarNode)}


def _scalar(node: Node | None) -> str | None:
    return str(node.value) if isinstance(node, ScalarNode) else None


def is_script_file(path: Path, text: str) -> bool:
    """Whether the file is an interactive script rather than stories."""
    return path.parent.name == "scripts" or bool(re.search(r"^script\s*:", text, re.MULTILINE))


def check_files(paths: Iterable[Path], *, domain: Domain | None = None) -> list[Finding]:
    """Every problem of the story and script files, in file and line order."""
    known = domain or Domain.load()
    findings: list[Finding] = []
    for path in paths:
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            findings.append(Finding(path, 0, f"cannot be read: {error}"))
            continue
        if is_script_file(path, text):
            findings += check_script_file(path, text)
        else:
            findings += check_story_file(path, text, known)
    return findings


def check_script_file(path: Path, text: str) -> list[Finding]:
    """The script's problems, then the words an SMS customer must not be offered.

    The CRM runs the same check before a campaign may use the script
    (:func:`crm_backend.services.scripts.usable_script`).
    """
    return [Finding(path, p.line, p.message) for p in release_problems(text, name=path.stem)]


def check_story_file(path: Path, text: str, domain: Domain) -> list[Finding]:
    """The story file's problems: its YAML, its shape, and every name it uses."""
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        return [Finding(path, mark.line + 1 if mark else 0, f"not valid YAML: {error.problem}")]
    if root is None:
        return [Finding(path, 0, "the file is empty")]
    top = _mapping(root)
    stories = top.get("stories")
    if not isinstance(stories, SequenceNode):
        return [Finding(path, _line(root), "a story file needs 'stories:', a list of stories")]
    findings: list[Finding] = []
    names: dict[str, int] = {}
    for node in stories.value:
        fields = _mapping(node)
        name = _scalar(fields.get("story"))
        if not name:
            findings.append(Finding(path, _line(node), "each story needs 'story: <its name>'"))
        elif name in names:
            findings.append(
                Finding(path, _line(node), f"two stories are called {name!r} (line {names[name]})")
            )
        else:
            names[name] = _line(node)
        steps = fields.get("steps")
        if not isinstance(steps, SequenceNode) or not steps.value:
            findings.append(Finding(path, _line(node), f"story {name!r} needs 'steps:'"))
            continue
        for step in steps.value:
            findings += [Finding(path, line, m) for line, m in _check_step(step, domain)]
        findings += [Finding(path, line, m) for line, m in _check_follow_ups(steps.value)]
    return sorted(findings, key=lambda f: f.line)


def _check_follow_ups(steps: list[Node]) -> Iterator[tuple[int, str]]:
    """An action of :data:`SAYS_AFTER` followed by anything but the slot it sets."""
    for step, following in zip(steps, [*steps[1:], None], strict=True):
        action = _scalar(_mapping(step).get("action"))
        if action not in SAYS_AFTER:
            continue
        slot, meaning = SAYS_AFTER[action]
        said = _mapping(following).get("slot_was_set") if following is not None else None
        items = said.value if isinstance(said, SequenceNode) else [said] if said else []
        if not any(slot in _mapping(item) for item in items if isinstance(item, MappingNode)):
            yield (
                _line(step),
                f"after {action}, say what it set on the next step: "
                f"'slot_was_set: - {slot}: ...' ({meaning})",
            )


def _check_step(step: Node, domain: Domain) -> Iterator[tuple[int, str]]:
    fields = _mapping(step)
    kinds = [k for k in STEP_KEYS if k in fields]
    line = _line(step)
    if not fields or not kinds:
        yield line, f"a step is one of {', '.join(STEP_KEYS[:5])}"
        return
    if "user" in fields and "intent" not in fields:
        yield (
            line,
            "the customer's words need their intent ('intent: ...'): "
            "the bot is tested turn by turn",
        )
    intent = _scalar(fields.get("intent"))
    if "intent" in fields and intent not in domain.intents | RASA_INTENTS:
        yield _line(fields["intent"]), f"unknown intent {intent!r}"
    for entity in _entities(fields.get("entities")):
        if entity[1] not in domain.entities:
            yield entity[0], f"unknown entity {entity[1]!r}"
    action = _scalar(fields.get("action"))
    if "action" in fields and action not in domain.actions | RASA_ACTIONS:
        yield _line(fields["action"]), f"unknown action or response {action!r}"
    if "active_loop" in fields:
        loop = _scalar(fields["active_loop"])
        if loop not in (None, "null", "", *domain.forms):
            yield _line(fields["active_loop"]), f"unknown form {loop!r}"
    if "slot_was_set" in fields:
        yield from _check_slots(fields["slot_was_set"], domain)


def _entities(node: Node | None) -> Iterator[tuple[int, str]]:
    if not isinstance(node, SequenceNode):
        return
    for item in node.value:
        for key, _value in _mapping(item).items():
            if key not in ("entity", "value", "role", "group"):
                yield _line(item), key
        fields = _mapping(item)
        if "entity" in fields:
            yield _line(item), str(_scalar(fields["entity"]))


def _check_slots(node: Node, domain: Domain) -> Iterator[tuple[int, str]]:
    items = node.value if isinstance(node, SequenceNode) else [node]
    for item in items:
        pairs = _mapping(item).items() if isinstance(item, MappingNode) else []
        if isinstance(item, ScalarNode):
            pairs = [(str(item.value), None)]  # type: ignore[list-item]
        for name, value in pairs:
            slot = domain.slots.get(name)
            if slot is None and name != "requested_slot":
                yield _line(item), f"unknown slot {name!r}"
                continue
            values = (slot or {}).get("values")
            said = _scalar(value) if value is not None else None
            if values and said not in (None, "null", *map(str, values)):
                yield (
                    _line(item),
                    f"slot {name!r} cannot be {said!r} (one of: {', '.join(map(str, values))})",
                )
