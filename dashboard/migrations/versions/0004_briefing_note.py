"""Briefing notes (one per unit and month); existing data is untouched.

Revision 0004 (schema version 4).
"""

from alembic import op

from dashboard import store

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    conn = op.get_bind()
    store.metadata.create_all(conn, tables=[store.briefing_note])
    store.raise_schema_version(conn, 4)


def downgrade() -> None:
    raise NotImplementedError("the store's schema is only ever upgraded; restore a backup to go back")
