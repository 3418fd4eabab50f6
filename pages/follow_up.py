"""Cần theo dõi: per unit, the hotspots that need a visit, most urgent first, with the reasons
(dashboard.register.follow_up); choosing a row opens its card."""

from dashboard.ui import components as ui
from dashboard.ui import register

ui.guarded(register.follow_up_page)
