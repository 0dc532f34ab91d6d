"""Feedback on the interaction: what the customer told us about us, kept when said.

- ``interactions.feedback``: the customer's words (several feedbacks of one
  contact are joined), anonymous or not.
- ``interactions.feedback_kind``: praise, suggestion or comment, for the team's triage.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-05
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0006'
down_revision: str | Sequence[str] | None = '0005'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Upgrade schema."""
    with op.batch_alter_table('interactions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('feedback', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('feedback_kind', sa.String(length=20), nullable=True))


def downgrade() -> None:
    """Downgrade schema."""
    with op.batch_alter_table('interactions', schema=None) as batch_op:
        batch_op.drop_column('feedback_kind')
        batch_op.drop_column('feedback')
