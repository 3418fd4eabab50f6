"""PNG images for documents: Plotly charts through kaleido, static maps through matplotlib.

Reports (.docx), spreadsheets and slide decks embed PNG images; this module makes
them without the internet and without system fonts:

- every image uses the bundled Be Vietnam Pro font (``static/fonts``, SIL OFL 1.1),
  which covers Vietnamese; :func:`register_matplotlib_fonts` makes it matplotlib's,
  and Chromium finds it through a generated fontconfig file (``FONTCONFIG_FILE`` in
  the browser's environment only), so nothing is installed system-wide;
- :func:`figure_png` / :func:`figures_png` export Plotly figures with kaleido 1.x
  driving the machine's Chromium (``CHROMIUM_PATH``, default ``/usr/bin/chromium``).
  One browser is started on first use (or by :func:`warm_up`) and kept for the life
  of the process; all figures of one call go to it in one batch. plotly.js comes from the plotly
  package and MathJax is off, so the page loads nothing from the network;
- :func:`static_map_png` draws boundaries, border zones and hotspots with
  geopandas + matplotlib (Agg, no tiles), in EPSG:3405 so the scale bar is true.

No Streamlit import: pages and document builders call these functions.
"""

from __future__ import annotations

import asyncio
import atexit
import math
import os
import shutil
import struct
import tempfile
import threading
from collections.abc import Iterable, Sequence
from concurrent.futures import TimeoutError as FutureTimeout
from io import BytesIO
from pathlib import Path
from xml.sax.saxutils import escape

import geopandas as gpd
import matplotlib
import numpy as np
import pandas as pd
import plotly.graph_objects as go
from matplotlib import font_manager
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch, Rectangle

from dashboard.domain import STATUS_COLOURS, DomainError, Status
from dashboard.geo import DISPLAY_CRS, METRIC_CRS
from dashboard.i18n import fmt_number, t

FONT_DIR = Path(__file__).resolve().parent.parent / "static" / "fonts"
#: The family name the bundled files declare (name table, ID 1).
FONT_FAMILY = "Be Vietnam Pro"
FONT_FILES = ("BeVietnamPro-Regular.ttf", "BeVietnamPro-Bold.ttf", "BeVietnamPro-Italic.ttf")

DEFAULT_CHROMIUM = "/usr/bin/chromium"
#: Browser tabs rendering in parallel. Measured on a 2-CPU machine, one tab is fastest:
#: each extra tab adds ~2-3 s to the start (it loads plotly.js) and saves nothing on a batch.
TABS = 1
#: Seconds kaleido may take for one figure, and for the browser to start.
FIGURE_TIMEOUT_S = 30.0
START_TIMEOUT_S = 60.0

#: Static map colours.
MAP_BACKGROUND = "#f4f1ea"
UNIT_EDGE = "#9a9a9a"
FOCUS_EDGE = "#3a3a3a"
FOCUS_FILL = "#fbfaf7"
BORDER_COLOUR = "#5B2C83"
MAP_DPI = 100


class RenderError(DomainError):
    """An image could not be made; the message says what to install or fix."""


# --------------------------------------------------------------------------
# Font


def font_paths() -> list[Path]:
    """The bundled font files (regular, bold, italic); :class:`RenderError` if one is missing."""
    paths = [FONT_DIR / name for name in FONT_FILES]
    missing = [p.name for p in paths if not p.is_file()]
    if missing:
        raise RenderError(t("render.no_fonts", files=", ".join(missing), folder=FONT_DIR))
    return paths


_mpl_lock = threading.Lock()
_mpl_registered = False


def register_matplotlib_fonts() -> None:
    """Add the bundled font to matplotlib and make it the default sans-serif family.

    Idempotent: the files are added once per process. Afterwards
    ``font_manager.findfont(FONT_FAMILY)`` resolves into ``static/fonts`` and every
    figure whose family is ``sans-serif`` (matplotlib's default) uses it.
    """
    global _mpl_registered
    with _mpl_lock:
        if _mpl_registered:
            return
        for path in font_paths():
            font_manager.fontManager.addfont(str(path))
        sans = [f for f in matplotlib.rcParams["font.sans-serif"] if f != FONT_FAMILY]
        matplotlib.rcParams["font.sans-serif"] = [FONT_FAMILY, *sans]
        _mpl_registered = True


