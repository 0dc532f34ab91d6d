"""Interactive scripts read from their YAML text, every mistake named with its line.

:func:`parse_script` gives a :class:`~crm_backend.interactive_scripts.Script`
or raises :class:`~crm_backend.errors.InvalidScript` naming the first problem;
:func:`check_script` lists every problem of a file for a marketer to fix. The
format is in :mod:`crm_backend.interactive_scripts` and docs/marketing.md.

Every text a customer hears or says is a set of ``<language>: text`` lines,
one per language of :data:`~crm_backend.interactive_scripts.LANGUAGES`
(``offer: {en: ..., fr: ...}``); a missing one is a problem at the line of
its key ("offer: no French text (fr)"), and so is a single text written for
all ("write one text per language: en, fr").
"""

from __future__ import annotations

import re

from yaml.nodes import MappingNode, Node, ScalarNode

from .errors import InvalidScript
from .interactive_scripts import (
    DEFAULT_HOT_FROM,
    DEFAULT_WARM_FROM,
    END,
    LANGUAGES,
    REFERENCE_LANGUAGE,
    Objection,
    Option,
    Question,
    Script,
)
from .script_nodes import NodeReader, Problem, compose

__all__ = ["OPT_OUT", "Problem", "check_script", "parse_script", "release_problems"]

_ID = re.compile(r"^[a-z][a-z0-9_]*$")
# Twilio's opt-out keywords: an SMS answer with one of them unsubscribes the customer.
OPT_OUT = re.compile(r"\b(stop|stopall|unsubscribe|cancel|end|quit)\b", re.IGNORECASE)
SCRIPT_KEYS = frozenset({"script", "title", "offer", "objections", "questions", "scoring"})
QUESTION_KEYS = frozenset({"id", "ask", "field", "options", "next"})
OPTION_KEYS = frozenset({"answer", "words", "points", "next", "disqualifies"})
OBJECTION_KEYS = frozenset({"words", "answer"})
SCORING_KEYS = frozenset({"warm_from", "hot_from"})


def _read(text: str, name: str) -> tuple[Script | None, NodeReader]:
    reader = NodeReader()
    root = compose(text, reader)
    if reader.problems:
        return None, reader
    if root is None:
        reader.problems.append(Problem(0, "the file is empty"))
        return None, reader
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
    title = reader.optional_text(top, "title", "the script") or name.replace("_", " ")
    offer = reader.texts(top, "offer", root, "the script")
    objections = _objections(reader, top.get("objections"))
    scoring = _scoring(reader, top.get("scoring"))
    # Every language's version shares this mapping, filled as they are made.
    versions: dict[str, Script] = {}
    for language in LANGUAGES:
        versions[language] = Script(
            name=name,
            title=title,
            offer=offer[language],
            questions=tuple(question[language] for question, _ in asked),
            objections=objections[language],
            warm_from=scoring["warm_from"],
            hot_from=scoring["hot_from"],
            language=language,
            versions=versions,
        )
    script = versions[REFERENCE_LANGUAGE]
    _check_branches(reader, script, [node for _, node in asked])
    return (None if reader.problems else script), reader


def _question(reader: NodeReader, node: Node, number: int) -> dict[str, Question] | None:
    """The question in every language."""
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
    ask = reader.texts(fields, "ask", node, what)
    following = reader.optional_text(fields, "next", what)
    versions = {
        language: Question(
            id=qid,
            ask=ask[language],
            field=field_name,
            options=tuple(option[language] for option in options),
            next=following,
        )
        for language in LANGUAGES
    }
    reader.next_lines[id(versions[REFERENCE_LANGUAGE])] = reader.line_of(fields, "next")
    return versions


def _option(reader: NodeReader, node: Node, what: str) -> dict[str, Option] | None:
    """The answer in every language, each keeping the reference language's words."""
    fields = reader.mapping(node, what, OPTION_KEYS)
    if not fields:
        return None
    answer = reader.texts(fields, "answer", node, what)
    words = reader.words(fields, what)
    points = reader.number(fields, "points", 0, what)
    following = reader.optional_text(fields, "next", what)
    disqualifies = reader.flag(fields, "disqualifies", what)
    versions = {
        language: Option(
            answer=answer[language],
            words=words[language],
            points=points,
            next=following,
            disqualifies=disqualifies,
            key=answer[REFERENCE_LANGUAGE],
        )
        for language in LANGUAGES
    }
    reader.next_lines[id(versions[REFERENCE_LANGUAGE])] = reader.line_of(fields, "next")
    return versions


def _objections(reader: NodeReader, node: Node | None) -> dict[str, tuple[Objection, ...]]:
    """The answers to objections, in every language."""
    objections: dict[str, list[Objection]] = {language: [] for language in LANGUAGES}
    if node is None:
        return dict.fromkeys(LANGUAGES, ())
    if not isinstance(node, MappingNode):
        reader.problem(node, "'objections' must list objections by name ('price:', 'timing:', ...)")
        return dict.fromkeys(LANGUAGES, ())
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
            answer = reader.texts(fields, "answer", value, what)
            words = reader.words(fields, what)
            for language in LANGUAGES:
                objections[language].append(
                    Objection(kind=kind, answer=answer[language], words=words[language])
                )
    return {language: tuple(found) for language, found in objections.items()}


def _scoring(reader: NodeReader, node: Node | None) -> dict[str, int]:
    if node is None:
        return {"warm_from": DEFAULT_WARM_FROM, "hot_from": DEFAULT_HOT_FROM}
    fields = reader.mapping(node, "the scoring", SCORING_KEYS)
    warm = reader.number(fields, "warm_from", DEFAULT_WARM_FROM, "the scoring")
    hot = reader.number(fields, "hot_from", DEFAULT_HOT_FROM, "the scoring")
    if hot < warm:
        reader.problem(node, f"hot_from ({hot}) must not be below warm_from ({warm})")
    return {"warm_from": warm, "hot_from": hot}


def _check_branches(reader: NodeReader, script: Script, nodes: list[Node]) -> None:
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
    """The script ``name`` from its YAML text, in its reference language (see ``in_language``).

    Raises:
        InvalidScript: the text is not a valid script; the first problem is named.
    """
    script, reader = _read(text, name)
    if script is None:
        problems = reader.problems
        first = min(problems, key=lambda p: p.line) if problems else Problem(0, "not a script")
        raise InvalidScript(script=name, line=first.line, reason=first.message)
    return script


def check_script(text: str, *, name: str) -> list[Problem]:
    """Every problem of a script's YAML text, by line; [] when it is a valid script."""
    return sorted(_read(text, name)[1].problems, key=lambda p: p.line)


def release_problems(text: str, *, name: str) -> list[Problem]:
    """What keeps a script from going live, as ``make stories-check`` reports it; [] when none.

    The script's own problems (:func:`check_script`), else each answer, in
    any language, an SMS customer would be offered that holds a word Twilio
    takes for an unsubscribe ("STOP", ...).
    """
    script, reader = _read(text, name)
    if script is None:
        return sorted(reader.problems, key=lambda p: p.line)
    found = []
    for version in script.versions.values():
        for question in version.questions:
            for option in question.options:
                if OPT_OUT.search(option.answer):
                    found.append(
                        Problem(
                            reader.text_lines.get(option.answer, 0),
                            f"the answer {option.answer!r} has a word that unsubscribes an SMS "
                            "customer (STOP, END, CANCEL, QUIT, UNSUBSCRIBE): use other words",
                        )
                    )
    return sorted(found, key=lambda p: p.line)
