"""Figures on the unseen test set from ``bot.parse``'s predictions, and a gate.

python tools/nlu_report.py results/nlu/unseen.jsonl --out results/nlu/unseen
    [--training data/en/nlu] [--min-everyday 0.95] [--min-paraphrases 0.90] [--max-ood-writing 0.01]
    [--min-ood-scope 0.90]

Each file of the test set is one group (``everyday``, ``paraphrases``,
``speech``, ``out_of_domain``...): its accuracy is the share of examples the
bot acts on with the labelled intent (a clarifying question, ``nlu_fallback``,
is not right). Over every example labelled ``out_of_scope``: the share
answered as out of scope, the share sent to a clarifying question, and the
share that reaches an intent that writes to the CRM. The confusion list
names the most frequent (labelled → acted on) mistakes with examples.

People say "hi" and "yes" the same way whoever writes them down: some test
messages are, word for word, in the training data too. With ``--training``,
the headline figures and the bars are on the novel messages only, and the
figures on all of them follow.
Writes ``<out>.md`` and ``<out>.json``; exits 1 when a given bar is missed.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

CONFIG = Path(__file__).resolve().parents[1] / "config.yml"
WRITE_GUARD = "bot.write_guard.WriteGuard"
OUT_OF_SCOPE = "out_of_scope"
FALLBACK = "nlu_fallback"
CONFUSIONS_SHOWN = 25
EXAMPLES_PER_CONFUSION = 3


@dataclass(frozen=True)
class Prediction:
    """One labelled example and what the bot made of it."""

    group: str
    text: str
    intent: str
    predicted: str
    confidence: float

    @property
    def right(self) -> bool:
        return self.predicted == self.intent


def writing_intents(config: Path = CONFIG) -> frozenset[str]:
    """The intents that write to the CRM: the write guard's list in ``config.yml``."""
    pipeline = yaml.safe_load(config.read_text(encoding="utf-8"))["pipeline"]
    guards = [c for c in pipeline if c.get("name") == WRITE_GUARD]
    if len(guards) != 1:
        raise SystemExit(f"{config}: expected one {WRITE_GUARD} in the pipeline")
    return frozenset(guards[0].get("intents") or [])


def folded(text: str) -> str:
    """The words of a message, without case, accents or punctuation."""
    plain = unicodedata.normalize("NFKD", text.casefold())
    plain = "".join(c for c in plain if not unicodedata.combining(c))
    return " ".join(re.findall(r"[a-z0-9@]+", plain))


def nlu_examples(paths: Sequence[Path]) -> list[tuple[str, str]]:
    """(intent, text) of every example in Rasa NLU files."""
    found = []
    for path in paths:
        for block in yaml.safe_load(path.read_text(encoding="utf-8")).get("nlu") or []:
            if "intent" in block:
                for line in str(block["examples"]).splitlines():
                    if line.strip().startswith("- "):
                        found.append((str(block["intent"]), line.strip()[2:].strip()))
    return found


def read_predictions(path: Path) -> list[Prediction]:
    """The JSON lines ``bot.parse`` wrote; the group is the file's name without suffix."""
    predictions = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        record = json.loads(line)
        predictions.append(
            Prediction(
                group=Path(record["file"]).stem,
                text=record["text"],
                intent=record["intent"],
                predicted=record["predicted"] or FALLBACK,
                confidence=float(record["confidence"]),
            )
        )
    return predictions


def share(part: int, whole: int) -> float:
    return part / whole if whole else 0.0


def figures(predictions: Sequence[Prediction], writing: frozenset[str]) -> dict[str, Any]:
    """Accuracy per group and per intent, the out-of-domain shares, the confusions.

    ``writing``: the intents that write to the CRM.
    """
    groups: dict[str, list[Prediction]] = defaultdict(list)
    intents: dict[str, list[Prediction]] = defaultdict(list)
    for p in predictions:
        groups[p.group].append(p)
        intents[p.intent].append(p)
    ood = [p for p in predictions if p.intent == OUT_OF_SCOPE]
    reaching = [p for p in ood if p.predicted in writing]
    mistakes = Counter((p.intent, p.predicted) for p in predictions if not p.right)
    examples: dict[tuple[str, str], list[str]] = defaultdict(list)
    for p in predictions:
        key = (p.intent, p.predicted)
        if not p.right and len(examples[key]) < EXAMPLES_PER_CONFUSION:
            examples[key].append(p.text)
    return {
        "examples": len(predictions),
        "groups": {
            name: {"examples": len(ps), "accuracy": share(sum(p.right for p in ps), len(ps))}
            for name, ps in sorted(groups.items())
        },
        "intents": {
            name: {"examples": len(ps), "accuracy": share(sum(p.right for p in ps), len(ps))}
            for name, ps in sorted(intents.items())
        },
        "out_of_domain": {
            "examples": len(ood),
            "out_of_scope": share(sum(p.predicted == OUT_OF_SCOPE for p in ood), len(ood)),
            "clarified": share(sum(p.predicted == FALLBACK for p in ood), len(ood)),
            "writing": share(len(reaching), len(ood)),
            "writing_by_intent": dict(Counter(p.predicted for p in reaching).most_common()),
        },
        "confusions": [
            {"intent": i, "predicted": q, "count": n, "examples": examples[(i, q)]}
            for (i, q), n in mistakes.most_common(CONFUSIONS_SHOWN)
        ],
    }


