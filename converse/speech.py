"""How each language asks and answers: the tables of one language, chosen by the scenario's.

The simulator reads the bot and speaks for the customer with the words of the
conversation's language: :mod:`converse.speech_en` and :mod:`converse.speech_fr`
hold the same tables (the ways a question of each kind is worded, the deeds a
yes would do, the customer's answers...), :func:`speech` bundles one of them,
its patterns compiled. A third language is a third module and a line in
:data:`MODULES`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from types import ModuleType

from . import speech_en, speech_fr

DEFAULT = "en"
MODULES: dict[str, ModuleType] = {"en": speech_en, "fr": speech_fr}
LANGUAGES = tuple(MODULES)


@dataclass(frozen=True)
class Speech:
    """One language's words: the patterns that read the bot, the texts the customer says."""

    language: str
    wordings: tuple[tuple[str, re.Pattern[str]], ...]
    request: re.Pattern[str]
    wants_address: re.Pattern[str]
    menu: re.Pattern[str]
    not_menu: re.Pattern[str]
    deeds: tuple[tuple[str, re.Pattern[str]], ...]
    goal_buttons: Mapping[str, str]
    answers: Mapping[str, tuple[str, ...]]
    identify: Mapping[str, tuple[str, ...]]
    no_account: tuple[str, ...]
    done: re.Pattern[str]
    farewell: re.Pattern[str]
    deed_answers: Mapping[str, tuple[str, ...]]
    plain_wishes: Mapping[str, tuple[str, ...]]
    range: re.Pattern[str]
    buy: re.Pattern[str]
    with_the: str
    and_the: str
    no_then: str


@cache
def speech(language: str = DEFAULT) -> Speech:
    """The words of ``language`` (one of :data:`LANGUAGES`).

    Raises:
        KeyError: no table for that language.
    """
    module = MODULES[language]
    return Speech(
        language=language,
        wordings=tuple((kind, re.compile("|".join(ways))) for kind, ways in module.WORDINGS),
        request=re.compile(module.REQUEST),
        wants_address=re.compile(module.WANTS_ADDRESS),
        menu=re.compile(module.MENU),
        not_menu=re.compile(module.NOT_MENU),
        deeds=tuple((deed, re.compile(words)) for deed, words in module.DEEDS),
        goal_buttons=module.GOAL_BUTTONS,
        answers=module.DEFAULT_ANSWERS,
        identify=module.IDENTIFY,
        no_account=module.NO_ACCOUNT,
        done=re.compile(module.DONE),
        farewell=re.compile(module.FAREWELL),
        deed_answers=module.DEED_ANSWERS,
        plain_wishes=module.PLAIN_WISHES,
        range=re.compile(module.RANGE),
        buy=re.compile(module.BUY),
        with_the=module.WITH_THE,
        and_the=module.AND_THE,
        no_then=module.NO_THEN,
    )
