"""The story test report, in Markdown and HTML: a table of stories, then each failure in words.

For a failure: the turn where the bot did something else, what the customer
had just said, what the story expected, what the bot did (with the words of
a response, as the web chat shows them), and the story's line.
"""

from __future__ import annotations

import html
from pathlib import Path

from .stories import REPO_ROOT, WAIT, Report, StoryResult


def _models(report: Report, mark: str) -> str:
    """The model(s) played, each marked as code (`` ` `` in Markdown, ``<code>`` in HTML)."""
    close = mark.replace("<", "</")
    names = [_relative(m) for m in report.models or [report.model]]
    if mark.startswith("<"):
        names = [html.escape(n) for n in names]
    return ", ".join(f"{mark}{n}{close}" for n in names)


def _named(name: str, wording: dict[str, str]) -> str:
    said = wording.get(name)
    return f'`{name}` ("{said}")' if said else f"`{name}`"


def _explain(result: StoryResult, wording: dict[str, str]) -> list[str]:
    """The failure in plain sentences: where, what was expected, what the bot did, which line."""
    d = result.divergence
    if d is None:
        return ["The bot did something else (Rasa gave no detail)."]
    if not d.understood and d.expected == d.actual:
        return [
            f'At turn {d.turn}, the customer said "{d.said}" (`{d.expected}`, understood).',
            f"Expected details in these words: {d.marked or 'none'}.",
            f"What happened: the bot found {d.found or 'none'}.",
            f"Story line {d.line} (mark the details in the words, e.g. [this month](date)).",
        ]
    if not d.understood:
        return [
            f'At turn {d.turn}, the customer said "{d.said}".',
            f"Expected: the bot understands it as `{d.expected}`.",
            f"What happened: the bot understood `{d.actual}`.",
            f"Story line {d.line}.",
        ]
    if d.turn == 0:
        where = "Before the customer said anything"
    elif d.said:
        where = f'At turn {d.turn}, after the customer said "{d.said}" (`{d.intent}`)'
    else:
        where = f"At turn {d.turn}, after the customer's `{d.intent}`"
    expected = d.expected if d.expected == WAIT else _named(d.expected, wording)
    return [
        f"{where}:",
        f"Expected: {expected}.",
        f"What happened: the bot did {_named(d.actual, wording)}.",
        f"Story line {d.line}.",
    ]


def _relative(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(REPO_ROOT))
    except ValueError:
        return str(path)


def markdown(report: Report) -> str:
    """The report in Markdown."""
    total, failed = len(report.stories), len(report.failed)
    lines = [
        "# Story test report",
        "",
        f"{report.at:%Y-%m-%d %H:%M} · model {_models(report, '`')} · "
        f"{total} stories: {total - failed} passed, {failed} failed",
        "",
        "| story | file | result |",
        "| --- | --- | --- |",
    ]
    for story in report.stories:
        result = "passed" if story.passed else f"**failed** at turn {story.divergence.turn}"  # type: ignore[union-attr]
        name = story.name.replace("|", "\\|")
        lines.append(f"| {name} | {_relative(story.path)}:{story.line} | {result} |")
    for story in report.failed:
        lines += [
            "",
            f"## Failed: {story.name}",
            "",
            f"`{_relative(story.path)}`, line {story.line}.",
            "",
        ]
        lines += [f"- {line}" for line in _explain(story, report.wording)]
    if report.failed:
        lines += ["", 'What to do: docs/marketing.md, "When a story fails".']
    return "\n".join(lines) + "\n"


def html_report(report: Report) -> str:
    """The report as a standalone HTML page."""
    esc = html.escape
    total, failed = len(report.stories), len(report.failed)
    rows = []
    for story in report.stories:
        status = "passed" if story.passed else f"failed at turn {story.divergence.turn}"  # type: ignore[union-attr]
        css = "pass" if story.passed else "fail"
        rows.append(
            f'<tr class="{css}"><td>{esc(story.name)}</td>'
            f"<td>{esc(_relative(story.path))}:{story.line}</td><td>{esc(status)}</td></tr>"
        )
    details = []
    for story in report.failed:
        items = "".join(
            f"<li>{esc(line).replace('`', '')}</li>" for line in _explain(story, report.wording)
        )
        details.append(
            f"<section><h2>Failed: {esc(story.name)}</h2>"
            f"<p><code>{esc(_relative(story.path))}</code>, line {story.line}</p>"
            f"<ul>{items}</ul></section>"
        )
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Story test report</title>
<style>
body {{ font-family: system-ui, sans-serif; margin: 2rem; max-width: 60rem; }}
table {{ border-collapse: collapse; width: 100%; }}
td, th {{ border: 1px solid #ccc; padding: .4rem .6rem; text-align: left; }}
tr.pass td:last-child {{ color: #176117; }}
tr.fail td:last-child {{ color: #a31515; font-weight: bold; }}
</style></head><body>
<h1>Story test report</h1>
<p>{report.at:%Y-%m-%d %H:%M} · model {_models(report, "<code>")} ·
{total} stories: {total - failed} passed, {failed} failed</p>
<table><thead><tr><th>story</th><th>file</th><th>result</th></tr></thead>
<tbody>{"".join(rows)}</tbody></table>
{"".join(details)}
</body></html>
"""


def write_report(report: Report, out: Path) -> tuple[Path, Path]:
    """Write ``report.md`` and ``report.html`` into ``out``."""
    out.mkdir(parents=True, exist_ok=True)
    md, page = out / "report.md", out / "report.html"
    md.write_text(markdown(report), encoding="utf-8")
    page.write_text(html_report(report), encoding="utf-8")
    return md, page
