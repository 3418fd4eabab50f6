"""PNG rendering for documents: bundled font, Plotly export through kaleido, static maps.

The Plotly tests drive the machine's Chromium (``CHROMIUM_PATH``, default
``/usr/bin/chromium``); they are not skipped when it is missing: they fail.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from io import BytesIO
from pathlib import Path

import geopandas as gpd
import matplotlib.font_manager as fm
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import plotly.graph_objects as go
import pytest
import shapely
from fontTools.ttLib import TTFont
from PIL import Image

from dashboard import render
from dashboard.domain import STATUS_COLOURS, Status
from dashboard.render import FONT_DIR, FONT_FAMILY, RenderError

VIETNAMESE = [0x0110, 0x0111, 0x0102, 0x0103, 0x00C2, 0x00E2, 0x00CA, 0x00EA, 0x00D4, 0x00F4]
VIETNAMESE += [0x01A0, 0x01A1, 0x01AF, 0x01B0, 0x0300, 0x0301, 0x0303, 0x0309, 0x0323]
VIETNAMESE += list(range(0x1EA0, 0x1EFA))  # Latin Extended Additional: ạ ả ấ … ỹ
TITLE = "Tụ điểm phức tạp — Đã triệt xóa, Tái hoạt động"


def _rgb(hex_colour: str) -> tuple[int, int, int]:
    return tuple(int(hex_colour[i : i + 2], 16) for i in (1, 3, 5))


def _pixels(png: bytes) -> np.ndarray:
    return np.asarray(Image.open(BytesIO(png)).convert("RGB"))


def _has_colour(png: bytes, hex_colour: str) -> bool:
    return bool(np.all(_pixels(png) == _rgb(hex_colour), axis=-1).any())


# --------------------------------------------------------------------------
# Font


@pytest.mark.parametrize("path", render.font_paths(), ids=lambda p: p.name)
def test_bundled_font_covers_vietnamese(path: Path):
    font = TTFont(path)
    cmap = font.getBestCmap()
    missing = [f"U+{cp:04X}" for cp in VIETNAMESE if cp not in cmap]
    assert not missing
    family = font["name"].getDebugName(16) or font["name"].getDebugName(1)
    assert family == FONT_FAMILY


def test_bundled_font_has_regular_and_bold_and_its_licence():
    weights = {p.name: TTFont(p)["OS/2"].usWeightClass for p in render.font_paths()}
    assert weights["BeVietnamPro-Regular.ttf"] == 400
    assert weights["BeVietnamPro-Bold.ttf"] == 700
    licence = (FONT_DIR / "OFL.txt").read_text(encoding="utf-8")
    assert "SIL OPEN FONT LICENSE Version 1.1" in licence


def test_missing_font_file_is_a_render_error(monkeypatch, tmp_path):
    monkeypatch.setattr(render, "FONT_DIR", tmp_path)
    with pytest.raises(RenderError, match=r"BeVietnamPro-Regular\.ttf"):
        render.font_paths()


def test_matplotlib_uses_the_bundled_font():
    render.register_matplotlib_fonts()
    render.register_matplotlib_fonts()  # idempotent
    regular = fm.findfont(fm.FontProperties(family=FONT_FAMILY), fallback_to_default=False)
    bold = fm.findfont(fm.FontProperties(family=FONT_FAMILY, weight="bold"), fallback_to_default=False)
    default = fm.findfont(fm.FontProperties(family=["sans-serif"]), fallback_to_default=False)
    assert Path(regular) == FONT_DIR / "BeVietnamPro-Regular.ttf"
    assert Path(bold) == FONT_DIR / "BeVietnamPro-Bold.ttf"
    assert Path(default) == FONT_DIR / "BeVietnamPro-Regular.ttf"
    assert sum(Path(f.fname).parent == FONT_DIR for f in fm.fontManager.ttflist) == len(render.FONT_FILES)


def test_fontconfig_file_adds_the_font_dir(tmp_path, monkeypatch):
    monkeypatch.delenv("FONTCONFIG_FILE", raising=False)
    conf = render.write_fontconfig(tmp_path)
    text = conf.read_text(encoding="utf-8")
    assert f"<dir>{FONT_DIR}</dir>" in text
    assert "/etc/fonts/fonts.conf" in text
    if shutil.which("fc-match") is None:
        return  # the file itself is checked; Chromium reading it is checked by the PNG tests
    env = {**os.environ, "FONTCONFIG_FILE": str(conf)}
    found = subprocess.run(
        ["fc-match", "-f", "%{file}", FONT_FAMILY], env=env, capture_output=True, text=True, check=True
    ).stdout
    assert Path(found).parent == FONT_DIR


# --------------------------------------------------------------------------
# Plotly figures through kaleido and Chromium


def _bar(title: str = TITLE) -> go.Figure:
    fig = go.Figure(go.Bar(x=["Đã triệt xóa", "Tái hoạt động", "Phức tạp"], y=[3, 5, 2]))
    fig.update_layout(title=title, font_family="DejaVu Serif")
    return fig


def test_figure_png_is_a_png_of_the_asked_size():
    png = render.figure_png(_bar(), width=640, height=360, scale=1.5)
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    assert render.png_size(png) == (960, 540)
    assert Image.open(BytesIO(png)).size == (960, 540)


def test_figures_png_batches_in_order_and_keeps_the_callers_figure():
    figs = [_bar(), go.Figure(go.Scatter(x=[1, 2], y=[2, 1]))]
    pngs = render.figures_png([(figs[0], 400, 300), (figs[1], 500, 200)])
    assert [render.png_size(p) for p in pngs] == [(400, 300), (500, 200)]
    assert figs[0].layout.font.family == "DejaVu Serif"
    assert render.export_figure(figs[0]).layout.font.family == FONT_FAMILY
    assert render.figures_png([]) == []


def test_figures_png_takes_a_missing_size_from_the_layout():
    sized = _bar()
    sized.update_layout(width=420, height=260)
    pngs = render.figures_png([(sized, None, None), (_bar(), None, 250)])
    assert [render.png_size(p) for p in pngs] == [(420, 260), (1200, 250)]


def test_chromium_renders_text_in_the_bundled_font():
    # Raw renders, without export_figure: the bundled family must differ from a
    # family nobody has (the browser's fallback font). Were the font not found
    # through the fontconfig file, both would fall back alike.
    def raw(family: str) -> bytes:
        fig = _bar()
        fig.update_layout(font_family=family)
        return render._BROWSER.render([(fig, {"format": "png", "width": 700, "height": 300})])[0]

    bundled, fallback = raw(FONT_FAMILY), raw("No Such Family Xyz")
    assert not np.array_equal(_pixels(bundled), _pixels(fallback))
    assert np.array_equal(_pixels(render.figure_png(_bar(), 700, 300)), _pixels(bundled))


def test_a_figure_renders_the_same_alone_and_after_others_in_a_batch():
    # the tabs are reloaded per batch, not per figure: nothing may leak between figures
    other = go.Figure(go.Pie(labels=["x", "y"], values=[1, 2]), layout={"paper_bgcolor": "#000000"})
    alone = render.figures_png([(_bar(), 500, 300)])[0]
    after = render.figures_png([(other, 900, 900), (other, 300, 200), (_bar(), 500, 300)])[2]
    assert np.array_equal(_pixels(alone), _pixels(after))


def test_missing_chromium_is_a_render_error_in_vietnamese(monkeypatch):
    monkeypatch.setenv("BROWSER_PATH", "/nonexistent/chromium")
    monkeypatch.setattr(render, "_BROWSER", render._Browser())
    with pytest.raises(RenderError, match="Không tìm thấy trình duyệt Chromium"):
        render.figure_png(_bar())


def test_browser_path_defaults_to_chromium_path(monkeypatch, tmp_path):
    fake = tmp_path / "chromium"
    fake.write_text("#!/bin/sh\n")
    fake.chmod(0o755)
    monkeypatch.setenv("BROWSER_PATH", "recorded, so that the test's setdefault is undone")
    monkeypatch.delenv("BROWSER_PATH")
    monkeypatch.setenv("CHROMIUM_PATH", str(fake))
    assert render.chromium_path() == str(fake)
    assert os.environ["BROWSER_PATH"] == str(fake)


def test_bad_size_is_a_render_error():
    with pytest.raises(RenderError):
        render.figure_png(_bar(), width=0)


# --------------------------------------------------------------------------
# Static maps


def _squares() -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {"code": ["A", "B"], "name": ["Phường Ạ", "Xã Đông Anh"]},
        geometry=[shapely.box(105.80, 21.00, 105.82, 21.02), shapely.box(105.82, 21.00, 105.84, 21.02)],
        crs="EPSG:4326",
    )


def _hotspots() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "lat": [21.01, 21.012, None],
            "lon": [105.81, 105.83, None],
            "status": ["active", "cleared", "active"],
        }
    )


@pytest.mark.filterwarnings("error")  # a glyph missing from the font warns
def test_static_map_png_has_the_asked_size():
    png = render.static_map_png(
        _squares(), _hotspots(), focus_codes=["A", "B"], title=TITLE, width_px=800, height_px=600
    )
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    assert render.png_size(png) == (800, 600)
    assert plt.get_fignums() == []


def test_static_map_draws_hotspots_in_their_status_colour():
    png = render.static_map_png(_squares(), _hotspots(), width_px=800, height_px=600, legend=False)
    assert _has_colour(png, STATUS_COLOURS[Status.ACTIVE])
    assert _has_colour(png, STATUS_COLOURS[Status.CLEARED])
    assert not _has_colour(png, STATUS_COLOURS[Status.HANDED_OVER])
    assert _has_colour(png, render.MAP_BACKGROUND)


def test_static_map_legend_lists_only_statuses_in_view():
    focused = render.static_map_png(_squares(), _hotspots(), focus_codes=["A"], width_px=800, height_px=600)
    # the view is fitted to square A and widened to 4:3, so B's hotspot (cleared) may
    # show at the edge; handed-over appears nowhere, in the map or in the legend
    assert _has_colour(focused, STATUS_COLOURS[Status.ACTIVE])
    assert not _has_colour(focused, STATUS_COLOURS[Status.HANDED_OVER])


def test_static_map_draws_zones_and_shared_lines():
    units = _squares()
    line = gpd.GeoSeries([shapely.LineString([(105.82, 21.0), (105.82, 21.02)])], crs="EPSG:4326")
    zone = gpd.GeoSeries([shapely.box(105.815, 21.0, 105.825, 21.02)], crs="EPSG:4326").to_crs("EPSG:3405")
    plain = render.static_map_png(units, None, width_px=600, height_px=450, legend=False)
    drawn = render.static_map_png(
        units, None, focus_codes=["A", "B"], zones=zone, shared_lines=line, width_px=600, height_px=450
    )
    assert not _has_colour(plain, render.BORDER_COLOUR)
    assert _has_colour(drawn, render.BORDER_COLOUR)


def test_static_map_rejects_bad_input():
    with pytest.raises(RenderError, match="bogus"):
        render.static_map_png(_squares(), pd.DataFrame({"lat": [21.0], "lon": [105.8], "status": ["bogus"]}))
    with pytest.raises(RenderError, match="Z9"):
        render.static_map_png(_squares(), None, focus_codes=["A", "Z9"])
    with pytest.raises(RenderError, match="status"):
        render.static_map_png(_squares(), pd.DataFrame({"lat": [21.0], "lon": [105.8]}))
    with pytest.raises(RenderError):
        render.static_map_png(_squares().iloc[0:0], None)


@pytest.mark.parametrize(
    ("span", "length", "label"), [(10_000, 2000, "2 km"), (4_000, 500, "500 m"), (130_000, 20_000, "20 km")]
)
def test_scale_bar_length_is_round(span, length, label):
    assert render.nice_length(span) == length
    assert render._scale_label(length) == label
