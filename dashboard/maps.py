"""Folium maps, built by pure functions and served without any outside host.

Leaflet's JS and CSS come from the app's own static folder (``static/vendor``,
served by Streamlit at ``/app/static/``); no other script, stylesheet or font
is referenced. Every text that reaches the page goes through
:mod:`dashboard.encode`, encoded for where it lands: :func:`map_text` for what
folium writes into JavaScript (tooltips, popups, ``GeoJsonTooltip`` fields and
aliases, layer names shown by the layer control), :func:`html_text` for plain
HTML (the legend, the tile attribution).

The point layers (hotspots, risk) are :class:`PointLayer`: the page gets their
features packed (shared labels and styles sent once) rather than as folium's
GeoJSON and per-feature style ``switch``, under a quarter of the bytes; with many
hotspots the map draws on one canvas (:data:`CANVAS_FROM`).
"""

from __future__ import annotations

import json
import math
from collections import Counter
from dataclasses import dataclass
from typing import ClassVar

import folium
import geopandas as gpd
import pandas as pd
from branca.element import Element, MacroElement
from folium.elements import JSCSSMixin
from folium.map import Layer
from folium.template import Template
from folium.utilities import get_obj_in_upper_tree

from dashboard.border import BorderReport, hotspot_labels, to_display
from dashboard.config import Tiles
from dashboard.domain import STATUS_COLOURS, Status, UnitLevel
from dashboard.encode import html_text, js_string, map_text, script_json
from dashboard.geo import city_bounds, display_geojson, unit_bounds, unit_names, ward_label_points
from dashboard.i18n import fmt_date, fmt_number, t
from dashboard.queries import open_counts
from dashboard.risk import LEVELS, RISK_COLOURS

#: Where the browser finds the vendored Leaflet (Streamlit static serving),
#: relative to the map's frame (``<base>/component/streamlit_folium.st_folium/``),
#: so it also works when the app is served under a path (``server.baseUrlPath``).
VENDOR_URL = "../../app/static/vendor"

#: Choropleth classes of open hotspots per unit: (lowest count, fill colour).
DENSITY_CLASSES: list[tuple[int, str]] = [
    (1, "#c6dbef"),
    (2, "#6baed6"),
    (3, "#2171b5"),
    (5, "#08306b"),
]
BACKGROUND = "#f4f1ea"
#: Shared boundaries and border zones (dark purple, apart from every status colour).
BORDER_COLOUR = "#5B2C83"
#: Decimals of a drawn point's coordinates: 5 is about 1 m, finer than any marker.
COORD_DECIMALS = 5
#: From this many hotspots on, a map draws its vector layers on one canvas rather
#: than as one SVG element each (thousands of SVG circles make the first draw and
#: every zoom slow). Below it each marker stays an element with its class name.
CANVAS_FROM = 1000
#: From this many points on, a point layer gathers the points close together on the screen
#: into one cluster, drawn as a ring of the shares of its statuses (or risk levels) around
#: their number; from :data:`CLUSTER_UNTIL_ZOOM` on every point is drawn by itself. At
#: 5,000 hotspots the city map was one mass of overlapping circles.
CLUSTER_FROM = 300
CLUSTER_UNTIL_ZOOM = 15
#: Pixels within which points join one cluster (Leaflet.markercluster's default is 80).
CLUSTER_RADIUS_PX = 60


class OfflineMap(folium.Map):
    """A ``folium.Map`` that loads Leaflet only from the app itself."""

    default_js: ClassVar = [("leaflet", f"{VENDOR_URL}/leaflet/leaflet.js")]
    default_css: ClassVar = [("leaflet_css", f"{VENDOR_URL}/leaflet/leaflet.css")]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Without a basemap nothing sets the map's last zoom; clusters need one, and nothing
        # is gained past Leaflet's usual last zoom.
        self.options.setdefault("max_zoom", int(LABEL_MAX_ZOOM))


#: The clusters' look: a ring of shares (``conic-gradient``) around a white disc with the number.
CLUSTER_CSS = (
    "<style>"
    ".point-cluster{background:transparent;border:0}"
    ".point-cluster div{width:100%;height:100%;border-radius:50%;border:1.5px solid #000;"
    "box-sizing:border-box;display:flex;align-items:center;justify-content:center}"
    ".point-cluster span{min-width:58%;height:58%;padding:0 3px;box-sizing:border-box;border-radius:999px;"
    "background:#fff;display:flex;align-items:center;justify-content:center;"
    "font:700 12px/1 sans-serif;color:#111}"
    "</style>"
)

#: The clusters' script: ``pointClusters(options)`` (:meth:`Clusters.script_options`) is a
#: Leaflet.markercluster group whose clusters are ringed by the shares of their markers'
#: ``feature.properties[options.by]`` and name them in a tooltip (point layers, the time map).
CLUSTER_JS = r"""
function pointClusters(c) {
    const number = n => String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ".");
    const shares = cluster => {
        const counts = {};
        let zone = 0;
        for (const point of cluster.getAllChildMarkers()) {
            const p = point.feature.properties;
            counts[p[c.by]] = (counts[p[c.by]] || 0) + 1;
            if (c.zone && p[c.zone]) zone += 1;
        }
        return {counts: counts, zone: zone, n: cluster.getChildCount()};
    };
    const group = L.markerClusterGroup({
        maxClusterRadius: c.radius, disableClusteringAtZoom: c.until_zoom, animate: false,
        showCoverageOnHover: false, spiderfyOnMaxZoom: false,
        iconCreateFunction: cluster => {
            const s = shares(cluster);
            let at = 0;
            const stops = c.order.filter(v => s.counts[v]).map(v => {
                const from = at;
                at += 360 * s.counts[v] / s.n;
                return c.colours[v] + " " + from.toFixed(1) + "deg " + at.toFixed(1) + "deg";
            });
            const size = s.n < 10 ? 30 : s.n < 100 ? 36 : s.n < 1000 ? 44 : 52;
            return L.divIcon({
                html: '<div style="background:conic-gradient(' + stops.join(",") + ')"><span>'
                      + number(s.n) + "</span></div>",
                className: "point-cluster", iconSize: L.point(size, size),
            });
        },
    });
    const summary = cluster => {
        const s = shares(cluster);
        const row = (label, n) => "<tr><td>" + label
            + '</td><td style="text-align:right;padding-left:8px">' + number(n) + "</td></tr>";
        const dot = v => '<span style="display:inline-block;width:10px;height:10px;border-radius:50%;'
                         + "border:1px solid #000;background:" + c.colours[v] + '"></span> ';
        const rows = c.order.filter(v => s.counts[v])
            .map(v => row(dot(v) + c.labels[v], s.counts[v]));
        const ring = '<span style="display:inline-block;width:10px;height:10px;border-radius:50%;'
                     + 'border:2.5px solid #000;background:#bbb;box-sizing:border-box"></span> ';
        if (s.zone) rows.push(row(ring + c.zone_label, s.zone));
        const title = "<b>" + number(s.n) + " " + c.noun + "</b>";
        return title + "<table>" + rows.join("") + "</table>" + c.hint;
    };
    // Below a cluster near the map's top edge, above it elsewhere (sideways it would
    // reach under the legend or the layer control); opened at once, closed on leaving;
    // made anew each time (the time map recolours its hotspots).
    group.on("clustermouseover", e => {
        const cluster = e.layer;
        const below = cluster._map.latLngToContainerPoint(cluster.getLatLng()).y < 200;
        cluster.unbindTooltip().bindTooltip(summary(cluster), {
            className: "foliumtooltip", direction: below ? "bottom" : "top", opacity: 1,
            offset: L.point(0, below ? 12 : -12),
        }).openTooltip();
    });
    return group;
}
"""


