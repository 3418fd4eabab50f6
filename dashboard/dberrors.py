"""What a database refusal means, in the officer's words, on SQLite and PostgreSQL alike.

The two stores word their refusals differently and in English ("FOREIGN KEY
constraint failed", "violates foreign key constraint ..."); an officer reads
one Vietnamese sentence for each kind of refusal, with the constraint's name
where the store gives it (for whoever keeps the database).
"""

from __future__ import annotations

import re

from dashboard.i18n import t

#: PostgreSQL SQLSTATE codes of integrity refusals -> kind.
_PG_STATES = {"23503": "foreign_key", "23514": "check", "23505": "unique", "23502": "not_null"}
#: SQLite's wording -> kind.
_SQLITE_WORDS = (
    ("FOREIGN KEY constraint failed", "foreign_key"),
    ("CHECK constraint failed", "check"),
    ("UNIQUE constraint failed", "unique"),
    ("NOT NULL constraint failed", "not_null"),
)


def _kind_and_name(orig: BaseException) -> tuple[str | None, str]:
    state = getattr(orig, "sqlstate", None)
    if state in _PG_STATES:
        diag = getattr(orig, "diag", None)
        name = getattr(diag, "constraint_name", None) or getattr(diag, "column_name", None) or ""
        return _PG_STATES[state], name
    text = str(orig)
    for words, kind in _SQLITE_WORDS:
        if text.startswith(words):
            return kind, re.sub(r"^[:\s]+", "", text[len(words) :]).strip()
    return None, ""


def refusal(exc: BaseException) -> str:
    """A short Vietnamese reason for ``exc`` (a SQLAlchemy error or the driver's own);
    an error that is not an integrity refusal gives its first line."""
    orig = getattr(exc, "orig", None) or exc
    kind, name = _kind_and_name(orig)
    if kind is None:
        return (str(orig).strip().splitlines() or [type(orig).__name__])[0]
    reason = t(f"db.refusal.{kind}")
    return t("db.refusal.named", reason=reason, name=name) if name else reason
