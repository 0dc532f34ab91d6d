"""The conversation's language, as the gateway put it in the latest message's metadata."""

from __future__ import annotations

import pytest

from actions.messages import language
from tests.actions.trackers import tracker, user_event


@pytest.mark.parametrize(
    ("metadata", "expected"),
    [
        ({"language": "fr"}, "fr"),
        ({"language": "en"}, "en"),
        ({}, "en"),
        (None, "en"),
        ({"language": "de"}, "en"),
        ({"language": "FR"}, "en"),
        ({"language": " fr"}, "en"),
        ({"language": ["fr"]}, "en"),
        ({"language": None}, "en"),
    ],
)
def test_the_language_is_english_unless_the_latest_message_says_french(metadata, expected):
    assert language(tracker(text="bonjour", metadata=metadata)) == expected


def test_the_latest_message_decides_not_the_session_start():
    earlier = user_event("hello", metadata={"language": "en"})
    latest = tracker(
        text="bonjour",
        metadata={"language": "fr"},
        slots={"session_started_metadata": {"language": "en"}},
        events=[earlier, user_event("bonjour", metadata={"language": "fr"})],
    )
    assert language(latest) == "fr"


def test_metadata_that_is_not_a_mapping_reads_as_english():
    latest = tracker(text="hi")
    latest.latest_message["metadata"] = "fr"
    assert language(latest) == "en"
