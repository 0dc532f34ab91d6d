"""``python -m crm_backend campaign|call-list``: the IC manager's commands, on the demo data."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy.orm import sessionmaker

from crm_backend.cli import main
from crm_backend.db import build_engine
from crm_backend.uow import SqlAlchemyUnitOfWork
from tests.crm_backend.seed_day import SEED_DAY

LYON_ECLIPSE = ["--owns-product", "eclipse", "--owns-category", "laptop", "--city", "Lyon"]


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    """A seeded database of its own."""
    environ = {
        "DATABASE_URL": f"sqlite:///{tmp_path / 'crm.db'}",
        "ICBOT_VAR_DIR": str(tmp_path / "var"),
    }
    assert main(["seed", "--today", SEED_DAY.isoformat()], environ=environ) == 0
    return environ


def run(env: dict[str, str], capsys: pytest.CaptureFixture[str], *argv: str) -> list[str]:
    capsys.readouterr()
    assert main(list(argv), environ=env) == 0, capsys.readouterr().err
    return capsys.readouterr().out.splitlines()


def test_a_manager_prepares_and_starts_a_call_list(
    env: dict[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    created = run(
        env,
        capsys,
        *("campaign", "create", "Éclipse trade-up, Lyon", "--script", "laptop_upgrade"),
        *("--channel", "phone", "--from", "2026-03-02", "--to", "2026-03-31"),
        *("--product", "ECL-3000", "--hours", "10:00-18:00", "--max-attempts", "2"),
        *("--retry-minutes", "45", "--message", "Hello from Lumen."),
    )
    preview = run(env, capsys, "call-list", "preview", "--channel", "phone", *LYON_ECLIPSE)
    built = run(
        env,
        capsys,
        *("call-list", "build", "--campaign", "2", "--name", "Lyon owners", *LYON_ECLIPSE),
        *("--window", "17:00-18:00"),
    )
    shown = run(env, capsys, "call-list", "show", "2")

    assert created == ["campaign 2 created (draft): Éclipse trade-up, Lyon"]
    assert preview == ["2 to contact, 0 left out"]
    assert built == [
        "call list 2 (draft, bot): Lyon owners for campaign 2: "
        "2 pending, 0 calling, 0 done, 0 excluded"
    ]
    assert shown[0] == built[0]
    assert [line.split()[2:4] for line in shown[1:]] == [["pending", "0"], ["pending", "0"]]
    assert all("17:00-18:00 Europe/Paris" in line for line in shown[1:])

    assert run(env, capsys, "call-list", "assign", "2", "agents") == [
        "call list 2 assigned to agents"
    ]
    assert run(env, capsys, "call-list", "start", "2") == ["call list 2 active: worked by agents"]
    assert run(env, capsys, "call-list", "list", "--campaign", "2") == [
        "call list 2 (active, agents): Lyon owners for campaign 2: "
        "2 pending, 0 calling, 0 done, 0 excluded"
    ]
    assert run(env, capsys, "call-list", "pause", "2") == ["call list 2 paused"]
    campaigns = run(env, capsys, "campaign", "list")
    assert campaigns[0].split()[:3] == ["2", "active", "phone"]
    assert campaigns[0].endswith("(script laptop_upgrade, 2 attempts 45 min apart)")
    assert [
        run(env, capsys, "campaign", action, "2")[0] for action in ("pause", "resume", "end")
    ] == ["campaign 2 is paused", "campaign 2 is active", "campaign 2 is ended"]
    engine = build_engine(env["DATABASE_URL"])
    with SqlAlchemyUnitOfWork(sessionmaker(bind=engine)) as uow:
        campaign = uow.campaigns.get(2)
        assert campaign is not None
        assert campaign.message == "Hello from Lumen."
    engine.dispose()


@pytest.mark.parametrize(
    ("argv", "error"),
    [
        (["call-list", "start", "99"], "error: call list 99 not found"),
        (
            [
                *("campaign", "create", "x", "--script", "laptop_offer", "--channel", "phone"),
                *("--from", "2026-03-02", "--to", "2026-03-03"),
            ],
            "error: script laptop_offer not found",
        ),
        (["campaign", "resume", "1"], "error: campaign cannot go from active to active"),
        (
            ["call-list", "build", "--campaign", "1", "--name", "x", "--window", "07:00-12:00"],
            "error: the calling window must lie within the campaign's calling hours",
        ),
        (
            ["call-list", "assign", "1", "nobody"],
            "error: a call list is assigned to 'bot', 'agents' or an active agent, not 'nobody'",
        ),
    ],
)
def test_a_refused_command_says_why_and_fails(
    env: dict[str, str], capsys: pytest.CaptureFixture[str], argv: list[str], error: str
) -> None:
    capsys.readouterr()

    assert main(argv, environ=env) == 1
    assert capsys.readouterr().err.strip() == error


def test_bad_hours_are_a_usage_error(env: dict[str, str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main(
            [
                *("campaign", "create", "x", "--script", "s", "--channel", "sms"),
                *("--from", "2026-03-02", "--to", "2026-03-03", "--hours", "nine to five"),
            ],
            environ=env,
        )
    assert exited.value.code == 2


def test_a_manager_ab_tests_a_script_and_keeps_one(
    env: dict[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    run(
        env,
        capsys,
        *("campaign", "create", "Trade-up A/B", "--script", "laptop_upgrade"),
        *("--channel", "phone", "--from", "2026-03-02", "--to", "2026-03-31"),
    )
    same = main(["campaign", "variant", "2", "laptop_upgrade"], environ=env)
    same_error = capsys.readouterr().err
    variant = run(env, capsys, "campaign", "variant", "2", "laptop_upgrade_direct", "--share", "30")
    run(env, capsys, "call-list", "build", "--campaign", "2", "--name", "Lyon", *LYON_ECLIPSE)
    results = run(env, capsys, "campaign", "results", "2")
    kept = run(env, capsys, "campaign", "keep", "2", "laptop_upgrade_direct")
    after = run(env, capsys, "campaign", "results", "2")

    assert (same, "another script than the campaign's own" in same_error) == (1, True)
    assert variant == [
        "campaign 2: A laptop_upgrade, B laptop_upgrade_direct for 30 % of the contacts"
    ]
    assert results == [
        "A laptop_upgrade: 0 contacts, 0 reached, 0 leads, 0 qualified, conversion -",
        "B laptop_upgrade_direct: 0 contacts, 0 reached, 0 leads, 0 qualified, conversion -",
        "running: Not enough contacts reached on both variants to compare them yet.",
    ]
    assert kept == ["campaign 2: test ended, its script is laptop_upgrade_direct"]
    assert after[-1].startswith("ended, kept laptop_upgrade_direct: ")
