"""outbox: SMTP reply, hand-over mark and lease token per message, the attempt log, shared rate-limit buckets

Revision ID: 0008_outbox_limits
Revises: 0005_campaigns
Create Date: 2026-11-26 09:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = '0008_outbox_limits'
down_revision: str | None = '0005_campaigns'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column('email_outbox', sa.Column('smtp_reply', sa.Text(), nullable=True))
    op.add_column('email_outbox', sa.Column('handed_over_at', sa.DateTime(timezone=True), nullable=True))
    op.add_column('email_outbox', sa.Column('lease_token', sa.Uuid(), nullable=True))
    # Room on each page for the notifier's updates that change no indexed column (the hand-over
    # mark): PostgreSQL can then write them as heap-only tuples, without touching the indexes.
    op.execute("ALTER TABLE email_outbox SET (fillfactor = 80)")
    op.create_table('email_attempts',
    sa.Column('id', sa.BigInteger(), sa.Identity(always=False), nullable=False),
    sa.Column('email_id', sa.Uuid(), nullable=False),
    sa.Column('campaign_id', sa.Integer(), nullable=True),
    sa.Column('attempt', sa.Integer(), nullable=False),
    sa.Column('outcome', sa.Enum('sent', 'deferred', 'bounced', 'unknown', 'not_reached', name='attemptoutcome', native_enum=False, length=21), nullable=False),
    sa.Column('smtp_reply', sa.Text(), nullable=True),
    sa.Column('smtp_server', sqlmodel.sql.sqltypes.AutoString(length=300), nullable=True),
    sa.Column('started_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('finished_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['email_id'], ['email_outbox.id'], name=op.f('fk_email_attempts_email_id_email_outbox'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_email_attempts'))
    )
    op.create_index(op.f('ix_email_attempts_email_id'), 'email_attempts', ['email_id'], unique=False)
    op.create_index('ix_email_attempts_campaign_id_id', 'email_attempts', ['campaign_id', 'id'], unique=False)
    op.create_table('outbox_rate_buckets',
    sa.Column('key', sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
    sa.Column('capacity', sa.Float(), nullable=False),
    sa.Column('refill_per_second', sa.Float(), nullable=False),
    sa.Column('tokens', sa.Float(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('key', name=op.f('pk_outbox_rate_buckets'))
    )


def downgrade() -> None:
    op.drop_table('outbox_rate_buckets')
    op.drop_index('ix_email_attempts_campaign_id_id', table_name='email_attempts')
    op.drop_index(op.f('ix_email_attempts_email_id'), table_name='email_attempts')
    op.drop_table('email_attempts')
    op.execute("ALTER TABLE email_outbox RESET (fillfactor)")
    op.drop_column('email_outbox', 'lease_token')
    op.drop_column('email_outbox', 'handed_over_at')
    op.drop_column('email_outbox', 'smtp_reply')
