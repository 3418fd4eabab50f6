"""Hand-made test data: well-known places of Hà Nội and a builder that writes
a small store through the store API."""

from __future__ import annotations

import datetime as dt

from dashboard import store

#: Well-known places: (lat, lon), then the ward and the former district they
#: lie in. Hoàn Kiếm lake and Hỏa Lò are both in Quận Hoàn Kiếm but in
#: different wards since 01/07/2025; tests/test_geo.py checks the table.
PLACES: dict[str, tuple[tuple[float, float], str, str]] = {
    "hoan_kiem_lake": ((21.0287, 105.8524), "00070", "002"),  # Phường Hoàn Kiếm
    "hoa_lo": ((21.0253, 105.8466), "00082", "002"),  # Phường Cửa Nam
    "van_mieu": ((21.0277, 105.8355), "00226", "006"),  # Phường Văn Miếu - Quốc Tử Giám, Đống Đa
    "mausoleum": ((21.0368, 105.8347), "00004", "001"),  # Phường Ba Đình, Quận Ba Đình
    "west_lake": ((21.0560, 105.8190), "00103", "003"),  # Phường Tây Hồ, Quận Tây Hồ
}


def fill_store(engine, spots: dict, activities=(), plans: dict | None = None) -> dict[str, int]:
    """Write a small hand-made data set through the store API.

    Parameters
    ----------
    spots : dict
        ``code -> (place, kind, [(date, status), ...])`` where ``place`` is a
        key of :data:`PLACES`; the first status of the history is the
        hotspot's initial status.
    activities : iterable of dict
        Activity rows; ``"hotspot": code`` puts one on a hotspot, otherwise give
        ``ward_code`` and/or ``district_code`` for area-wide work.
    plans : dict
        ``year -> {hotspot code: target type}``.

    Returns
    -------
    Hotspot code -> id.
    """
    plans = plans or {}
    where = {code: PLACES[place] for code, (place, _kind, _history) in spots.items()}
    with engine.begin() as conn:
        rows = [
            {
                "code": code,
                "name": f"Điểm thử {code}",
                "kind": kind,
                "lat": where[code][0][0],
                "lon": where[code][0][1],
                "status": history[0][1],
            }
            for code, (_place, kind, history) in spots.items()
        ]
        ids = dict(zip(spots, store.add_hotspots(conn, rows), strict=True))
        for code, (_where, _kind, history) in spots.items():
            for date, status in history:
                store.record_status(conn, ids[code], date, status)
        for year, targets in plans.items():
            plan_id = store.add_plan(conn, year, f"{year}/KH-THU", dt.date(year, 1, 10))
            store.add_targets(
                conn,
                plan_id,
                [
                    {
                        "hotspot_id": ids[code],
                        "target_type": target,
                        "assigned_level": "district",
                        "assigned_code": where[code][2],
                    }
                    for code, target in targets.items()
                ],
            )
        store.add_activities(
            conn,
            [
                {k: v for k, v in a.items() if k != "hotspot"} | {"hotspot_id": ids.get(a.get("hotspot"))}
                for a in activities
            ],
        )
    return ids
