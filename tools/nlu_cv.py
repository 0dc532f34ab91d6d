"""Cross-validation of the intent classifier on the training data alone (docs/nlu.md).

``.venv/rasa/bin/python tools/nlu_cv.py [--language fr] [--folds 3] [--dev tests/nlu/ood_dev.yml]
    [--C 1 --C 4] [--char 2-4 --char 1-5] [--ood-weight 1 --ood-weight 2]
    [--fallback 0.3,0.05 ...] [--guard 0.7,0.3 ...] [--no-cues] [--out results/nlu/cv.json]``

Splits ``data/<language>/nlu`` (``--language``, default en) into stratified folds
(seed 42); for every fold it trains
``config.yml``'s featurizers (Rasa's own components, the same settings) on the
other folds, fits a logistic regression per variant (``C``, the out_of_scope
class weight) on their features and scores the held-out fold the way
``tools/nlu_report.py`` scores the unseen set: the share acted on rightly after
the fallback and the write guard, for the conversation intents ("everyday")
and the others ("paraphrases"), and for ``out_of_scope``: the share answered as
out of scope and the share reaching a writing intent. ``--dev`` adds a file of
labelled messages that is never trained on (``tests/nlu/ood_dev.yml``: other
domains written for this purpose), scored by the models of every fold.

Every variant is scored over a grid of fallback and write-guard bars (the
probabilities are kept, so a bar costs nothing). The unseen test set is never
read here.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import yaml

ROOT = Path(__file__).resolve().parents[1]
# Where the cues of ``acted_on`` hold the write guard's other companies (not an intent's name).
THIRD_PARTIES = "<third parties>"
CONVERSATION = ROOT / "data" / "en" / "nlu" / "conversation.yml"
OUT_OF_SCOPE = "out_of_scope"
FALLBACK = "nlu_fallback"


def conversation_intents() -> frozenset[str]:
    """The intents of data/en/nlu/conversation.yml but out_of_scope: the unseen set's "everyday"."""
    nlu = yaml.safe_load(CONVERSATION.read_text(encoding="utf-8"))["nlu"]
    return frozenset(b["intent"] for b in nlu if "intent" in b) - {OUT_OF_SCOPE}


def pipeline_settings(
    language: str = "en",
) -> tuple[list[dict[str, Any]], dict[str, Any], dict[str, Any]]:
    """The language's config (config.yml and its language.yml): featurizers, fallback, guard."""
    from languages import config

    steps = config(language)["pipeline"]
    featurizers = [s for s in steps if "Featurizer" in s["name"] or "Tokenizer" in s["name"]]
    fallback = next(s for s in steps if s["name"] == "FallbackClassifier")
    guard = next(s for s in steps if s["name"].endswith("WriteGuard"))
    return featurizers, fallback, guard


def acted_on(
    proba: np.ndarray,
    classes: np.ndarray,
    bars: tuple[float, float, float, float],
    writing: frozenset[str],
    texts: Sequence[str],
    cues: dict[str, Any],
) -> list[str]:
    """The intent the bot acts on: FallbackClassifier, then the write guard (and its cues).

    ``cues`` may hold, under ``THIRD_PARTIES``, the pattern of the other companies' names.
    """
    from bot.write_guard import lacks_cue, names_third_party

    threshold, ambiguity, write_threshold, write_ambiguity = bars
    order = np.argsort(-proba, axis=1)
    out = []
    for row, idx, text in zip(proba, order, texts, strict=True):
        top, second = row[idx[0]], row[idx[1]]
        name = str(classes[idx[0]])
        unsure = top < threshold or top - second < ambiguity
        guarded = name in writing and (
            top < write_threshold
            or top - second < write_ambiguity
            or lacks_cue(cues, name, text)
            or names_third_party(cues.get(THIRD_PARTIES), text)
        )
        if unsure or guarded:
            out.append(FALLBACK)
        else:
            out.append(name)
    return out


def scores(
    labels: Sequence[str],
    predicted: Sequence[str],
    everyday: frozenset[str],
    writing: frozenset[str],
) -> dict[str, float]:
    """The unseen report's figures, on one set of predictions."""

    def share(mask: list[bool]) -> float:
        return round(100.0 * sum(mask) / len(mask), 2) if mask else float("nan")

    pairs = list(zip(labels, predicted, strict=True))
    return {
        "everyday": share([p == y for y, p in pairs if y in everyday]),
        "paraphrases": share([p == y for y, p in pairs if y not in everyday and y != OUT_OF_SCOPE]),
        "ood_scope": share([p == OUT_OF_SCOPE for y, p in pairs if y == OUT_OF_SCOPE]),
        "ood_writing": share([p in writing for y, p in pairs if y == OUT_OF_SCOPE]),
        "in_domain_to_scope": share([p == OUT_OF_SCOPE for y, p in pairs if y != OUT_OF_SCOPE]),
    }


