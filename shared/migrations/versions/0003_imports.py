"""imports: uploaded files for the import job

Revision ID: 0003_imports
Revises: 55197e602f1c
Create Date: 2026-11-26 09:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op


revision: str = '0003_imports'
down_revision: str | None = '55197e602f1c'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('import_uploads',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('job_id', sa.Uuid(), nullable=False),
    sa.Column('kind', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('filename', sqlmodel.sql.sqltypes.AutoString(length=255), nullable=False),
    sa.Column('content', sa.LargeBinary(), nullable=False),
    sa.Column('options', sa.JSON(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['job_id'], ['jobs.id'], name=op.f('fk_import_uploads_job_id_jobs'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_import_uploads'))
    )
    op.create_index(op.f('ix_import_uploads_job_id'), 'import_uploads', ['job_id'], unique=True)
    # Stored uncompressed, so the job reads the file in slices without decompressing it from
    # the start for each one.
    op.execute("ALTER TABLE import_uploads ALTER COLUMN content SET STORAGE EXTERNAL")


def downgrade() -> None:
    op.drop_index(op.f('ix_import_uploads_job_id'), table_name='import_uploads')
    op.drop_table('import_uploads')
