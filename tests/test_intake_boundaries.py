"""Replacing a boundary layer: the checks refuse a wrong layer; a good one is
installed in the override folder, read by geo, and logged."""

from __future__ import annotations

import io
import json

import geopandas as gpd
import pytest
import shapely
import sqlalchemy as sa

from dashboard import geo, store
from dashboard.domain import UnitLevel
from dashboard.editing import DEPARTMENT_OFFICES
from dashboard.intake import boundaries
from dashboard.intake.files import IntakeError

ACTOR = DEPARTMENT_OFFICES[1]


@pytest.fixture
def override(tmp_path, monkeypatch):
    """A private override folder; the bundled layers are back after the test."""
    monkeypatch.setenv("HOTSPOT_GEODATA_DIR", str(tmp_path / "geodata"))
    geo.clear_caches()
    yield tmp_path / "geodata"
    monkeypatch.delenv("HOTSPOT_GEODATA_DIR")
    geo.clear_caches()


def _geojson(gdf: gpd.GeoDataFrame) -> bytes:
    return gdf.to_json().encode("utf-8")


def _wards() -> gpd.GeoDataFrame:
    return geo.load_units(UnitLevel.WARD)[["code", "name", "geometry"]].reset_index(drop=True)


def _store_with_spot(engine, lat=21.0285, lon=105.8542):
    with engine.begin() as conn:
        store.add_hotspots(
            conn, [{"code": "TD-900", "name": "Điểm thử", "kind": "public_area", "lat": lat, "lon": lon,
                    "status": "active"}]
        )  # fmt: skip
    return engine


def test_the_bundled_layer_passes_and_is_installed(override, empty_engine):
    engine = _store_with_spot(empty_engine)
    # Renamed columns, as an official file might have them.
    layer = _wards().rename(columns={"code": "MA_XA", "name": "TEN_XA"})
    report = boundaries.check_layer("phuong_xa.geojson", _geojson(layer), UnitLevel.WARD, engine)
    assert report.ok, report.problems
    assert report.units == 126
    assert not geo.has_override()
    done = boundaries.install(report, engine, ACTOR)
    assert done == {"units": 126, "hotspots_moved": 0}
    assert geo.has_override()
    assert geo._path(UnitLevel.WARD, "city") == override / "wards_city.geojson"
    assert len(geo.load_units(UnitLevel.WARD)) == 126
    with engine.connect() as conn:
        entry = conn.execute(
            sa.select(store.audit_log).where(store.audit_log.c.action == "boundary_replace")
        ).one()
    assert json.loads(entry.after) == {"file": "phuong_xa.geojson", "units": 126, "hotspots_moved": 0}


def test_a_merged_ward_moves_the_hotspots_in_it(override, empty_engine):
    engine = _store_with_spot(empty_engine)
    wards = _wards()
    with engine.connect() as conn:
        spot = conn.execute(sa.select(store.hotspot)).one()
    # Merge the hotspot's ward into a neighbour that keeps the neighbour's code.
    own = wards[wards["code"] == spot.ward_code].index[0]
    neighbour = next(i for i in wards.index if i != own and wards.geometry[i].touches(wards.geometry[own]))
    merged = wards.copy()
    merged.loc[neighbour, "geometry"] = shapely.union(wards.geometry[own], wards.geometry[neighbour])
    merged = merged.drop(index=own)
    report = boundaries.check_layer("new.geojson", _geojson(merged), UnitLevel.WARD, engine)
    assert report.ok, report.problems
    assert boundaries.install(report, engine, ACTOR) == {"units": 125, "hotspots_moved": 1}
    with engine.connect() as conn:
        moved = conn.execute(sa.select(store.hotspot)).one()
    assert moved.ward_code == wards.loc[neighbour, "code"]


