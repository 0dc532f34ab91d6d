"""The manager's chart geometry: round ticks, every series visible, labels inside the picture."""

from __future__ import annotations

import datetime as dt

import pytest

from channels.desk.chart import CHAR_WIDTH, HEIGHT, LEFT, MIN_BAR, WIDTH, day_chart, nice_ticks
from crm_backend.services.desk_stats import Day


@pytest.mark.parametrize(
    ("peak", "ticks"),
    [
        (0, [0, 1]),
        (1, [0, 1]),
        (3, [0, 1, 2, 3]),
        (7, [0, 2, 4, 6, 8]),
        (323, [0, 100, 200, 300, 400]),
    ],
)
def test_round_ticks(peak, ticks):
    assert nice_ticks(peak) == ticks


def days(count, *, conversations=323, taken=1):
    first = dt.date(2025, 11, 1)
    return [
        Day(
            first + dt.timedelta(days=n),
            conversations=conversations,
            asked=15,
            handoffs=15,
            taken=taken,
            abandoned=0,
        )
        for n in range(count)
    ]


def test_one_taken_handoff_among_hundreds_of_conversations_is_visible():
    chart = day_chart(days(14))

    taken = [b for b in chart.bars if b.kind == "taken"]
    asked = [b for b in chart.bars if b.kind == "asked"]
    assert len(taken) == 14
    # On the handoffs' own scale (0 to 16): a sixteenth of the panel, not a third of a pixel.
    assert min(b.height for b in taken) >= MIN_BAR
    assert all(t.height < a.height for t, a in zip(taken, asked, strict=True))
    assert not [b for b in chart.bars if b.kind == "abandoned"]  # none: nothing to draw


@pytest.mark.parametrize("count", [1, 7, 14, 30, 90])
def test_every_label_fits_in_the_picture(count):
    chart = day_chart(days(count, conversations=987_654))

    for label in chart.labels:
        width = len(label.text) * CHAR_WIDTH
        left = {"start": label.x, "middle": label.x - width / 2, "end": label.x - width}[
            label.anchor
        ]
        assert (left >= 0, left + width <= WIDTH, 0 < label.y <= HEIGHT) == (True, True, True), (
            label
        )
    ticks = [label for label in chart.labels if label.kind == "tick"]
    assert "1,000,000" in [label.text for label in ticks]
    assert {label.x for label in ticks} == {LEFT - 8}
    assert [item.text for item in chart.legend] == [
        "Conversations started",
        "Asked for a person",
        "Taken by an agent",
        "Abandoned",
    ]
    assert chart.legend[-1].x + 18 + len("Abandoned") * CHAR_WIDTH <= WIDTH
