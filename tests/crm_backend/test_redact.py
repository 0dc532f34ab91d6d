"""Masking of personal data and secrets on their way to a log."""

from __future__ import annotations

import pytest

from crm_backend.redact import mask, placeholders


@pytest.mark.parametrize(
    ("line", "masked"),
    [
        ("SMS to +33612345678 sent", "SMS to +33•••••••78 sent"),
        ("conversation sms-+33612345678 paused", "conversation sms-+33•••••••78 paused"),
        ("GET /x?To=%2B33612345678&x=1", "GET /x?To=%2B33•••••••78&x=1"),
        ("call me on 0612345678 or 06 12 34 56 78", "call me on 06••••••78 or 06••••••78"),
        ("from 0033612345678 and 33612345678", "from 00•••••••••78 and 33•••••••78"),
        ("write to pierre.moreau@example.fr!", "write to p•••@example.fr!"),
        ("to=pierre.moreau%40example.fr", "to=p•••%40example.fr"),
        (
            "HTTP Request: PUT http://127.0.0.1:5005/conversations/a/tracker?token=s3cr.3t-x "
            '"HTTP/1.1 500"',
            "HTTP Request: PUT http://127.0.0.1:5005/conversations/a/tracker?token=*** "
            '"HTTP/1.1 500"',
        ),
        ("Authorization: Bearer abc.def", "Authorization: Bearer ***"),
        ("{'authorization': 'Basic dXNlcjpw'}", "{'authorization': 'Basic ***'}"),
        ("--auth-token=abc123 --port 5005", "--auth-token=*** --port 5005"),
    ],
)
def test_personal_data_and_secrets_are_masked(line: str, masked: str) -> None:
    assert mask(line) == masked


@pytest.mark.parametrize(
    "line",
    [
        "2026-03-02 09:30:00,123 INFO rasa.core.agent Loaded model in 12.345678 s",
        "order SO-000123 total 1299.00 EUR, pid 4242, port 50055",
        "epoch 1712345678.123456 took 0.0612345678 s",
        "uvicorn running on http://127.0.0.1:8000",
    ],
)
def test_ordinary_lines_pass_unchanged(line: str) -> None:
    assert mask(line) == line


@pytest.mark.parametrize(
    ("text", "names", "redacted"),
    [
        (
            "I'm Pierre Moreau, pierre.moreau@example.fr, 06 12 34 56 78",
            ["Pierre Moreau"],
            "I'm Alex Martin, jane.doe@example.com, 06 00 00 00 00",
        ),
        ("moreau here, call +33612345678", ["Pierre Moreau"], "Martin here, call +33600000000"),
        ("0612345678 or 06.12.34.56.78", [], "0600000000 or 06.00.00.00.00"),
        ("from 0033612345678 and 33612345678", [], "from 0033600000000 and 33600000000"),
        ("customer C-100001, also c100002", [], "customer C-000000, also C-000000"),
        ("I live in 69002 Lyon", [], "I live in 00000 Lyon"),
        # What is not personal stays: order and quote numbers, prices, quantities, dates.
        (
            "order SO-000123, quote Q-2025-0042 for 3 at 1299.99 on 2025-11-03",
            [],
            "order SO-000123, quote Q-2025-0042 for 3 at 1299.99 on 2025-11-03",
        ),
        # A name's words count alone, whatever their case; other words that hold them do not.
        (
            "MARIE-CLAIRE dupont-lajoie says hi to Dupontel",
            ["Marie-Claire Dupont-Lajoie"],
            "Alex-Martin Martin-Martin says hi to Dupontel",
        ),
        ("", ["Pierre"], ""),
    ],
)
def test_placeholders_replace_personal_data_by_data_of_the_same_kind(
    text: str, names: list[str], redacted: str
) -> None:
    assert placeholders(text, names=names) == redacted


def test_placeholders_leave_no_trace_of_the_reference_customer() -> None:
    said = (
        "Pierre Moreau, C-100001, 69002, pierre.moreau@example.fr, +33612345678, 0612345678, "
        "pierre.moreau%40example.fr"
    )

    redacted = placeholders(said, names=["Pierre Moreau"]).lower()

    for trace in ("pierre", "moreau", "100001", "69002", "12345678", "example.fr"):
        assert trace not in redacted
