"""Parts of the one text catalogue, one module per area of the app.

Each module defines ``VI: dict[str, str]``; :mod:`dashboard.i18n` merges them
into its catalogue and refuses a key defined twice.
"""
