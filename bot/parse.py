"""What the trained model makes of labelled messages, as the running bot sees them.

``python -m bot.parse --model models/icbot-en.tar.gz --out predictions.jsonl FILE...``
(the rasa env's Python) reads Rasa NLU training-data files, parses every
example with the model's whole NLU pipeline and writes one JSON line per
example: the file, the text, the intent it is labelled with, the intent the
bot acts on (``nlu_fallback`` when the FallbackClassifier steps in, which
``rasa test nlu`` does not show: it scores the classifier's ranking), its
confidence and the next two of the ranking.

``tools/nlu_report.py`` (the app env) turns the lines into figures.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import os
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

RANKING_SHOWN = 3


def labelled_examples(paths: Sequence[Path]) -> Iterator[tuple[str, str, str]]:
    """(file, text, intent) of every example in the NLU files, in file order."""
    from rasa.shared.nlu.training_data.loading import load_data

    for path in paths:
        for message in load_data(str(path)).intent_examples:
            yield path.as_posix(), str(message.get("text")), str(message.get("intent"))


def prediction(parsed: dict[str, Any]) -> dict[str, Any]:
    """The intent the bot acts on, its confidence, and the ranking's head."""
    intent = parsed.get("intent") or {}
    ranking = parsed.get("intent_ranking") or []
    return {
        "predicted": intent.get("name"),
        "confidence": round(float(intent.get("confidence") or 0.0), 4),
        "ranking": [
            [str(r.get("name")), round(float(r.get("confidence") or 0.0), 4)]
            for r in ranking[:RANKING_SHOWN]
        ],
    }


async def parse_all(model: Path, paths: Sequence[Path]) -> list[dict[str, Any]]:
    """One record per labelled example: the label and the model's prediction."""
    from rasa.core.agent import Agent
    from rasa.utils.common import configure_logging_and_warnings
    from rasa.utils.log_utils import configure_structlog

    # Rasa logs every parse at debug level, with the text: warnings only.
    configure_logging_and_warnings(logging.WARNING)
    configure_structlog(logging.WARNING)
    agent = Agent.load(str(model))
    records = []
    for file, text, intent in labelled_examples(paths):
        parsed = await agent.parse_message(text)
        records.append({"file": file, "text": text, "intent": intent, **prediction(parsed)})
    return records


def main(argv: Sequence[str] | None = None) -> int:
    """Parse the files' examples with the model and write the predictions as JSON lines."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", type=Path, required=True)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("files", type=Path, nargs="+")
    args = parser.parse_args(argv)
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")  # TensorFlow's start-up chatter
    missing = [str(p) for p in args.files if not p.is_file()]
    if missing:
        print(f"no such file: {', '.join(missing)}", file=sys.stderr)
        return 2
    records = asyncio.run(parse_all(args.model, args.files))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    with args.out.open("w", encoding="utf-8") as out:
        for record in records:
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
    print(f"{len(records)} examples parsed into {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
