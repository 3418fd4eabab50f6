"""One entry point for the command line and the app: file in, report out."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.engine import Engine

from dashboard import coords
from dashboard.intake.files import GEO_FORMATS, IntakeError, open_file
from dashboard.intake.schema import KIND_LABELS, Kind, guess_kind
from dashboard.intake.validate import Options, Progress, Report, validate


def check(
    name: str,
    data: bytes,
    engine: Engine,
    *,
    today: dt.date,
    kind: str | None = None,
    crs: str | None = None,
    on_duplicate: str = "skip",
    sheet: str | None = None,
    limit: int | None = None,
    progress: Progress | None = None,
) -> Report:
    """Read and validate a file (the dry run). Raises IntakeError when the
    file cannot be read at all."""
    if on_duplicate not in ("skip", "update"):
        raise IntakeError(f"Cách xử lý trùng «{on_duplicate}» không hợp lệ: dùng skip hoặc update.")
    is_geo = any(name.lower().endswith(s) for s in GEO_FORMATS)
    try:
        key = coords.crs_key(crs) if crs else coords.DEFAULT_PROJECTED
    except coords.CoordError as exc:
        if not is_geo:
            raise IntakeError(str(exc)) from None
        key = coords.DEFAULT_PROJECTED  # a GIS file may name any EPSG system
    if progress:
        progress(0.0, f"Đọc tệp «{name}»")
    table = open_file(name, data, limit=limit, sheet=sheet, crs=crs)
    if table.geometries is not None:
        chosen = Kind.HOTSPOTS if kind is None else Kind(kind)
        if chosen != Kind.HOTSPOTS:
            raise IntakeError(f"Tệp bản đồ «{name}» chỉ dùng để nhập tụ điểm (vị trí hoặc vùng).")
    elif kind is None:
        chosen = guess_kind(table.headers)
        if chosen is None:
            kinds = ", ".join(f"{k.value} ({v})" for k, v in KIND_LABELS.items())
            raise IntakeError(
                f"Không nhận ra tệp «{name}» chứa loại dữ liệu nào từ các tiêu đề cột: chọn loại ({kinds})."
            )
    else:
        chosen = Kind(kind)
    return validate(table, engine, Options(chosen, today, key, on_duplicate), progress)