class ClusterScripts(JSCSSMixin):
    """What a map that clusters needs, as a child of the layer or control that clusters:
    Leaflet.markercluster from the app itself (streamlit-folium loads every such element's
    scripts before the map's), the clusters' look (:data:`CLUSTER_CSS`, once a map) and
    ``pointClusters`` (:data:`CLUSTER_JS`; a function declaration, so the parent's script,
    written just before it in the map's one script, can call it)."""

    default_js: ClassVar = [("markercluster", f"{VENDOR_URL}/leaflet.markercluster/leaflet.markercluster.js")]
    default_css: ClassVar = [("markercluster_css", f"{VENDOR_URL}/leaflet.markercluster/MarkerCluster.css")]
    _template = Template(
        "{% macro script(this, kwargs) %}{% raw %}" + CLUSTER_JS + "{% endraw %}{% endmacro %}"
    )

    def render(self, **kwargs):
        self.get_root().header.add_child(Element(CLUSTER_CSS), name="point_cluster_css")
        super().render(**kwargs)


# --- Reading aids drawn on every map: ward names, a scale bar, "back to my area".

#: Ward names show from this zoom on at the earliest (the whole city is about zoom 9.5),
#: and each only from the zoom at which it fits across its ward (:func:`label_zoom`).
LABEL_MIN_ZOOM = 12.0
#: A name too long for its ward at any zoom still shows from here (Leaflet's last zoom).
LABEL_MAX_ZOOM = 18.0
#: The labels' type (``.ward-label`` in :data:`AIDS_CSS`) and the width a character of a ward
#: name takes in it: the widest of the 126 names measured in Chromium (Liberation Sans, metric
#: twin of Arial) is 7.4 px a character, the average 6.7.
LABEL_FONT_PX = 12
LABEL_CHAR_PX = 7.4
#: Room kept free around a name: across (both sides together) and its line height.
LABEL_PAD_PX = 10
LABEL_LINE_PX = 16
#: Leaflet's pixels per degree of longitude at zoom 0 (256 px tiles).
_PX_PER_DEGREE = 256 / 360
#: The widest a tooltip gets before its lines wrap (CSS pixels; less on a narrower map).
TOOLTIP_MAX_PX = 460
#: The styles of the aids: the labels ignore the pointer (a hotspot under a name stays
#: clickable), a control an open tooltip covers goes under the map (:class:`TooltipRoom`),
#: a tooltip's long lines wrap, the home button looks like Leaflet's zoom buttons.
AIDS_CSS = (
    "<style>"
    ".leaflet-ward-labels-pane,.ward-label,.ward-label *{pointer-events:none!important}"
    ".under-tooltip{z-index:399!important}"
    # A long line (a hotspot by several border pairs) wraps rather than run off the map.
    ".leaflet-container .leaflet-tooltip{white-space:normal;width:max-content;"
    f"max-width:min({TOOLTIP_MAX_PX}px,calc(100vw - 24px))}}"
    ".leaflet-container .leaflet-tooltip th{white-space:nowrap}"
    ".ward-label span{position:absolute;left:0;top:0;transform:translate(-50%,-50%);white-space:nowrap;"
    f"font:600 {LABEL_FONT_PX}px/1.2 sans-serif;color:#1f1f1f;"
    "text-shadow:0 0 2px #fff,0 0 2px #fff,0 0 3px #fff,0 0 4px #fff}"
    ".map-home-button{display:flex;align-items:center;justify-content:center;width:30px;height:30px;"
    "padding:0;margin:0;border:0;border-radius:2px;background:#fff;color:#222;cursor:pointer}"
    ".map-home-button:hover{background:#f4f4f4}"
    ".map-home-button:focus-visible{outline:3px solid #0072B2;outline-offset:1px}"
    "</style>"
)
#: The home button's picture (a house), drawn inline: no file, no outside address.
HOME_ICON = (
    '<svg viewBox="0 0 16 16" width="18" height="18" aria-hidden="true" focusable="false">'
    '<path fill="currentColor" d="M8 1.5 1 7.6l.9 1L3 7.7V14.5h4v-4h2v4h4V7.7l1.1.9.9-1z"/></svg>'
)


def label_zoom(name: str, run_x: float, run_y: float, lat: float) -> float:
    """The first zoom (a step of 0.25, Leaflet's ``zoomSnap``) at which ``name`` fits across
    its ward: ``run_x``/``run_y`` are the degrees of longitude/latitude the ward spans through
    the label's point (:func:`dashboard.geo.ward_label_points`), at latitude ``lat``; never
    below :data:`LABEL_MIN_ZOOM`, and :data:`LABEL_MAX_ZOOM` at most."""
    wide = len(name) * LABEL_CHAR_PX + LABEL_PAD_PX
    zoom = LABEL_MIN_ZOOM
    if run_x > 0:
        zoom = max(zoom, math.log2(wide / (run_x * _PX_PER_DEGREE)))
    if run_y > 0:  # Mercator stretches latitude by 1 / cos(lat)
        zoom = max(zoom, math.log2(LABEL_LINE_PX * math.cos(math.radians(lat)) / (run_y * _PX_PER_DEGREE)))
    if run_x <= 0 or run_y <= 0:
        zoom = LABEL_MAX_ZOOM
    return min(LABEL_MAX_ZOOM, math.ceil(zoom * 4 - 1e-9) / 4)


def ward_labels() -> dict[str, list]:
    """What the page gets for the ward names: ward code -> [name (escaped, :func:`map_text`),
    latitude, longitude (:data:`COORD_DECIMALS`), the zoom it shows from (:func:`label_zoom`)]."""
    names = unit_names(UnitLevel.WARD)
    out = {}
    for code, p in ward_label_points().iterrows():
        name = names.get(code)
        if not name:
            continue
        out[str(code)] = [
            map_text(name),
            round(float(p.lat), COORD_DECIMALS),
            round(float(p.lon), COORD_DECIMALS),
            label_zoom(str(name), float(p.run_x), float(p.run_y), float(p.lat)),
        ]
    return out


class WardLabels(Layer):
    """The ward names, in a pane of their own that ignores the pointer: each name is a
    non-interactive ``divIcon`` marker at its ward's label point, put on the map only while
    the ward is in view and the zoom is at least the one its name fits from; recomputed on
    ``zoomend``/``moveend``. A layer of the layer control (it can be switched off)."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }} = L.layerGroup();
        (function (map, group, labels) {
            if (!map.getPane("wardLabels")) {
                const pane = map.createPane("wardLabels");
                pane.classList.add("leaflet-ward-labels-pane");
                pane.style.zIndex = 450;
                pane.style.pointerEvents = "none";
            }
            const shown = {};
            function update() {
                if (!map.hasLayer(group)) { return; }
                const zoom = map.getZoom(), view = map.getBounds().pad(0.2);
                for (const code in labels) {
                    const d = labels[code];
                    const wanted = zoom >= d[3] && view.contains([d[1], d[2]]);
                    if (wanted && !shown[code]) {
                        shown[code] = L.marker([d[1], d[2]], {
                            pane: "wardLabels", interactive: false, keyboard: false,
                            icon: L.divIcon({className: "ward-label", html: "<span>" + d[0] + "</span>",
                                             iconSize: null})
                        });
                        group.addLayer(shown[code]);
                    } else if (!wanted && shown[code]) {
                        group.removeLayer(shown[code]);
                        delete shown[code];
                    }
                }
            }
            map.on("zoomend moveend", update);
            group.on("add", update);
            map.whenReady(update);
        })({{ this._parent.get_name() }}, {{ this.get_name() }}, {{ this.labels_json() }});
        {% endmacro %}
        """
    )

    def __init__(self, show: bool = True):
        super().__init__(name=map_text(t("mapaids.labels")), overlay=True, show=show)
        self._name = "WardLabels"

    def labels_json(self) -> str:
        return script_json(ward_labels())


