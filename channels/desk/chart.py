"""The manager's chart as plain SVG geometry: bars per day, drawn by the template.

No script and no chart library (the desk works without the internet): for
each day a bar of conversations and, over it, a bar of the handoffs agents
took, scaled to the busiest day, with the day's containment under it.
"""

from __future__ import annotations

from dataclasses import dataclass

from crm_backend.services.desk_stats import Day

WIDTH = 720
HEIGHT = 240
TOP = 20
BOTTOM = 50  # room for the day and its containment
LEFT = 40


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
    """A piece of text on the chart."""

    x: float
    y: float
    text: str


@dataclass(frozen=True)
class Chart:
    """What the template draws."""

    width: int
    height: int
    bars: list[Bar]
    labels: list[Label]
    axis_y: float
    peak: int


def day_chart(days: list[Day]) -> Chart:
    """Conversations and taken handoffs per day, side by side in one bar."""
    plot = HEIGHT - TOP - BOTTOM
    peak = max([d.conversations for d in days] + [d.handoffs for d in days] + [1])
    slot = (WIDTH - LEFT) / max(len(days), 1)
    bar_width = max(slot * 0.6, 2)
    bars: list[Bar] = []
    labels: list[Label] = [Label(x=4, y=TOP + 4, text=str(peak))]
    for n, day in enumerate(days):
        x = LEFT + n * slot + (slot - bar_width) / 2
        for kind, count in (("conversations", day.conversations), ("taken", day.taken)):
            height = plot * count / peak
            bars.append(
                Bar(
                    x=round(x, 1),
                    y=round(TOP + plot - height, 1),
                    width=round(bar_width, 1),
                    height=round(height, 1),
                    kind=kind,
                    title=f"{day.day.isoformat()}: {count} {_noun(kind, count)}",
                )
            )
        centre = round(x + bar_width / 2, 1)
        labels.append(Label(x=centre, y=HEIGHT - BOTTOM + 16, text=day.day.strftime("%d/%m")))
        share = "-" if day.containment is None else f"{round(day.containment * 100)}%"
        labels.append(Label(x=centre, y=HEIGHT - BOTTOM + 32, text=share))
    return Chart(width=WIDTH, height=HEIGHT, bars=bars, labels=labels, axis_y=TOP + plot, peak=peak)


def _noun(kind: str, count: int) -> str:
    if kind == "conversations":
        return "conversation" if count == 1 else "conversations"
    return "taken by an agent"
