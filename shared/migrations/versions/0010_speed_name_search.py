"""contacts: folded first and last names in the "C" collation (the search finds a name by the
start of either, case and diacritics aside, through an index; the "name" order is the folded
last name's); dedup's last-name index becomes the last name's index for both

Revision ID: 0009_speed_name_search
Revises: 0008_outbox_limits
Depends on: 0006_dedup (the indexes it replaces)
Create Date: 2026-12-06 05:30:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0009_speed_name_search'
down_revision: str | None = '0009_newcomer_site_key_origins'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = '0006_dedup'

# The expression of shared/models/dedup.py folded(): lower case, diacritics folded, separators removed.
_FOLD = ("regexp_replace(translate(lower({column}), 'äöåüéèêëáàâãçñõóòôíìîïúùûýÿøæšžð', "
         "'aoaueeeeaaaacnooooiiiiuuuyyoaszd'), '[[:space:]''’.-]+', '', 'g')")


def upgrade() -> None:
    op.drop_index('ix_dedup_contacts_last_folded', table_name='contacts')
    op.drop_index('ix_contacts_name_key', table_name='contacts')
    op.create_index('ix_contacts_last_folded', 'contacts',
                    [sa.text(_FOLD.format(column='last_name') + ' COLLATE "C"'), sa.text('id')], unique=False)
    op.create_index('ix_contacts_first_folded', 'contacts',
                    [sa.text(_FOLD.format(column='first_name') + ' COLLATE "C"')], unique=False)


def downgrade() -> None:
    op.drop_index('ix_contacts_first_folded', table_name='contacts')
    op.drop_index('ix_contacts_last_folded', table_name='contacts')
    op.create_index('ix_contacts_name_key', 'contacts', [sa.text('lower(last_name) COLLATE "C"'), sa.text('id')],
                    unique=False)
    op.create_index('ix_dedup_contacts_last_folded', 'contacts', [sa.text(_FOLD.format(column='last_name'))],
                    unique=False)
