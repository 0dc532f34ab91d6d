"""Interactive scripts read from their YAML text, every mistake named with its line.

:func:`parse_script` gives a :class:`~crm_backend.interactive_scripts.Script`
or raises :class:`~crm_backend.errors.InvalidScript` naming the first problem;
:func:`check_script` lists every problem of a file for a marketer to fix. The
format is in :mod:`crm_backend.interactive_scripts` and docs/marketing.md.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from .errors import InvalidScript
from .interactive_scripts import (
    DEFAULT_HOT_FROM,
    DEFAULT_WARM_FROM,
    END,
    Objection,
    Option,
    Question,
    Script,
)

_ID = re.compile(r"^[a-z][a-z0-9_]*$")
# Twilio's opt-out keywords: an SMS answer with one of them unsubscribes the customer.
OPT_OUT = re.compile(r"\b(stop|stopall|unsubscribe|cancel|end|quit)\b", re.IGNORECASE)
SCRIPT_KEYS = frozenset({"script", "title", "offer", "objections", "questions", "scoring"})
QUESTION_KEYS = frozenset({"id", "ask", "field", "options", "next"})
OPTION_KEYS = frozenset({"answer", "words", "points", "next", "disqualifies"})
OBJECTION_KEYS = frozenset({"words", "answer"})
SCORING_KEYS = frozenset({"warm_from", "hot_from"})


@dataclass(frozen=True)
class Problem:
    """Something wrong in a script file, at a line (1-based; 0 when the whole file)."""

    line: int
    message: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.message}" if self.line else self.message


class _Reader:
    """Walks the YAML nodes, collecting problems with their line numbers."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []
        # id() of a question or option → the line of its 'next', to name a wrong branch there.
        self.next_lines: dict[int, int] = {}

    def line_of(self, fields: dict[str, Node], name: str) -> int:
        node = fields.get(name)
        return node.start_mark.line + 1 if node is not None else 0

    def problem(self, node: Node | None, message: str) -> None:
        line = node.start_mark.line + 1 if node is not None else 0
        self.problems.append(Problem(line, message))

    def mapping(self, node: Node, what: str, allowed: frozenset[str]) -> dict[str, Node]:
        if not isinstance(node, MappingNode):
            self.problem(node, f"{what} must be a set of 'name: value' lines")
            return {}
        result: dict[str, Node] = {}
        for key, value in node.value:
            name = key.value if isinstance(key, ScalarNode) else ""
            if name not in allowed:
                known = ", ".join(sorted(allowed))
                self.problem(key, f"unknown key {name!r} in {what} (known: {known})")
            elif name in result:
                self.problem(key, f"{name!r} is given twice in {what}")
            else:
                result[name] = value
        return result

    def text(self, fields: dict[str, Node], name: str, where: Node, what: str) -> str:
        node = fields.get(name)
        if node is None:
            self.problem(where, f"{what} needs '{name}'")
            return ""
        if not isinstance(node, ScalarNode) or not str(node.value).strip():
            self.problem(node, f"'{name}' of {what} must be some text")
            return ""
        return " ".join(str(node.value).split())

    def optional_text(self, fields: dict[str, Node], name: str, what: str) -> str | None:
        node = fields.get(name)
        if node is None:
            return None
        if not isinstance(node, ScalarNode) or not str(node.value).strip():
            self.problem(node, f"'{name}' of {what} must be some text")
            return None
        return " ".join(str(node.value).split())

    def number(self, fields: dict[str, Node], name: str, default: int, what: str) -> int:
        node = fields.get(name)
        if node is None:
            return default
        value = str(node.value).strip() if isinstance(node, ScalarNode) else ""
        if not re.fullmatch(r"-?\d+", value):
            self.problem(node, f"'{name}' of {what} must be a whole number, not {value!r}")
            return default
        return int(value)

    def flag(self, fields: dict[str, Node], name: str, what: str) -> bool:
        node = fields.get(name)
        if node is None:
            return False
        value = str(node.value).strip().lower() if isinstance(node, ScalarNode) else ""
        if value not in ("true", "false", "yes", "no"):
            self.problem(node, f"'{name}' of {what} must be true or false")
            return False
        return value in ("true", "yes")

    def words(self, fields: dict[str, Node], what: str) -> tuple[str, ...]:
        node = fields.get("words")
        if node is None:
            return ()
        if isinstance(node, ScalarNode):
            return (str(node.value),) if str(node.value).strip() else ()
        if not isinstance(node, SequenceNode) or not all(
            isinstance(n, ScalarNode) and str(n.value).strip() for n in node.value
        ):
            self.problem(node, f"'words' of {what} must be a list of words or phrases")
            return ()
        return tuple(str(n.value) for n in node.value)

    def items(self, fields: dict[str, Node], name: str, where: Node, what: str) -> list[Node]:
        node = fields.get(name)
        if node is None:
            self.problem(where, f"{what} needs '{name}'")
            return []
        if not isinstance(node, SequenceNode):
            self.problem(node, f"'{name}' of {what} must be a list ('- ...' lines)")
            return []
        return list(node.value)