class ScaleBar(MacroElement):
    """Leaflet's scale bar, in metres only (folium's ``control_scale`` adds miles too)."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        L.control.scale({{ this.options_json() }}).addTo({{ this._parent.get_name() }});
        {% endmacro %}
        """
    )

    OPTIONS: ClassVar = {"metric": True, "imperial": False, "position": "bottomright", "maxWidth": 140}

    def __init__(self):
        super().__init__()
        self._name = "ScaleBar"

    def options_json(self) -> str:
        return script_json(self.OPTIONS)


class TooltipRoom(MacroElement):
    """Tooltips kept readable. Leaflet opens one left or right of its point, by the map's
    centre, and draws every control (the legend, the layer list, the zoom buttons) above every
    tooltip. Here a tooltip that would be cut by the map's edge or lie under a control opens on
    the side where it shows whole (right, left, below or above); where no side does (a narrow
    map), on the side where, slid along it, the least of it stays outside, and the controls it
    covers then go under the map until it closes."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function (map) {
            const container = map.getContainer();
            const lowered = [];
            const overlap = (a, b) => Math.max(0, Math.min(a.right, b.right) - Math.max(a.left, b.left))
                * Math.max(0, Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top));
            function restore() {
                while (lowered.length) lowered.pop().classList.remove("under-tooltip");
            }
            function place(tip) {
                restore();
                if (tip._homeDirection === undefined) {
                    tip._homeDirection = tip.options.direction;
                    tip._homeOffset = L.point(tip.options.offset);
                }
                tip.options.offset = tip._homeOffset;
                const area = container.getBoundingClientRect();
                // A control's corner holds it above the map: that is what goes under.
                const blockers = Array.from(document.querySelectorAll(".leaflet-control, .hotspot-legend"))
                    .filter(c => c.getClientRects().length > 0 && !c.contains(tip.getElement()))
                    .map(c => c.classList.contains("leaflet-control") ? c.parentElement : c)
                    .filter((c, i, all) => all.indexOf(c) === i);
                let best = null;
                for (const direction of [tip._homeDirection, "right", "left", "bottom", "top"]) {
                    tip.options.direction = direction;
                    tip.update();
                    const el = tip.getElement();
                    const r = el.getBoundingClientRect();
                    const w = r.right - r.left, h = r.bottom - r.top;
                    const outside = w * h - overlap(r, area);
                    let covered = 0;
                    for (const c of blockers) covered += overlap(r, c.getBoundingClientRect());
                    // What stays outside once slid along its side (above or below the point: across;
                    // beside it: up or down), the point itself left in view.
                    const across = el.classList.contains("leaflet-tooltip-top")
                        || el.classList.contains("leaflet-tooltip-bottom");
                    const overX = Math.max(0, area.left - r.left) + Math.max(0, r.right - area.right);
                    const overY = Math.max(0, area.top - r.top) + Math.max(0, r.bottom - area.bottom);
                    const left = across ? Math.max(0, w - area.width) * h + overY * w
                        : overX * h + Math.max(0, h - area.height) * w;
                    const better = best === null || left < best.left
                        || (left === best.left && (outside + covered) < (best.outside + best.covered));
                    if (better) best = {direction: direction, left: left, outside: outside, covered: covered};
                    if (outside === 0 && covered === 0) break;
                }
                if (tip.options.direction !== best.direction) {
                    tip.options.direction = best.direction;
                    tip.update();
                }
                if (best.outside > 0) {  // slid inside the map as far as it goes (a narrow map)
                    const r = tip.getElement().getBoundingClientRect();
                    const dx = r.width > area.width ? area.left - r.left
                        : Math.max(area.left - r.left, Math.min(0, area.right - r.right));
                    const dy = r.height > area.height ? area.top - r.top
                        : Math.max(area.top - r.top, Math.min(0, area.bottom - r.bottom));
                    if (dx !== 0 || dy !== 0) {
                        // Leaflet mirrors the offset across for a tooltip it put on the left itself.
                        const mirrored = tip.options.direction === "auto"
                            && tip.getElement().classList.contains("leaflet-tooltip-left");
                        tip.options.offset = tip._homeOffset.add([mirrored ? -dx : dx, dy]);
                        tip.update();
                    }
                }
                const placed = tip.getElement().getBoundingClientRect();
                for (const c of blockers) {
                    if (overlap(placed, c.getBoundingClientRect()) > 0) {
                        c.classList.add("under-tooltip");
                        lowered.push(c);
                    }
                }
            }
            map.on("layeradd", function (e) {
                const tip = e.layer;
                if (tip instanceof L.Tooltip && !tip.options.permanent && tip.getElement()) place(tip);
            });
            map.on("layerremove", function (e) {
                if (e.layer instanceof L.Tooltip && !e.layer.options.permanent) restore();
            });
        })({{ this._parent.get_name() }});
        {% endmacro %}
        """
    )

    def __init__(self):
        super().__init__()
        self._name = "TooltipRoom"


class ZoomTitles(MacroElement):
    """The zoom buttons' titles and ``aria-label`` in Vietnamese (Leaflet writes "Zoom in"), and
    no "Leaflet" credit before the attribution (an English word and a link to an outside site;
    the basemap's own attribution stays)."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function (map, titles) {
            const zoom = map.zoomControl;
            if (!zoom) { return; }
            const buttons = [[zoom._zoomInButton, titles[0]], [zoom._zoomOutButton, titles[1]]];
            for (const [button, title] of buttons) {
                button.title = title;
                button.setAttribute("aria-label", title);
            }
            if (map.attributionControl) { map.attributionControl.setPrefix(false); }
        })({{ this._parent.get_name() }}, {{ this.titles_json() }});
        {% endmacro %}
        """
    )

    def __init__(self):
        super().__init__()
        self._name = "ZoomTitles"

    def titles_json(self) -> str:
        return script_json([t("mapaids.zoom_in"), t("mapaids.zoom_out")])


class HomeControl(MacroElement):
    """A button under the zoom buttons that fits the map back to ``bounds`` (the signed-in
    officer's own area): a ``<button>`` (keyboard reachable, Enter or Space presses it)
    with a Vietnamese title and ``aria-label``."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function (map, home, label, icon) {
            const Home = L.Control.extend({
                options: {position: "topleft"},
                onAdd: function () {
                    const bar = L.DomUtil.create("div", "leaflet-bar leaflet-control map-home");
                    const button = L.DomUtil.create("button", "map-home-button", bar);
                    button.type = "button";
                    button.title = label;
                    button.setAttribute("aria-label", label);
                    button.innerHTML = icon;
                    L.DomEvent.disableClickPropagation(bar);
                    L.DomEvent.disableScrollPropagation(bar);
                    L.DomEvent.on(button, "click", function (event) {
                        L.DomEvent.preventDefault(event);
                        map.fitBounds(home);
                    });
                    return bar;
                }
            });
            new Home().addTo(map);
        })({{ this._parent.get_name() }}, {{ this.bounds_json() }},
           {{ this.label_js() }}, {{ this.icon_js() }});
        {% endmacro %}
        """
    )

    def __init__(self, bounds: list[list[float]]):
        super().__init__()
        self._name = "HomeControl"
        self.bounds = [[round(float(v), COORD_DECIMALS) for v in corner] for corner in bounds]

    def bounds_json(self) -> str:
        return script_json(self.bounds)

    def label_js(self) -> str:
        return js_string(t("mapaids.home"))

    def icon_js(self) -> str:
        return js_string(HOME_ICON)


def add_reading_aids(m: folium.Map, home: list[list[float]] | None) -> None:
    """Ward names, the metric scale bar, Vietnamese zoom titles, tooltips kept clear of the edges
    and controls (:class:`TooltipRoom`) and (with ``home``) the "back to my area" button: what
    every map of the app gets (other modules' maps call it too)."""
    m.get_root().header.add_child(Element(AIDS_CSS), name="map_aids_css")
    WardLabels().add_to(m)
    ScaleBar().add_to(m)
    ZoomTitles().add_to(m)
    TooltipRoom().add_to(m)
    if home is not None:
        HomeControl(home).add_to(m)


