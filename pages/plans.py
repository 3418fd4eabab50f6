"""Kế hoạch, nhiệm vụ: a district's or ward's own plan for a year, its targets and
the tasks it gives to wards and agencies, with their progress."""

from dashboard.ui import components as ui
from dashboard.ui import plans

ui.guarded(plans.plans_page)
