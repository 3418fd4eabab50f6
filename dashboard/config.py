"""Settings read from the environment, with defaults that work offline.

- ``DATABASE_URL``: any SQLAlchemy URL; default an embedded SQLite file.
- ``HOTSPOT_DB_PATH``: path of that SQLite file (default ``data/hotspots.sqlite``).
- ``HOTSPOT_TILES``: basemap: ``none`` (default, boundaries only), ``osm``, or a
  tile URL template with ``{z}``, ``{x}``, ``{y}`` such as an internal tile server.
- ``HOTSPOT_TILES_ATTRIBUTION``: attribution shown for a custom tile URL.
- ``HOTSPOT_TODAY``: pin "today" as ``dd/mm/yyyy`` (demonstrations, tests).
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass
from pathlib import Path
from zoneinfo import ZoneInfo

from dashboard.domain import DomainError
from dashboard.i18n import t

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DB_PATH = PROJECT_ROOT / "data" / "hotspots.sqlite"
OSM_URL = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
HANOI = ZoneInfo("Asia/Ho_Chi_Minh")


def today() -> dt.date:
    """Today in Hà Nội, unless ``HOTSPOT_TODAY`` pins it."""
    pinned = os.environ.get("HOTSPOT_TODAY")
    if pinned:
        try:
            return dt.datetime.strptime(pinned.strip(), "%d/%m/%Y").date()
        except ValueError:
            raise DomainError(t("err.today_setting", value=pinned)) from None
    return dt.datetime.now(HANOI).date()


@dataclass(frozen=True)
class Tiles:
    """A basemap choice: ``url`` is None for no basemap."""

    url: str | None
    attribution: str = ""

    @classmethod
    def parse(cls, value: str, attribution: str = "") -> Tiles:
        value = (value or "none").strip()
        if value.lower() == "none":
            return cls(None)
        if value.lower() == "osm":
            return cls(OSM_URL, t("map.osm_attribution"))
        if value.startswith(("http://", "https://", "/")) and all(
            part in value for part in ("{z}", "{x}", "{y}")
        ):
            return cls(value, attribution or t("map.custom_tiles"))
        raise DomainError(t("err.tiles", value=value))


@dataclass(frozen=True)
class Settings:
    database_url: str
    tiles: Tiles

    @classmethod
    def from_env(cls, env: dict[str, str] | None = None) -> Settings:
        env = os.environ if env is None else env
        url = env.get("DATABASE_URL")
        if not url:
            path = Path(env.get("HOTSPOT_DB_PATH") or DEFAULT_DB_PATH)
            url = f"sqlite:///{path}"
        tiles = Tiles.parse(env.get("HOTSPOT_TILES", "none"), env.get("HOTSPOT_TILES_ATTRIBUTION", ""))
        return cls(database_url=url, tiles=tiles)
