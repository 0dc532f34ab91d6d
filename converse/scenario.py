"""Scenarios as data: who the customer is, what they want, how they say it, what the CRM must hold.

One YAML file per scenario in ``converse/scenarios/``, a language's own in
``converse/scenarios/<lang>/`` (English's at the top); docs/converse.md
describes every key and shows a whole one. :func:`load_scenarios` reads and
checks them all; a mistake is a :class:`ScenarioError` naming the file and
the place.
"""

from __future__ import annotations

import json
import string
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import yaml

from .questions import KINDS
from .speech import DEFAULT, LANGUAGES

SCENARIO_DIR = Path(__file__).resolve().parent / "scenarios"
CATALOG = Path(__file__).resolve().parents[1] / "data" / "lookups" / "catalog.json"
MIN_PHRASINGS = 3
DEFAULT_MAX_TURNS = 14

# What a customer can do by chat (PROCESSES.md), one tag per scenario.
PROCESSES = (
    "product_info", "quote", "order", "order_status", "quote_status", "contact_change",
    "preference", "do_not_contact", "feedback", "complaint", "handoff", "new_account",
    "lead", "not_buying", "goodbye",
)  # fmt: skip
IDENTIFIERS = ("email", "customer_number", "phone", "name")
# Facts the runner reads from the database for a demo account (crm.persona_facts).
ACCOUNT_FACTS = (
    "customer_number", "name", "first_name", "last_name", "email", "postcode", "city",
    "street", "phone", "company", "open_quote", "latest_order", "open_order",
)  # fmt: skip
# (required, allowed) fields of each expectation.
EXPECTATIONS: dict[str, tuple[frozenset[str], frozenset[str]]] = {
    "order": (frozenset({"lines"}), frozenset({"lines", "from_quote"})),
    "quote": (frozenset({"lines"}), frozenset({"lines"})),
    "quote_status": (frozenset({"status"}), frozenset({"status", "quote"})),
    "feedback": (frozenset({"words"}), frozenset({"words"})),
    "lead": (frozenset(), frozenset({"product", "words", "level"})),
    "account": (
        frozenset({"first_name", "last_name"}),
        frozenset({"first_name", "last_name", "email", "postcode", "phone", "kind", "company"}),
    ),
    "contact": (frozenset(), frozenset({"email", "phone", "postcode", "street", "city"})),
    "consent": (frozenset({"channel", "status"}), frozenset({"channel", "status"})),
    "do_not_contact": (frozenset(), frozenset()),
    "preference": (frozenset({"words"}), frozenset({"words", "key"})),
    "handoff": (frozenset({"reason"}), frozenset({"reason"})),
    "activity": (frozenset({"kind"}), frozenset({"kind", "words"})),
    "complaint": (frozenset(), frozenset({"words"})),
    "told": (frozenset(), frozenset({"all", "any"})),
}
HANDOFF_REASONS = ("requested", "misunderstood", "complaint", "cancellation", "large_order")


class ScenarioError(ValueError):
    """A scenario file that does not read as one; the message names the file and the place."""


@dataclass(frozen=True)
class Persona:
    """Who talks: a demo account (``account``, a customer number) or a new person (facts only)."""

    account: str | None
    facts: Mapping[str, str] = field(default_factory=dict)

    @property
    def is_new(self) -> bool:
        """A person the CRM does not know yet."""
        return self.account is None


@dataclass(frozen=True)
class Phrasing:
    """One wording of the goal: the first message, what follows, how questions are answered."""

    opening: str
    then: tuple[str, ...]
    answers: Mapping[str, tuple[str, ...]]
    identify_with: str
    clicks: bool
    persona: Persona


@dataclass(frozen=True)
class Expectation:
    """One thing the CRM must hold afterwards (or, for ``told``, the bot must have said)."""

    kind: str
    fields: Mapping[str, Any]

    def describe(self) -> str:
        """One line for the report."""
        if not self.fields:
            return self.kind
        return f"{self.kind} {json.dumps(dict(self.fields), ensure_ascii=False, sort_keys=True)}"


