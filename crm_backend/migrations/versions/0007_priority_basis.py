"""What a call list entry's priority is made of, kept from the moment the list was built.

- ``call_list_entries.priority_basis``: ``[[reason, points], ...]`` whose
  points add up to ``priority`` (empty for the excluded and for entries built
  before this revision).

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-06
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0007'
down_revision: str | Sequence[str] | None = '0006'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Upgrade schema."""
    with op.batch_alter_table('call_list_entries', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('priority_basis', sa.JSON(), server_default='[]', nullable=False)
        )


def downgrade() -> None:
    """Downgrade schema."""
    with op.batch_alter_table('call_list_entries', schema=None) as batch_op:
        batch_op.drop_column('priority_basis')
