"""site keys: the web origins each key may be used from (CORS for /v1/web-events)

Revision ID: 0009_newcomer_site_key_origins
Revises: 0008_outbox_limits
Create Date: 2026-12-06 06:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = '0009_newcomer_site_key_origins'
down_revision: str | None = '0008_outbox_limits'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column('site_keys', sa.Column('origins', postgresql.ARRAY(sa.String(length=200)),
                                         server_default='{}', nullable=False))


def downgrade() -> None:
    op.drop_column('site_keys', 'origins')
