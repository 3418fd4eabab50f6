"""Local plans of former districts and wards, their targets and tasks; existing data is untouched.

Revision 0007 (schema version 7).
"""

from alembic import op

from dashboard import store

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    conn = op.get_bind()
    store.metadata.create_all(conn, tables=[store.local_plan, store.local_target, store.task])
    store.raise_schema_version(conn, 7)


def downgrade() -> None:
    raise NotImplementedError("the store's schema is only ever upgraded; restore a backup to go back")
