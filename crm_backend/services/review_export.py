"""What review gives back to the bot: NLU training data and test stories, nothing personal.

- :func:`nlu_yaml`: the marked messages as Rasa NLU training data (``version:
  "3.1"``, ``nlu:``, one ``intent:`` with its ``examples:`` per intent), for
  ``data/en/nlu/review.yml`` (``make review-export``) or the desk's download.
  The words were redacted when marked (:mod:`.review`); they are redacted
  again here, in case the placeholders' rules grew since.
- :func:`redacted_story`: a conversation as Rasa's test story (Rasa writes
  it: ``GET /conversations/{id}/story``), with its personal data replaced and
  the conversation id (an SMS one holds the phone number) out of its name,
  ready for ``rasa test core``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections import defaultdict
from collections.abc import Iterable

from ..redact import placeholders
from ..uow import UnitOfWork

EXPORT_FILE = "data/en/nlu/review.yml"
# Brackets would read as Rasa's entity markup ("[text](entity)"): the examples are plain text.
_MARKUP = str.maketrans({"[": "(", "]": ")", "{": "(", "}": ")"})
_STORY_NAME = re.compile(r"^(?P<lead>\s*-\s*story:\s*).*$", re.MULTILINE)


def nlu_yaml(uow: UnitOfWork, *, now: dt.datetime) -> str:
    """Every marked message as Rasa NLU training data, grouped by intent, each text once.

    A text marked twice (whatever its case and spaces) counts once, with its
    first mark's intent; intents and examples are sorted, so the file changes
    only where the marks did.
    """
    by_intent: dict[str, list[str]] = defaultdict(list)
    seen: set[str] = set()
    for mark in uow.review_marks.oldest_first():
        text = example_text(mark.text)
        if text and text.casefold() not in seen:
            seen.add(text.casefold())
            by_intent[mark.intent].append(text)
    lines = [
        'version: "3.1"',
        "# Customer messages reviewers marked at /desk/review, personal data replaced",
        f"# by placeholders; written by `make review-export` on {now:%Y-%m-%d %H:%M} UTC.",
        "nlu:" if by_intent else "nlu: []",
    ]
    for intent in sorted(by_intent):
        lines += ["", f"- intent: {intent}", "  examples: |"]
        examples = sorted(by_intent[intent], key=lambda t: (t.casefold(), t))
        lines += [f"    - {text}" for text in examples]
    return "\n".join(lines) + "\n"


def example_text(text: str) -> str:
    """One line of plain text, redacted, without anything Rasa would read as markup."""
    return " ".join(placeholders(text).translate(_MARKUP).split())


def story_slug(conversation_id: str) -> str:
    """A name for the conversation's story that says nothing about the customer."""
    return hashlib.sha256(conversation_id.encode("utf-8")).hexdigest()[:12]


def story_file_name(conversation_id: str) -> str:
    """The file "save as test story" writes: ``review_<slug>.yml``."""
    return f"review_{story_slug(conversation_id)}.yml"


def redacted_story(story: str, *, conversation_id: str, names: Iterable[str] = ()) -> str:
    """Rasa's test story of a conversation, with placeholders for its personal data.

    The story's name (Rasa names it after the conversation id) becomes
    ``review <slug>``; every other line keeps its shape.
    """
    slug = story_slug(conversation_id)
    # Named after the redaction: the slug's digits are no postcode.
    redacted = placeholders(story, names=list(names))
    named = _STORY_NAME.sub(lambda m: f"{m['lead']}review {slug}", redacted)
    header = f"# A conversation saved from /desk/review, personal data replaced ({slug}).\n"
    return header + named
