"""The append-only audit log: the database itself refuses updates and deletes
(SQLite and PostgreSQL triggers).

Revision 0003 (schema version 3).
"""

import sqlalchemy as sa
from alembic import op

from dashboard import store
from dashboard.store import APPEND_ONLY

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    conn = op.get_bind()
    store.metadata.create_all(conn, tables=[store.audit_log])
    for statement in APPEND_ONLY.get(conn.dialect.name, []):
        conn.execute(sa.text(statement))
    store.raise_schema_version(conn, 3)


def downgrade() -> None:
    raise NotImplementedError("the store's schema is only ever upgraded; restore a backup to go back")
