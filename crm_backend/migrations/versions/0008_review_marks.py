"""Review: reviewers' verdicts on the messages the bot did not understand (issue 14).

- ``review_marks``: one row per customer message a reviewer marked with its
  right intent (or ``out_of_scope``), its words already redacted.
- Roles: ``agents.role`` is a plain string (no constraint), so the new
  ``trainer`` role needs no schema change; ``downgrade`` turns trainers back
  into agents, the role the older code knows.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-06
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0008'
down_revision: str | Sequence[str] | None = '0007'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Upgrade schema."""
    op.create_table('review_marks',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('conversation_id', sa.String(length=200), nullable=False),
    sa.Column('event_timestamp', sa.Float(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('predicted_intent', sa.String(length=100), nullable=True),
    sa.Column('intent', sa.String(length=100), nullable=False),
    sa.Column('agent_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['agent_id'], ['agents.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('conversation_id', 'event_timestamp')
    )
    with op.batch_alter_table('review_marks', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_review_marks_conversation_id'), ['conversation_id'], unique=False)


def downgrade() -> None:
    """Downgrade schema."""
    op.execute("UPDATE agents SET role = 'agent' WHERE role = 'trainer'")
    with op.batch_alter_table('review_marks', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_review_marks_conversation_id'))

    op.drop_table('review_marks')
