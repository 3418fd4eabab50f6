"""Hồ sơ tụ điểm: everything about one place (``?ma=CODE``), and the changes an officer
records there (status, handover, activity, location) for an account that may write."""

from dashboard.ui import components as ui
from dashboard.ui import register

ui.guarded(register.card_page)
