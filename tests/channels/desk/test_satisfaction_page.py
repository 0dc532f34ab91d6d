"""The manager's page shows customer satisfaction: CSAT and mean, per channel, day and path."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from crm_backend.services import conversation, satisfaction
from tests.channels.desk.conftest import Uows, logged_in

NONE = "\u2013"  # the page's dash where there is no figure


def rated(uow_factory: Uows, conversation_id: str, channel: str, score: int | None) -> None:
    with uow_factory() as uow:
        interaction = conversation.start_interaction(
            uow, channel=channel, conversation_id=conversation_id
        )
        satisfaction.mark_asked(uow, interaction_id=interaction.id)
        if score is not None:
            satisfaction.record_rating(uow, interaction_id=interaction.id, score=score)
        uow.commit()


def test_the_managers_view_has_csat_per_channel_and_path(
    desk_gateway: TestClient, staff: dict[str, int], uow_factory: Uows
) -> None:
    rated(uow_factory, "web-1", "web", 5)
    rated(uow_factory, "sms-1", "sms", 2)
    rated(uow_factory, "voice-1", "voice", None)  # asked, hung up

    page = logged_in(desk_gateway, "boss").client.get("/desk/manager")

    assert page.status_code == 200
    assert re.search(r'id="csat">50%<', page.text)
    assert re.search(r'id="csat-mean">3\.5<', page.text)
    channels = page.text.split('id="csat-per-channel"')[1].split("</table>")[0]
    assert re.findall(r'<th scope="row">(\w+)</th><td>([^<]*)</td><td>([^<]*)</td>', channels) == [
        ("web", "100%", "5.0"),
        ("sms", "0%", "2.0"),
        ("voice", NONE, NONE),
    ]
    paths = page.text.split('id="csat-per-path"')[1].split("</table>")[0]
    assert '<th scope="row">bot only</th><td>50%</td><td>3.5</td><td>2</td><td>3</td>' in paths