def _compose(text: str, reader: _Reader) -> Node | None:
    try:
        return yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 if mark is not None else 0
        reader.problems.append(Problem(line, f"not valid YAML: {error.problem or error}"))
    except yaml.YAMLError as error:
        reader.problems.append(Problem(0, f"not valid YAML: {error}"))
    return None


def _read(text: str, name: str) -> tuple[Script | None, list[Problem]]:
    reader = _Reader()
    root = _compose(text, reader)
    if reader.problems:
        return None, reader.problems
    if root is None:
        return None, [Problem(0, "the file is empty")]
    top = reader.mapping(root, "the script", SCRIPT_KEYS)
    declared = reader.text(top, "script", root, "the script")
    if declared and declared != name:
        reader.problem(top["script"], f"the script is named {declared!r} but its file {name!r}")
    asked = []
    for number, node in enumerate(reader.items(top, "questions", root, "the script"), 1):
        question = _question(reader, node, number)
        if question is not None:
            asked.append((question, node))
    if "questions" in top and not asked and not reader.problems:
        reader.problem(top["questions"], "the script needs at least one question")
    script = Script(
        name=name,
        title=reader.optional_text(top, "title", "the script") or name.replace("_", " "),
        offer=reader.text(top, "offer", root, "the script"),
        questions=tuple(question for question, _ in asked),
        objections=_objections(reader, top.get("objections")),
        **_scoring(reader, top.get("scoring")),
    )
    _check_branches(reader, script, [node for _, node in asked])
    return (None if reader.problems else script), reader.problems


def _question(reader: _Reader, node: Node, number: int) -> Question | None:
    what = f"question {number}"
    fields = reader.mapping(node, what, QUESTION_KEYS)
    if not fields:
        return None
    qid = reader.text(fields, "id", node, what)
    if qid and not _ID.match(qid):
        reader.problem(fields["id"], f"the id {qid!r} must be lower-case letters, digits and _")
    what = f"question {qid or number}"
    options = []
    if "options" in fields:
        for n, option_node in enumerate(reader.items(fields, "options", node, what), 1):
            option = _option(reader, option_node, f"answer {n} of {what}")
            if option is not None:
                options.append(option)
    field_name = reader.optional_text(fields, "field", what) or qid
    if "field" in fields and field_name and not _ID.match(field_name):
        reader.problem(
            fields["field"], f"the field {field_name!r} must be lower-case letters, digits and _"
        )
    question = Question(
        id=qid,
        ask=reader.text(fields, "ask", node, what),
        field=field_name,
        options=tuple(options),
        next=reader.optional_text(fields, "next", what),
    )
    reader.next_lines[id(question)] = reader.line_of(fields, "next")
    return question


def _option(reader: _Reader, node: Node, what: str) -> Option | None:
    fields = reader.mapping(node, what, OPTION_KEYS)
    if not fields:
        return None
    option = Option(
        answer=reader.text(fields, "answer", node, what),
        words=reader.words(fields, what),
        points=reader.number(fields, "points", 0, what),
        next=reader.optional_text(fields, "next", what),
        disqualifies=reader.flag(fields, "disqualifies", what),
    )
    reader.next_lines[id(option)] = reader.line_of(fields, "next")
    return option