@dataclass(frozen=True)
class Scenario:
    """A customer with a goal, in several phrasings, and the outcome the CRM must show."""

    name: str
    process: str
    goal: str
    path: Path
    max_turns: int
    phrasings: tuple[Phrasing, ...]
    expect: tuple[Expectation, ...]
    may: tuple[Expectation, ...] = ()
    # Lines of a quote the persona holds before the run starts (its fact ``open_quote``).
    setup_quote: Mapping[str, int] | None = None
    language: str = DEFAULT  # what the customer speaks (and the bot must answer in)

    @property
    def hands_off(self) -> bool:
        """Whether the goal is a person: a handoff then ends the run without failing it."""
        return any(e.kind == "handoff" for e in self.expect)


def catalog_skus(path: Path = CATALOG) -> frozenset[str]:
    """The SKUs the bot's catalog export lists."""
    return frozenset(str(p["sku"]) for p in json.loads(path.read_text(encoding="utf-8")))


def load_scenarios(
    directory: Path = SCENARIO_DIR, *, skus: frozenset[str] | None = None
) -> list[Scenario]:
    """Every ``*.yml`` of ``directory``, then of its language folders (``fr/``), checked.

    Raises:
        ScenarioError: a file is not a valid scenario, or two share a name.
    """
    skus = catalog_skus() if skus is None else skus
    scenarios = [load_scenario(path, skus=skus) for path in sorted(directory.glob("*.yml"))]
    for language in LANGUAGES:
        for path in sorted((directory / language).glob("*.yml")):
            scenarios.append(load_scenario(path, skus=skus, language=language))
    if not scenarios:
        raise ScenarioError(f"{directory}: no scenario (*.yml)")
    if len({s.name for s in scenarios}) < len(scenarios):
        raise ScenarioError(f"{directory}: two scenarios share a name")
    return scenarios


def load_scenario(path: Path, *, skus: frozenset[str], language: str | None = None) -> Scenario:
    """One scenario file, checked; ``language``: its folder's, which its key must not contradict.

    Raises:
        ScenarioError: the file is not a valid scenario.
    """
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise ScenarioError(f"{path.name}: not YAML: {exc}") from None
    try:
        return _scenario(data, path, skus, language)
    except ScenarioError as exc:
        raise ScenarioError(f"{path.name}: {exc}") from None


def _scenario(data: Any, path: Path, skus: frozenset[str], folder: str | None) -> Scenario:
    data = _mapping(data, "the file")
    _only(data, {"name", "process", "goal", "persona", "answers", "phrasings", "expect", "may",
                 "max_turns", "setup", "language"}, "the file")  # fmt: skip
    language = data.get("language", folder or DEFAULT)
    if language not in LANGUAGES or (folder is not None and language != folder):
        raise ScenarioError(f"language {language!r}: one of {', '.join(LANGUAGES)}, its folder's")
    name = _text(data.get("name"), "name")
    if name != path.stem:
        raise ScenarioError(f"name {name!r} is not the file's stem {path.stem!r}")
    process = _text(data.get("process"), "process")
    if process not in PROCESSES:
        raise ScenarioError(f"process {process!r} is none of {', '.join(PROCESSES)}")
    max_turns = data.get("max_turns", DEFAULT_MAX_TURNS)
    if not isinstance(max_turns, int) or isinstance(max_turns, bool) or not 1 <= max_turns <= 40:
        raise ScenarioError("max_turns must be a whole number from 1 to 40")
    persona = _persona(data.get("persona"), "persona", base=None)
    answers = _answers(data.get("answers", {}), "answers")
    raw_phrasings = data.get("phrasings")
    if not isinstance(raw_phrasings, list) or len(raw_phrasings) < MIN_PHRASINGS:
        raise ScenarioError(f"phrasings must be a list of at least {MIN_PHRASINGS}")
    phrasings = tuple(
        _phrasing(raw, f"phrasings[{i}]", persona, answers) for i, raw in enumerate(raw_phrasings)
    )
    expect = _expectations(data.get("expect"), "expect", skus, required=True)
    may = _expectations(data.get("may", []), "may", skus, required=False)
    setup_quote = _setup(data.get("setup"), skus)
    if setup_quote is not None and any(p.persona.is_new for p in phrasings):
        raise ScenarioError("setup: a quote needs a persona with an account")
    scenario = Scenario(
        name=name,
        process=process,
        goal=_text(data.get("goal"), "goal"),
        path=path,
        max_turns=max_turns,
        phrasings=phrasings,
        expect=expect,
        may=may,
        setup_quote=setup_quote,
        language=language,
    )
    _check_templates(scenario, skus)
    return scenario


