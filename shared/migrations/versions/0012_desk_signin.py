"""desk sign-in: staff email and password, sessions, one-time links, recovery codes, failed attempts

Revision ID: 0012_desk_signin
Revises: 0009_security_accounts
Create Date: 2026-12-06 16:20:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0012_desk_signin'
down_revision: str | None = '0009_security_accounts'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

STAMP = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.add_column('users', sa.Column('email', sa.String(length=254), nullable=True))
    op.create_unique_constraint('uq_users_email', 'users', ['email'])
    op.add_column('users', sa.Column('password_hash', sa.String(length=200), nullable=True))
    op.add_column('users', sa.Column('totp_secret', sa.String(length=300), nullable=True))
    op.add_column('users', sa.Column('totp_enabled', sa.Boolean(), server_default=sa.false(), nullable=False))
    op.create_table(
        'desk_sessions',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('token_hash', sa.String(length=64), nullable=False),
        sa.Column('stage', sa.String(length=10), nullable=False),
        sa.Column('user_agent', sa.String(length=200), nullable=False),
        sa.Column('access_reason', sa.String(length=500), nullable=True),
        sa.Column('created_at', STAMP, nullable=False),
        sa.Column('last_seen_at', STAMP, nullable=False),
        sa.Column('expires_at', STAMP, nullable=False),
        sa.Column('ended_at', STAMP, nullable=True),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'], name='fk_desk_sessions_user_id_users', ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name='pk_desk_sessions'),
        sa.UniqueConstraint('token_hash', name='uq_desk_sessions_token_hash'),
    )
    op.create_index('ix_desk_sessions_user_id', 'desk_sessions', ['user_id'])
    op.create_table(
        'desk_links',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('token_hash', sa.String(length=64), nullable=False),
        sa.Column('purpose', sa.String(length=10), nullable=False),
        sa.Column('created_at', STAMP, nullable=False),
        sa.Column('expires_at', STAMP, nullable=False),
        sa.Column('used_at', STAMP, nullable=True),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'], name='fk_desk_links_user_id_users', ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name='pk_desk_links'),
        sa.UniqueConstraint('token_hash', name='uq_desk_links_token_hash'),
    )
    op.create_index('ix_desk_links_user_id', 'desk_links', ['user_id'])
    op.create_table(
        'desk_recovery_codes',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('code_hash', sa.String(length=64), nullable=False),
        sa.Column('used_at', STAMP, nullable=True),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'], name='fk_desk_recovery_codes_user_id_users',
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name='pk_desk_recovery_codes'),
    )
    op.create_index('ix_desk_recovery_codes_user_id', 'desk_recovery_codes', ['user_id'])
    op.create_table(
        'desk_signin_failures',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('key', sa.String(length=64), nullable=False),
        sa.Column('at', STAMP, nullable=False),
        sa.PrimaryKeyConstraint('id', name='pk_desk_signin_failures'),
    )
    op.create_index('ix_desk_signin_failures_key', 'desk_signin_failures', ['key'])
    op.create_index('ix_desk_signin_failures_at', 'desk_signin_failures', ['at'])


def downgrade() -> None:
    op.drop_table('desk_signin_failures')
    op.drop_table('desk_recovery_codes')
    op.drop_table('desk_links')
    op.drop_table('desk_sessions')
    op.drop_constraint('uq_users_email', 'users', type_='unique')
    for column in ('totp_enabled', 'totp_secret', 'password_hash', 'email'):
        op.drop_column('users', column)