def test_a_shifted_layer_is_refused(override, empty_engine):
    layer = _wards()
    layer["geometry"] = layer.geometry.translate(xoff=0.2)
    report = boundaries.check_layer("lech.geojson", _geojson(layer), UnitLevel.WARD, empty_engine)
    assert not report.ok
    assert any(p.startswith("Lớp mới lệch ") and "kiểm tra hệ toạ độ" in p for p in report.problems)
    with pytest.raises(IntakeError, match="chưa qua kiểm tra"):
        boundaries.install(report, empty_engine, ACTOR)
    assert not geo.has_override()


def test_a_hotspot_left_outside_is_refused(override, empty_engine):
    engine = _store_with_spot(empty_engine)
    with engine.connect() as conn:
        spot = conn.execute(sa.select(store.hotspot)).one()
    layer = _wards()
    layer = layer[layer["code"] != spot.ward_code]
    report = boundaries.check_layer("thieu.geojson", _geojson(layer), UnitLevel.WARD, engine)
    assert "1 tụ điểm đã lưu không nằm trong đơn vị nào của lớp mới: TD-900." in report.problems


def test_codes_names_and_shapes_are_checked(override, empty_engine):
    layer = _wards()
    layer.loc[1, "code"] = layer.loc[0, "code"]
    layer.loc[2, "code"] = "12"
    layer.loc[3, "name"] = "Hoàn Kiếm"
    layer.loc[4, "geometry"] = shapely.Point(105.8, 21.0)
    report = boundaries.check_layer("loi.geojson", _geojson(layer), UnitLevel.WARD, empty_engine)
    first = layer.loc[0, "code"]
    assert f"Đối tượng 2: mã {first} trùng với đối tượng 1." in report.problems
    code = layer.loc[3, "code"]
    assert f"Đối tượng 4 (mã {code}): tên «Hoàn Kiếm» thiếu loại đơn vị (Phường …, Xã …)." in report.problems
    assert "Đối tượng 5 (mã " + layer.loc[4, "code"] + "): hình Point, cần vùng (polygon)." in report.problems
    # A short numeric code is padded: "12" is ward 00012, not an error.
    assert not any("Đối tượng 3:" in p for p in report.problems)


def test_files_without_code_or_name_or_geometry_are_refused(override, empty_engine):
    layer = _wards().rename(columns={"code": "id"})
    with pytest.raises(IntakeError, match=r"thiếu cột mã \(code/ma\)"):
        boundaries.check_layer("x.geojson", _geojson(layer), UnitLevel.WARD, empty_engine)
    csv = io.BytesIO("code,name\n00070,Phường Hoàn Kiếm\n".encode())
    with pytest.raises(IntakeError, match="không phải tệp bản đồ"):
        boundaries.check_layer("x.csv", csv.getvalue(), UnitLevel.WARD, empty_engine)


def test_command_line_checks_then_replaces(override, tmp_path, monkeypatch, capsys, new_store_url):
    from dashboard import cli

    monkeypatch.setenv("DATABASE_URL", new_store_url("cli"))
    good = tmp_path / "phuong.geojson"
    good.write_bytes(_geojson(_wards()))
    shifted = _wards()
    shifted["geometry"] = shifted.geometry.translate(xoff=0.2)
    bad = tmp_path / "lech.geojson"
    bad.write_bytes(_geojson(shifted))

    assert cli.main(["boundaries", str(bad), "--level", "ward", "--json"]) == 1
    refused = json.loads(capsys.readouterr().out)
    assert refused["ok"] is False and refused["problems"][0].startswith("Lớp mới lệch ")
    assert cli.main(["boundaries", str(good), "--level", "ward", "--dry-run", "--json"]) == 0
    assert json.loads(capsys.readouterr().out) | {"notes": []} == {
        "file": "phuong.geojson", "level": "ward", "units": 126, "ok": True, "problems": [], "notes": [],
        "dry_run": True,
    }  # fmt: skip
    assert not geo.has_override()
    assert cli.main(["boundaries", str(good), "--level", "ward", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["installed"] == {"units": 126, "hotspots_moved": 0}
    assert geo.has_override()
    assert cli.main(["boundaries", str(tmp_path / "none.geojson"), "--level", "ward"]) == 2
    assert "Không thấy tệp" in capsys.readouterr().err
