"""security: service accounts, who issued a token, the reason a transfer was made for

Revision ID: 0009_security_accounts
Revises: 0007_partners_retention, 0008_outbox_limits (it needs the transfers table of 0007)
Create Date: 2026-12-06 05:30:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0009_security_accounts'
down_revision: tuple[str, ...] = ('0007_partners_retention', '0009_speed_name_search')
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column('users', sa.Column('service_account', sa.Boolean(), server_default=sa.false(), nullable=False))
    op.add_column('api_tokens', sa.Column('issued_by', sa.Integer(), nullable=True))
    op.create_foreign_key('api_tokens_issued_by_fkey', 'api_tokens', 'users', ['issued_by'], ['id'],
                          ondelete='SET NULL')
    op.add_column('transfers', sa.Column('access_reason', sa.String(length=500), nullable=True))


def downgrade() -> None:
    op.drop_column('transfers', 'access_reason')
    op.drop_constraint('api_tokens_issued_by_fkey', 'api_tokens', type_='foreignkey')
    op.drop_column('api_tokens', 'issued_by')
    op.drop_column('users', 'service_account')