def group_table(report: dict[str, Any]) -> list[str]:
    return [
        "| group | examples | right |",
        "| --- | --- | --- |",
        *(
            f"| {name} | {g['examples']} | {g['accuracy']:.1%} |"
            for name, g in report["groups"].items()
        ),
    ]


def markdown(report: dict[str, Any], everything: dict[str, Any] | None = None) -> str:
    """The report as a page: groups, out of domain, intents, confusions.

    ``everything``: the figures on all messages, when ``report`` is on the novel ones.
    """
    ood = report["out_of_domain"]
    overlap = (
        []
        if everything is None
        else [
            f"Messages also in the training data, word for word, left out above: "
            f"{everything['examples'] - report['examples']}. On all {everything['examples']}:",
            "",
            *group_table(everything),
            "",
        ]
    )
    lines = [
        "# NLU: what the bot acts on",
        "",
        f"{report['examples']} labelled examples, a group per file.",
        "",
        *group_table(report),
        "",
        f"Out of domain ({ood['examples']} examples): answered as out of scope "
        f"{ood['out_of_scope']:.1%}, clarifying question {ood['clarified']:.1%}, "
        f"reaching an intent that writes {ood['writing']:.1%} "
        f"({', '.join(f'{k} {v}' for k, v in ood['writing_by_intent'].items()) or 'none'}).",
        "",
        *overlap,
        "| intent | examples | right |",
        "| --- | --- | --- |",
        *(
            f"| {name} | {i['examples']} | {i['accuracy']:.1%} |"
            for name, i in report["intents"].items()
        ),
        "",
        "## Most frequent confusions",
        "",
        "| labelled | acted on | count | e.g. |",
        "| --- | --- | --- | --- |",
        *(
            f"| {c['intent']} | {c['predicted']} | {c['count']} | "
            + " / ".join(f'"{t}"' for t in c["examples"]).replace("|", "\\|")
            + " |"
            for c in report["confusions"]
        ),
    ]
    return "\n".join(lines) + "\n"


def missed_bars(report: dict[str, Any], args: argparse.Namespace) -> list[str]:
    """The bars given on the command line that the figures miss."""
    groups, ood = report["groups"], report["out_of_domain"]
    checks = [
        ("everyday words", groups.get("everyday", {}).get("accuracy"), args.min_everyday, ">="),
        ("paraphrases", groups.get("paraphrases", {}).get("accuracy"), args.min_paraphrases, ">="),
        ("out of domain reaching a writing intent", ood["writing"], args.max_ood_writing, "<="),
        ("out of domain answered as out of scope", ood["out_of_scope"], args.min_ood_scope, ">="),
    ]
    missed = []
    for name, value, bar, sense in checks:
        if bar is None:
            continue
        if value is None:
            missed.append(f"{name}: no examples")
        elif (value < bar) if sense == ">=" else (value > bar):
            missed.append(f"{name}: {value:.1%}, bar {sense} {bar:.0%}")
    return missed


def main(argv: Sequence[str] | None = None) -> int:
    """Write the report, print its head, exit 1 when a bar is missed."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("predictions", type=Path)
    parser.add_argument("--out", type=Path, required=True, help="path without suffix")
    parser.add_argument("--training", type=Path, help="the training data's folder")
    parser.add_argument("--min-everyday", type=float)
    parser.add_argument("--min-paraphrases", type=float)
    parser.add_argument("--max-ood-writing", type=float)
    parser.add_argument("--min-ood-scope", type=float)
    args = parser.parse_args(argv)
    predictions, writing = read_predictions(args.predictions), writing_intents()
    everything = None
    if args.training is not None:
        trained = {folded(text) for _, text in nlu_examples(sorted(args.training.glob("*.yml")))}
        everything = figures(predictions, writing)
        predictions = [p for p in predictions if folded(p.text) not in trained]
    report = figures(predictions, writing)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    saved = {"novel": report, "all": everything} if everything is not None else report
    args.out.with_suffix(".json").write_text(json.dumps(saved, indent=2, ensure_ascii=False))
    page = markdown(report, everything)
    args.out.with_suffix(".md").write_text(page, encoding="utf-8")
    print(page.split("| intent |")[0].rstrip())
    print(f"(the whole report: {args.out.with_suffix('.md')})")
    missed = missed_bars(report, args)
    for line in missed:
        print(f"FAIL: {line}", file=sys.stderr)
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
