"""The store's schema migrations, managed by Alembic (see :func:`dashboard.store.migrate`).

Revision ``000N`` turns schema version N-1 into N; each also records N in the
``meta`` table (``schema_version``), the number backups and messages show.
"""
