"""``python -m languages build LANG OUT``, ``data LANG`` or ``list``: what the Makefile reads."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from languages import build, languages, training_data


def main(argv: list[str] | None = None) -> int:
    """``build LANG OUT``, ``data LANG`` (relative paths) or ``list`` (one language a line)."""
    parser = argparse.ArgumentParser(prog="python -m languages")
    commands = parser.add_subparsers(dest="command", required=True)
    building = commands.add_parser("build", help="write OUT/config.yml and OUT/domain/ for LANG")
    building.add_argument("language")
    building.add_argument("out", type=Path)
    data = commands.add_parser("data", help="the training data paths of LANG (rasa train --data)")
    data.add_argument("language")
    commands.add_parser("list", help="the languages with training data")
    args = parser.parse_args(argv)
    if args.command == "list":
        print("\n".join(languages()))
        return 0
    if args.command == "data":
        print(" ".join(str(path.relative_to(Path.cwd())) for path in training_data(args.language)))
        return 0
    try:
        build(args.language, args.out)
    except ValueError as problem:
        print(problem, file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
