"""Outbound calls: retry rules and the one-way message on campaigns, working state on entries.

- ``campaigns.max_attempts``, ``campaigns.retry_delay_minutes``: how often and
  how soon the dialer tries an entry again after no answer or a busy line.
- ``campaigns.message``: an SMS campaign's text, or what a phone campaign
  leaves on an answering machine.
- ``call_list_entries.next_attempt_at``, ``claimed_by``, ``claimed_at``,
  ``call_sid``, ``answered_by``: who works the entry now, its current call,
  and when it may be tried again (docs/outbound.md).
- ``call_lists.assigned_to`` widened to an agent's username (50).
- ``interactions.call_list_entry_id``: the entry an outbound contact worked.

Generated from crm_backend.models and reviewed.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-02
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0004'
down_revision: str | Sequence[str] | None = '0003'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Upgrade schema."""
    with op.batch_alter_table('call_list_entries', schema=None) as batch_op:
        batch_op.add_column(sa.Column('next_attempt_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('claimed_by', sa.String(length=50), nullable=True))
        batch_op.add_column(sa.Column('claimed_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('call_sid', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('answered_by', sa.String(length=30), nullable=True))
        batch_op.create_index(batch_op.f('ix_call_list_entries_call_sid'), ['call_sid'], unique=False)

    with op.batch_alter_table('call_lists', schema=None) as batch_op:
        batch_op.alter_column('assigned_to',
               existing_type=sa.VARCHAR(length=20),
               type_=sa.String(length=50),
               existing_nullable=False)

    with op.batch_alter_table('campaigns', schema=None) as batch_op:
        batch_op.add_column(sa.Column('max_attempts', sa.Integer(), server_default='3', nullable=False))
        batch_op.add_column(sa.Column('retry_delay_minutes', sa.Integer(), server_default='60', nullable=False))
        batch_op.add_column(sa.Column('message', sa.String(length=500), server_default='', nullable=False))

    with op.batch_alter_table('interactions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('call_list_entry_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_interactions_call_list_entry_id'), ['call_list_entry_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_interactions_call_list_entry_id_call_list_entries'), 'call_list_entries', ['call_list_entry_id'], ['id'])


def downgrade() -> None:
    """Downgrade schema."""
    with op.batch_alter_table('interactions', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_interactions_call_list_entry_id_call_list_entries'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_interactions_call_list_entry_id'))
        batch_op.drop_column('call_list_entry_id')

    with op.batch_alter_table('campaigns', schema=None) as batch_op:
        batch_op.drop_column('message')
        batch_op.drop_column('retry_delay_minutes')
        batch_op.drop_column('max_attempts')

    with op.batch_alter_table('call_lists', schema=None) as batch_op:
        batch_op.alter_column('assigned_to',
               existing_type=sa.String(length=50),
               type_=sa.VARCHAR(length=20),
               existing_nullable=False)

    with op.batch_alter_table('call_list_entries', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_call_list_entries_call_sid'))
        batch_op.drop_column('answered_by')
        batch_op.drop_column('call_sid')
        batch_op.drop_column('claimed_at')
        batch_op.drop_column('claimed_by')
        batch_op.drop_column('next_attempt_at')
