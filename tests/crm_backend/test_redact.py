"""Masking of personal data and secrets on their way to a log."""

from __future__ import annotations

import pytest

from crm_backend.redact import mask


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
