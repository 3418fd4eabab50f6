"""Alembic environment: runs on the connection :func:`dashboard.store.migrate`
hands over (``config.attributes["connection"]``), one transaction per revision."""

from alembic import context

connection = context.config.attributes["connection"]
context.configure(connection=connection, transaction_per_migration=True)
with context.begin_transaction():
    context.run_migrations()