def _coded(key: str, values: list) -> tuple[list, list] | None:
    """A property's values as (table of ``{key: value}``, an index into it for each
    value) when that is shorter than the values written out, else None."""
    try:
        counts = Counter((type(v), v) for v in values)  # keyed by type too, so True and 1 stay apart
    except TypeError:  # lists or dicts: written out
        return None
    if len(counts) == len(values):
        return None
    ordered = [found for found, _ in counts.most_common()]  # the commonest gets the shortest index
    position = {found: i for i, found in enumerate(ordered)}
    table = [{key: v} for _, v in ordered]
    index = [position[(type(v), v)] for v in values]
    written_out = sum(n * len(script_json({key: v})) for (_, v), n in counts.items())
    return (table, index) if len(script_json(table)) + len(script_json(index)) < written_out else None


class PointLayer(folium.GeoJson):
    """A ``folium.GeoJson`` of points drawn as circle markers, sent compactly.

    In Python it is an ordinary GeoJson layer (``data``, ``style_function``,
    ``marker``, a ``GeoJsonTooltip``). folium would write every feature with
    all its keys, and each feature's id again in a ``switch`` for its style:
    about 540 bytes a hotspot. The page gets :meth:`packed` instead (100-130):
    the coordinates; the properties with few distinct values (status, ward,
    date…) once each in a table, and an index into it for each point; the
    others in one record a point; and each point's style as an index into the
    distinct styles the ``style_function`` gave. Every text stays a JSON string
    next to its property name. A few lines of script rebuild every marker with
    exactly the feature's properties, so the tooltip reads the same escaped
    text. Points only; no ``highlight_function`` or popup.

    With ``cluster`` (:class:`Clusters`: which property colours the clusters, in
    which colours, and their labels) and at least :data:`CLUSTER_FROM` points, the
    markers go into a Leaflet.markercluster group inside the layer: the layer
    control, the tooltip and a click on a marker work as without it, and a cluster
    shows its number inside a ring of its shares, names them in its tooltip and
    zooms in when clicked.
    """

    _template = Template(
        r"""
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }} = L.geoJson(null, {{ this.options|tojavascript }});
        (function (layer, d) {
            const marker = {{ this.marker.options|tojavascript }};
            const points = [];
            for (let i = 0; i < d.x.length; i++) {
                const properties = Object.assign({}, d.rows[i]);
                for (const [key, table, index] of d.coded) {
                    properties[key] = table[index[i]][key];
                }
                const style = d.styles[d.style[i]];
                const point = L.circleMarker([d.y[i], d.x[i]], Object.assign({}, marker, style));
                point.feature = {type: "Feature", geometry: {type: "Point", coordinates: [d.x[i], d.y[i]]},
                                 properties: properties};
                points.push(point);
            }
            if (!d.cluster) {
                points.forEach(point => layer.addLayer(point));
                return;
            }
            const group = pointClusters(d.cluster);
            group.addLayers(points);
            layer.addLayer(group);
        })({{ this.get_name() }}, {{ this.packed_json() }});
        {% endmacro %}
        """
    )

    def __init__(self, data: dict, *, marker: folium.CircleMarker, cluster: Clusters | None = None, **kwargs):
        if kwargs.get("highlight_function") or kwargs.get("popup"):
            raise ValueError("PointLayer draws no highlight or popup")
        super().__init__(data, marker=marker, **kwargs)
        self.cluster = cluster if cluster is not None and len(data["features"]) >= CLUSTER_FROM else None
        if self.cluster is not None:
            self.add_child(ClusterScripts(), name="cluster_scripts")

    def packed(self) -> dict:
        """What the page gets: ``x``, ``y`` (lon, lat); ``coded``: [property,
        table of ``{property: value}``, each point's index into it]; ``rows``:
        each point's other properties; ``styles`` and each point's ``style`` index."""
        features = self.data["features"]
        keys = list(features[0]["properties"]) if features else []
        if any(f["geometry"]["type"] != "Point" or list(f["properties"]) != keys for f in features):
            raise ValueError("PointLayer needs points that all have the same properties")
        coded = {key: _coded(key, [f["properties"][key] for f in features]) for key in keys}
        plain = [key for key in keys if coded[key] is None]
        styles: dict[str, int] = {}  # JSON text of each distinct style -> its index
        style = []
        for feature in features:
            text = json.dumps(self.style_function(feature) if self.style else {}, sort_keys=True)
            style.append(styles.setdefault(text, len(styles)))
        packed = {
            "x": [f["geometry"]["coordinates"][0] for f in features],
            "y": [f["geometry"]["coordinates"][1] for f in features],
            "coded": [[key, *found] for key, found in coded.items() if found is not None],
            "rows": [{key: f["properties"][key] for key in plain} for f in features],
            "styles": [json.loads(text) for text in styles] or [{}],
            "style": style,
        }
        if self.cluster is not None:
            packed["cluster"] = self.cluster.script_options()
        return packed

    def packed_json(self) -> str:
        return script_json(self.packed())

    def render(self, **kwargs):
        # No folium style map (a switch over every feature id): the styles are in packed().
        self.parent_map = get_obj_in_upper_tree(self, folium.Map)
        Layer.render(self, **kwargs)


@dataclass(frozen=True)
class Clusters:
    """How a :class:`PointLayer`'s clusters are drawn: the property ``by`` whose values
    (in ``order``) colour the ring (``colours``) and name its rows (``labels``, plain
    text); ``noun``: what the number counts; ``zone``: a true/false property counted
    on a row of its own as ``zone_label``."""

    by: str
    order: tuple[str, ...]
    colours: dict[str, str]
    labels: dict[str, str]
    noun: str
    zone: str | None = None
    zone_label: str = ""

    def script_options(self) -> dict:
        """What the page's script gets: every text HTML-escaped (the tooltip is HTML)."""
        return {
            "by": self.by,
            "order": list(self.order),
            "colours": dict(self.colours),
            "labels": {value: html_text(label) for value, label in self.labels.items()},
            "noun": html_text(self.noun),
            "zone": self.zone,
            "zone_label": html_text(self.zone_label),
            "hint": f'<div style="color:#555">{html_text(t("map.cluster_hint"))}</div>',
            "radius": CLUSTER_RADIUS_PX,
            "until_zoom": CLUSTER_UNTIL_ZOOM,
        }


def status_clusters(border: bool = False) -> Clusters:
    """Clusters of hotspots by status (and, on a map with border zones, those in one)."""
    return Clusters(
        by="status",
        order=tuple(s.value for s in Status),
        colours={s.value: STATUS_COLOURS[s] for s in Status},
        labels={s.value: t(f"status.{s.value}") for s in Status},
        noun=t("map.cluster_noun"),
        zone="in_zone" if border else None,
        zone_label=t("map.cluster_border"),
    )


def risk_clusters() -> Clusters:
    """Clusters of scored hotspots by risk level."""
    return Clusters(
        by="level",
        order=tuple(reversed(LEVELS)),
        colours=dict(RISK_COLOURS),
        labels={level: t(f"risk.level.{level}") for level in LEVELS},
        noun=t("map.cluster_noun"),
    )


def unpack(packed: dict) -> list[dict]:
    """The features the page's script rebuilds from :meth:`PointLayer.packed`
    (with their style), the same way: for tests and checks."""
    features = []
    for i, (x, y) in enumerate(zip(packed["x"], packed["y"], strict=True)):
        properties = dict(packed["rows"][i])
        for key, table, index in packed["coded"]:
            properties[key] = table[index[i]][key]
        features.append(
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [x, y]},
                "properties": properties,
                "style": packed["styles"][packed["style"][i]],
            }
        )
    return features


def density_colour(count: int) -> str | None:
    """Fill colour for ``count`` open hotspots; None (no fill) for zero."""
    colour = None
    for lowest, fill in DENSITY_CLASSES:
        if count >= lowest:
            colour = fill
    return colour


