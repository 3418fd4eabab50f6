"""Sign-in accounts; existing data is untouched.

Revision 0005 (schema version 5).
"""

from alembic import op

from dashboard import store

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    conn = op.get_bind()
    store.metadata.create_all(conn, tables=[store.account])
    store.raise_schema_version(conn, 5)


def downgrade() -> None:
    raise NotImplementedError("the store's schema is only ever upgraded; restore a backup to go back")
