"""The map over time (Bản đồ theo thời gian): every hotspot's status month by month.

One step a month, from :data:`FIRST_MONTH` (or the first recorded status, when
later) to the month of the as-of date. A step shows each hotspot's status at the
end of its month (the last step ends at the as-of date), the activities of that
month per former district, and the targets of that month's plan year.

Everything here is pure (no Streamlit). The statuses are computed at once for
all hotspots and months (:func:`status_steps`) and travel to the page as changes
only (:func:`timeline_payload`); a small script of our own in the map
(:class:`TimelineControl`, no third-party plugin) recolours, on each step, just
the markers whose status changed. Every text it inserts as HTML is encoded with
:func:`dashboard.encode.map_text`, the legend with ``html_text``.
"""

from __future__ import annotations

import datetime as dt
from typing import ClassVar

import folium
import numpy as np
import pandas as pd
from branca.element import Element, MacroElement
from folium.template import Template

from dashboard.config import Tiles
from dashboard.domain import STATUS_COLOURS, Status, TargetType, UnitLevel
from dashboard.encode import html_text, map_text, script_json
from dashboard.geo import city_bounds, display_geojson, ward_districts
from dashboard.i18n import fmt_date, fmt_number, t
from dashboard.maps import (
    CANVAS_FROM,
    CLUSTER_FROM,
    COORD_DECIMALS,
    DENSITY_CLASSES,
    ClusterScripts,
    OfflineMap,
    _basemap,
    _legend_row,
    add_reading_aids,
    cluster_legend_row,
    status_clusters,
)
from dashboard.queries import Dataset, plan_targets

#: The first month the slider offers (unless the first recorded status is later).
FIRST_MONTH = dt.date(2019, 1, 1)
#: Milliseconds a step stays on screen while playing.
INTERVAL_MS = 600
#: The statuses in the order the page indexes them.
STATUSES: list[Status] = list(Status)
TARGET_TYPES: list[TargetType] = list(TargetType)
#: Fill colours of the activity classes, lightest first (the map's blues).
ACTIVITY_COLOURS = [fill for _, fill in DENSITY_CLASSES]
#: Marker look: plain, and with the ring of a plan-year target.
#: Catalogue texts of the control (``timeline.<key>``).
CONTROL_TEXTS = ("play", "pause", "back", "forward", "slider", "known", "activities", "targets", "target_of")
PLAIN = {"radius": 6, "weight": 1, "color": "#222222"}
RING = {"radius": 8, "weight": 4, "color": "#000000"}


# --- Months and steps


def _month(date: dt.date) -> dt.date:
    return date.replace(day=1)


