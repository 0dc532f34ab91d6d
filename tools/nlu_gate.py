"""Fail when the held-out NLU report's intent macro F1 is under a threshold.

python tools/nlu_gate.py results/nlu/intent_report.json --min-macro-f1 0.95
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path


def main(argv: list[str] | None = None) -> int:
    """Print the macro and weighted F1 and the weakest intents; exit 1 under the bar."""
    parser = argparse.ArgumentParser()
    parser.add_argument("report", type=Path)
    parser.add_argument("--min-macro-f1", type=float, default=0.95)
    args = parser.parse_args(argv)
    report = json.loads(args.report.read_text())
    macro = report["macro avg"]["f1-score"]
    weighted = report["weighted avg"]["f1-score"]
    intents = {
        name: scores
        for name, scores in report.items()
        if isinstance(scores, dict) and "support" in scores and not name.endswith(" avg")
    }
    weakest = sorted(intents.items(), key=lambda item: item[1]["f1-score"])[:5]
    print(f"NLU held-out: intent macro F1 {macro:.3f}, weighted F1 {weighted:.3f}")
    for name, scores in weakest:
        print(f"  {name:<32} F1 {scores['f1-score']:.3f} (support {scores['support']})")
    if macro < args.min_macro_f1:
        print(f"FAIL: macro F1 {macro:.3f} < {args.min_macro_f1}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