def featurize(
    train: list[Any], tests: list[list[Any]], settings: list[dict[str, Any]], td: Any
) -> None:
    """Train config.yml's tokenizer and featurizers on ``train``; featurize it and ``tests``."""
    from rasa.engine.graph import ExecutionContext, GraphSchema
    from rasa.engine.storage.local_model_storage import LocalModelStorage
    from rasa.engine.storage.resource import Resource
    from rasa.nlu.featurizers.sparse_featurizer.count_vectors_featurizer import (
        CountVectorsFeaturizer,
    )
    from rasa.nlu.featurizers.sparse_featurizer.lexical_syntactic_featurizer import (
        LexicalSyntacticFeaturizer,
    )
    from rasa.nlu.featurizers.sparse_featurizer.regex_featurizer import RegexFeaturizer
    from rasa.shared.nlu.training_data.training_data import TrainingData

    from bot.tokenizer import PhoneAwareTokenizer

    classes = {
        "bot.tokenizer.PhoneAwareTokenizer": PhoneAwareTokenizer,
        "RegexFeaturizer": RegexFeaturizer,
        "LexicalSyntacticFeaturizer": LexicalSyntacticFeaturizer,
        "CountVectorsFeaturizer": CountVectorsFeaturizer,
    }
    data = TrainingData(
        training_examples=train, regex_features=td.regex_features, lookup_tables=td.lookup_tables
    )
    storage = LocalModelStorage(Path(tempfile.mkdtemp(prefix="nlu_cv_")))
    for i, setting in enumerate(settings):
        cls = classes[setting["name"]]
        config = {**cls.get_default_config(), **{k: v for k, v in setting.items() if k != "name"}}
        context = ExecutionContext(GraphSchema({}), node_name=f"step{i}")
        component = cls.create(config, storage, Resource(f"step{i}"), context)
        if hasattr(component, "train"):
            component.train(data)
        component.process_training_data(data)
        for messages in tests:
            component.process(messages)


def matrix(messages: Sequence[Any]) -> Any:
    """The sentence features LogisticRegressionClassifier reads."""
    from rasa.shared.nlu.constants import TEXT
    from scipy.sparse import csr_matrix, vstack

    rows = []
    for m in messages:
        sparse = m.get_sparse_features(attribute=TEXT)[1]
        rows.append(csr_matrix(sparse.features))
    return vstack(rows).tocsr()


