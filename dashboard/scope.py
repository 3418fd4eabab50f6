"""The caller's scope: which units a caller may see.

Every data-access function takes a :class:`Scope`. Today everyone sees the
whole city; accounts and roles will build narrower scopes here, and no page
needs to change.
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa


@dataclass(frozen=True)
class Scope:
    """Units visible to a caller; ``None`` on both means the whole city.

    A row is visible when its ward is in ``ward_codes`` or its former
    district is in ``district_codes``.
    """

    district_codes: frozenset[str] | None = None
    ward_codes: frozenset[str] | None = None

    @classmethod
    def city(cls) -> Scope:
        return cls()

    @property
    def is_city(self) -> bool:
        return self.district_codes is None and self.ward_codes is None

    def clause(self, ward_column, district_column):
        """A SQL condition for this scope, or None for the whole city."""
        if self.is_city:
            return None
        parts = []
        if self.ward_codes:
            parts.append(ward_column.in_(sorted(self.ward_codes)))
        if self.district_codes:
            parts.append(district_column.in_(sorted(self.district_codes)))
        return sa.or_(*parts) if parts else sa.false()
