"""A/B tests of a campaign's script: two variants, a split, and the variant each person got.

- ``campaigns.script_a``, ``campaigns.script_b``: the script's two variants (empty: no test).
- ``campaigns.script_b_share``: the percentage of contacts that get variant B.
- ``campaigns.script_test_ended_at``: when the manager ended the test by keeping one.
- ``call_list_entries.script``: the script the entry is worked with (empty:
  the campaign's, as for every entry built before this revision).

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-06
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0010'
down_revision: str | Sequence[str] | None = '0009'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Upgrade schema."""
    with op.batch_alter_table('campaigns', schema=None) as batch_op:
        batch_op.add_column(sa.Column('script_a', sa.String(length=100), nullable=True))
        batch_op.add_column(sa.Column('script_b', sa.String(length=100), nullable=True))
        batch_op.add_column(
            sa.Column('script_b_share', sa.Integer(), server_default='50', nullable=False)
        )
        batch_op.add_column(sa.Column('script_test_ended_at', sa.DateTime(timezone=True), nullable=True))
    with op.batch_alter_table('call_list_entries', schema=None) as batch_op:
        batch_op.add_column(sa.Column('script', sa.String(length=100), nullable=True))


def downgrade() -> None:
    """Downgrade schema."""
    with op.batch_alter_table('call_list_entries', schema=None) as batch_op:
        batch_op.drop_column('script')
    with op.batch_alter_table('campaigns', schema=None) as batch_op:
        batch_op.drop_column('script_test_ended_at')
        batch_op.drop_column('script_b_share')
        batch_op.drop_column('script_b')
        batch_op.drop_column('script_a')
