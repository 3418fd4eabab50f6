"""Hotspot map dashboard for Hà Nội's prostitution-prevention programme."""

__version__ = "0.1.0"
