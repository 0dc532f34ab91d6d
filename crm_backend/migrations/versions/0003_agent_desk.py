"""The agent desk: agents and their sessions, handoffs and notes, the wrap-up on interactions.

- ``agents``: desk users with an argon2id password hash and a role (agent, manager).
- ``desk_sessions``: logged-in browsers, by the SHA-256 of their cookie's token,
  with their CSRF token and when they were last used (who is on duty).
- ``handoffs``: conversations the bot handed to a person: the queue (status,
  reason, priority), who took them, and the wrap-up.
- ``handoff_notes``: agents' internal notes.
- ``interactions.wrap_up_code``, ``interactions.wrap_up_summary``: the agent's
  wrap-up, on the interaction record.

Generated from crm_backend.models and reviewed.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-01
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0003'
down_revision: str | Sequence[str] | None = '0002'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Upgrade schema."""
    op.create_table('agents',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('username', sa.String(length=50), nullable=False),
    sa.Column('display_name', sa.String(length=100), nullable=False),
    sa.Column('password_hash', sa.String(length=200), nullable=False),
    sa.Column('role', sa.String(length=10), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_agents')),
    sa.UniqueConstraint('username', name=op.f('uq_agents_username'))
    )
    op.create_table('desk_sessions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('agent_id', sa.Integer(), nullable=False),
    sa.Column('csrf_token', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('last_seen_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['agent_id'], ['agents.id'], name=op.f('fk_desk_sessions_agent_id_agents')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_desk_sessions')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_desk_sessions_token_hash'))
    )
    with op.batch_alter_table('desk_sessions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_desk_sessions_agent_id'), ['agent_id'], unique=False)

    op.create_table('handoffs',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('conversation_id', sa.String(length=200), nullable=False),
    sa.Column('channel', sa.String(length=20), nullable=False),
    sa.Column('reply_to', sa.String(length=50), nullable=True),
    sa.Column('account_id', sa.Integer(), nullable=True),
    sa.Column('interaction_id', sa.Integer(), nullable=True),
    sa.Column('reason', sa.String(length=20), nullable=False),
    sa.Column('detail', sa.Text(), nullable=False),
    sa.Column('slots', sa.JSON(), nullable=False),
    sa.Column('priority', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('requested_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('assigned_agent_id', sa.Integer(), nullable=True),
    sa.Column('assigned_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('ended_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('wrap_up_code', sa.String(length=50), nullable=True),
    sa.Column('summary', sa.Text(), nullable=True),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['account_id'], ['accounts.id'], name=op.f('fk_handoffs_account_id_accounts')),
    sa.ForeignKeyConstraint(['assigned_agent_id'], ['agents.id'], name=op.f('fk_handoffs_assigned_agent_id_agents')),
    sa.ForeignKeyConstraint(['interaction_id'], ['interactions.id'], name=op.f('fk_handoffs_interaction_id_interactions')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_handoffs'))
    )
    with op.batch_alter_table('handoffs', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_handoffs_account_id'), ['account_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_handoffs_conversation_id'), ['conversation_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_handoffs_status'), ['status'], unique=False)

    op.create_table('handoff_notes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('handoff_id', sa.Integer(), nullable=False),
    sa.Column('interaction_id', sa.Integer(), nullable=True),
    sa.Column('agent_id', sa.Integer(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['agent_id'], ['agents.id'], name=op.f('fk_handoff_notes_agent_id_agents')),
    sa.ForeignKeyConstraint(['handoff_id'], ['handoffs.id'], name=op.f('fk_handoff_notes_handoff_id_handoffs')),
    sa.ForeignKeyConstraint(['interaction_id'], ['interactions.id'], name=op.f('fk_handoff_notes_interaction_id_interactions')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_handoff_notes'))
    )
    with op.batch_alter_table('handoff_notes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_handoff_notes_handoff_id'), ['handoff_id'], unique=False)

    with op.batch_alter_table('interactions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('wrap_up_code', sa.String(length=50), nullable=True))
        batch_op.add_column(sa.Column('wrap_up_summary', sa.Text(), nullable=True))



def downgrade() -> None:
    """Downgrade schema."""
    with op.batch_alter_table('interactions', schema=None) as batch_op:
        batch_op.drop_column('wrap_up_summary')
        batch_op.drop_column('wrap_up_code')

    with op.batch_alter_table('handoff_notes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_handoff_notes_handoff_id'))

    op.drop_table('handoff_notes')
    with op.batch_alter_table('handoffs', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_handoffs_status'))
        batch_op.drop_index(batch_op.f('ix_handoffs_conversation_id'))
        batch_op.drop_index(batch_op.f('ix_handoffs_account_id'))

    op.drop_table('handoffs')
    with op.batch_alter_table('desk_sessions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_desk_sessions_agent_id'))

    op.drop_table('desk_sessions')
    op.drop_table('agents')