def _setup(raw: Any, skus: frozenset[str]) -> dict[str, int] | None:
    if raw is None:
        return None
    data = _mapping(raw, "setup")
    _only(data, {"quote"}, "setup")
    _check_fields("quote", {"lines": data.get("quote")}, "setup.quote", skus)
    return {str(k): int(v) for k, v in data["quote"].items()}


def _persona(raw: Any, where: str, *, base: Persona | None) -> Persona:
    if raw is None and base is not None:
        return base
    data = {str(k): v for k, v in _mapping(raw, where).items()}
    facts = dict(base.facts) if base else {}
    account = base.account if base else None
    if "account" in data:
        account = _text(data.pop("account"), f"{where}.account")
        facts = {}
    for key, value in data.items():
        facts[key] = _text(value, f"{where}.{key}")
    if account is None and not {"first_name", "last_name"} <= set(facts):
        raise ScenarioError(f"{where}: a new person needs first_name and last_name")
    return Persona(account=account, facts=facts)


def _answers(raw: Any, where: str) -> dict[str, tuple[str, ...]]:
    answers = {}
    for kind, value in _mapping(raw, where).items():
        if kind not in KINDS:
            raise ScenarioError(f"{where}: {kind!r} is no question kind ({', '.join(KINDS)})")
        values = [value] if isinstance(value, str) else value
        if not isinstance(values, list) or not values:
            raise ScenarioError(f"{where}.{kind}: a text or a list of texts")
        answers[str(kind)] = tuple(_text(v, f"{where}.{kind}") for v in values)
    return answers


def _phrasing(
    raw: Any, where: str, persona: Persona, answers: Mapping[str, tuple[str, ...]]
) -> Phrasing:
    data = _mapping(raw, where)
    _only(data, {"opening", "then", "answers", "identify_with", "clicks", "persona"}, where)
    then = data.get("then", [])
    if not isinstance(then, list):
        raise ScenarioError(f"{where}.then: a list of texts")
    identify_with = data.get("identify_with", "email")
    if identify_with not in IDENTIFIERS:
        raise ScenarioError(f"{where}.identify_with: one of {', '.join(IDENTIFIERS)}")
    clicks = data.get("clicks", False)
    if not isinstance(clicks, bool):
        raise ScenarioError(f"{where}.clicks: true or false")
    return Phrasing(
        opening=_text(data.get("opening"), f"{where}.opening"),
        then=tuple(_text(t, f"{where}.then") for t in then),
        answers={**answers, **_answers(data.get("answers", {}), f"{where}.answers")},
        identify_with=identify_with,
        clicks=clicks,
        persona=_persona(data.get("persona"), f"{where}.persona", base=persona),
    )


def _expectations(
    raw: Any, where: str, skus: frozenset[str], *, required: bool
) -> tuple[Expectation, ...]:
    if not isinstance(raw, list) or (required and not raw):
        raise ScenarioError(f"{where}: a list{' of at least one expectation' if required else ''}")
    found = []
    for i, item in enumerate(raw):
        place = f"{where}[{i}]"
        if not isinstance(item, dict) or len(item) != 1:
            raise ScenarioError(f"{place}: one kind per item, e.g. {{order: {{lines: ...}}}}")
        kind, fields = next(iter(item.items()))
        if kind not in EXPECTATIONS:
            raise ScenarioError(f"{place}: {kind!r} is none of {', '.join(EXPECTATIONS)}")
        fields = _mapping(fields if fields is not None else {}, f"{place}.{kind}")
        needed, allowed = EXPECTATIONS[kind]
        if not needed <= set(fields) or not set(fields) <= allowed:
            raise ScenarioError(
                f"{place}.{kind}: needs {sorted(needed)}, allows {sorted(allowed)}, "
                f"got {sorted(fields)}"
            )
        _check_fields(kind, fields, f"{place}.{kind}", skus)
        found.append(Expectation(kind=kind, fields=fields))
    return tuple(found)