def message(text: str, intent: str) -> Any:
    from rasa.shared.nlu.training_data.message import Message

    return Message(data={"text": text, "intent": intent})


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--folds", type=int, default=3)
    parser.add_argument("--language", default="en", help="whose config and data (en, fr)")
    parser.add_argument("--data", help="default: data/<language>/nlu")
    parser.add_argument("--dev", action="append", default=[], help="never-trained labelled files")
    parser.add_argument("--C", action="append", type=float, help="regularisation(s) to try")
    parser.add_argument("--ood-weight", action="append", type=float, help="out_of_scope weight(s)")
    parser.add_argument("--char", action="append", help="char n-gram range(s), e.g. 2-4 or 1-5")
    parser.add_argument(
        "--fallback", action="append", help="threshold,ambiguity (config's if none)"
    )
    parser.add_argument("--guard", action="append", help="threshold,ambiguity (config's if none)")
    parser.add_argument(
        "--no-cues", action="store_true", help="score the guard without cues or other companies"
    )
    parser.add_argument("--out", default=str(ROOT / "results" / "nlu" / "cv.json"))
    args = parser.parse_args(argv)

    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    from rasa.shared.nlu.training_data.loading import load_data
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import StratifiedKFold

    from bot.intent_classifier import class_weights
    from bot.write_guard import compile_cues, compile_third_parties

    settings, fallback, guard = pipeline_settings(args.language)
    writing = frozenset(guard["intents"])
    configured = {
        **compile_cues(guard.get("cues")),
        THIRD_PARTIES: compile_third_parties(guard.get("third_parties")),
    }
    cue_options = {"cues": configured, "no cues": {}}
    if args.no_cues:
        del cue_options["cues"]
    everyday = conversation_intents()
    td = load_data(args.data or str(ROOT / "data" / args.language / "nlu"))
    examples = [(str(m.get("text")), str(m.get("intent"))) for m in td.intent_examples]
    labels = np.array([y for _, y in examples])
    dev = [
        (str(m.get("text")), str(m.get("intent")))
        for path in args.dev
        for m in load_data(path).intent_examples
    ]
    fallbacks = [tuple(map(float, f.split(","))) for f in args.fallback or []] or [
        (fallback["threshold"], fallback["ambiguity_threshold"])
    ]
    guards = [tuple(map(float, g.split(","))) for g in args.guard or []] or [
        (guard["threshold"], guard["ambiguity_threshold"])
    ]
    char_ranges = args.char or [None]
    cs = args.C or [1.0]
    ood_weights = args.ood_weight or [1.0]

    folds = StratifiedKFold(n_splits=args.folds, shuffle=True, random_state=42)
    # results[(char, C, weight, fallback, guard)] -> lists of predictions per fold
    cv_pred: dict[tuple[Any, ...], list[str]] = {}
    dev_pred: dict[tuple[Any, ...], list[str]] = {}
    cv_raw: dict[tuple[Any, ...], list[str]] = {}
    order: list[int] = []
    for fold, (train_idx, test_idx) in enumerate(folds.split(np.zeros(len(labels)), labels)):
        order.extend(test_idx)
        for char in char_ranges:
            steps = [dict(s) for s in settings]
            if char:
                low, high = (int(x) for x in char.split("-"))
                for s in steps:
                    if s.get("analyzer") == "char_wb":
                        s["min_ngram"], s["max_ngram"] = low, high
            train = [message(*examples[i]) for i in train_idx]
            test = [message(*examples[i]) for i in test_idx]
            dev_messages = [message(t, y) for t, y in dev]
            featurize(train, [test, dev_messages] if dev else [test], steps, td)
            x_train, x_test = matrix(train), matrix(test)
            x_dev = matrix(dev_messages) if dev else None
            y_train = labels[train_idx]
            for c in cs:
                for w in ood_weights:
                    balanced = class_weights(list(y_train), w)
                    clf = LogisticRegression(
                        C=c, class_weight=balanced, max_iter=200, random_state=42
                    )
                    clf.fit(x_train, y_train)
                    p_test = clf.predict_proba(x_test)
                    p_dev = clf.predict_proba(x_dev) if dev else None
                    raw_key = (char, c, w)
                    cv_raw.setdefault(raw_key, []).extend(
                        str(n) for n in clf.classes_[p_test.argmax(1)]
                    )
                    for fb, gd, cue_name in itertools.product(fallbacks, guards, cue_options):
                        cues = cue_options[cue_name]
                        key = (char, c, w, fb, gd, cue_name)
                        bars = (*fb, *gd)
                        test_texts = [examples[i][0] for i in test_idx]
                        cv_pred.setdefault(key, []).extend(
                            acted_on(p_test, clf.classes_, bars, writing, test_texts, cues)
                        )
                        if dev:
                            dev_pred.setdefault(key, []).extend(
                                acted_on(
                                    p_dev, clf.classes_, bars, writing, [t for t, _ in dev], cues
                                )
                            )
                    print(f"fold {fold} char {char} C {c} ood weight {w} done", file=sys.stderr)

    y_cv = [str(labels[i]) for i in order]
    y_dev = [y for _, y in dev] * args.folds
    report = []
    for key, predicted in cv_pred.items():
        char, c, w, fb, gd, cue_name = key
        row: dict[str, Any] = {
            "cues": cue_name,
            "char": char or "config",
            "C": c,
            "ood_weight": w,
            "fallback": fb,
            "guard": gd,
            "raw_accuracy": round(
                100.0 * np.mean([p == y for p, y in zip(cv_raw[(char, c, w)], y_cv, strict=True)]),
                2,
            ),
            "cv": scores(y_cv, predicted, everyday, writing),
        }
        if dev:
            row["dev"] = scores(y_dev, dev_pred[key], everyday, writing)
            row["dev_to_writing"] = sorted(
                {
                    f"{t} -> {p}"
                    for (t, y), p in zip(dev * args.folds, dev_pred[key], strict=True)
                    if y == OUT_OF_SCOPE and p in writing
                }
            )
        row["cv_to_writing"] = sorted(
            f"{examples[i][0]} -> {p}"
            for i, p in zip(order, predicted, strict=True)
            if labels[i] == OUT_OF_SCOPE and p in writing
        )
        raw = cv_raw[(char, c, w)]
        row["raw_recall"] = {
            intent: round(
                100.0
                * np.mean([p == intent for p, y in zip(raw, y_cv, strict=True) if y == intent]),
                1,
            )
            for intent in sorted(set(y_cv))
        }
        report.append(row)
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps(report, indent=1), encoding="utf-8")
    for row in report:
        cv = row["cv"]
        line = (
            f"{row['cues']:>8} char {row['char']:>6} C {row['C']:<5} oodw {row['ood_weight']:<4} "
            f"fb {row['fallback']} guard {row['guard']} | raw {row['raw_accuracy']:.1f} | "
            f"everyday {cv['everyday']:.1f} para {cv['paraphrases']:.1f} "
            f"ood->oos {cv['ood_scope']:.1f} ood->write {cv['ood_writing']:.2f} "
            f"in->oos {cv['in_domain_to_scope']:.1f}"
        )
        if dev:
            d = row["dev"]
            line += f" | dev ood->oos {d['ood_scope']:.1f} ood->write {d['ood_writing']:.2f}"
        print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
