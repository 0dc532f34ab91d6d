"""The marketing side of the demo: a running campaign with its call list, leads, activities."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from crm_backend import models
from crm_backend.models import Lead, LeadLevel
from tests.crm_backend.seed.rows import count_rows
from tests.crm_backend.seed_day import SEED_DAY


def test_marketing_has_a_running_campaign_with_a_call_list_and_leads(
    seeded_factory: sessionmaker[Session],
) -> None:
    with seeded_factory() as session:
        [campaign] = session.scalars(select(models.Campaign)).all()
        assert campaign.product is not None
        assert campaign.product.sku == "ECL-3000"
        assert campaign.starts_on <= SEED_DAY <= campaign.ends_on
        [call_list] = campaign.call_lists
        entries = call_list.entries
        assert len(entries) == 10
        excluded = {e.exclusion_reason for e in entries if e.status == "excluded"}
        assert "do not contact" in excluded
        assert all(not e.account.do_not_contact for e in entries if e.status != "excluded")
        assert any(e.outcome == "lead_created" and e.lead_id for e in entries)
        leads = session.scalars(select(Lead)).all()
        assert len(leads) >= 5
        assert {lead.level for lead in leads} == set(LeadLevel)
        assert count_rows(session, models.Activity) >= 5
        assert count_rows(session, models.Interaction) >= 5