def _check_fields(kind: str, fields: Mapping[str, Any], where: str, skus: frozenset[str]) -> None:
    if "lines" in fields:
        lines = _mapping(fields["lines"], f"{where}.lines")
        if not lines:
            raise ScenarioError(f"{where}.lines: at least one product")
        for sku, quantity in lines.items():
            if sku not in skus:
                raise ScenarioError(f"{where}.lines: {sku!r} is not in the catalog")
            if not isinstance(quantity, int) or isinstance(quantity, bool) or quantity < 1:
                raise ScenarioError(f"{where}.lines.{sku}: a quantity of at least 1")
    if "product" in fields and fields["product"] not in skus:
        raise ScenarioError(f"{where}.product: {fields['product']!r} is not in the catalog")
    for key in ("words", "all", "any", "reason"):
        if key in fields:
            values = fields[key]
            if not isinstance(values, list) or not values:
                raise ScenarioError(f"{where}.{key}: a non-empty list of texts")
            for value in values:
                _text(value, f"{where}.{key}")
    if kind == "contact" and not fields:
        raise ScenarioError(f"{where}: name the field that changes (email, phone, postcode...)")
    if kind == "told" and not fields:
        raise ScenarioError(f"{where}: all or any")
    if kind == "handoff" and not set(fields["reason"]) <= set(HANDOFF_REASONS):
        raise ScenarioError(f"{where}.reason: among {', '.join(HANDOFF_REASONS)}")
    for key in ("status", "channel", "kind", "key", "level", "quote", "from_quote"):
        if key in fields:
            _text(fields[key], f"{where}.{key}")


def _check_templates(scenario: Scenario, skus: frozenset[str]) -> None:
    expectations = (*scenario.expect, *scenario.may)
    for i, phrasing in enumerate(scenario.phrasings):
        known = set(phrasing.persona.facts) | {"name"}
        if not phrasing.persona.is_new:
            known |= set(ACCOUNT_FACTS)
        texts = [
            phrasing.opening,
            *phrasing.then,
            *(a for v in phrasing.answers.values() for a in v),
        ]
        texts += [str(v) for e in expectations for v in _strings(e.fields)]
        for text in texts:
            for name in placeholders(text):
                kind, _, sku = name.partition(":")
                if (kind in ("price", "product") and sku in skus) or name in known:
                    continue
                raise ScenarioError(f"phrasings[{i}]: {{{name}}} in {text!r} is no known fact")


def _strings(value: Any) -> Iterable[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


def placeholders(text: str) -> list[str]:
    """The ``{names}`` a template uses."""
    try:
        return [
            f"{name}:{spec}" if spec else name
            for _, name, spec, _ in string.Formatter().parse(text)
            if name is not None
        ]
    except ValueError as exc:
        raise ScenarioError(f"{text!r}: {exc}") from None


def with_persona(phrasing: Phrasing, facts: Mapping[str, str]) -> Phrasing:
    """The phrasing with the persona's facts completed (from the database, for an account)."""
    return replace(
        phrasing, persona=replace(phrasing.persona, facts={**facts, **phrasing.persona.facts})
    )


def _mapping(value: Any, where: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise ScenarioError(f"{where}: a mapping")
    return {str(k): v for k, v in value.items()}


def _only(data: Mapping[str, Any], allowed: set[str], where: str) -> None:
    unknown = sorted(set(data) - allowed)
    if unknown:
        raise ScenarioError(f"{where}: unknown key(s) {', '.join(unknown)}")


def _text(value: Any, where: str) -> str:
    if isinstance(value, bool):
        raise ScenarioError(
            f"{where}: put yes, no, on and off in quotes ('yes'), or YAML reads a bool"
        )
    if not isinstance(value, str | int) or not str(value).strip():
        raise ScenarioError(f"{where}: a non-empty text")
    return str(value)