def _unit_layer(level: UnitLevel, counts: pd.Series, show: bool, detail: str) -> folium.GeoJson:
    names = {UnitLevel.DISTRICT: "map.districts", UnitLevel.WARD: "map.wards"}
    # New feature dicts around the shared, never-mutated geometries.
    features = [
        {
            "type": "Feature",
            "id": f["properties"]["code"],
            "geometry": f["geometry"],
            "properties": {
                "code": f["properties"]["code"],
                "name": map_text(f["properties"]["name"]),
                "open": int(counts.get(f["properties"]["code"], 0)),
            },
        }
        for f in display_geojson(level, detail)["features"]
    ]
    data = {"type": "FeatureCollection", "features": features}
    colour, weight = UNIT_LINES[level]

    def style(feature):
        fill = density_colour(feature["properties"]["open"])
        return {
            "color": colour,
            "weight": weight,
            "fillColor": fill or "#ffffff",
            "fillOpacity": 0.45 if fill else 0.0,
        }

    return folium.GeoJson(
        data,
        name=map_text(t(names[level])),
        show=show,
        style_function=style,
        highlight_function=lambda _f: {"weight": weight + 2, "color": "#000000"},
        tooltip=folium.GeoJsonTooltip(
            fields=["name", "open"],
            aliases=[
                map_text(t("table.district" if level == UnitLevel.DISTRICT else "table.ward")),
                map_text(t("map.tooltip.active_count")),
            ],
            sticky=False,
        ),
        class_name=f"unit-{level.value}",
        smooth_factor=0.5,
    )


def _point(lon: float, lat: float) -> dict:
    return {"type": "Point", "coordinates": [round(float(v), COORD_DECIMALS) for v in (lon, lat)]}


def hotspot_features(view: pd.DataFrame, border_labels: dict[int, str] | None = None) -> dict:
    """Hotspots as GeoJSON points whose properties are escaped display text.

    With ``border_labels`` (hotspot id -> the border pair(s) it lies by),
    hotspots in a border zone carry ``border`` text and are drawn larger.
    """
    wards, districts = unit_names(UnitLevel.WARD), unit_names(UnitLevel.DISTRICT)
    escaped: dict = {}

    def shared(text) -> str:  # labels that repeat from hotspot to hotspot: each is encoded once
        if text not in escaped:
            escaped[text] = map_text(text)
        return escaped[text]

    if view.empty:
        return {"type": "FeatureCollection", "features": []}
    # Many hotspots share a last date: each date is formatted once (no date: -1, the last label).
    at, last_dates = pd.factorize(view["last_activity"])
    last_labels = [shared(fmt_date(d)) for d in last_dates] + [shared(t("map.tooltip.none"))]
    columns = ["id", "lon", "lat", "status", "name", "code", "kind", "ward_code", "district_code"]
    rows = zip(*(view[c].tolist() for c in columns), at.tolist(), strict=True)
    features = []
    for spot_id, lon, lat, status, name, code, kind, ward_code, district_code, last in rows:
        features.append(
            {
                "type": "Feature",
                "geometry": _point(lon, lat),
                "properties": {
                    "status": status,
                    "name": map_text(name),
                    "code": map_text(code),
                    "status_label": shared(t(f"status.{status}")),
                    "kind_label": shared(t(f"kind.{kind}")),
                    "ward": shared(wards.get(ward_code, ward_code)),
                    "district": shared(districts.get(district_code, district_code)),
                    "last_activity": last_labels[last],
                },
            }
        )
        if border_labels is not None:
            label = border_labels.get(spot_id)
            features[-1]["properties"]["border"] = map_text(label) if label else "—"
            features[-1]["properties"]["in_zone"] = label is not None
    return {"type": "FeatureCollection", "features": features}


def _hotspot_style(feature: dict) -> dict:
    style = {"fillColor": STATUS_COLOURS[Status(feature["properties"]["status"])]}
    if feature["properties"].get("in_zone"):
        style |= {"radius": 10, "weight": 3.5}
    return style


def _hotspot_layer(view: pd.DataFrame, border_labels: dict[int, str] | None = None) -> PointLayer:
    fields = ["name", "code", "status_label", "kind_label", "ward", "district", "last_activity"]
    aliases = [
        "map.tooltip.name",
        "map.tooltip.code",
        "map.tooltip.status",
        "map.tooltip.kind",
        "map.tooltip.ward",
        "map.tooltip.district",
        "map.tooltip.last_activity",
    ]
    if border_labels is not None:
        fields.append("border")
        aliases.append("map.tooltip.border")
    features = hotspot_features(view, border_labels)
    tooltip = folium.GeoJsonTooltip(fields=fields, aliases=[map_text(t(a)) for a in aliases])
    return PointLayer(
        features,
        name=map_text(t("map.hotspots")),
        marker=folium.CircleMarker(
            radius=7, weight=1.5, color="#000000", fill=True, fill_opacity=0.95, class_name="hotspot-marker"
        ),
        style_function=_hotspot_style,
        # folium checks tooltip fields against the data, so an empty layer has none.
        tooltip=tooltip if features["features"] else None,
        class_name="hotspot-marker",
        cluster=status_clusters(border=border_labels is not None),
    )


def _risk_layer(scores: pd.DataFrame) -> PointLayer:
    """Scored hotspots, coloured by risk level and sized by score."""
    features = [
        {
            "type": "Feature",
            "geometry": _point(row.lon, row.lat),
            "properties": {
                "level": row.level,
                "radius": round(5 + row.score / 10, 1),
                "name": map_text(row.name),
                "code": map_text(row.code),
                "type": map_text(t(f"risk.type.{row.score_type}")),
                "score": map_text(fmt_number(row.score, 1)),
                "level_label": map_text(t(f"risk.level.{row.level}")),
            },
        }
        for row in scores.itertuples(index=False)
    ]
    fields = ["name", "code", "type", "score", "level_label"]
    aliases = [
        "map.tooltip.name",
        "map.tooltip.code",
        "risk.table.type",
        "map.tooltip.risk",
        "map.tooltip.level",
    ]
    tooltip = folium.GeoJsonTooltip(fields=fields, aliases=[map_text(t(a)) for a in aliases])
    return PointLayer(
        {"type": "FeatureCollection", "features": features},
        name=map_text(t("map.risk")),
        marker=folium.CircleMarker(radius=7, weight=1.5, color="#000000", fill=True, fill_opacity=0.95,
                                   class_name="risk-marker"),
        style_function=lambda f: {"fillColor": RISK_COLOURS[f["properties"]["level"]],
                                  "radius": f["properties"]["radius"]},
        tooltip=tooltip if features else None,
        class_name="risk-marker",
        cluster=risk_clusters(),
    )  # fmt: skip


def _area_layer(view: pd.DataFrame) -> folium.GeoJson | None:
    """Outlines of hotspots that have an area polygon."""
    with_area = view[view["area_geojson"].notna()]
    if with_area.empty:
        return None
    features = [
        {
            "type": "Feature",
            "geometry": json.loads(row.area_geojson),
            "properties": {"status": row.status, "name": map_text(row.name)},
        }
        for row in with_area.itertuples(index=False)
    ]
    return folium.GeoJson(
        {"type": "FeatureCollection", "features": features},
        name=map_text(t("map.hotspot_areas")),
        style_function=lambda f: {
            "color": STATUS_COLOURS[Status(f["properties"]["status"])],
            "weight": 2,
            "fillOpacity": 0.25,
        },
        tooltip=folium.GeoJsonTooltip(fields=["name"], labels=False),
        class_name="hotspot-area",
    )


def _swatch(style: str) -> str:
    return f'<span style="display:inline-block;vertical-align:middle;margin-right:6px;{style}"></span>'


