"""Reading GIS files (GeoJSON, GeoPackage, zipped Shapefile) into a
:class:`~dashboard.intake.files.Table` whose geometries are in WGS84.

VN-2000 data is converted with the official datum parameters
(:mod:`dashboard.coords`). A file that does not say its coordinate system is
read as WGS84 when its numbers are degrees, otherwise as the system the user
chose (default: VN-2000, Hà Nội's TM-3 105°00').
"""

from __future__ import annotations

import io
import json
import re
import warnings
from pathlib import Path

import shapely

from dashboard import coords
from dashboard.i18n import t
from dashboard.intake.files import IntakeError, Table, temp_copy


def _layer_frame(name: str, fmt: str, data: bytes):
    import geopandas as gpd
    import pyogrio

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            if fmt == "geojson":
                return gpd.read_file(io.BytesIO(data))
            with temp_copy(name, data) as folder:
                path = Path(folder) / Path(name).name
                if fmt == "shp":
                    layers = [p for p in _zip_members(data) if p.lower().endswith(".shp")]
                    if len(layers) != 1:
                        raise IntakeError(t("intake.file.shp_count", name=name, count=len(layers)))
                    missing = [
                        ext
                        for ext in (".shx", ".dbf")
                        if not any(m.lower() == layers[0][:-4].lower() + ext for m in _zip_members(data))
                    ]
                    if missing:
                        raise IntakeError(
                            t("intake.file.shp_missing", name=name, parts=", ".join(missing), layer=layers[0])
                        )
                    return gpd.read_file(f"/vsizip/{path}/{layers[0]}")
                return gpd.read_file(path)
    except IntakeError:
        raise
    except (pyogrio.errors.DataSourceError, pyogrio.errors.DataLayerError, ValueError, OSError) as exc:
        what = {"geojson": "GeoJSON", "gpkg": "GeoPackage", "shp": "Shapefile"}[fmt]
        # GDAL names its in-memory copy (/vsimem/…): show the user's file name instead.
        reason = re.sub(r"/vsi\w+/\S*", name, str(exc).splitlines()[0])[:200]
        raise IntakeError(t("intake.file.bad_geo", name=name, what=what, reason=reason)) from None


def _zip_members(data: bytes) -> list[str]:
    """Members of a zip, without the hidden copies macOS adds (``__MACOSX/``, ``._name``)."""
    import zipfile

    names = zipfile.ZipFile(io.BytesIO(data)).namelist()
    return [n for n in names if not n.startswith("__MACOSX/") and not Path(n).name.startswith("._")]


def _geojson_names_crs(data: bytes) -> bool:
    """Whether a GeoJSON carries the (pre-RFC 7946) ``crs`` member."""
    try:
        parsed = json.loads(data.decode("utf-8-sig"))
    except (ValueError, UnicodeDecodeError):
        return False
    return isinstance(parsed, dict) and isinstance(parsed.get("crs"), dict)


def _chosen(crs: str | None) -> str:
    """The system chosen for a file that does not state its own: one of
    coords' keys when ``crs`` names one, otherwise ``crs`` as given (any EPSG
    code), by default Hà Nội's VN-2000."""
    if not crs:
        return coords.DEFAULT_PROJECTED
    try:
        return coords.crs_key(crs)
    except coords.CoordError:
        return crs


def _looks_like_degrees(bounds) -> bool:
    minx, miny, maxx, maxy = bounds
    return -180 <= minx <= maxx <= 180 and -90 <= miny <= maxy <= 90


def read_geo(name: str, fmt: str, data: bytes, digest: str, crs: str | None) -> Table:
    frame = _layer_frame(name, fmt, data)
    if frame.empty:
        raise IntakeError(t("intake.file.no_features", name=name))
    notes: list[str] = []
    geoms = frame.geometry.values
    present = [g for g in geoms if g is not None and not g.is_empty]
    bounds = shapely.total_bounds(present) if present else (0, 0, 0, 0)
    file_crs = frame.crs
    # GeoJSON is WGS84 by definition, so GDAL reports EPSG:4326 even for a
    # file written in metres without saying so: the numbers decide then.
    states_crs = file_crs is not None and (
        fmt != "geojson" or _looks_like_degrees(bounds) or _geojson_names_crs(data)
    )
    if states_crs:
        source = file_crs.to_string()
    elif _looks_like_degrees(bounds):
        source = "wgs84"
        notes.append(t("intake.file.note_degrees"))
    else:
        source = _chosen(crs)
        if source == "wgs84":
            source = coords.DEFAULT_PROJECTED
        label = coords.CRS_CHOICES.get(source, source)
        notes.append(t("intake.file.note_metres", crs=label))
    try:
        wgs = [None if g is None or g.is_empty else coords.geometry_to_wgs84(g, source) for g in geoms]
    except Exception as exc:
        raise IntakeError(t("intake.file.bad_transform", name=name, crs=source, reason=exc)) from None
    columns = [c for c in frame.columns if c != frame.geometry.name]
    rows = [[_plain(v) for v in record] for record in frame[columns].itertuples(index=False, name=None)]
    label = coords.CRS_CHOICES.get(source) or (f"{file_crs.name} ({source})" if states_crs else source)
    return Table(
        name,
        fmt,
        [str(c) for c in columns],
        rows,
        list(range(1, len(rows) + 1)),
        digest,
        geometries=wgs,
        source_crs=label,
        notes=notes,
    )


def _plain(value):
    """Cell values as plain Python (numpy scalars and pandas timestamps out)."""
    import pandas as pd

    if value is None:
        return None
    if isinstance(value, pd.Timestamp):
        return None if pd.isna(value) else value.to_pydatetime()
    if hasattr(value, "item"):
        return value.item()
    return value
