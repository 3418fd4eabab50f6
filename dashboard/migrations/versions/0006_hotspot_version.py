"""The hotspot's version number for optimistic locking; existing rows start at 1.

Revision 0006 (schema version 6).
"""

import sqlalchemy as sa
from alembic import op

from dashboard import store

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    conn = op.get_bind()
    columns = {c["name"] for c in sa.inspect(conn).get_columns("hotspot")}
    if "version" not in columns:
        op.add_column("hotspot", sa.Column("version", sa.Integer, nullable=False, server_default="1"))
    store.raise_schema_version(conn, 6)


def downgrade() -> None:
    raise NotImplementedError("the store's schema is only ever upgraded; restore a backup to go back")