def _objections(reader: _Reader, node: Node | None) -> tuple[Objection, ...]:
    if node is None:
        return ()
    if not isinstance(node, MappingNode):
        reader.problem(node, "'objections' must list objections by name ('price:', 'timing:', ...)")
        return ()
    objections = []
    for key, value in node.value:
        kind = str(key.value) if isinstance(key, ScalarNode) else ""
        if not _ID.match(kind):
            reader.problem(
                key, f"the objection name {kind!r} must be lower-case letters, digits and _"
            )
            continue
        what = f"objection {kind}"
        fields = reader.mapping(value, what, OBJECTION_KEYS)
        if fields:
            answer = reader.text(fields, "answer", value, what)
            objections.append(Objection(kind=kind, answer=answer, words=reader.words(fields, what)))
    return tuple(objections)


def _scoring(reader: _Reader, node: Node | None) -> dict[str, int]:
    if node is None:
        return {"warm_from": DEFAULT_WARM_FROM, "hot_from": DEFAULT_HOT_FROM}
    fields = reader.mapping(node, "the scoring", SCORING_KEYS)
    warm = reader.number(fields, "warm_from", DEFAULT_WARM_FROM, "the scoring")
    hot = reader.number(fields, "hot_from", DEFAULT_HOT_FROM, "the scoring")
    if hot < warm:
        reader.problem(node, f"hot_from ({hot}) must not be below warm_from ({warm})")
    return {"warm_from": warm, "hot_from": hot}


def _check_branches(reader: _Reader, script: Script, nodes: list[Node]) -> None:
    """Ids unique, every branch to a question that exists, no question reached twice on a path."""
    seen: set[str] = set()
    for question, node in zip(script.questions, nodes, strict=True):
        if question.id in seen:
            reader.problem(node, f"two questions have the id {question.id!r}")
        seen.add(question.id)
    ids = {q.id for q in script.questions}
    for question in script.questions:
        branches: list[tuple[str, str | None, int]] = [
            ("the question", question.next, reader.next_lines.get(id(question), 0))
        ]
        branches += [
            (repr(o.answer), o.next, reader.next_lines.get(id(o), 0)) for o in question.options
        ]
        for owner, target, line in branches:
            if target and target != END and target not in ids:
                reader.problems.append(
                    Problem(
                        line,
                        f"in question {question.id}, {owner} goes to {target!r}, "
                        f"which is no question of this script (or '{END}')",
                    )
                )
    if reader.problems or not script.questions:
        return
    loop = _loop(script)
    if loop:
        back = dict(zip((q.id for q in script.questions), nodes, strict=True))[loop[-2]]
        reader.problem(back, f"the questions loop: {' -> '.join(loop)}; a script must end")


def _loop(script: Script) -> list[str]:
    """A path that comes back to a question already asked, or [] when every path ends."""

    def walk(question: Question, path: list[str]) -> list[str]:
        if question.id in path:
            return [*path, question.id]
        for option in question.options or (None,):
            following = script.after(question, option)
            if following is not None:
                found = walk(following, [*path, question.id])
                if found:
                    return found
        return []

    return walk(script.first(), [])


def parse_script(text: str, *, name: str) -> Script:
    """The script ``name`` from its YAML text.

    Raises:
        InvalidScript: the text is not a valid script; the first problem is named.
    """
    script, problems = _read(text, name)
    if script is None:
        first = min(problems, key=lambda p: p.line) if problems else Problem(0, "not a script")
        raise InvalidScript(script=name, line=first.line, reason=first.message)
    return script


def check_script(text: str, *, name: str) -> list[Problem]:
    """Every problem of a script's YAML text, by line; [] when it is a valid script."""
    return sorted(_read(text, name)[1], key=lambda p: p.line)


def release_problems(text: str, *, name: str) -> list[Problem]:
    """What keeps a script from going live, as ``make stories-check`` reports it; [] when none.

    The script's own problems (:func:`check_script`), else each answer an SMS
    customer would be offered that holds a word Twilio takes for an
    unsubscribe ("STOP", ...).
    """
    problems = check_script(text, name=name)
    if problems:
        return problems
    script = parse_script(text, name=name)
    lines = text.splitlines()
    found = []
    for question in script.questions:
        for option in question.options:
            if OPT_OUT.search(option.answer):
                line = next(
                    (n for n, t in enumerate(lines, 1) if option.answer in t and "answer" in t), 0
                )
                found.append(
                    Problem(
                        line,
                        f"the answer {option.answer!r} has a word that unsubscribes an SMS "
                        "customer (STOP, END, CANCEL, QUIT, UNSUBSCRIBE): use other words",
                    )
                )
    return found