def _fontconfig_text(font_dir: Path, cache_dir: Path, base: str | None) -> str:
    """A fontconfig file: the system (or caller's) configuration plus ``font_dir``."""
    include = base or "/etc/fonts/fonts.conf"
    return (
        '<?xml version="1.0"?>\n'
        '<!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">\n'
        "<fontconfig>\n"
        f'  <include ignore_missing="yes">{escape(include)}</include>\n'
        f"  <dir>{escape(str(font_dir))}</dir>\n"
        f"  <cachedir>{escape(str(cache_dir))}</cachedir>\n"
        "</fontconfig>\n"
    )


def write_fontconfig(directory: Path) -> Path:
    """Write ``fonts.conf`` into ``directory`` so that a process reading it finds the bundled font.

    Give its path to a browser as ``FONTCONFIG_FILE``; the system configuration
    (or the one ``FONTCONFIG_FILE`` already names) is included, so other fonts stay.
    """
    font_paths()
    directory = Path(directory)
    cache = directory / "cache"
    cache.mkdir(parents=True, exist_ok=True)
    conf = directory / "fonts.conf"
    conf.write_text(_fontconfig_text(FONT_DIR, cache, os.environ.get("FONTCONFIG_FILE")), encoding="utf-8")
    return conf


# --------------------------------------------------------------------------
# Plotly figures through kaleido


def chromium_path() -> str:
    """The browser kaleido drives: ``BROWSER_PATH``, set from ``CHROMIUM_PATH`` when unset.

    Raises :class:`RenderError` when there is no executable there.
    """
    os.environ.setdefault("BROWSER_PATH", os.environ.get("CHROMIUM_PATH", DEFAULT_CHROMIUM))
    path = os.environ["BROWSER_PATH"]
    resolved = shutil.which(path)
    if resolved is None or not Path(resolved).is_file():
        raise RenderError(t("render.no_chromium"))
    return resolved


def _plotlyjs() -> Path:
    import plotly

    path = Path(plotly.__file__).parent / "package_data" / "plotly.min.js"
    if not path.is_file():
        raise RenderError(t("render.no_plotlyjs", path=path))
    return path


def _chromium_class(fontconfig: Path) -> type:
    """choreographer's Chromium, started with ``FONTCONFIG_FILE`` in its environment only."""
    from choreographer.browsers.chromium import Chromium

    class FontChromium(Chromium):
        def get_env(self):
            env = super().get_env()
            env["FONTCONFIG_FILE"] = str(fontconfig)
            return env

    return FontChromium


def _kaleido_class() -> type:
    """kaleido's Kaleido, reloading its tabs once per batch instead of after every figure.

    kaleido 1.5.1 reloads a tab (plotly.js included) after each figure: ~0.4 s of a
    ~0.5 s render. Plotly.toImage purges its own graph div, so figures of one batch do
    not see each other; the tabs are reloaded after the batch, in the background.
    Overrides kaleido's private ``_return_kaleido_tab`` (kaleido is pinned; the tests
    compare a figure rendered alone with the same figure rendered after others).
    """
    import kaleido

    class BatchKaleido(kaleido.Kaleido):
        async def _return_kaleido_tab(self, tab) -> None:
            await self.tabs_ready.put(tab)

        async def refresh_tabs(self) -> None:
            tabs = [await self.tabs_ready.get() for _ in range(self._total_tabs)]
            try:
                await asyncio.gather(*(tab.reload() for tab in tabs))
            finally:
                for tab in tabs:
                    self.tabs_ready.put_nowait(tab)

    return BatchKaleido


