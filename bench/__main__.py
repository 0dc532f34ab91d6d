"""``python -m bench`` (``make bench``), ``python -m bench --quick`` (``make bench-quick``).

The full run measures everything of issue 7 (about 10 minutes on 2 cores,
training included); the quick one (under 3 minutes) replays fewer turns,
shortens each load phase, and skips training, and says so in its table.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from launcher.stack import DEFAULT_MODEL, REPO_ROOT, StackError

from .run import FULL, QUICK, Options, run
from .training import TrainingFailed

RESULTS = REPO_ROOT / "bench" / "results"


def _concurrency(text: str) -> tuple[int, ...]:
    values = tuple(int(part) for part in text.split(",") if part.strip())
    if not values or min(values) < 1:
        raise argparse.ArgumentTypeError("a comma-separated list of positive integers")
    return values


def options(argv: list[str] | None = None) -> Options:
    """The options of a run, from the command line."""
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="the short run (make bench-quick)")
    parser.add_argument("--turns", type=int, help="turns per door, one customer at a time")
    parser.add_argument("--concurrency", type=_concurrency, help="e.g. 1,10,50")
    parser.add_argument("--phase-seconds", type=float, help="length of each load phase")
    parser.add_argument("--voice-calls", type=int, help="signed calls to each phone door")
    parser.add_argument("--long", type=int, help="long conversations (40 turns) to measure")
    parser.add_argument("--skip-training", action="store_true", help="do not measure training")
    parser.add_argument(
        "--no-nlu-run",
        action="store_true",
        help="read the NLU report only; never run `rasa test nlu` for a stale one",
    )
    parser.add_argument(
        "--profile", type=float, default=0.0, metavar="SECONDS",
        help="after the load phases, py-spy every process under 10 customers this long",
    )  # fmt: skip
    parser.add_argument("--no-chart", action="store_true", help="skip the PNG")
    parser.add_argument("--out", type=Path, default=RESULTS, help=f"default {RESULTS}")
    args = parser.parse_args(argv)
    preset = QUICK if args.quick else FULL
    custom = (args.turns, args.concurrency, args.phase_seconds, args.voice_calls, args.long)
    return Options(
        # A run with its own sizes is neither: its files never replace the presets' results.
        mode="custom" if any(x is not None for x in custom) else preset.name,
        turns=args.turns or preset.turns,
        concurrency=args.concurrency or preset.concurrency,
        phase_seconds=args.phase_seconds or preset.phase_seconds,
        voice_calls=preset.voice_calls if args.voice_calls is None else args.voice_calls,
        train=not (args.quick or args.skip_training),
        nlu_may_run=not (args.quick or args.no_nlu_run),
        out=args.out,
        profile_seconds=args.profile,
        long_conversations=preset.long_conversations if args.long is None else args.long,
        chart=not args.no_chart,
    )


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark; 1 when the stack or training cannot run."""
    chosen = options(argv)
    if not DEFAULT_MODEL.exists():
        print(f"no trained model at {DEFAULT_MODEL}: run `make model` first", file=sys.stderr)
        return 1
    try:
        run(chosen)
    except (StackError, TrainingFailed) as exc:
        print(f"bench: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
