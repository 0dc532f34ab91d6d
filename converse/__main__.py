"""``python -m converse`` (``make converse``): every scenario against the real stack, the report."""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

from launcher.stack import REPO_ROOT, StackError

from . import report
from .run import RunResult, model_for, simulate
from .scenario import SCENARIO_DIR, ScenarioError, load_scenarios
from .speech import LANGUAGES

RESULTS = REPO_ROOT / "results" / "converse"


def _percent(text: str) -> float:
    value = float(text)
    if not 0 <= value <= 100:
        raise argparse.ArgumentTypeError("a percentage from 0 to 100")
    return value


def parser() -> argparse.ArgumentParser:
    """The command line."""
    parser = argparse.ArgumentParser(prog="python -m converse", description=__doc__.split("\n")[0])
    parser.add_argument(
        "--scenario", action="append", default=[], metavar="NAME",
        help="run only this scenario (repeatable); default: all",
    )  # fmt: skip
    parser.add_argument(
        "--phrasing", type=int, metavar="N", help="run only the Nth phrasing (1-based)"
    )
    parser.add_argument(
        "--min-success", type=_percent, metavar="PCT",
        help="exit 1 when task success is below PCT; default: report only",
    )  # fmt: skip
    parser.add_argument(
        "--language", action="append", choices=LANGUAGES, default=[],
        help="run only this language's scenarios (repeatable); default: all",
    )  # fmt: skip
    parser.add_argument("--verbose", action="store_true", help="print each conversation")
    parser.add_argument(
        "--scenarios", type=Path, default=SCENARIO_DIR, help=f"default {SCENARIO_DIR}"
    )
    parser.add_argument("--out", type=Path, default=RESULTS, help=f"default {RESULTS}")
    return parser


def _show(result: RunResult, *, verbose: bool) -> None:
    mark = "ok  " if result.success else "FAIL"
    print(f"{mark} {result.label}: {result.ended}, {len(result.turns)} turns", flush=True)
    if verbose:
        print("\n".join(f"     {line}" for line in report.transcript(result)), flush=True)


def _commit() -> str | None:
    done = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"],  # noqa: S607 - git from PATH
        cwd=REPO_ROOT, capture_output=True, text=True, check=False,
    )  # fmt: skip
    return done.stdout.strip() or None


def main(argv: list[str] | None = None) -> int:
    """Run the simulation; 1 when the stack fails or success is below ``--min-success``."""
    args = parser().parse_args(argv)
    try:
        scenarios = load_scenarios(args.scenarios)
    except ScenarioError as exc:
        print(f"converse: {exc}", file=sys.stderr)
        return 2
    unknown = sorted(set(args.scenario) - {s.name for s in scenarios})
    if unknown:
        print(f"converse: no scenario named {', '.join(unknown)}", file=sys.stderr)
        return 2
    chosen = [
        s
        for s in scenarios
        if (not args.scenario or s.name in args.scenario)
        and (not args.language or s.language in args.language)
    ]
    if not chosen:
        print("converse: no scenario of that language", file=sys.stderr)
        return 2
    if args.phrasing is not None and not any(args.phrasing <= len(s.phrasings) for s in chosen):
        print(f"converse: no scenario has a phrasing {args.phrasing}", file=sys.stderr)
        return 2
    models = [model_for(language) for language in sorted({s.language for s in chosen})]
    for model in models:
        if not model.exists():
            print(f"no trained model at {model}: run `make model` first", file=sys.stderr)
            return 1
    meta = {"started_at": report.now(), "commit": _commit(),
            "model": ", ".join(model.name for model in models),
            "options": {"scenarios": args.scenario, "phrasing": args.phrasing,
                        "languages": args.language}}  # fmt: skip
    try:
        results = simulate(
            chosen,
            phrasing=args.phrasing,
            on_result=lambda r: _show(r, verbose=args.verbose),
            say=lambda text: print(f"[converse] {text}", flush=True),
        )
    except StackError as exc:
        print(f"converse: {exc}", file=sys.stderr)
        return 1
    json_path, md_path = report.write(results, args.out, meta=meta)
    print("\n" + report.printed(results))
    print(f"report: {md_path} and {json_path.name}")
    success = report.summary(results)["success_percent"]
    if args.min_success is not None and success < args.min_success:
        print(f"converse: task success {success} % is below {args.min_success} %", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