class _Browser:
    """One kaleido (one Chromium, :data:`TABS` tabs) on its own event-loop thread.

    Started on first use and kept until the process exits; restarted when the
    browser died or a render failed, so one bad call does not poison later ones.
    Calls are serialised by a lock (Streamlit runs each session in a thread).
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._kaleido = None
        self._refresh: asyncio.Future | None = None
        self._workdir: Path | None = None
        self._atexit = False

    def render(self, specs: list[tuple[go.Figure, dict]]) -> list[bytes]:
        with self._lock:
            self._ensure_open()
            timeout = FIGURE_TIMEOUT_S * (1 + math.ceil(len(specs) / TABS)) + 5
            future = asyncio.run_coroutine_threadsafe(self._render(specs), self._loop)
            try:
                return future.result(timeout)
            except FutureTimeout:
                future.cancel()
                self._close()
                raise RenderError(t("render.timeout", seconds=int(timeout))) from None
            except RenderError:
                self._close()
                raise
            except Exception as exc:
                self._close()
                raise RenderError(t("render.failed", reason=f"{type(exc).__name__}: {exc}")) from exc

    async def _render(self, specs: list[tuple[go.Figure, dict]]) -> list[bytes]:
        k = self._kaleido
        try:
            return list(await asyncio.gather(*(k.calc_fig(fig, opts=opts) for fig, opts in specs)))
        finally:
            # Fresh pages for the next call, reloaded while the caller carries on.
            self._refresh = asyncio.ensure_future(k.refresh_tabs())

    def close(self) -> None:
        with self._lock:
            self._close()

    def _alive(self) -> bool:
        proc = getattr(self._kaleido, "subprocess", None)
        return self._kaleido is not None and proc is not None and proc.poll() is None

    def _ensure_open(self) -> None:
        if self._alive():
            return
        self._close()
        path = chromium_path()
        plotlyjs = _plotlyjs()
        self._workdir = Path(tempfile.mkdtemp(prefix="hotspot-render-"))
        browser_cls = _chromium_class(write_fontconfig(self._workdir))
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, name="kaleido", daemon=True)
        self._thread.start()
        if not self._atexit:
            atexit.register(self.close)
            self._atexit = True

        async def start():
            k = _kaleido_class()(
                n=TABS,
                timeout=FIGURE_TIMEOUT_S,
                plotlyjs=str(plotlyjs),
                mathjax=False,
                path=path,
                browser_cls=browser_cls,
            )
            await k.open()
            return k

        future = asyncio.run_coroutine_threadsafe(start(), self._loop)
        try:
            self._kaleido = future.result(START_TIMEOUT_S)
        except FutureTimeout:
            future.cancel()
            self._close()
            raise RenderError(t("render.timeout", seconds=int(START_TIMEOUT_S))) from None
        except Exception as exc:
            self._close()
            if type(exc).__name__ == "ChromeNotFoundError":
                raise RenderError(t("render.no_chromium")) from exc
            raise RenderError(t("render.failed", reason=f"{type(exc).__name__}: {exc}")) from exc

    def _close(self) -> None:
        loop, k = self._loop, self._kaleido
        self._kaleido = None
        if loop is not None and k is not None:
            try:
                asyncio.run_coroutine_threadsafe(k.close(), loop).result(10)
            except Exception:  # a dead browser may fail to close: kill it below
                proc = getattr(k, "subprocess", None)
                if proc is not None and proc.poll() is None:
                    proc.kill()
        if loop is not None:
            loop.call_soon_threadsafe(loop.stop)
            if self._thread is not None:
                self._thread.join(10)
            if not loop.is_running():
                loop.close()
        self._loop = self._thread = None
        if self._workdir is not None:
            shutil.rmtree(self._workdir, ignore_errors=True)
            self._workdir = None


_BROWSER = _Browser()


def _check_size(width: int, height: int, scale: float) -> None:
    if not (width > 0 and height > 0 and scale > 0):
        raise RenderError(t("render.bad_size", width=width, height=height, scale=scale))


def export_figure(fig: go.Figure | dict) -> go.Figure:
    """A copy of ``fig`` set in the bundled font (the caller's figure is not changed)."""
    out = go.Figure(fig)
    out.update_layout(font_family=FONT_FAMILY)
    return out


def figures_png(
    figures: Iterable[tuple[go.Figure, int | None, int | None]], scale: float = 1.0
) -> list[bytes]:
    """PNG bytes of each ``(figure, width, height)``, in order, in one browser round trip.

    A width or height of None takes the figure's own ``layout.width``/``height``
    (as :func:`dashboard.charts.for_print` sets them), else 1200 × 700.
    Images are ``width × scale`` by ``height × scale`` pixels, in :data:`FONT_FAMILY`.
    The first call in a process starts Chromium (2-5 s; see :func:`warm_up`); later calls reuse it.
    Raises :class:`RenderError` when Chromium is missing or a figure fails to render.
    """
    specs = []
    for fig, width, height in figures:
        out = export_figure(fig)
        width = (out.layout.width or 1200) if width is None else width
        height = (out.layout.height or 700) if height is None else height
        _check_size(width, height, scale)
        opts = {"format": "png", "width": int(width), "height": int(height), "scale": scale}
        specs.append((out, opts))
    if not specs:
        return []
    return _BROWSER.render(specs)


def figure_png(fig: go.Figure, width: int = 1200, height: int = 700, scale: float = 1.0) -> bytes:
    """PNG bytes of one Plotly figure; see :func:`figures_png` (prefer it for several)."""
    return figures_png([(fig, width, height)], scale=scale)[0]


def warm_up() -> threading.Thread:
    """Start the shared Chromium in the background (a page may call this when it opens).

    Returns the thread; errors are not raised here but again by the next render.
    """

    def start() -> None:
        try:
            with _BROWSER._lock:
                _BROWSER._ensure_open()
        except RenderError:
            pass  # raised again, with its message, by the render that needs the browser

    thread = threading.Thread(target=start, name="kaleido-warm-up", daemon=True)
    thread.start()
    return thread


def close_browser() -> None:
    """Stop the shared Chromium now (it is also stopped when the process exits)."""
    _BROWSER.close()


def png_size(data: bytes) -> tuple[int, int]:
    """``(width, height)`` from a PNG's IHDR chunk; ValueError if ``data`` is not a PNG."""
    if data[:8] != b"\x89PNG\r\n\x1a\n" or data[12:16] != b"IHDR":
        raise ValueError("not a PNG image")
    return struct.unpack(">II", data[16:24])


# --------------------------------------------------------------------------
# Static maps


def _metric(frame, default_crs: str = DISPLAY_CRS) -> gpd.GeoSeries:
    """Geometries of a GeoDataFrame/GeoSeries in :data:`METRIC_CRS` (no CRS means ``default_crs``)."""
    geoms = frame.geometry if isinstance(frame, gpd.GeoDataFrame) else gpd.GeoSeries(frame)
    if geoms.crs is None:
        geoms = geoms.set_crs(default_crs)
    return geoms.to_crs(METRIC_CRS)


def _hotspot_points(hotspots: pd.DataFrame | None) -> tuple[gpd.GeoSeries, list[Status]]:
    """Hotspots with coordinates, in metres, and their statuses (rows without lat/lon are not drawn)."""
    if hotspots is None or hotspots.empty:
        return gpd.GeoSeries([], crs=METRIC_CRS), []
    missing = [c for c in ("lat", "lon", "status") if c not in hotspots.columns]
    if missing:
        raise RenderError(t("render.missing_columns", columns=", ".join(missing)))
    rows = hotspots.dropna(subset=["lat", "lon"])
    values = {str(v) for v in rows["status"]}
    bad = sorted(values - {s.value for s in Status})
    if bad:
        raise RenderError(t("render.bad_status", values=", ".join(bad)))
    points = gpd.GeoSeries(
        gpd.points_from_xy(rows["lon"].astype(float), rows["lat"].astype(float)), crs=DISPLAY_CRS
    ).to_crs(METRIC_CRS)
    return points, [Status(str(v)) for v in rows["status"]]


def _fit(bounds: Sequence[float], aspect: float, pad: float = 0.06) -> tuple[float, float, float, float]:
    """``bounds`` padded and widened to the axes' width/height ``aspect`` (no letterbox)."""
    minx, miny, maxx, maxy = bounds
    w, h = max(maxx - minx, 1.0), max(maxy - miny, 1.0)
    cx, cy = (minx + maxx) / 2, (miny + maxy) / 2
    w, h = w * (1 + 2 * pad), h * (1 + 2 * pad)
    if w / h < aspect:
        w = h * aspect
    else:
        h = w / aspect
    return cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2


def nice_length(span_m: float) -> float:
    """A round scale-bar length (1, 2 or 5 × 10^k metres) of at most a fifth of ``span_m``."""
    target = span_m / 5
    exp = 10 ** math.floor(math.log10(target))
    return max(m * exp for m in (1, 2, 5) if m * exp <= target)


def _scale_label(length_m: float) -> str:
    if length_m >= 1000:
        km = length_m / 1000
        return t("render.scale_km", value=fmt_number(km, 0 if km == int(km) else 1))
    return t("render.scale_m", value=fmt_number(length_m))


def _scale_bar(ax, view: tuple[float, float, float, float], fontsize: float) -> None:
    minx, miny, maxx, maxy = view
    w, h = maxx - minx, maxy - miny
    length = nice_length(w)
    x0, y0, bar_h = minx + 0.03 * w, miny + 0.035 * h, 0.008 * h
    ax.add_patch(
        Rectangle(
            (x0 - 0.012 * w, y0 - 0.012 * h),
            length + 0.024 * w,
            0.062 * h,
            facecolor="white",
            edgecolor="none",
            alpha=0.85,
            zorder=8,
        )
    )
    half = length / 2
    ax.add_patch(Rectangle((x0, y0), half, bar_h, facecolor="#222222", edgecolor="#222222", zorder=9))
    ax.add_patch(Rectangle((x0 + half, y0), half, bar_h, facecolor="white", edgecolor="#222222", zorder=9))
    ax.text(
        x0 + length / 2,
        y0 + bar_h + 0.008 * h,
        _scale_label(length),
        ha="center",
        va="bottom",
        fontsize=fontsize,
        color="#222222",
        zorder=10,
    )


def _draw_units(ax, geoms: gpd.GeoSeries, is_focus: np.ndarray, focused: bool, base: float) -> None:
    others = geoms[~is_focus]
    if len(others):
        others.plot(ax=ax, facecolor="none", edgecolor=UNIT_EDGE, linewidth=0.6, zorder=1)
    fill = FOCUS_FILL if focused else "none"
    geoms[is_focus].plot(ax=ax, facecolor=fill, edgecolor=UNIT_EDGE, linewidth=0.6, zorder=1)
    if focused:
        geoms[is_focus].plot(
            ax=ax, facecolor="none", edgecolor=FOCUS_EDGE, linewidth=1.6 * base + 0.4, zorder=4
        )


def _draw_border(ax, zones, shared_lines, base: float) -> list:
    """Zones (hatched, translucent) and shared lines; their legend handles."""
    handles: list = []
    if zones is not None and len(zones):
        z = _metric(zones, METRIC_CRS)
        z.plot(ax=ax, facecolor=BORDER_COLOUR, edgecolor="none", alpha=0.14, zorder=2)
        z.plot(ax=ax, facecolor="none", edgecolor=BORDER_COLOUR, hatch="///", linewidth=0.5, zorder=2)
        fill = (*matplotlib.colors.to_rgb(BORDER_COLOUR), 0.14)
        handles.append(Patch(facecolor=fill, edgecolor=BORDER_COLOUR, hatch="///", label=t("render.zones")))
    if shared_lines is not None and len(shared_lines):
        _metric(shared_lines, METRIC_CRS).plot(
            ax=ax, color=BORDER_COLOUR, linewidth=2.2 * base + 0.6, zorder=5
        )
        handles.append(Line2D([], [], color=BORDER_COLOUR, linewidth=2.5, label=t("render.shared_lines")))
    return handles


def _draw_hotspots(ax, points: gpd.GeoSeries, statuses: list[Status], view, marker_pt: float) -> list:
    """The hotspots inside ``view`` as circles; legend handles of their statuses, in lifecycle order."""
    minx, miny, maxx, maxy = view
    inside = (points.x >= minx) & (points.x <= maxx) & (points.y >= miny) & (points.y <= maxy)
    shown = [s for s, keep in zip(statuses, inside, strict=True) if keep]
    if shown:
        ax.scatter(
            points.x[inside],
            points.y[inside],
            s=marker_pt**2,
            c=[STATUS_COLOURS[s] for s in shown],
            edgecolors="#1f1f1f",
            linewidths=0.7,
            zorder=6,
        )
    present = set(shown)
    return [
        Line2D(
            [],
            [],
            marker="o",
            linestyle="none",
            markersize=marker_pt * 0.9,
            markerfacecolor=STATUS_COLOURS[s],
            markeredgecolor="#1f1f1f",
            label=t(f"status.{s.value}"),
        )
        for s in Status
        if s in present
    ]


def _draw_labels(ax, names: Sequence[str], geoms: gpd.GeoSeries, fontsize: float) -> None:
    box = {"boxstyle": "round,pad=0.2", "facecolor": "white", "alpha": 0.6, "edgecolor": "none"}
    for name, point in zip(names, geoms.representative_point(), strict=True):
        ax.annotate(name, (point.x, point.y), ha="center", va="center", fontsize=fontsize, color="#333333",
                    zorder=7, bbox=box)  # fmt: skip


def _focus_mask(units: gpd.GeoDataFrame, focus_codes: Iterable[str] | None) -> np.ndarray:
    if focus_codes is None:
        return np.ones(len(units), dtype=bool)
    codes = units["code"].astype(str).to_numpy() if "code" in units.columns else np.array([], dtype=str)
    wanted = [str(c) for c in focus_codes]
    unknown = sorted(set(wanted) - set(codes))
    if unknown or not wanted:
        raise RenderError(t("render.unknown_focus", codes=", ".join(unknown) or "—"))
    return np.isin(codes, wanted)


def static_map_png(
    units: gpd.GeoDataFrame,
    hotspots: pd.DataFrame | None,
    *,
    focus_codes: Iterable[str] | None = None,
    zones: gpd.GeoDataFrame | gpd.GeoSeries | None = None,
    shared_lines: gpd.GeoDataFrame | gpd.GeoSeries | None = None,
    title: str = "",
    width_px: int = 1600,
    height_px: int = 1200,
    legend: bool = True,
    labels: bool | None = None,
) -> bytes:
    """A PNG map of exactly ``width_px × height_px``: boundaries, border zones, hotspots; no tiles.

    Parameters
    ----------
    units : GeoDataFrame
        Boundaries with columns ``code`` and ``name`` (for example
        ``dashboard.geo.load_units(level, display=True)``); any CRS, none means EPSG:4326.
    hotspots : DataFrame or None
        Columns ``lat``, ``lon`` (EPSG:4326) and ``status`` (:class:`Status` values),
        drawn as circles in :data:`STATUS_COLOURS`. Rows without coordinates are skipped.
    focus_codes : iterable of str, optional
        Units outlined darker; the view is fitted to them. Default: all units.
    zones, shared_lines : GeoDataFrame or GeoSeries, optional
        Border-zone polygons (hatched, translucent) and shared boundary lines, in
        ``#5B2C83``; any CRS (``dashboard.border`` gives EPSG:3405).
    title : str
        Printed above the map when not empty.
    legend : bool
        Legend of the statuses in view, and of zones and shared lines when drawn.
    labels : bool, optional
        Names of the focus units; default: only when ``focus_codes`` is given.

    Raises
    ------
    RenderError
        No units, unknown focus codes, unknown statuses, missing columns or a bad size.
    """
    _check_size(width_px, height_px, 1)
    if units is None or units.empty:
        raise RenderError(t("render.no_units"))
    register_matplotlib_fonts()
    geoms = _metric(units)
    is_focus = _focus_mask(units, focus_codes)
    points, statuses = _hotspot_points(hotspots)

    base = min(width_px, height_px) / 1200
    fontsize = max(8.0, 13 * base)
    title_band = (fontsize * 3.2 / 72 * MAP_DPI) / height_px if title else 0.0
    view = _fit(geoms[is_focus].total_bounds, width_px / (height_px * (1 - title_band)))

    # A bare Figure, not pyplot: nothing is registered globally, so nothing leaks
    # between calls and threads; the figure is cleared when done.
    fig = Figure(figsize=(width_px / MAP_DPI, height_px / MAP_DPI), dpi=MAP_DPI, facecolor=MAP_BACKGROUND)
    FigureCanvasAgg(fig)
    try:
        with matplotlib.rc_context({"font.family": "sans-serif", "hatch.linewidth": 0.8 * base + 0.2}):
            ax = fig.add_axes((0, 0, 1, 1 - title_band))
            ax.set_facecolor(MAP_BACKGROUND)
            ax.set_axis_off()
            _draw_units(ax, geoms, is_focus, focus_codes is not None, base)
            border_handles = _draw_border(ax, zones, shared_lines, base)
            status_handles = _draw_hotspots(ax, points, statuses, view, max(5.0, 9 * base))
            if (focus_codes is not None if labels is None else labels) and "name" in units.columns:
                names = units["name"].astype(str).to_numpy()[is_focus]
                _draw_labels(ax, names, geoms[is_focus], fontsize * 0.85)
            ax.set_xlim(view[0], view[2])
            ax.set_ylim(view[1], view[3])
            ax.set_aspect("equal", adjustable="datalim")
            _scale_bar(ax, view, fontsize * 0.9)
            if legend and (status_handles or border_handles):
                box = ax.legend(
                    handles=status_handles + border_handles,
                    loc="lower right",
                    fontsize=fontsize * 0.9,
                    title=t("map.legend") if status_handles else None,
                    title_fontsize=fontsize,
                    framealpha=0.92,
                    facecolor="white",
                    edgecolor="#cccccc",
                )
                box.set_zorder(11)
            if title:
                fig.text(0.5, 1 - title_band / 2, title, ha="center", va="center", fontsize=fontsize * 1.35,
                         fontweight="bold", color="#222222")  # fmt: skip
            out = BytesIO()
            fig.savefig(out, format="png", dpi=MAP_DPI, facecolor=MAP_BACKGROUND)
        return out.getvalue()
    finally:
        fig.clear()
