"""campaigns and their recipients (one outbox row per campaign and contact)

Revision ID: 0005_campaigns
Revises: 0004_subject_requests
Create Date: 2026-11-25 12:30:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op
from sqlalchemy.dialects import postgresql


revision: str = '0005_campaigns'
down_revision: str | None = '0004_subject_requests'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('campaigns',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('category', sa.Enum('transactional', 'marketing', 'research', 'sister_marketing', name='emailcategory', native_enum=False, length=26), nullable=False),
    sa.Column('status', sa.Enum('draft', 'scheduled', 'sending', 'paused', 'completed', 'cancelled', name='campaignstatus', native_enum=False, length=19), nullable=False),
    sa.Column('list_ids', postgresql.ARRAY(sa.Integer()), nullable=False),
    sa.Column('audience_filter', sa.JSON(), nullable=False),
    sa.Column('sender_name', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('sender_email', sqlmodel.sql.sqltypes.AutoString(length=320), nullable=False),
    sa.Column('sender_postal_address', sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
    sa.Column('reply_to', sqlmodel.sql.sqltypes.AutoString(length=320), nullable=True),
    sa.Column('templates', sa.JSON(), nullable=False),
    sa.Column('fallback_language', sa.Enum('fi', 'sv', 'en', name='language', native_enum=False, length=12), nullable=False),
    sa.Column('relevant_to_role', sa.Boolean(), nullable=False),
    sa.Column('relevance_justification', sa.Text(), nullable=True),
    sa.Column('relevance_recorded_by', sa.Integer(), nullable=True),
    sa.Column('relevance_recorded_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('send_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('build_job_id', sa.Uuid(), nullable=True),
    sa.Column('audience_built_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('started_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('paused_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('completed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('cancelled_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_by', sa.Integer(), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['build_job_id'], ['jobs.id'], name=op.f('fk_campaigns_build_job_id_jobs'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['created_by'], ['users.id'], name=op.f('fk_campaigns_created_by_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['relevance_recorded_by'], ['users.id'], name=op.f('fk_campaigns_relevance_recorded_by_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_campaigns'))
    )
    op.create_index(op.f('ix_campaigns_status'), 'campaigns', ['status'], unique=False)
    op.create_table('campaign_recipients',
    sa.Column('id', sa.BigInteger(), sa.Identity(always=False), nullable=False),
    sa.Column('campaign_id', sa.Integer(), nullable=False),
    sa.Column('contact_id', sa.Integer(), nullable=False),
    sa.Column('email_id', sa.Uuid(), nullable=False),
    sa.Column('list_id', sa.Integer(), nullable=True),
    sa.Column('source_notice', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['campaign_id'], ['campaigns.id'], name=op.f('fk_campaign_recipients_campaign_id_campaigns'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['email_id'], ['email_outbox.id'], name=op.f('fk_campaign_recipients_email_id_email_outbox'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_campaign_recipients')),
    sa.UniqueConstraint('campaign_id', 'contact_id', name=op.f('uq_campaign_recipients_campaign_id')),
    sa.UniqueConstraint('email_id', name=op.f('uq_campaign_recipients_email_id'))
    )
    op.create_index(op.f('ix_campaign_recipients_contact_id'), 'campaign_recipients', ['contact_id'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_campaign_recipients_contact_id'), table_name='campaign_recipients')
    op.drop_table('campaign_recipients')
    op.drop_index(op.f('ix_campaigns_status'), table_name='campaigns')
    op.drop_table('campaigns')
