"""The first schema: places, status history, plans, targets and activities.

Revision 0001 (schema version 1).
"""

from alembic import op

from dashboard import store

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    conn = op.get_bind()
    store.metadata.create_all(conn)
    store.raise_schema_version(conn, 1)


def downgrade() -> None:
    raise NotImplementedError("the store's schema is only ever upgraded; restore a backup to go back")