def _legend_row(style: str, label: str, symbol: str | None = None) -> str:
    """One entry: a swatch drawn like the symbol, and its text; ``symbol`` (the class name
    of the layer it explains, for checks) goes in a ``data-symbol`` attribute."""
    attribute = f' data-symbol="{html_text(symbol)}"' if symbol else ""
    return f"<div{attribute}>{_swatch(style)}{html_text(label)}</div>"


#: The boundary layers' lines (colour, weight) as :func:`_unit_layer` draws them.
UNIT_LINES = {UnitLevel.DISTRICT: ("#333333", 1.6), UnitLevel.WARD: ("#777777", 0.8)}


def legend_html(
    risk: bool = False,
    *,
    zone_width_m: float | None = None,
    border_lines: bool = False,
    border_hotspots: bool = False,
    areas: bool = False,
    statuses: list[Status] | None = None,
    density: bool = True,
    boundaries: bool = True,
    focus: UnitLevel | None = None,
    focus_weight: float = 4,
    focus_text: str | None = None,
    labels: bool = True,
    folded: bool = False,
    clusters: str | None = None,
) -> str:
    """The map's legend as escaped HTML: one entry for every symbol the map draws.

    ``statuses``: the status colours drawn (all of them by default); ``density``: the
    density classes of the boundary choropleths; ``boundaries``: the former-district and
    ward boundary lines; ``focus``: the thick outline of the unit the map is fitted to
    (``focus_weight`` px; ``focus_text`` names it, by default "the area shown");
    ``labels``: a sample of the ward names. ``risk``: the risk levels and the circle
    sizes; ``zone_width_m``: the border zones (their width in metres); ``border_lines``:
    the shared boundaries; ``border_hotspots``: the larger, thick-ringed border hotspots;
    ``areas``: the hotspot outlines. The defaults are the whole-city map's legend. Each
    entry names the layer it explains (``data-symbol``, its class name). The legend is a
    ``<details open>`` element, which the user folds away on a small screen (no
    JavaScript), and scrolls when it is taller than the map; ``folded``: it starts folded
    (a small map, which the open legend would cover). It stops short of the scale bar in
    the bottom right corner. ``clusters``: the hotspots close together are drawn as
    clusters, ringed by their shares of ``"status"`` or ``"risk"`` level.
    """
    dot = "width:12px;height:12px;border-radius:6px;border:1px solid #000;"
    shown = list(Status) if statuses is None else statuses
    rows = "".join(
        _legend_row(f"{dot}background:{STATUS_COLOURS[s]}", t(f"status.{s.value}"), "hotspot-marker")
        for s in shown
    )
    if clusters is not None:
        rows += cluster_legend_row(clusters)
    parts = [f"<b>{html_text(t('map.legend'))}</b>{rows}"]
    if areas:
        parts.append(_legend_row("width:14px;height:10px;border:2px solid #555;background:rgba(85,85,85,.25)",
                                 t("map.legend_area"), "hotspot-area"))  # fmt: skip
    if density:
        lows = [lo for lo, _ in DENSITY_CLASSES] + [None]
        classes = "".join(
            _legend_row(
                f"width:14px;height:10px;background:{fill};opacity:.8",
                f"{lo if nxt is None or nxt - 1 == lo else f'{lo}–{nxt - 1}'}{'+' if nxt is None else ''}",
            )
            for (lo, fill), nxt in zip(DENSITY_CLASSES, lows[1:], strict=True)
        )
        parts.append(f"<b>{html_text(t('map.legend_density'))}</b>{classes}")
    places = []
    if focus is not None:
        outline = f"width:14px;height:10px;border:{focus_weight:g}px solid #000"
        places.append(_legend_row(outline, focus_text or t("mapaids.legend_focus"), "unit-focus"))
    if boundaries:
        for level, key in ((UnitLevel.DISTRICT, "map.districts"), (UnitLevel.WARD, "map.wards")):
            colour, weight = UNIT_LINES[level]
            line = f"width:18px;height:0;border-top:{max(weight, 1):g}px solid {colour}"
            places.append(_legend_row(line, t(key), f"unit-{level.value}"))
    if labels:
        sample = (
            f'<div data-symbol="ward-label"><span style="display:inline-block;vertical-align:middle;'
            f"margin-right:6px;font:600 {LABEL_FONT_PX}px/1.2 sans-serif;color:#1f1f1f;"
            f'text-shadow:0 0 2px #fff,0 0 3px #fff">{html_text(t("mapaids.legend_labels_sample"))}</span>'
            f"{html_text(t('mapaids.legend_labels'))}</div>"
        )
        places.append(sample)
    if places:
        parts.append(f"<b>{html_text(t('mapaids.legend_places'))}</b>{''.join(places)}")
    border = []
    if zone_width_m is not None:
        band = f"width:18px;height:10px;background:{BORDER_COLOUR};opacity:.35"
        border.append(_legend_row(band, t("map.border_zones", width=fmt_number(zone_width_m)), "border-zone"))
    if border_lines:
        border.append(_legend_row(f"width:18px;height:0;border-top:3.5px solid {BORDER_COLOUR}",
                                  t("map.border_lines"), "border-line"))  # fmt: skip
    if border_hotspots:
        ring = "width:17px;height:17px;border-radius:50%;border:3.5px solid #000;background:#bbb"
        ring += ";box-sizing:border-box"  # radius 10 and weight 3.5 on the map
        border.append(_legend_row(ring, t("map.legend_border_hotspot"), "hotspot-marker"))
    if border:
        parts.append(f"<b>{html_text(t('map.legend_border'))}</b>{''.join(border)}")
    if risk:
        parts.append(_risk_legend())
    return (
        f'<details{"" if folded else " open"} class="hotspot-legend" style="position:absolute;bottom:18px;'
        "left:10px;z-index:1000;background:rgba(255,255,255,.92);padding:6px 10px;border:1px solid #999;"
        "border-radius:4px;font:12px/1.4 sans-serif;color:#222;max-height:calc(100% - 60px);"
        'max-width:calc(100% - 180px);overflow:auto">'
        f'<summary style="cursor:pointer;font-weight:bold">{html_text(t("map.legend_title"))}</summary>'
        f"{''.join(parts)}</details>"
    )


def cluster_legend_row(clusters: str) -> str:
    """The legend's entry for the clusters, ringed by ``"status"`` or ``"risk"`` level."""
    colours = [STATUS_COLOURS[s] for s in Status] if clusters == "status" else [
        RISK_COLOURS[level] for level in reversed(LEVELS)
    ]
    step = 360 / len(colours)
    ring = ",".join(f"{c} {i * step:g}deg {(i + 1) * step:g}deg" for i, c in enumerate(colours))
    return (
        f'<div data-symbol="point-cluster" style="display:flex;align-items:center;margin:2px 0">'
        f'<span style="flex:none;width:22px;height:22px;border-radius:50%;border:1.5px solid #000;'
        f"box-sizing:border-box;background:conic-gradient({ring});display:inline-flex;align-items:center;"
        'justify-content:center;margin-right:6px"><span style="width:13px;height:13px;border-radius:50%;'
        'background:#fff;font:700 9px/13px sans-serif;text-align:center;color:#111">3</span></span>'
        f"<span>{html_text(t(f'map.legend_cluster_{clusters}'))}<br>"
        f'<span style="color:#555">{html_text(t("map.legend_cluster_hint"))}</span></span></div>'
    )


def _risk_legend() -> str:
    dot = "border-radius:50%;border:1px solid #000;"
    rows = "".join(
        _legend_row(
            f"width:12px;height:12px;{dot}background:{RISK_COLOURS[level]}",
            t(f"risk.level.{level}"),
            "risk-marker",
        )
        for level in LEVELS
    )
    # The risk layer's radius is 5 + score / 10 px: 5 at score 0, 15 at 100.
    sizes = (
        f'<div data-symbol="risk-marker">{_swatch(f"width:10px;height:10px;{dot}background:#ffffff")}'
        f"{_swatch(f'width:30px;height:30px;{dot}background:#ffffff')}{html_text(t('map.legend_risk_size'))}</div>"
    )
    return f"<b>{html_text(t('map.legend_risk'))}</b>{rows}{sizes}"


