"""The manager's chart as plain SVG geometry, drawn by the template.

No script and no chart library (the desk works without the internet). Two
panels share the days: the conversations started, and below, on a scale of
their own, the requests for a person, those agents took and those abandoned.
A few hundred conversations and a handful of handoffs on one scale would
leave the handoffs a pixel high; on their own scale every series shows. A
count above zero is never drawn under :data:`MIN_BAR` pixels.

Each panel has a y axis with round ticks, labelled to the left of it and
anchored at their end, so a wide number grows leftwards into the margin kept
for it (:data:`LEFT`) and never past the picture's edge. A legend names the
series with the colours of their bars (the same CSS classes).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from crm_backend.services.desk_stats import Day

WIDTH = 760
HEIGHT = 340
LEFT = 72  # the y labels: "1,000,000" at the desk's 11 px, with room to spare
RIGHT = 28  # half a day's label past the last bar
LEGEND_Y = 20
DAY_LABEL_Y = 326
MIN_BAR = 2.0
# Roughly the width of a character of the chart's 12 px legend, for laying it out.
CHAR_WIDTH = 7.0
SERIES = {
    "conversations": "Conversations started",
    "asked": "Asked for a person",
    "taken": "Taken by an agent",
    "abandoned": "Abandoned",
}


@dataclass(frozen=True)
class Bar:
    """One rectangle and what it stands for (the tooltip)."""

    x: float
    y: float
    width: float
    height: float
    kind: str
    title: str


@dataclass(frozen=True)
class Label:
    """A piece of text on the chart, anchored at ``start``, ``middle`` or ``end``."""

    x: float
    y: float
    text: str
    anchor: str = "middle"
    kind: str = "label"


@dataclass(frozen=True)
class Line:
    """An axis or a grid line."""

    x1: float
    y1: float
    x2: float
    y2: float
    kind: str


@dataclass(frozen=True)
class LegendItem:
    """A swatch of a series' colour and its name."""

    x: float
    y: float
    kind: str
    text: str


@dataclass(frozen=True)
class Panel:
    """Where a panel's plot lies, its title, and the series it shows."""

    top: float
    bottom: float
    title: str
    series: tuple[str, ...]


PANELS = (
    Panel(top=66, bottom=156, title="Conversations started per day", series=("conversations",)),
    Panel(
        top=210,
        bottom=300,
        title="Requests for a person per day",
        series=("asked", "taken", "abandoned"),
    ),
)


@dataclass(frozen=True)
class Chart:
    """What the template draws."""

    width: int
    height: int
    bars: list[Bar]
    labels: list[Label]
    lines: list[Line]
    legend: list[LegendItem]


def day_chart(days: list[Day]) -> Chart:
    """The period's days in two panels, with axes, round ticks and a legend."""
    plot_width = WIDTH - LEFT - RIGHT
    slot = plot_width / max(len(days), 1)
    bars: list[Bar] = []
    labels: list[Label] = []
    lines: list[Line] = []
    for panel in PANELS:
        counts = [[_count(day, kind) for kind in panel.series] for day in days]
        ticks = nice_ticks(max((max(c) for c in counts), default=0))
        top = ticks[-1]
        labels.append(
            Label(x=LEFT, y=panel.top - 12, text=panel.title, anchor="start", kind="title")
        )
        for tick in ticks:
            y = round(panel.bottom - (panel.bottom - panel.top) * tick / top, 1)
            lines.append(Line(LEFT, y, WIDTH - RIGHT, y, kind="grid" if tick else "axis"))
            labels.append(Label(x=LEFT - 8, y=y + 4, text=f"{tick:,}", anchor="end", kind="tick"))
        lines.append(Line(LEFT, panel.top, LEFT, panel.bottom, kind="axis"))
        group = slot * 0.8
        width = max(group / len(panel.series), 1.0)
        for n, (day, row) in enumerate(zip(days, counts, strict=True)):
            x0 = LEFT + n * slot + (slot - group) / 2
            for m, (kind, count) in enumerate(zip(panel.series, row, strict=True)):
                if not count:
                    continue
                height = max((panel.bottom - panel.top) * count / top, MIN_BAR)
                bars.append(
                    Bar(
                        x=round(x0 + m * width, 1),
                        y=round(panel.bottom - height, 1),
                        width=round(width, 1),
                        height=round(height, 1),
                        kind=kind,
                        title=f"{day.day.isoformat()}: {count} {SERIES[kind].lower()}",
                    )
                )
    every = max(math.ceil(len(days) * 44 / plot_width), 1)  # a day label takes ~40 px
    for n, day in enumerate(days):
        if (len(days) - 1 - n) % every == 0:  # today always has its label
            centre = round(LEFT + (n + 0.5) * slot, 1)
            labels.append(Label(x=centre, y=DAY_LABEL_Y, text=day.day.strftime("%d/%m")))
    return Chart(
        width=WIDTH, height=HEIGHT, bars=bars, labels=labels, lines=lines, legend=_legend()
    )


def nice_ticks(peak: int) -> list[int]:
    """0 and round steps (1, 2 or 5 times a power of ten) up to at least ``peak``, 3 to 6 ticks."""
    if peak <= 0:
        return [0, 1]
    raw = peak / 4
    power = 10 ** math.floor(math.log10(raw)) if raw >= 1 else 1
    step = next(s * power for s in (1, 2, 5, 10) if s * power >= raw)
    step = max(int(step), 1)
    return list(range(0, step * math.ceil(peak / step) + 1, step))


def _legend() -> list[LegendItem]:
    items, x = [], float(LEFT)
    for kind, text in SERIES.items():
        items.append(LegendItem(x=x, y=LEGEND_Y, kind=kind, text=text))
        x += 12 + 6 + len(text) * CHAR_WIDTH + 20
    return items


def _count(day: Day, kind: str) -> int:
    return {
        "conversations": day.conversations,
        "asked": day.handoffs,
        "taken": day.taken,
        "abandoned": day.abandoned,
    }[kind]
