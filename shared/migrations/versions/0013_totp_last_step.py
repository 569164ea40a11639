"""desk: the TOTP time step last accepted for each user, so a code is used once

Revision ID: 0013_totp_last_step
Revises: 0012_desk_signin
Create Date: 2026-12-06 20:50:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0013_totp_last_step'
down_revision: str | None = '0012_desk_signin'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column('users', sa.Column('totp_last_step', sa.BigInteger(), nullable=True))


def downgrade() -> None:
    op.drop_column('users', 'totp_last_step')