def _unit_outline(level: UnitLevel, code: str, weight: int, fill_opacity: float) -> folium.GeoJson:
    """The outline of one unit, named in the layer list; only the outline: the unit's raw
    properties (its name) stay off the page."""
    feature = next(f for f in display_geojson(level)["features"] if f["properties"]["code"] == code)
    outline = {"type": "Feature", "geometry": feature["geometry"], "properties": {"code": code}}
    style = {"color": "#000000", "weight": weight, "fillOpacity": fill_opacity}
    return folium.GeoJson(
        {"type": "FeatureCollection", "features": [outline]},
        name=map_text(feature["properties"]["name"]),
        style_function=lambda _f: style,
        interactive=False,
        class_name="unit-focus",
    )


def build_map(
    view: pd.DataFrame,
    open_by_unit: dict[UnitLevel, pd.Series],
    tiles: Tiles,
    *,
    focus: tuple[UnitLevel, str] | None = None,
    wards_on: bool = False,
    border: BorderOverlay | None = None,
    bounds: list[list[float]] | None = None,
    risk: pd.DataFrame | None = None,
    height: int = 620,
    home: list[list[float]] | None = None,
) -> folium.Map:
    """The hotspot map.

    Parameters
    ----------
    view : DataFrame
        Hotspots to draw (from :func:`dashboard.queries.hotspot_view`).
    open_by_unit : dict
        Open hotspots per unit code, for each level's choropleth.
    tiles : Tiles
        Basemap; with none, a plain background and the boundaries make the map.
    focus : (level, code), optional
        Fit the map to this unit and outline it.
    wards_on : bool
        Show the ward layer at start (the district layer is always on).
    border : BorderOverlay, optional
        Shared boundaries and border zones, and border hotspots drawn larger
        with their pair in the tooltip.
    bounds : [[south, west], [north, east]], optional
        Fit the map to these bounds instead (for example one border pair).
    risk : DataFrame, optional
        Scores (:func:`dashboard.risk.score`) drawn as a risk layer; the
        status layer then starts hidden.
    home : [[south, west], [north, east]], optional
        Where the "Về địa bàn của tôi" button fits the map (the signed-in
        officer's area, :func:`dashboard.geo.scope_bounds`); by default the
        map's initial bounds.

    Every map also gets the ward names (from the zoom each fits at), a metric
    scale bar and a legend entry for every symbol it draws.
    """
    # The whole city needs far less boundary detail than one ward does.
    detail = "display" if focus or bounds else "city"
    bounds = bounds or (unit_bounds(*focus) if focus else city_bounds())
    m = OfflineMap(
        location=[(bounds[0][0] + bounds[1][0]) / 2, (bounds[0][1] + bounds[1][1]) / 2],
        tiles=None,
        zoom_start=10,
        height=height,
        prefer_canvas=len(view) >= CANVAS_FROM,
        zoom_snap=0.25,
        zoom_delta=0.5,
    )
    _basemap(m, tiles)
    for level, show in ((UnitLevel.DISTRICT, True), (UnitLevel.WARD, wards_on)):
        _unit_layer(level, open_by_unit.get(level, pd.Series()), show, detail).add_to(m)
    if focus:
        _unit_outline(*focus, weight=4, fill_opacity=0).add_to(m)
    for layer in _border_layers(border) if border else []:
        layer.add_to(m)
    area = _area_layer(view)
    if area is not None:
        area.add_to(m)
    status_layer = _hotspot_layer(view, border.labels if border else None)
    clusters = "status" if status_layer.cluster is not None else None
    if risk is not None:
        status_layer.show = False
    status_layer.add_to(m)
    if risk is not None:
        risk_layer = _risk_layer(risk)
        risk_layer.add_to(m)
        clusters = "risk" if risk_layer.cluster is not None else None
    add_reading_aids(m, home or bounds)
    legend = legend_html(
        risk=risk is not None,
        zone_width_m=border.width_m if border and _has_zones(border) else None,
        border_lines=bool(border) and not border.lines.empty,
        border_hotspots=bool(border and border.labels),
        areas=area is not None,
        focus=focus[0] if focus else None,
        clusters=clusters,
    )
    m.get_root().html.add_child(Element(legend))
    folium.LayerControl(collapsed=False).add_to(m)
    m.fit_bounds(bounds)
    return m


def _has_zones(overlay: BorderOverlay) -> bool:
    return overlay.zones is not None and not overlay.zones.empty


@dataclass(frozen=True)
class BorderOverlay:
    """Border areas to draw: shared boundaries, zones, and the pair label of
    each hotspot in a zone (all geometry in EPSG:4326, already simplified)."""

    lines: gpd.GeoDataFrame
    zones: gpd.GeoDataFrame | None
    width_m: float
    labels: dict[int, str]
    show: bool = True
    selected: tuple[str, str] | None = None


def border_overlay(
    report: BorderReport,
    names: dict[str, str],
    *,
    detail_m: float = 20.0,
    show: bool = True,
    with_zones: bool = True,
    only_with_hotspots: bool = False,
    selected: tuple[str, str] | None = None,
) -> BorderOverlay:
    """A :class:`BorderOverlay` from a :class:`dashboard.border.BorderReport`.

    ``detail_m`` is the simplification tolerance of the drawn lines and zones;
    ``only_with_hotspots`` keeps the pairs that have hotspots in their zone.
    """
    lines = report.adjacency.pairs
    if only_with_hotspots:
        keys = set(zip(report.in_zone["code_a"], report.in_zone["code_b"], strict=True))
        lines = lines[[key in keys for key in zip(lines["code_a"], lines["code_b"], strict=True)]]
    return BorderOverlay(
        lines=to_display(lines, detail_m),
        zones=to_display(report.zones, detail_m) if with_zones else None,
        width_m=report.width_m,
        labels=hotspot_labels(report.in_zone, names),
        show=show,
        selected=selected,
    )


