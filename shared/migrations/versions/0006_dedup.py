"""dedup: runs, candidate groups and their members, merges; indexes for the incremental check

Revision ID: 0006_dedup
Revises: 0005_campaigns
Create Date: 2026-11-27 10:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op
from sqlalchemy.dialects import postgresql


revision: str = '0006_dedup'
down_revision: str | None = '0005_campaigns'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# The same expressions as shared/models/dedup.py (folded last name, email local part, website domain).
FOLDED_LAST = ("regexp_replace(translate(lower(last_name), 'äöåüéèêëáàâãçñõóòôíìîïúùûýÿøæšžð', "
               "'aoaueeeeaaaacnooooiiiiuuuyyoaszd'), '[[:space:]''’.-]+', '', 'g')")
EMAIL_LOCAL = "split_part(email, '@', 1)"
# Colons escaped: sa.text() would read ":www" as a bound parameter.
WEBSITE_DOMAIN = "substring(lower(website), '^(?\\:[a-z][a-z0-9+.-]*\\://)?(?\\:www[0-9]*\\.)?([^/\\:?#]+)')"


def upgrade() -> None:
    op.create_table('dedup_runs',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('entity', sa.Enum('contacts', 'companies', name='dedupentity', native_enum=False, length=19), nullable=False),
    sa.Column('mode', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('auto_merge', sa.Boolean(), nullable=False),
    sa.Column('job_id', sa.Uuid(), nullable=True),
    sa.Column('stats', sa.JSON(), nullable=True),
    sa.Column('created_by', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('finished_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['created_by'], ['users.id'], name=op.f('fk_dedup_runs_created_by_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['job_id'], ['jobs.id'], name=op.f('fk_dedup_runs_job_id_jobs'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_dedup_runs'))
    )
    op.create_index(op.f('ix_dedup_runs_job_id'), 'dedup_runs', ['job_id'], unique=False)
    op.create_table('dedup_merges',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('entity', sa.Enum('contacts', 'companies', name='dedupentity', native_enum=False, length=19), nullable=False),
    sa.Column('survivor_contact_id', sa.Integer(), nullable=True),
    sa.Column('survivor_company_id', sa.Integer(), nullable=True),
    sa.Column('merged_ids', postgresql.ARRAY(sa.Integer()), nullable=False),
    sa.Column('candidate_id', sa.Integer(), nullable=True),
    sa.Column('choices', sa.JSON(), nullable=False),
    sa.Column('automatic', sa.Boolean(), nullable=False),
    sa.Column('actor', sqlmodel.sql.sqltypes.AutoString(length=120), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('undone_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('undone_by', sqlmodel.sql.sqltypes.AutoString(length=120), nullable=True),
    sa.Column('snapshot', sa.JSON(), nullable=True),
    sa.ForeignKeyConstraint(['survivor_company_id'], ['companies.id'], name=op.f('fk_dedup_merges_survivor_company_id_companies'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['survivor_contact_id'], ['contacts.id'], name=op.f('fk_dedup_merges_survivor_contact_id_contacts'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_dedup_merges'))
    )
    op.create_index(op.f('ix_dedup_merges_candidate_id'), 'dedup_merges', ['candidate_id'], unique=False)
    op.create_index(op.f('ix_dedup_merges_survivor_company_id'), 'dedup_merges', ['survivor_company_id'], unique=False)
    op.create_index(op.f('ix_dedup_merges_survivor_contact_id'), 'dedup_merges', ['survivor_contact_id'], unique=False)
    op.create_table('dedup_candidates',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('entity', sa.Enum('contacts', 'companies', name='dedupentity', native_enum=False, length=19), nullable=False),
    sa.Column('member_key', sqlmodel.sql.sqltypes.AutoString(length=2000), nullable=False),
    sa.Column('status', sa.Enum('open', 'dismissed', 'merged', 'superseded', name='candidatestatus', native_enum=False, length=20), nullable=False),
    sa.Column('score', sa.Float(), nullable=False),
    sa.Column('centre_id', sa.Integer(), nullable=False),
    sa.Column('explanation', sa.JSON(), nullable=False),
    sa.Column('run_id', sa.Integer(), nullable=True),
    sa.Column('decision_reason', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=True),
    sa.Column('decided_by', sa.Integer(), nullable=True),
    sa.Column('decided_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('merge_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['decided_by'], ['users.id'], name=op.f('fk_dedup_candidates_decided_by_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['merge_id'], ['dedup_merges.id'], name=op.f('fk_dedup_candidates_merge_id_dedup_merges'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['run_id'], ['dedup_runs.id'], name=op.f('fk_dedup_candidates_run_id_dedup_runs'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_dedup_candidates')),
    sa.UniqueConstraint('entity', 'member_key', name=op.f('uq_dedup_candidates_entity'))
    )
    op.create_index('ix_dedup_candidates_queue', 'dedup_candidates', ['entity', 'status', sa.text('score DESC'), sa.text('id DESC')], unique=False)
    op.create_index(op.f('ix_dedup_candidates_run_id'), 'dedup_candidates', ['run_id'], unique=False)
    op.create_table('dedup_candidate_members',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('candidate_id', sa.Integer(), nullable=False),
    sa.Column('contact_id', sa.Integer(), nullable=True),
    sa.Column('company_id', sa.Integer(), nullable=True),
    sa.Column('probability', sa.Float(), nullable=False),
    sa.Column('centre', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['candidate_id'], ['dedup_candidates.id'], name=op.f('fk_dedup_candidate_members_candidate_id_dedup_candidates'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['company_id'], ['companies.id'], name=op.f('fk_dedup_candidate_members_company_id_companies'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['contact_id'], ['contacts.id'], name=op.f('fk_dedup_candidate_members_contact_id_contacts'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_dedup_candidate_members'))
    )
    op.create_index(op.f('ix_dedup_candidate_members_candidate_id'), 'dedup_candidate_members', ['candidate_id'], unique=False)
    op.create_index(op.f('ix_dedup_candidate_members_company_id'), 'dedup_candidate_members', ['company_id'], unique=False)
    op.create_index(op.f('ix_dedup_candidate_members_contact_id'), 'dedup_candidate_members', ['contact_id'], unique=False)
    op.create_index('ix_dedup_contacts_last_folded', 'contacts', [sa.text(FOLDED_LAST)], unique=False)
    op.create_index('ix_dedup_contacts_email_local', 'contacts', [sa.text(EMAIL_LOCAL)], unique=False)
    op.create_index('ix_dedup_companies_domain', 'companies', [sa.text(WEBSITE_DOMAIN)], unique=False)


def downgrade() -> None:
    op.drop_index('ix_dedup_companies_domain', table_name='companies')
    op.drop_index('ix_dedup_contacts_email_local', table_name='contacts')
    op.drop_index('ix_dedup_contacts_last_folded', table_name='contacts')
    op.drop_index(op.f('ix_dedup_candidate_members_contact_id'), table_name='dedup_candidate_members')
    op.drop_index(op.f('ix_dedup_candidate_members_company_id'), table_name='dedup_candidate_members')
    op.drop_index(op.f('ix_dedup_candidate_members_candidate_id'), table_name='dedup_candidate_members')
    op.drop_table('dedup_candidate_members')
    op.drop_index(op.f('ix_dedup_candidates_run_id'), table_name='dedup_candidates')
    op.drop_index('ix_dedup_candidates_queue', table_name='dedup_candidates')
    op.drop_table('dedup_candidates')
    op.drop_index(op.f('ix_dedup_merges_survivor_contact_id'), table_name='dedup_merges')
    op.drop_index(op.f('ix_dedup_merges_survivor_company_id'), table_name='dedup_merges')
    op.drop_index(op.f('ix_dedup_merges_candidate_id'), table_name='dedup_merges')
    op.drop_table('dedup_merges')
    op.drop_index(op.f('ix_dedup_runs_job_id'), table_name='dedup_runs')
    op.drop_table('dedup_runs')
