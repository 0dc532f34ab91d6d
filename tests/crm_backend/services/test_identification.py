"""The second fact: what the caller says, compared with what the account holds."""

from __future__ import annotations

import pytest

from crm_backend.services import identification
from tests.factories import make_account


@pytest.mark.parametrize(
    "answer",
    [
        "69002",
        " 69 002 ",
        "PIERRE.MOREAU@example.fr",
        "06 12 34 56 78",
        "+33 6 12 34 56 78",
        "07 11 22 33 44",
        "C-100001",
        "c100001",
        "100001",
    ],
)
def test_second_fact_matches(any_uow, answer):
    pierre = make_account(
        any_uow, customer_number="C-100001", phones=["+33612345678", "+33711223344"]
    )

    assert identification.verify_identity(pierre, answer=answer) is True


@pytest.mark.parametrize(
    "answer",
    ["", "   ", "75001", "0699999999", "someone@example.fr", "Moreau", "C-100002", "Lyon"],
)
def test_second_fact_does_not_match(any_uow, answer):
    pierre = make_account(any_uow, customer_number="C-100001")

    assert identification.verify_identity(pierre, answer=answer) is False
