"""Sổ tụ điểm: every hotspot of the account's area, searchable (no diacritics needed) and
filterable; choosing a row opens its card; the rows shown download as .xlsx (audited)."""

from dashboard.ui import components as ui
from dashboard.ui import register

ui.guarded(register.register_page)
