"""Time from clearance to re-emergence: Kaplan–Meier curves and a log-rank test.

An *episode* starts when a hotspot is cleared and ends when it re-emerges
(an event) or, if it has not, at the analysis date (censored). Handover does
not end an episode. Kaplan–Meier survival is the share of cleared places
still clean after t months; the 95 % band uses Greenwood's variance on the
log(-log) scale. (The estimator is written here rather than taken from
lifelines, which does not support pandas 3.)
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
from scipy.stats import chi2, norm

from dashboard import border
from dashboard.domain import HotspotKind, Status, UnitLevel
from dashboard.risk import DAYS_PER_MONTH, until


def episodes(ds, as_of: dt.date, zone_m: float = border.DEFAULT_ZONE_M) -> pd.DataFrame:
    """One row per clearance episode up to ``as_of``.

    Columns: ``hotspot_id``, ``code``, ``kind``, ``start``, ``end``,
    ``months``, ``event`` (re-emerged), ``border`` (in a border zone of the
    jurisdictions in force when the episode started).
    """
    ds = until(ds, as_of)
    end_of_data = pd.Timestamp(as_of)
    zones = {
        level: set(border.zone_hotspots(border.adjacency(level), ds.hotspots, zone_m)["id"])
        for level in UnitLevel
    }
    info = ds.hotspots.set_index("id")
    rows = []
    for hotspot_id, changes in ds.history.groupby("hotspot_id"):
        start = None
        for change in changes.sort_values(["date", "id"]).itertuples(index=False):
            if change.to_status == Status.CLEARED and start is None:
                start = change.date
            elif change.to_status == Status.REEMERGED and start is not None:
                rows.append((hotspot_id, start, change.date, True))
                start = None
        if start is not None:
            rows.append((hotspot_id, start, end_of_data, False))
    frame = pd.DataFrame(rows, columns=["hotspot_id", "start", "end", "event"])
    if frame.empty:
        return frame.assign(code=[], kind=[], months=[], border=[])
    frame["months"] = ((frame["end"] - frame["start"]).dt.days / DAYS_PER_MONTH).round(2)
    frame["code"] = frame["hotspot_id"].map(info["code"])
    frame["kind"] = frame["hotspot_id"].map(info["kind"])
    level = frame["start"].map(lambda d: border.level_at(d.date()))
    frame["border"] = [hid in zones[lvl] for hid, lvl in zip(frame["hotspot_id"], level, strict=True)]
    return frame[["hotspot_id", "code", "kind", "start", "end", "months", "event", "border"]]


def kaplan_meier(months: np.ndarray, events: np.ndarray) -> pd.DataFrame:
    """Kaplan–Meier estimate with a 95 % band.

    Returns one row per distinct time (starting at 0): ``months``,
    ``at_risk``, ``events``, ``censored``, ``survival``, ``low``, ``high``.
    """
    months = np.asarray(months, dtype=float)
    events = np.asarray(events, dtype=bool)
    if months.size == 0:
        return pd.DataFrame(columns=["months", "at_risk", "events", "censored", "survival", "low", "high"])
    times = np.unique(months)
    rows = [{"months": 0.0, "at_risk": len(months), "events": 0, "censored": 0, "survival": 1.0,
             "low": 1.0, "high": 1.0}]  # fmt: skip
    surv, greenwood = 1.0, 0.0
    z = norm.ppf(0.975)
    for time in times:
        at_risk = int((months >= time).sum())
        d = int(((months == time) & events).sum())
        c = int(((months == time) & ~events).sum())
        if d:
            surv *= 1 - d / at_risk
            if at_risk > d:
                greenwood += d / (at_risk * (at_risk - d))
        if 0 < surv < 1 and greenwood > 0:
            spread = z * np.sqrt(greenwood) / abs(np.log(surv))
            low, high = surv ** np.exp(spread), surv ** np.exp(-spread)
        else:
            low = high = surv
        rows.append({"months": float(time), "at_risk": at_risk, "events": d, "censored": c,
                     "survival": surv, "low": low, "high": high})  # fmt: skip
    return pd.DataFrame(rows)


def logrank(months_a, events_a, months_b, events_b) -> tuple[float, float]:
    """Log-rank test of two groups: (chi-square statistic, p-value)."""
    ma, ea = np.asarray(months_a, float), np.asarray(events_a, bool)
    mb, eb = np.asarray(months_b, float), np.asarray(events_b, bool)
    times = np.unique(np.concatenate([ma[ea], mb[eb]]))
    observed_minus_expected, variance = 0.0, 0.0
    for time in times:
        na, nb = (ma >= time).sum(), (mb >= time).sum()
        da, db = ((ma == time) & ea).sum(), ((mb == time) & eb).sum()
        n, d = na + nb, da + db
        if n < 2:
            continue
        observed_minus_expected += da - d * na / n
        variance += d * (na / n) * (nb / n) * (n - d) / (n - 1)
    if variance <= 0:
        return 0.0, 1.0
    stat = observed_minus_expected**2 / variance
    return float(stat), float(chi2.sf(stat, 1))


def curves(eps: pd.DataFrame, by: str | None = None) -> dict[str, pd.DataFrame]:
    """Kaplan–Meier curves overall (``by=None``), by ``kind`` or by ``border``."""
    if by is None:
        return {"all": kaplan_meier(eps["months"], eps["event"])}
    groups = {
        "kind": [(k.value, eps["kind"] == k.value) for k in HotspotKind],
        "border": [("border", eps["border"]), ("interior", ~eps["border"])],
    }[by]
    return {name: kaplan_meier(eps.loc[mask, "months"], eps.loc[mask, "event"]) for name, mask in groups}


def group_test(eps: pd.DataFrame, by: str) -> tuple[float, float]:
    """Log-rank test between the two groups of ``by`` ("kind" or "border")."""
    first = eps["kind"] == HotspotKind.PUBLIC_AREA.value if by == "kind" else eps["border"].astype(bool)
    return logrank(
        eps.loc[first, "months"], eps.loc[first, "event"], eps.loc[~first, "months"], eps.loc[~first, "event"]
    )
