"""The Alembic migrations build exactly the models' schema, and undo it.

Runs on SQLite always and, when ``TEST_POSTGRES_URL`` is set, on a fresh schema
of that PostgreSQL database too.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Engine, inspect, text

from crm_backend.cli.database import alembic_config
from crm_backend.db import build_engine
from crm_backend.models import Base

POSTGRES_URL = os.environ.get("TEST_POSTGRES_URL", "")


@pytest.fixture(
    params=[
        "sqlite",
        pytest.param(
            "postgres",
            marks=[
                pytest.mark.postgres,
                pytest.mark.skipif(not POSTGRES_URL, reason="TEST_POSTGRES_URL is not set"),
            ],
        ),
    ]
)
def engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    """An engine on an empty database: a SQLite file, or a fresh PostgreSQL schema."""
    if request.param == "sqlite":
        sqlite = build_engine(f"sqlite:///{tmp_path / 'crm.db'}")
        yield sqlite
        sqlite.dispose()
        return
    schema = f"icbot_migrations_{uuid.uuid4().hex[:12]}"
    admin = build_engine(POSTGRES_URL)
    with admin.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    postgres = build_engine(POSTGRES_URL, connect_args={"options": f"-csearch_path={schema}"})
    try:
        yield postgres
    finally:
        postgres.dispose()
        with admin.begin() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


def _migrate(engine: Engine, *, to: str, down: bool = False) -> None:
    with engine.begin() as connection:
        config = alembic_config(engine.url.render_as_string(hide_password=False))
        config.attributes["connection"] = connection
        if down:
            command.downgrade(config, to)
        else:
            command.upgrade(config, to)


def test_upgrade_from_empty_matches_the_models(engine: Engine) -> None:
    _migrate(engine, to="head")

    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        assert compare_metadata(context, Base.metadata) == []


def test_downgrade_to_base_removes_every_table(engine: Engine) -> None:
    _migrate(engine, to="head")

    _migrate(engine, to="base", down=True)

    assert inspect(engine).get_table_names() == ["alembic_version"]


def test_upgrade_twice_is_a_no_op(engine: Engine) -> None:
    _migrate(engine, to="head")

    _migrate(engine, to="head")

    assert set(inspect(engine).get_table_names()) == {*Base.metadata.tables, "alembic_version"}


def test_the_configured_url_is_migrated_when_no_connection_is_given(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'by-url.db'}"

    command.upgrade(alembic_config(url), "head")

    engine = build_engine(url)
    assert set(inspect(engine).get_table_names()) == {*Base.metadata.tables, "alembic_version"}
    engine.dispose()


def test_review_marks_come_and_go_with_0008_and_trainers_become_agents(engine: Engine) -> None:
    _migrate(engine, to="0008")
    with engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO agents (username, display_name, password_hash, role, active, "
                "created_at) VALUES ('tess', 'Tess', 'x', 'trainer', true, CURRENT_TIMESTAMP)"
            )
        )
    assert "review_marks" in inspect(engine).get_table_names()

    _migrate(engine, to="0007", down=True)

    assert "review_marks" not in inspect(engine).get_table_names()
    with engine.connect() as connection:
        assert connection.execute(text("SELECT username, role FROM agents")).all() == [
            ("tess", "agent")
        ]


def test_the_satisfaction_columns_come_and_go_with_their_revision(engine: Engine) -> None:
    satisfaction = {
        "satisfaction_asked_at",
        "satisfaction_score",
        "satisfaction_comment",
        "satisfaction_answered_at",
    }
    _migrate(engine, to="head")

    _migrate(engine, to="0008", down=True)
    after_down = {c["name"] for c in inspect(engine).get_columns("interactions")}
    _migrate(engine, to="0009")
    after_up = {c["name"] for c in inspect(engine).get_columns("interactions")}

    assert (satisfaction & after_down, satisfaction & after_up) == (set(), satisfaction)


def test_the_script_variant_columns_come_and_go_with_0010(engine: Engine) -> None:
    on_campaigns = {"script_a", "script_b", "script_b_share", "script_test_ended_at"}
    _migrate(engine, to="head")

    _migrate(engine, to="0009", down=True)
    down = (
        on_campaigns & {c["name"] for c in inspect(engine).get_columns("campaigns")},
        "script" in {c["name"] for c in inspect(engine).get_columns("call_list_entries")},
    )
    _migrate(engine, to="0010")
    up = (
        on_campaigns & {c["name"] for c in inspect(engine).get_columns("campaigns")},
        "script" in {c["name"] for c in inspect(engine).get_columns("call_list_entries")},
    )

    assert (down, up) == ((set(), False), (on_campaigns, True))


def test_0011_gives_a_database_seeded_before_it_the_french_aliases(engine: Engine) -> None:
    _migrate(engine, to="0010")
    with engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO products (id, sku, name, search_name, category, description, specs,"
                " list_price, currency, stock, active) VALUES (1, 'BAG-ECL', 'Éclipse Laptop Bag',"
                " 'eclipse laptop bag', 'accessories', '', '{}', 49, 'EUR', 3, true)"
            )
        )
        connection.execute(
            text(
                "INSERT INTO product_aliases (product_id, alias, search_alias)"
                " VALUES (1, 'sacoche', 'sacoche')"
            )
        )

    def aliases() -> list[tuple[str, str]]:
        with engine.connect() as connection:
            query = "SELECT alias, search_alias FROM product_aliases ORDER BY id"
            return [tuple(row) for row in connection.execute(text(query))]

    _migrate(engine, to="0011")
    up = aliases()
    _migrate(engine, to="0010", down=True)

    assert up[:2] == [("sacoche", "sacoche"), ("sacoche éclipse", "sacoche eclipse")]
    assert ("sacoche de l'éclipse", "sacoche de l'eclipse") in up
    assert len(up) == len(set(up))
    assert aliases() == []


def test_0012_adds_the_conversation_languages_and_the_preferred_language(engine: Engine) -> None:
    def state() -> tuple[bool, bool]:
        found = inspect(engine)
        return (
            "conversation_languages" in found.get_table_names(),
            "preferred_language" in {c["name"] for c in found.get_columns("accounts")},
        )

    _migrate(engine, to="head")
    _migrate(engine, to="0011", down=True)
    down = state()
    _migrate(engine, to="0012")

    assert (down, state()) == ((False, False), (True, True))
