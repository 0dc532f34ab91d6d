"""A script file's YAML nodes read into values, each mistake a :class:`Problem` with its line.

:mod:`crm_backend.script_reader` walks a script with a :class:`NodeReader`:
plain values (an id, a number, a flag), lists, and the texts written once
per language (``offer: {en: ..., fr: ...}``), where a missing translation is
a problem at the line of its key.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from .interactive_scripts import LANGUAGE_NAMES, LANGUAGES

Texts = dict[str, str]  # language → text
Words = dict[str, tuple[str, ...]]  # language → words


@dataclass(frozen=True)
class Problem:
    """Something wrong in a script file, at a line (1-based; 0 when the whole file)."""

    line: int
    message: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.message}" if self.line else self.message


class NodeReader:
    """Walks the YAML nodes, collecting problems with their line numbers."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []
        # id() of a question or option → the line of its 'next', to name a wrong branch there.
        self.next_lines: dict[int, int] = {}
        # id() of a value node → the line of its key, where a missing translation is named.
        self.key_lines: dict[int, int] = {}
        # A text as read → the line it starts on (its first one when written twice).
        self.text_lines: dict[str, int] = {}

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
                self.key_lines[id(value)] = key.start_mark.line + 1
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

    def per_language(
        self, fields: dict[str, Node], name: str, what: str, kind: str
    ) -> dict[str, Node]:
        """The ``<language>: ...`` lines of a per-language key; each language missing is named."""
        node = fields[name]
        label = name if what == "the script" else f"{name} of {what}"
        known = ", ".join(LANGUAGES)
        if not isinstance(node, MappingNode):
            self.problem(node, f"{label}: write one {kind} per language: {known}")
            return {}
        found: dict[str, Node] = {}
        for key, value in node.value:
            language = key.value if isinstance(key, ScalarNode) else ""
            if language not in LANGUAGES:
                self.problem(key, f"{label}: unknown language {language!r} (known: {known})")
            elif language in found:
                self.problem(key, f"{label}: the {LANGUAGE_NAMES[language]} {kind} is given twice")
            else:
                found[language] = value
        line = self.key_lines.get(id(node), node.start_mark.line + 1)
        for language in LANGUAGES:
            if language not in found:
                self.problems.append(
                    Problem(line, f"{label}: no {LANGUAGE_NAMES[language]} {kind} ({language})")
                )
        return found

    def texts(self, fields: dict[str, Node], name: str, where: Node, what: str) -> Texts:
        """One text per language (a missing one is ""), each a problem when missing or empty."""
        texts = dict.fromkeys(LANGUAGES, "")
        if name not in fields:
            self.problem(where, f"{what} needs '{name}'")
            return texts
        for language, node in self.per_language(fields, name, what, "text").items():
            if not isinstance(node, ScalarNode) or not str(node.value).strip():
                self.problem(
                    node, f"the {LANGUAGE_NAMES[language]} '{name}' of {what} must be some text"
                )
            else:
                texts[language] = " ".join(str(node.value).split())
                self.text_lines.setdefault(texts[language], node.start_mark.line + 1)
        return texts

    def words(self, fields: dict[str, Node], what: str) -> Words:
        """The words of each language (none when the key is absent)."""
        words: Words = dict.fromkeys(LANGUAGES, ())
        if "words" not in fields:
            return words
        for language, node in self.per_language(fields, "words", what, "words").items():
            if isinstance(node, ScalarNode):
                words[language] = (str(node.value),) if str(node.value).strip() else ()
            elif isinstance(node, SequenceNode) and all(
                isinstance(n, ScalarNode) and str(n.value).strip() for n in node.value
            ):
                words[language] = tuple(str(n.value) for n in node.value)
            else:
                self.problem(
                    node,
                    f"the {LANGUAGE_NAMES[language]} 'words' of {what} must be a list of "
                    "words or phrases",
                )
        return words

    def items(self, fields: dict[str, Node], name: str, where: Node, what: str) -> list[Node]:
        node = fields.get(name)
        if node is None:
            self.problem(where, f"{what} needs '{name}'")
            return []
        if not isinstance(node, SequenceNode):
            self.problem(node, f"'{name}' of {what} must be a list ('- ...' lines)")
            return []
        return list(node.value)


def compose(text: str, reader: NodeReader) -> Node | None:
    try:
        return yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 if mark is not None else 0
        reader.problems.append(Problem(line, f"not valid YAML: {error.problem or error}"))
    except yaml.YAMLError as error:
        reader.problems.append(Problem(0, f"not valid YAML: {error}"))
    return None
