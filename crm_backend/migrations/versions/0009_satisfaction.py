"""Customer satisfaction (CSAT) on the interaction: asked once at the end, scored 1 to 5.

- ``interactions.satisfaction_asked_at``: when the bot asked (never twice).
- ``interactions.satisfaction_score``: the customer's score, 1 to 5; empty if not given.
- ``interactions.satisfaction_comment``: what they added, in their words.
- ``interactions.satisfaction_answered_at``: when the score came.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-06
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0009'
down_revision: str | Sequence[str] | None = '0008'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Upgrade schema."""
    with op.batch_alter_table('interactions', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('satisfaction_asked_at', sa.DateTime(timezone=True), nullable=True)
        )
        batch_op.add_column(sa.Column('satisfaction_score', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('satisfaction_comment', sa.Text(), nullable=True))
        batch_op.add_column(
            sa.Column('satisfaction_answered_at', sa.DateTime(timezone=True), nullable=True)
        )


def downgrade() -> None:
    """Downgrade schema."""
    with op.batch_alter_table('interactions', schema=None) as batch_op:
        batch_op.drop_column('satisfaction_answered_at')
        batch_op.drop_column('satisfaction_comment')
        batch_op.drop_column('satisfaction_score')
        batch_op.drop_column('satisfaction_asked_at')
