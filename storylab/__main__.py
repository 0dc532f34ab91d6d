"""``python -m storylab``: check story and script files; test stories against the trained bot."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from .checks import check_files
from .report import write_report
from .stories import MODELS, REPO_ROOT, StoryRunError, run_by_language, run_stories, story_files

DEFAULT_OUT = REPO_ROOT / "results" / "stories"


def _files(inputs: Sequence[str]) -> list[Path]:
    return story_files([Path(i) for i in inputs])


def check(args: argparse.Namespace) -> int:
    """Print each problem as ``file:line: what``; exit 1 when there is one."""
    files = _files(args.files)
    missing = [f for f in files if not f.exists()]
    for path in missing:
        print(f"{path}: no such file", file=sys.stderr)
    findings = check_files([f for f in files if f.exists()])
    for finding in findings:
        print(finding)
    if findings or missing:
        print(f"{len(findings) + len(missing)} problem(s) in {len(files)} file(s)", file=sys.stderr)
        return 1
    print(f"{len(files)} file(s) checked: no problem")
    return 0


def stories(args: argparse.Namespace) -> int:
    """Play the stories, write report.md and report.html; exit 1 when a story failed."""
    files = _files(args.files)
    findings = check_files(files)
    if findings:
        for finding in findings:
            print(finding)
        print("fix these first (make stories-check)", file=sys.stderr)
        return 2
    try:
        if args.model:
            report = run_stories(files, model=Path(args.model), out=Path(args.out))
        else:
            report = run_by_language(files, models=Path(args.models), out=Path(args.out))
    except StoryRunError as error:
        print(error, file=sys.stderr)
        return 2
    md, page = write_report(report, Path(args.out))
    for story in report.stories:
        print(f"{'passed' if story.passed else 'FAILED'}  {story.name}")
    print(f"{len(report.stories) - len(report.failed)} passed, {len(report.failed)} failed")
    print(f"report: {md} and {page}")
    return 1 if report.failed else 0


def main(argv: Sequence[str] | None = None) -> int:
    """The command line."""
    parser = argparse.ArgumentParser(prog="python -m storylab", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    checking = commands.add_parser("check", help="check story and script files")
    checking.add_argument("files", nargs="+", help="files or folders of *.yml")
    checking.set_defaults(run=check)
    testing = commands.add_parser("stories", help="test stories against the trained bot")
    testing.add_argument("files", nargs="+", help="story files or folders of *.yml")
    testing.add_argument(
        "--models",
        default=str(MODELS),
        help="where each language's model is (icbot-<lang>.tar.gz); a story file is in the "
        "language of its folder (tests/stories/fr/), else English",
    )
    testing.add_argument("--model", help="one model for every story file, whatever its language")
    testing.add_argument("--out", default=str(DEFAULT_OUT), help="where the report goes")
    testing.set_defaults(run=stories)
    args = parser.parse_args(argv)
    code: int = args.run(args)
    return code


if __name__ == "__main__":
    sys.exit(main())
