"""The performing unit's code; existing rows get the unit where the activity
took place (former district before 01/07/2025, ward after).

Revision 0002 (schema version 2).
"""

import sqlalchemy as sa
from alembic import op

from dashboard import store
from dashboard.domain import REFORM_DATE

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    conn = op.get_bind()
    columns = {c["name"] for c in sa.inspect(conn).get_columns("activity")}
    if "unit_code" not in columns:
        op.add_column("activity", sa.Column("unit_code", sa.String(5)))
        op.create_index("ix_activity_unit_code", "activity", ["unit_code"])
    activity = store.activity
    conn.execute(
        activity.update()
        .where(activity.c.unit_code.is_(None))
        .values(
            unit_code=sa.case(
                (activity.c.date < REFORM_DATE, activity.c.district_code),
                else_=sa.func.coalesce(activity.c.ward_code, activity.c.district_code),
            )
        )
    )
    store.raise_schema_version(conn, 2)


def downgrade() -> None:
    raise NotImplementedError("the store's schema is only ever upgraded; restore a backup to go back")
