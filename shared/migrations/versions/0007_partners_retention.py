"""partners, transfers, legal holds, retention runs, privacy notice versions, breaches

Revision ID: 0007_partners_retention
Revises: 0006_dedup
Create Date: 2026-12-01 10:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op
from sqlalchemy.dialects import postgresql


revision: str = '0007_partners_retention'
down_revision: str | None = '0006_dedup'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# A published privacy notice never changes: a new text is a new version.
IMMUTABLE_FUNCTION = """
CREATE FUNCTION privacy_notice_versions_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'a published privacy notice version cannot be changed or deleted';
END
$$
"""
# Only the content: `published_by` may still be set to NULL when a user row goes (ON DELETE SET NULL).
IMMUTABLE_TRIGGER = (
    "CREATE TRIGGER privacy_notice_versions_immutable "
    "BEFORE UPDATE OF version, changes, markdown, html, sha256, published_at OR DELETE ON privacy_notice_versions "
    "FOR EACH ROW EXECUTE FUNCTION privacy_notice_versions_immutable()"
)


def upgrade() -> None:
    op.create_table('partner_subject_refs',
    sa.Column('request_id', sa.Uuid(), nullable=False),
    sa.Column('recipient', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('ref', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('request_id', 'recipient', name=op.f('pk_partner_subject_refs'))
    )
    op.create_table('partners',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('business_id', sqlmodel.sql.sqltypes.AutoString(length=9), nullable=True),
    sa.Column('role', sa.Enum('recipient', 'processor', name='partnerrole', native_enum=False, length=19), nullable=False),
    sa.Column('agreement_reference', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('agreement_signed_on', sa.Date(), nullable=False),
    sa.Column('agreement_expires_on', sa.Date(), nullable=True),
    sa.Column('purposes', postgresql.ARRAY(sa.String(length=40)), nullable=False),
    sa.Column('fields', postgresql.ARRAY(sa.String(length=40)), nullable=False),
    sa.Column('delivery', sa.Enum('https', 'download', name='deliverymethod', native_enum=False, length=18), nullable=False),
    sa.Column('endpoint_url', sqlmodel.sql.sqltypes.AutoString(length=500), nullable=True),
    sa.Column('secret_sealed', sqlmodel.sql.sqltypes.AutoString(length=600), nullable=True),
    sa.Column('file_format', sa.Enum('csv', 'json', name='fileformat', native_enum=False, length=14), nullable=False),
    sa.Column('notify_email', sqlmodel.sql.sqltypes.AutoString(length=320), nullable=True),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_partners')),
    sa.UniqueConstraint('business_id', name=op.f('uq_partners_business_id')),
    sa.UniqueConstraint('name', name=op.f('uq_partners_name'))
    )
    op.create_table('breaches',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('summary', sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('occurred_from', sa.DateTime(timezone=True), nullable=True),
    sa.Column('occurred_until', sa.DateTime(timezone=True), nullable=True),
    sa.Column('discovered_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('categories', postgresql.ARRAY(sa.String(length=40)), nullable=False),
    sa.Column('estimated_people', sa.Integer(), nullable=True),
    sa.Column('estimated_records', sa.Integer(), nullable=True),
    sa.Column('computed', sa.JSON(), nullable=True),
    sa.Column('consequences', sa.Text(), nullable=True),
    sa.Column('measures', sa.Text(), nullable=True),
    sa.Column('high_risk', sa.Boolean(), nullable=False),
    sa.Column('authority_notified_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('subjects_notified_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('delay_reason', sqlmodel.sql.sqltypes.AutoString(length=2000), nullable=True),
    sa.Column('status', sa.Enum('open', 'closed', name='breachstatus', native_enum=False, length=16), nullable=False),
    sa.Column('created_by', sa.Integer(), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['created_by'], ['users.id'], name=op.f('fk_breaches_created_by_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_breaches'))
    )
    op.create_index(op.f('ix_breaches_status'), 'breaches', ['status'], unique=False)
    op.create_table('privacy_notice_versions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('changes', sqlmodel.sql.sqltypes.AutoString(length=1000), nullable=False),
    sa.Column('markdown', sa.JSON(), nullable=False),
    sa.Column('html', sa.JSON(), nullable=False),
    sa.Column('sha256', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('published_by', sa.Integer(), nullable=True),
    sa.Column('published_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['published_by'], ['users.id'], name=op.f('fk_privacy_notice_versions_published_by_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_privacy_notice_versions')),
    sa.UniqueConstraint('version', name=op.f('uq_privacy_notice_versions_version'))
    )
    op.create_table('legal_holds',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('contact_id', sa.Integer(), nullable=True),
    sa.Column('company_id', sa.Integer(), nullable=True),
    sa.Column('reason', sqlmodel.sql.sqltypes.AutoString(length=500), nullable=False),
    sa.Column('until', sa.Date(), nullable=True),
    sa.Column('created_by', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('released_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('released_by', sa.Integer(), nullable=True),
    sa.CheckConstraint('(contact_id IS NULL) <> (company_id IS NULL)', name=op.f('ck_legal_holds_one_target')),
    sa.ForeignKeyConstraint(['company_id'], ['companies.id'], name=op.f('fk_legal_holds_company_id_companies'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['contact_id'], ['contacts.id'], name=op.f('fk_legal_holds_contact_id_contacts'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['created_by'], ['users.id'], name=op.f('fk_legal_holds_created_by_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['released_by'], ['users.id'], name=op.f('fk_legal_holds_released_by_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_legal_holds'))
    )
    op.create_index(op.f('ix_legal_holds_company_id'), 'legal_holds', ['company_id'], unique=False)
    op.create_index(op.f('ix_legal_holds_contact_id'), 'legal_holds', ['contact_id'], unique=False)
    op.create_table('retention_runs',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('trigger', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('as_of', sa.DateTime(timezone=True), nullable=False),
    sa.Column('counts', sa.JSON(), nullable=False),
    sa.Column('job_id', sa.Uuid(), nullable=True),
    sa.Column('started_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('finished_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['job_id'], ['jobs.id'], name=op.f('fk_retention_runs_job_id_jobs'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_retention_runs'))
    )
    op.create_table('transfers',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('kind', sa.Enum('transfer', 'followup', name='transferkind', native_enum=False, length=18), nullable=False),
    sa.Column('partner_id', sa.Integer(), nullable=False),
    sa.Column('purpose', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.Column('selection', sa.JSON(), nullable=False),
    sa.Column('fields', postgresql.ARRAY(sa.String(length=40)), nullable=False),
    sa.Column('status', sa.Enum('pending', 'ready', 'delivered', 'refused', 'failed', 'expired', name='transferstatus', native_enum=False, length=19), nullable=False),
    sa.Column('reason', sqlmodel.sql.sqltypes.AutoString(length=1000), nullable=True),
    sa.Column('file_format', sa.Enum('csv', 'json', name='fileformat', native_enum=False, length=14), nullable=False),
    sa.Column('rows', sa.Integer(), nullable=False),
    sa.Column('excluded', sa.JSON(), nullable=False),
    sa.Column('sha256', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True),
    sa.Column('size_bytes', sa.BigInteger(), nullable=True),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('downloads', sa.Integer(), nullable=False),
    sa.Column('download_expires_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('job_id', sa.Uuid(), nullable=True),
    sa.Column('created_by', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('delivered_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['created_by'], ['users.id'], name=op.f('fk_transfers_created_by_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['job_id'], ['jobs.id'], name=op.f('fk_transfers_job_id_jobs'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['partner_id'], ['partners.id'], name=op.f('fk_transfers_partner_id_partners')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_transfers'))
    )
    op.create_index(op.f('ix_transfers_partner_id'), 'transfers', ['partner_id'], unique=False)
    op.create_index(op.f('ix_transfers_status'), 'transfers', ['status'], unique=False)

    op.execute(IMMUTABLE_FUNCTION)
    op.execute(IMMUTABLE_TRIGGER)


def downgrade() -> None:
    op.execute("DROP TRIGGER IF EXISTS privacy_notice_versions_immutable ON privacy_notice_versions")
    op.execute("DROP FUNCTION IF EXISTS privacy_notice_versions_immutable()")
    op.drop_index(op.f('ix_transfers_status'), table_name='transfers')
    op.drop_index(op.f('ix_transfers_partner_id'), table_name='transfers')
    op.drop_table('transfers')
    op.drop_table('retention_runs')
    op.drop_index(op.f('ix_legal_holds_contact_id'), table_name='legal_holds')
    op.drop_index(op.f('ix_legal_holds_company_id'), table_name='legal_holds')
    op.drop_table('legal_holds')
    op.drop_table('privacy_notice_versions')
    op.drop_index(op.f('ix_breaches_status'), table_name='breaches')
    op.drop_table('breaches')
    op.drop_table('partners')
    op.drop_table('partner_subject_refs')