def _border_layers(overlay: BorderOverlay) -> list[folium.GeoJson]:
    def pair_props(frame: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
        out = frame[["code_a", "code_b", "geometry"]].copy()
        out["pair"] = [map_text(f"{a} ↔ {b}") for a, b in zip(frame["name_a"], frame["name_b"], strict=True)]
        out["length"] = [map_text(f"{fmt_number(v)} m") for v in frame["length_m"]]
        return out

    def chosen(feature: dict) -> bool:
        props = feature["properties"]
        return overlay.selected == (props["code_a"], props["code_b"])

    layers = []
    if _has_zones(overlay):
        layers.append(
            folium.GeoJson(
                json.loads(pair_props(overlay.zones).to_json()),
                name=map_text(t("map.border_zones", width=fmt_number(overlay.width_m))),
                show=overlay.show,
                style_function=lambda f: {
                    "color": BORDER_COLOUR,
                    "weight": 2 if chosen(f) else 0,
                    "fillColor": BORDER_COLOUR,
                    "fillOpacity": 0.4 if chosen(f) else 0.18,
                },
                tooltip=folium.GeoJsonTooltip(fields=["pair"], labels=False),
                class_name="border-zone",
            )
        )
    if not overlay.lines.empty:
        layers.append(
            folium.GeoJson(
                json.loads(pair_props(overlay.lines).to_json()),
                name=map_text(t("map.border_lines")),
                show=overlay.show,
                style_function=lambda f: {
                    "color": "#000000" if chosen(f) else BORDER_COLOUR,
                    "weight": 6 if chosen(f) else 3.5,
                    "opacity": 0.9,
                },
                highlight_function=lambda _f: {"weight": 6},
                tooltip=folium.GeoJsonTooltip(
                    fields=["pair", "length"],
                    aliases=[map_text(t("map.tooltip.pair")), map_text(t("map.tooltip.length"))],
                ),
                class_name="border-line",
            )
        )
    return layers


def city_map(
    view: pd.DataFrame, report: BorderReport, tiles: Tiles, home: list[list[float]] | None = None
) -> folium.Map:
    """The overview's whole-city map: boundaries as choropleths, hotspots, and a
    switchable layer of the shared boundaries that have hotspots near them (as
    coarse as the city layers; every other one is a plain boundary). ``home``:
    see :func:`build_map`."""
    counts = {level: open_counts(view, level) for level in UnitLevel}
    overlay = border_overlay(
        report, unit_names(report.level), detail_m=100, show=False, with_zones=False, only_with_hotspots=True
    )
    return build_map(view, counts, tiles, border=overlay, wards_on=report.level == UnitLevel.WARD, home=home)


def map_payload(m: folium.Map) -> str:
    """The whole HTML document of a map (what a browser receives)."""
    return m.get_root().render()


def _basemap(m: folium.Map, tiles: Tiles) -> None:
    """The chosen tiles, or with none a plain background (boundaries make the map)."""
    if tiles.url:
        attribution = html_text(tiles.attribution)
        folium.TileLayer(tiles=tiles.url, attr=attribution, name="basemap", control=False).add_to(m)
    else:
        m.get_root().header.add_child(
            Element(f"<style>.leaflet-container{{background:{BACKGROUND}}}</style>")
        )


def _small_map(location: list[float], zoom: int, height: int, tiles: Tiles) -> folium.Map:
    m = OfflineMap(location=location, tiles=None, zoom_start=zoom, height=height, zoom_snap=0.25)
    _basemap(m, tiles)
    return m


#: Colours of the rows of an import preview (what importing would do).
PREVIEW_COLOURS = {
    "new": "#009E73",
    "update": "#E69F00",
    "duplicate": "#999999",
    "unchanged": "#56B4E9",
    "rejected": "#D55E00",
}
#: At most this many rows are drawn on a preview map.
PREVIEW_LIMIT = 3000


def import_preview_map(points: pd.DataFrame, tiles: Tiles, height: int = 480) -> folium.Map:
    """The rows of an import dry run on the city map, so a wrong coordinate
    system shows before anything is saved. ``points`` has ``row, code, name,
    lat, lon, state`` (a key of :data:`PREVIEW_COLOURS`) and ``message``."""
    points = points.dropna(subset=["lat", "lon"]).head(PREVIEW_LIMIT)
    city = city_bounds()
    if points.empty:
        bounds = city
    else:
        bounds = [[min(city[0][0], points["lat"].min()), min(city[0][1], points["lon"].min())],
                  [max(city[1][0], points["lat"].max()), max(city[1][1], points["lon"].max())]]  # fmt: skip
    m = _small_map([21.0, 105.8], 10, height, tiles)
    _unit_layer(UnitLevel.DISTRICT, pd.Series(dtype=int), True, "city").add_to(m)
    group = folium.FeatureGroup(name=map_text(t("import.preview_layer")), control=False)
    for p in points.itertuples(index=False):
        colour = PREVIEW_COLOURS.get(p.state, "#000000")
        # Every part of the label is file text: encoded for the tooltip's template literal.
        label = f"{map_text(t('import.row'))} {map_text(p.row)} · {map_text(p.code)} · {map_text(p.name)}"
        if message := map_text(p.message):
            label += f" — {message}"
        folium.CircleMarker(
            location=[p.lat, p.lon], radius=6, color="#222222", weight=1, fill=True, fill_color=colour,
            fill_opacity=0.9, tooltip=label, class_name=f"preview-{p.state}",
        ).add_to(group)  # fmt: skip
    group.add_to(m)
    m.fit_bounds(bounds)
    return m


def move_map(
    current: tuple[float, float], chosen: tuple[float, float] | None, ward_code: str, tiles: Tiles,
    height: int = 420,
) -> folium.Map:  # fmt: skip
    """The map for moving a hotspot: its ward, the current point and the newly
    chosen one (a click on the map chooses it), with the ward names and a scale bar."""
    bounds = unit_bounds(UnitLevel.WARD, ward_code)
    m = _small_map(list(current), 15, height, tiles)
    _unit_layer(UnitLevel.WARD, pd.Series(dtype=int), True, "display").add_to(m)
    folium.CircleMarker(
        location=list(current), radius=8, color="#222222", weight=2, fill=True, fill_color="#999999",
        fill_opacity=0.9, tooltip=map_text(t("edit.move_current")), class_name="move-current",
    ).add_to(m)  # fmt: skip
    if chosen is not None and chosen != current:
        folium.CircleMarker(
            location=list(chosen), radius=8, color="#222222", weight=2, fill=True, fill_color="#0072B2",
            fill_opacity=0.9, tooltip=map_text(t("edit.move_chosen")), class_name="move-chosen",
        ).add_to(m)  # fmt: skip
        folium.PolyLine([list(current), list(chosen)], color="#0072B2", weight=2, dash_array="4 4").add_to(m)
    add_reading_aids(m, None)
    m.fit_bounds(bounds)
    return m


def card_map(
    spot: pd.DataFrame, report: BorderReport | None, tiles: Tiles, height: int = 380,
    home: list[list[float]] | None = None,
) -> folium.Map:  # fmt: skip
    """The hotspot card's small map: the hotspot (one row of
    :func:`dashboard.register.register_table`, as a frame), the outline of its
    ward and the border zones of the pairs it lies by (from ``report``), with the
    ward names, a scale bar, a legend of what it draws and the "Về địa bàn của
    tôi" button (to ``home``, by default the map's initial bounds)."""
    row = spot.iloc[0]
    ward = str(row["ward_code"])
    bounds = unit_bounds(UnitLevel.WARD, ward)
    m = _small_map([float(row["lat"]), float(row["lon"])], 15, height, tiles)
    _unit_outline(UnitLevel.WARD, ward, weight=3, fill_opacity=0.03).add_to(m)
    labels, zone_drawn = None, False
    if report is not None and not report.in_zone.empty:
        mine = report.in_zone[report.in_zone["id"] == int(row["id"])]
        keys = set(zip(mine["code_a"], mine["code_b"], strict=True))
        if keys:
            zones = report.zones[[k in keys for k in zip(report.zones["code_a"], report.zones["code_b"],
                                                          strict=True)]]  # fmt: skip
            if not zones.empty:
                shown = to_display(zones, 10.0)
                zone_style = {"color": BORDER_COLOUR, "weight": 1, "fillColor": BORDER_COLOUR,
                              "fillOpacity": 0.18}  # fmt: skip
                folium.GeoJson(
                    json.loads(shown[["code_a", "code_b", "geometry"]].to_json()),
                    name=map_text(t("map.border_zones", width=fmt_number(report.width_m))),
                    style_function=lambda _f: zone_style,
                    interactive=False,
                    class_name="border-zone",
                ).add_to(m)
                zone_drawn = True
                minx, miny, maxx, maxy = shown.total_bounds
                bounds = [[min(bounds[0][0], miny), min(bounds[0][1], minx)],
                          [max(bounds[1][0], maxy), max(bounds[1][1], maxx)]]  # fmt: skip
            labels = hotspot_labels(mine, unit_names(report.level))
    view = spot.assign(area_geojson=spot.get("area_geojson", None))
    area = _area_layer(view)
    if area is not None:
        area.add_to(m)
    _hotspot_layer(view, labels).add_to(m)
    add_reading_aids(m, home or bounds)
    legend = legend_html(
        statuses=[Status(row["status"])],
        density=False,
        boundaries=False,
        focus=UnitLevel.WARD,
        focus_weight=3,
        focus_text=t("mapaids.legend_card_ward"),
        zone_width_m=report.width_m if zone_drawn else None,
        border_hotspots=bool(labels),
        areas=area is not None,
        folded=True,
    )
    m.get_root().html.add_child(Element(legend))
    m.fit_bounds(bounds)
    return m