def _next_month(date: dt.date) -> dt.date:
    return dt.date(date.year + date.month // 12, date.month % 12 + 1, 1)


def first_month(history: pd.DataFrame, earliest: dt.date = FIRST_MONTH) -> dt.date:
    """The slider's first month: ``earliest``, or the month of the first recorded
    status when that is later (a store whose records start in 2022 does not open
    on three empty years)."""
    if history.empty or history["date"].isna().all():
        return _month(earliest)
    return max(_month(earliest), _month(pd.Timestamp(history["date"].min()).date()))


def months(first: dt.date, as_of: dt.date) -> list[dt.date]:
    """The first day of every month from ``first``'s month to ``as_of``'s (at least
    ``as_of``'s month, when it comes before ``first``)."""
    start, last = _month(first), _month(as_of)
    if start > last:
        return [last]
    out = [start]
    while out[-1] < last:
        out.append(_next_month(out[-1]))
    return out


def step_ends(steps: list[dt.date], as_of: dt.date) -> list[dt.date]:
    """The day each step ends: its month's last day, the last step at ``as_of``."""
    ends = [_next_month(m) - dt.timedelta(days=1) for m in steps]
    ends[-1] = min(ends[-1], as_of)
    return ends


def _ns(values) -> np.ndarray:
    return pd.to_datetime(pd.Series(values)).to_numpy("datetime64[ns]")


# --- Statuses at every step


def status_steps(
    history: pd.DataFrame, hotspots: pd.DataFrame, steps: list[dt.date], as_of: dt.date
) -> pd.DataFrame:
    """Each hotspot's status at the end of every step, as its changes.

    Returns one row per change (``hotspot_id``, ``step``, ``status``), sorted by
    hotspot and step: a hotspot has the status of its last change at or before
    a step, and none (not yet known: not drawn) before its first. Computed at
    once for all hotspots and steps: each record falls in the first step that
    ends on or after its date, and the last record of a hotspot in a step (by
    date, then id, as :func:`dashboard.queries.status_as_of` orders them) is its
    status from that step on. Records after ``as_of`` are left out; records
    before the first month are in the first step. Only hotspots of
    ``hotspots`` (its ``id``) are kept; a change to the status already held
    is dropped.
    """
    ends = _ns(step_ends(steps, as_of))
    h = history[history["hotspot_id"].isin(hotspots["id"]) & history["date"].notna()]
    h = h.sort_values(["hotspot_id", "date", "id"])
    step = np.searchsorted(ends, _ns(h["date"]), side="left")  # the first step ending on or after it
    h = h.assign(step=step)[step < len(ends)]
    last = h.groupby(["hotspot_id", "step"], sort=False).tail(1)
    before = last.groupby("hotspot_id", sort=False)["to_status"].shift()
    last = last[last["to_status"] != before]
    return pd.DataFrame(
        {
            "hotspot_id": last["hotspot_id"].astype("int64").to_numpy(),
            "step": last["step"].astype("int64").to_numpy(),
            "status": last["to_status"].astype(str).to_numpy(),
        }
    )


def status_at(changes: pd.DataFrame, step: int) -> pd.Series:
    """Each hotspot's status at ``step`` from :func:`status_steps` (hotspot id ->
    status, hotspots not known yet left out), as ``status_as_of`` gives it."""
    known = changes[changes["step"] <= step]
    return known.groupby("hotspot_id").tail(1).set_index("hotspot_id")["status"].rename("status")


def status_counts(changes: pd.DataFrame, n_steps: int) -> np.ndarray:
    """Hotspots in each status at each step: an ``n_steps`` × :data:`STATUSES` array."""
    index = {s.value: i for i, s in enumerate(STATUSES)}
    delta = np.zeros((n_steps, len(STATUSES)), dtype=np.int64)
    status = changes["status"].map(index).to_numpy()
    steps = changes["step"].to_numpy()
    np.add.at(delta, (steps, status), 1)
    before = changes.groupby("hotspot_id", sort=False)["status"].shift().map(index)
    left = before.notna().to_numpy()
    np.add.at(delta, (steps[left], before[left].astype("int64").to_numpy()), -1)
    return delta.cumsum(axis=0)


# --- Activities and targets per step


def activity_district(activities: pd.DataFrame) -> pd.Series:
    """Each activity's former district: its own, else its ward's
    (:func:`dashboard.geo.ward_districts`); None when it has neither."""
    district = activities["district_code"].astype(object)
    missing = district.isna() | (district == "")
    if missing.any():
        from_ward = activities["ward_code"].astype(object).map(ward_districts())
        district = district.where(~missing, from_ward)
    return district


def activity_counts(
    activities: pd.DataFrame, steps: list[dt.date], as_of: dt.date, units: list[str]
) -> np.ndarray:
    """Activities of each step's month (up to ``as_of``) per unit of ``units``
    (former district codes): an ``len(steps)`` × ``len(units)`` array."""
    out = np.zeros((len(steps), len(units)), dtype=np.int64)
    if activities.empty:
        return out
    dates = pd.to_datetime(activities["date"])
    first = steps[0]
    step = ((dates.dt.year - first.year) * 12 + dates.dt.month - first.month).to_numpy()
    column = {code: i for i, code in enumerate(units)}
    unit = activity_district(activities).map(column)
    keep = (
        (step >= 0)
        & (step < len(steps))
        & (dates <= pd.Timestamp(as_of)).to_numpy()
        & unit.notna().to_numpy()
    )
    np.add.at(out, (step[keep], unit[keep].astype("int64").to_numpy()), 1)
    return out


def targets_by_year(ds: Dataset, years: list[int]) -> dict[int, pd.Series]:
    """For each plan year, its targets (hotspot id -> target type), the first
    plan's when several plans of the year name a hotspot (:func:`plan_targets`)."""
    wanted = {TargetType.CLEAR.value, TargetType.KEEP_CLEAN.value}
    out = {}
    for year in sorted(set(years)):
        found = plan_targets(ds, year)
        found = found[found["target_type"].isin(wanted)]
        out[year] = found.set_index("hotspot_id")["target_type"].astype(str)
    return out


def targets_by_step(ds: Dataset, steps: list[dt.date]) -> list[frozenset[int]]:
    """The hotspots (ids) that are targets of each step's plan year."""
    by_year = targets_by_year(ds, [m.year for m in steps])
    return [frozenset(int(i) for i in by_year[m.year].index) for m in steps]


def activity_classes(counts: np.ndarray) -> list[tuple[int, str]]:
    """Classes of activities per unit and month: (lowest count, fill colour),
    from the spread of the non-zero counts (half, three quarters, nine tenths),
    so a busy store and a quiet one both show their differences."""
    values = counts[counts > 0]
    bounds = [1]
    if values.size:
        for q in (0.5, 0.75, 0.9):
            bound = int(np.ceil(np.quantile(values, q)))
            if bound > bounds[-1]:
                bounds.append(bound)
    colours = ACTIVITY_COLOURS if len(bounds) == len(ACTIVITY_COLOURS) else ACTIVITY_COLOURS[-len(bounds) :]
    return list(zip(bounds, colours, strict=False))


def class_labels(classes: list[tuple[int, str]]) -> list[str]:
    """Legend labels of :func:`activity_classes`: ``1``, ``2–3``, ``4+``."""
    labels = []
    for i, (low, _) in enumerate(classes):
        high = classes[i + 1][0] - 1 if i + 1 < len(classes) else None
        if high is None:
            labels.append(f"{fmt_number(low)}+")
        elif high == low:
            labels.append(fmt_number(low))
        else:
            labels.append(f"{fmt_number(low)}–{fmt_number(high)}")
    return labels


# --- What the page gets


def timeline_payload(
    ds: Dataset, as_of: dt.date, *, first: dt.date | None = None, kinds: frozenset[str] | None = None
) -> dict:
    """Everything the map's script needs, compact (plain JSON-able data).

    ``months`` (``mm/yyyy`` of each step), ``labels`` (the month shown), ``years``
    (each step's plan year); ``statuses`` (key, label, colour);
    ``hotspots``: ``code``, ``name``, ``lat``, ``lon`` and ``changes``
    (``[[step, status index], ...]``: only the changes, see :func:`status_steps`);
    ``counts``: hotspots per status at each step; ``units`` (the former
    districts as GeoJSON) and ``activity`` (per step, activities per unit, in
    the units' order) with ``classes``; ``targets``: ``[[year, [[hotspot index,
    target type index], ...]], ...]``; ``text``: the control's labels. Every text
    is encoded with :func:`map_text` (the script inserts them as HTML).

    With ``kinds`` (hotspot kind values), only hotspots of those kinds are drawn
    and counted; the districts' shading still counts all their activities.
    """
    first = first or first_month(ds.history)
    steps = months(first, as_of)
    ends = step_ends(steps, as_of)
    spots = ds.hotspots.dropna(subset=["lat", "lon"]).sort_values("code", kind="stable")
    if kinds is not None:
        spots = spots[spots["kind"].isin(sorted(kinds))]
    changes = status_steps(ds.history, spots, steps, as_of)
    spots = spots[spots["id"].isin(changes["hotspot_id"])].reset_index(drop=True)
    position = {int(i): p for p, i in enumerate(spots["id"])}
    status_index = {s.value: i for i, s in enumerate(STATUSES)}
    per_spot: list[list[list[int]]] = [[] for _ in range(len(spots))]
    for hotspot_id, step, status in changes.itertuples(index=False):
        per_spot[position[hotspot_id]].append([step, status_index[status]])

    features = [
        {
            "type": "Feature",
            "geometry": f["geometry"],
            "properties": {
                "i": i,
                "code": f["properties"]["code"],
                "name": map_text(f["properties"]["name"]),
            },
        }
        for i, f in enumerate(display_geojson(UnitLevel.DISTRICT, "city")["features"])
    ]
    units = [f["properties"]["code"] for f in features]
    activity = activity_counts(ds.activities, steps, as_of, units)
    classes = activity_classes(activity)

    by_year = targets_by_year(ds, [m.year for m in steps])
    type_index = {tt.value: i for i, tt in enumerate(TARGET_TYPES)}
    targets = []
    for year, found in by_year.items():
        rows = sorted([position[int(i)], type_index[kind]] for i, kind in found.items() if int(i) in position)
        targets.append([year, rows])

    labels = [map_text(t("timeline.month", month=m.strftime("%m/%Y"))) for m in steps]
    if ends[-1] < _next_month(steps[-1]) - dt.timedelta(days=1):  # the month is not over: say up to when
        labels[-1] = map_text(
            t("timeline.month_to", month=steps[-1].strftime("%m/%Y"), date=fmt_date(ends[-1]))
        )
    return {
        "months": [m.strftime("%m/%Y") for m in steps],
        "labels": labels,
        "years": [m.year for m in steps],
        "statuses": [
            {"key": s.value, "label": map_text(t(f"status.{s.value}")), "colour": STATUS_COLOURS[s]}
            for s in STATUSES
        ],
        "hotspots": {
            "code": [map_text(c) for c in spots["code"]],
            "name": [map_text(n) for n in spots["name"]],
            "lat": [round(float(v), COORD_DECIMALS) for v in spots["lat"]],
            "lon": [round(float(v), COORD_DECIMALS) for v in spots["lon"]],
            "changes": per_spot,
        },
        "counts": status_counts(changes, len(steps)).tolist(),
        "units": {"type": "FeatureCollection", "features": features},
        "activity": activity.tolist(),
        "classes": [[low, colour] for low, colour in classes],
        "targets": targets,
        "target_types": [map_text(t(f"target.{tt.value}")) for tt in TARGET_TYPES],
        "plain": PLAIN,
        "ring": RING,
        "interval": INTERVAL_MS,
        # {year} is filled in by the script
        "text": {key: map_text(t(f"timeline.{key}")) for key in CONTROL_TEXTS}
        | {"status": map_text(t("map.tooltip.status"))},
    }


def decode_statuses(payload: dict, step: int) -> dict[str, str]:
    """Each drawn hotspot's status at ``step`` (code as sent -> status), read from
    :func:`timeline_payload` the way the page's script reads it: for tests."""
    out = {}
    for code, changes in zip(payload["hotspots"]["code"], payload["hotspots"]["changes"], strict=True):
        status = None
        for at, index in changes:
            if at > step:
                break
            status = payload["statuses"][index]["key"]
        if status is not None:
            out[code] = status
    return out


def decode_targets(payload: dict, step: int) -> set[str]:
    """Codes (as sent) of the hotspots ringed at ``step`` (targets of its plan year): for tests."""
    year = payload["years"][step]
    rows = dict(payload["targets"]).get(year, [])
    return {payload["hotspots"]["code"][i] for i, _ in rows}


class TimelineControl(MacroElement):
    """The time slider: its own few lines of Leaflet.

    Draws the former districts and the hotspot markers from :attr:`payload`,
    and a control (top right) with a range input (one position a month),
    back, play/pause and forward buttons, the month and the hotspots per
    status at that step. Each step recolours only the markers whose status (or
    target ring) changed, removes the markers not known yet, refills the
    districts; the control carries the step's state as ``data-step``,
    ``data-month``, ``data-counts`` (JSON, status -> hotspots), ``data-known``,
    ``data-targets`` and ``data-playing``, and the map gets ``map.timeline``
    (``go(step)``, the ``markers``). From :data:`dashboard.maps.CLUSTER_FROM` hotspots on,
    the markers are gathered in clusters ringed by the step's statuses
    (:data:`dashboard.maps.CLUSTER_JS`), refreshed on every step.
    """

    _template = Template(
        """
        {% macro header(this, kwargs) %}
        <style>
        .timeline-control{background:rgba(255,255,255,.95);padding:8px 10px;border-radius:4px;
          font:13px/1.4 sans-serif;color:#222;min-width:250px;max-width:300px;
          box-shadow:0 1px 5px rgba(0,0,0,.4)}
        .timeline-control .tl-month{font-weight:bold;font-size:15px;margin-bottom:4px}
        .timeline-control .tl-buttons{display:flex;gap:4px;margin-bottom:4px}
        .timeline-control button{font:13px sans-serif;padding:3px 8px;cursor:pointer;border:1px solid #888;
          border-radius:3px;background:#f4f4f4}
        .timeline-control button.tl-play{flex:1;font-weight:bold}
        .timeline-control input[type=range]{width:100%;margin:4px 0}
        .timeline-control .tl-row{display:flex;align-items:center;gap:6px}
        .timeline-control .tl-row span.tl-n{margin-left:auto;font-variant-numeric:tabular-nums}
        .timeline-control .tl-dot{display:inline-block;width:11px;height:11px;border-radius:50%;
          border:1px solid #000}
        .timeline-control .tl-sum{border-top:1px solid #ccc;margin-top:3px;padding-top:3px}
        </style>
        {% endmacro %}
        {% macro script(this, kwargs) %}
        (function (map, d, c) {
            const n = d.months.length, S = d.statuses, H = d.hotspots, T = d.text;
            const num = v => String(v).replace(/\\B(?=(\\d{3})+(?!\\d))/g, ".");
            const fill = count => {
                let colour = null;
                for (const [low, c] of d.classes) { if (count >= low) colour = c; }
                return colour;
            };
            let step = n - 1;
            const units = L.geoJson(d.units, {
                style: () => ({color: "#333333", weight: 1.4, fillColor: "#ffffff", fillOpacity: 0}),
                smoothFactor: 0.5, className: "timeline-unit"
            }).addTo(map);
            const unitLayers = [];
            units.eachLayer(l => {
                unitLayers[l.feature.properties.i] = l;
                l.bindTooltip(() => l.feature.properties.name + "<br>" + T.activities + ": "
                              + num(d.activity[step][l.feature.properties.i]), {sticky: true});
            });
            const targetsOf = {};
            for (const [year, rows] of d.targets) { targetsOf[year] = new Map(rows); }
            // From CLUSTER_FROM hotspots on, clusters ringed by the step's statuses (refreshed on
            // every step); markers come and go in one batch a step.
            const group = (c ? pointClusters(c) : L.featureGroup()).addTo(map);
            const markers = H.code.map((code, i) => {
                const options = {fill: true, fillOpacity: 0.95, fillColor: "#999999",
                                 className: "timeline-marker"};
                const m = L.circleMarker([H.lat[i], H.lon[i]], Object.assign(options, d.plain));
                m.hotspot = {index: i, code: code, status: null, key: null, target: null};
                m.feature = {properties: {status: null}};
                m.bindTooltip(() => {
                    const h = m.hotspot;
                    let text = H.code[i] + " · " + H.name[i];
                    if (h.status !== null) text += "<br>" + T.status + ": " + S[h.status].label;
                    if (h.target !== null) {
                        text += "<br>" + T.target_of.replace("{year}", d.years[step]) + ": "
                            + d.target_types[h.target];
                    }
                    return text;
                });
                return m;
            });
            const statusAt = (i, k) => {
                let s = null;
                for (const [at, index] of H.changes[i]) { if (at > k) break; s = index; }
                return s;
            };

            const div = L.DomUtil.create("div", "timeline-control leaflet-control");
            div.innerHTML = '<div class="tl-month" aria-live="polite"></div>'
                + '<div class="tl-buttons"><button type="button" class="tl-back">◀</button>'
                + '<button type="button" class="tl-play"></button>'
                + '<button type="button" class="tl-forward">▶</button></div>'
                + '<input type="range" class="tl-range" min="0" step="1">'
                + '<div class="tl-counts"></div>';
            const q = s => div.querySelector(s);
            const back = q(".tl-back"), play = q(".tl-play"), forward = q(".tl-forward");
            const range = q(".tl-range");
            back.title = T.back; back.setAttribute("aria-label", T.back);
            forward.title = T.forward; forward.setAttribute("aria-label", T.forward);
            range.max = String(n - 1); range.setAttribute("aria-label", T.slider);
            let rows = "";
            S.forEach((s, i) => {
                rows += '<div class="tl-row"><span class="tl-dot" style="background:' + s.colour
                    + '"></span><span>' + s.label + '</span><span class="tl-n" data-status="' + s.key
                    + '"></span></div>';
            });
            const row = (label, cell) => '<div class="tl-row">' + label + '<span class="tl-n ' + cell
                + '"></span></div>';
            rows += row("<span>" + T.known + "</span>", "tl-known").replace("tl-row", "tl-row tl-sum")
                + row("<span>" + T.activities + "</span>", "tl-acts")
                + row('<span class="tl-target-label"></span>', "tl-targets");
            q(".tl-counts").innerHTML = rows;
            const statusCells = S.map(s => q('.tl-n[data-status="' + s.key + '"]'));

            function go(k) {
                step = Math.max(0, Math.min(n - 1, Number(k)));
                const targets = targetsOf[d.years[step]] || new Map();
                let ringed = 0;
                const gone = [], come = [];
                for (let i = 0; i < markers.length; i++) {
                    const m = markers[i], h = m.hotspot;
                    const s = statusAt(i, step);
                    const target = s !== null && targets.has(i) ? targets.get(i) : null;
                    if (target !== null) ringed += 1;
                    const key = s === null ? null : s + (target !== null ? "t" : "");
                    h.status = s; h.target = target;
                    if (key === h.key) continue;
                    h.key = key;
                    if (s === null) { gone.push(m); continue; }
                    m.feature.properties.status = S[s].key;
                    const style = Object.assign({fillColor: S[s].colour}, target !== null ? d.ring : d.plain);
                    if (group.hasLayer(m)) { m.setStyle(style); m.setRadius(style.radius); }
                    else { Object.assign(m.options, style); m.setRadius(style.radius); come.push(m); }
                }
                if (c) {
                    group.removeLayers(gone);
                    group.addLayers(come);
                    group.refreshClusters();
                } else {
                    gone.forEach(m => group.removeLayer(m));
                    come.forEach(m => group.addLayer(m));
                }
                const acts = d.activity[step];
                let total = 0;
                unitLayers.forEach((l, u) => {
                    total += acts[u];
                    const colour = fill(acts[u]);
                    l.setStyle({fillColor: colour || "#ffffff", fillOpacity: colour ? 0.5 : 0});
                });
                const counts = d.counts[step], byKey = {};
                let known = 0;
                S.forEach((s, i) => {
                    statusCells[i].textContent = num(counts[i]);
                    byKey[s.key] = counts[i];
                    known += counts[i];
                });
                q(".tl-month").innerHTML = d.labels[step];
                q(".tl-known").textContent = num(known);
                q(".tl-acts").textContent = num(total);
                q(".tl-target-label").innerHTML = T.targets.replace("{year}", d.years[step]);
                q(".tl-targets").textContent = num(ringed);
                range.value = String(step);
                back.disabled = step === 0; forward.disabled = step === n - 1;
                Object.assign(div.dataset, {step: String(step), month: d.months[step], known: String(known),
                    targets: String(ringed), activities: String(total), counts: JSON.stringify(byKey)});
            }

            let timer = null;
            function stop() {
                if (timer !== null) { clearInterval(timer); timer = null; }
                play.innerHTML = T.play; div.dataset.playing = "false";
            }
            function start() {
                if (step >= n - 1) go(0);
                play.innerHTML = T.pause; div.dataset.playing = "true";
                timer = setInterval(() => { go(step + 1); if (step >= n - 1) stop(); }, d.interval);
            }
            play.addEventListener("click", () => (timer === null ? start() : stop()));
            back.addEventListener("click", () => { stop(); go(step - 1); });
            forward.addEventListener("click", () => { stop(); go(step + 1); });
            range.addEventListener("input", () => go(range.value));
            L.DomEvent.disableClickPropagation(div);
            L.DomEvent.disableScrollPropagation(div);
            const Control = L.Control.extend({options: {position: "topright"}, onAdd: () => div});
            new Control().addTo(map);
            stop();
            go(step);
            map.timeline = {go: go, markers: markers, units: unitLayers, control: div, stop: stop};
        })({{ this._parent.get_name() }}, {{ this.payload_json() }}, {{ this.cluster_json() }});
        {% endmacro %}
        """
    )

    default_js: ClassVar[list] = []

    def __init__(self, payload: dict):
        super().__init__()
        self._name = "TimelineControl"
        self.payload = payload
        self.clusters = status_clusters() if len(payload["hotspots"]["code"]) >= CLUSTER_FROM else None
        if self.clusters is not None:
            self.add_child(ClusterScripts(), name="cluster_scripts")

    def payload_json(self) -> str:
        return script_json(self.payload)

    def cluster_json(self) -> str:
        """The clusters' options for the script (``null``: every hotspot drawn by itself)."""
        return script_json(self.clusters.script_options() if self.clusters is not None else None)


def timeline_legend(classes: list[tuple[int, str]], clusters: bool = False) -> str:
    """The legend as escaped HTML: statuses, activity classes, the target ring;
    the same foldable box, in the same place, as :func:`dashboard.maps.legend_html`."""
    dot = "width:12px;height:12px;border-radius:6px;border:1px solid #000;"
    statuses = "".join(
        _legend_row(f"{dot}background:{STATUS_COLOURS[s]}", t(f"status.{s.value}")) for s in STATUSES
    )
    density = _legend_row(
        "width:14px;height:10px;background:#ffffff;border:1px solid #999", t("timeline.legend_no_activity")
    )
    density += "".join(
        _legend_row(f"width:14px;height:10px;background:{colour};opacity:.8", label)
        for (_, colour), label in zip(classes, class_labels(classes), strict=True)
    )
    ring = (
        "width:17px;height:17px;border-radius:50%;border:4px solid #000;background:#bbb;box-sizing:border-box"
    )
    if clusters:
        statuses += cluster_legend_row("status")
    parts = [
        f"<b>{html_text(t('map.legend'))}</b>{statuses}",
        f"<b>{html_text(t('timeline.legend_activity'))}</b>{density}",
        _legend_row(ring, t("timeline.legend_target")),
    ]
    return (
        '<details open class="hotspot-legend timeline-legend" style="position:absolute;bottom:18px;left:10px;'
        "z-index:1000;background:rgba(255,255,255,.92);padding:6px 10px;border:1px solid #999;"
        "border-radius:4px;font:12px/1.4 sans-serif;color:#222;max-height:calc(100% - 60px);"
        "max-width:calc(100% - 70px);"
        'overflow:auto">'
        f'<summary style="cursor:pointer;font-weight:bold">{html_text(t("map.legend_title"))}</summary>'
        f"{''.join(parts)}</details>"
    )


def timeline_map(
    ds: Dataset,
    as_of: dt.date,
    tiles: Tiles,
    *,
    first: dt.date | None = None,
    height: int = 620,
    home: list[list[float]] | None = None,
    payload: dict | None = None,
) -> folium.Map:
    """The map over time: former districts shaded by each month's activities,
    hotspots coloured by their status at the end of the month, the plan year's
    targets ringed, and the slider (:class:`TimelineControl`).

    Parameters
    ----------
    ds : Dataset
        The caller's data (already limited to their scope).
    as_of : date
        The last step ends on this day.
    tiles : Tiles
        Basemap; with none, a plain background and the boundaries make the map.
    first : date, optional
        The first month (default :func:`first_month` of the history).
    home : [[south, west], [north, east]], optional
        The officer's own area, for the "back to my area" button (default: the city).
    payload : dict, optional
        :func:`timeline_payload` of ``ds`` and ``as_of`` (for chosen kinds, say) when
        the caller holds it already (the page: :func:`dashboard.snapshots.timeline_payload`).
    """
    if payload is None:
        payload = timeline_payload(ds, as_of, first=first)
    bounds = city_bounds()
    m = OfflineMap(
        location=[(bounds[0][0] + bounds[1][0]) / 2, (bounds[0][1] + bounds[1][1]) / 2],
        tiles=None,
        zoom_start=10,
        height=height,
        prefer_canvas=len(payload["hotspots"]["code"]) >= CANVAS_FROM,
        zoom_snap=0.25,
        zoom_delta=0.5,
    )
    _basemap(m, tiles)
    add_reading_aids(m, home or bounds)
    control = TimelineControl(payload)
    control.add_to(m)
    legend = timeline_legend([tuple(c) for c in payload["classes"]], clusters=control.clusters is not None)
    m.get_root().html.add_child(Element(legend))
    m.fit_bounds(bounds)
    return m


def control_of(m: folium.Map) -> TimelineControl:
    """The map's :class:`TimelineControl` (for tests and checks)."""
    (found,) = [c for c in m._children.values() if isinstance(c, TimelineControl)]
    return found
