"""The steering committee's slides (Ban chỉ đạo 138), built once from a :class:`~dashboard.views.DeckView`.

:func:`build_deck` turns the view into a neutral :class:`~dashboard.reports.model.Deck`
of eight slides; :mod:`dashboard.reports.pptx_writer` lays it out as a .pptx and
:mod:`dashboard.ui.present` shows it full screen. Every number on a slide is a
value of the view object, formatted here (Vietnamese separators, dd/mm/yyyy),
never computed again.

Charts are copies of the dashboard's Plotly figures set in large type for a
projector, rendered together in one :func:`dashboard.render.figures_png` call;
the map is :func:`dashboard.render.static_map_png`.

The public version (``public=True``) shows hotspot codes instead of names,
displaced points on the map (:func:`dashboard.public.displace`) and hides small
counts in tables (:func:`dashboard.public.suppress`).

No Streamlit here.
"""

from __future__ import annotations

import math
import unicodedata
from io import BytesIO

import pandas as pd
import plotly.graph_objects as go

from dashboard import charts, public, render
from dashboard.domain import STATUS_COLOURS, Status, UnitLevel
from dashboard.geo import load_units, unit_names
from dashboard.i18n import fmt_date, fmt_number, fmt_of_target, t
from dashboard.reports import model
from dashboard.views import DeckView

#: Slide keys, in order.
SLIDES = ("title", "progress", "map", "status", "activities", "border", "risk", "decisions")

#: Chart layout size (CSS pixels) and export scale: 1600 × 900 PNGs whose type
#: is large relative to the picture (a 24 px font on a 1280 px wide layout).
CHART_WIDTH, CHART_HEIGHT, CHART_SCALE = 1280, 720, 1.25
#: The border chart shares its slide with figure cards: narrower.
SIDE_CHART_WIDTH = 960
CHART_FONT = 24
#: Static map size in pixels, and the legend panel drawn beside it in large
#: type (the map's own legend is sized for a page, too small for a room).
MAP_WIDTH, MAP_HEIGHT = 1400, 1000
LEGEND_WIDTH, LEGEND_PX, LEGEND_TITLE_PX = 620, 34, 38

#: Rows of the handover table and items of the decision list that fit on a slide.
MAX_HANDOVER_ROWS = 7
MAX_DECISIONS = 6
MAX_DECISION_CHARS = 280
HANDOVER_COLUMNS = ("code", "name", "recommendation", "checks", "risk")
MAX_TOP_RISK = 5
#: Units of the status chart: more rows would not be readable from the back of a room.
MAX_UNITS = 15


def build_deck(view: DeckView, *, public: bool = False) -> model.Deck:
    """The eight slides of ``view``.

    Parameters
    ----------
    view : DeckView
        :func:`dashboard.views.deck` of the plan year.
    public : bool
        The public version: codes for hotspot names, displaced map points, small
        counts hidden in tables.

    Raises
    ------
    dashboard.render.RenderError
        When a chart or the map cannot be drawn (no Chromium, no font).
    """
    year, as_of = view.plan_year, fmt_date(view.as_of)
    status_fig, activities_fig, border_fig = _charts(view)
    pngs = render.figures_png(
        [
            (status_fig, CHART_WIDTH, CHART_HEIGHT),
            (activities_fig, CHART_WIDTH, CHART_HEIGHT),
            (border_fig, SIDE_CHART_WIDTH, CHART_HEIGHT),
        ],
        scale=CHART_SCALE,
    )
    status_png, activities_png, border_png = pngs
    slides = (
        model.Slide(
            key="title",
            title=t("deck.title", year=year),
            subtitle=t("deck.committee"),
            note=t("deck.as_of", date=as_of),
            bullets=(t("deck.issuer"),),
        ),
        _progress(view),
        _map(view, public),
        model.Slide(
            key="status",
            title=_status_title(view.overview.level),
            subtitle=t("deck.map.caption", date=as_of),
            image=model.Image(status_png, _status_title(view.overview.level)),
            note=_units_note(view),
        ),
        model.Slide(
            key="activities",
            title=t("deck.activities.title"),
            subtitle=t("deck.as_of", date=as_of),
            image=model.Image(activities_png, t("deck.activities.title")),
        ),
        model.Slide(
            key="border",
            title=t("deck.border.title"),
            subtitle=t(f"deck.border.level.{view.overview.border.level.value}"),
            figures=(
                (t("kpi.border_hotspots"), fmt_number(view.overview.border_hotspots)),
                (t("deck.border.pairs"), fmt_number(len(view.overview.border.ranking))),
            ),
            image=model.Image(border_png, t("chart.border_ranking")),
        ),
        _risk(view, public),
        _decisions(view, public),
    )
    return model.Deck(title=t("deck.title", year=year), subtitle=t("deck.committee"), slides=slides,
                      public=public)  # fmt: skip


def deck_pptx(view: DeckView, *, public: bool = False, sample: bool = False) -> bytes:
    """The .pptx bytes of :func:`build_deck` (``sample`` marks every slide "DỮ LIỆU MẪU")."""
    from dashboard.reports.pptx_writer import write_pptx

    return write_pptx(build_deck(view, public=public), sample=sample)


# --------------------------------------------------------------------------
# Slides


def _progress(view: DeckView) -> model.Slide:
    k, o = view.overview.kpis, view.overview
    figures = (
        (t("kpi.cleared"), fmt_of_target(k.cleared, k.clear_target)),
        (
            t("kpi.kept_clean"),
            fmt_of_target(k.kept_clean, k.keep_target),
        ),
        (t("kpi.reemerged"), fmt_number(k.reemerged)),
        (t("kpi.active"), fmt_number(k.open_now)),
        (t("kpi.activities"), fmt_number(k.activities)),
        (t("kpi.border_hotspots"), fmt_number(o.border_hotspots)),
        (t("kpi.high_risk"), fmt_number(o.high_risk)),
    )
    if k.doc_number:
        note = t("deck.progress.plan", number=k.doc_number, date=fmt_date(k.doc_date))
    else:
        note = t("deck.progress.no_plan", year=k.year)
    return model.Slide(
        key="progress",
        title=t("deck.progress.title", year=view.plan_year),
        subtitle=t("deck.as_of", date=fmt_date(k.as_of)),
        figures=figures,
        note=note,
    )


def _map(view: DeckView, public_version: bool) -> model.Slide:
    level = view.overview.level
    hotspots = view.overview.hotspots
    if public_version and not hotspots.empty:
        hotspots = public.displace(hotspots)
    column = "ward_code" if level == UnitLevel.WARD else "district_code"
    units = load_units(level, display=True)
    focus = sorted(set(hotspots[column].dropna().astype(str)) & set(units["code"].astype(str)))
    png = render.static_map_png(
        units,
        hotspots[["lat", "lon", "status"]],
        focus_codes=focus or None,
        title="",
        width_px=MAP_WIDTH,
        height_px=MAP_HEIGHT,
        legend=False,
        labels=False,
    )
    png = _with_legend(png, [s for s in Status if (hotspots["status"] == s.value).any()])
    caption = t("deck.map.caption", date=fmt_date(view.as_of))
    return model.Slide(
        key="map",
        title=t("deck.map.title"),
        subtitle=t(f"map.{level.value}s"),
        image=model.Image(png, caption),
        note=t("deck.map.public") if public_version else "",
    )


def _risk(view: DeckView, public_version: bool) -> model.Slide:
    q = view.quarterly
    handover = public.public_names(q.handover) if public_version else q.handover
    shown = handover.head(MAX_HANDOVER_ROWS)
    columns = [c for c in HANDOVER_COLUMNS if not (public_version and c == "name")]  # name = code there
    rows = tuple(
        tuple(
            {
                "code": r.code,
                "name": r.name,
                "recommendation": t(f"deck.rec.{r.recommendation}"),
                "checks": _count(r.checks_since, public_version),
                "risk": _risk_level(r.risk_level),
            }[c]
            for c in columns
        )
        for r in shown.itertuples(index=False)
    )
    more = len(handover) - len(shown)
    table = model.Table(
        key="handover",
        title=t("deck.risk.table"),
        columns=tuple(t(f"deck.col.{c}") for c in columns),
        rows=rows,
        note=t("deck.risk.more", n=fmt_number(more)) if more > 0 else "",
    )
    top = public.public_names(view.top_risk) if public_version else view.top_risk
    items = [t("deck.risk.top")]
    if top.empty:
        items.append(t("deck.risk.no_top"))
    for r in top.head(MAX_TOP_RISK).itertuples(index=False):
        score, level = fmt_number(r.score, 1), _risk_level(r.level)
        items.append(t("deck.risk.top_item", code=r.code, score=score, level=level))
    return model.Slide(
        key="risk",
        title=t("deck.risk.title"),
        subtitle=t("deck.risk.subtitle", quarter=q.quarter, year=q.year, date=fmt_date(q.end)),
        table=table if rows else None,
        bullets=tuple(items),
        note="" if rows else t("deck.risk.no_handover"),
    )


def _decisions(view: DeckView, public_version: bool) -> model.Slide:
    notes = view.decisions
    names = _hotspot_names(view) if public_version else {}
    items: list[str] = []
    for r in notes.head(MAX_DECISIONS).itertuples(index=False):
        level = UnitLevel(r.level) if isinstance(r.level, str) and r.level else None
        unit = unit_names(level).get(r.unit_code, r.unit_code) if level else t("deck.city")
        text = " ".join(str(r.decisions).split())
        if public_version:
            text = _codes_for_names(text, names)
        if len(text) > MAX_DECISION_CHARS:
            text = text[: MAX_DECISION_CHARS - 1].rstrip() + "…"
        items.append(t("deck.decisions.item", month=pd.Timestamp(r.month).strftime("%m/%Y"), unit=unit,
                       text=text))  # fmt: skip
    more = len(notes) - min(len(notes), MAX_DECISIONS)
    if not items:
        note = t("deck.decisions.none")
    elif more > 0:
        note = t("deck.decisions.more", n=fmt_number(more))
    else:
        note = ""
    return model.Slide(
        key="decisions",
        title=t("deck.decisions.title"),
        subtitle=t("deck.as_of", date=fmt_date(view.as_of)),
        bullets=tuple(items),
        note=note,
    )


def _busiest_units(table: pd.DataFrame) -> pd.DataFrame:
    """The :data:`MAX_UNITS` rows of a status-by-unit table with most hotspots (its values unchanged)."""
    if len(table) <= MAX_UNITS:
        return table
    order = table.sum(axis=1).sort_values(ascending=False, kind="stable").index[:MAX_UNITS]
    return table.loc[order]


def _units_note(view: DeckView) -> str:
    n = len(view.overview.status_by_unit)
    if n <= MAX_UNITS:
        return ""
    return t("deck.status.more", shown=fmt_number(MAX_UNITS), n=fmt_number(n - MAX_UNITS))


def _status_title(level: UnitLevel) -> str:
    return t(f"deck.status.{UnitLevel(level).value}")


def _risk_level(level) -> str:
    if not isinstance(level, str) or not level:
        return t("doc.missing")
    return t(f"risk.level.{level}")


def _count(value, public_version: bool):
    """A count cell: the value, ``None`` when missing, or its public text."""
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return None
    if public_version:
        return public.suppressed_text(public.suppress(int(value)))
    return int(value)


def _hotspot_names(view: DeckView) -> dict[str, str]:
    """Every hotspot name the view holds, mapped to its code (for the public version)."""
    frames = [view.overview.hotspots, view.quarterly.handover, view.top_risk, view.overview.scores]
    pairs: dict[str, str] = {}
    for frame in frames:
        if {"code", "name"} <= set(frame.columns):
            for code, name in zip(frame["code"], frame["name"], strict=True):
                if isinstance(name, str) and name.strip():
                    pairs[unicodedata.normalize("NFC", name.strip())] = str(code)
    return pairs


def _codes_for_names(text: str, names: dict[str, str]) -> str:
    """``text`` with every hotspot name replaced by its code (longest names first)."""
    text = unicodedata.normalize("NFC", text)
    for name in sorted(names, key=len, reverse=True):
        text = text.replace(name, names[name])
    return text


def _with_legend(map_png: bytes, statuses: list[Status]) -> bytes:
    """``map_png`` with a panel on its right: a large dot and label per status shown."""
    from PIL import Image as PILImage
    from PIL import ImageDraw, ImageFont

    regular, bold = (str(p) for p in render.font_paths()[:2])
    base = PILImage.open(BytesIO(map_png)).convert("RGB")
    canvas = PILImage.new("RGB", (base.width + LEGEND_WIDTH, base.height), "white")
    canvas.paste(base, (0, 0))
    draw = ImageDraw.Draw(canvas)
    text_font = ImageFont.truetype(regular, LEGEND_PX)
    title_font = ImageFont.truetype(bold, LEGEND_TITLE_PX)
    x, y = base.width + 40, 60
    draw.text((x, y), t("map.legend"), font=title_font, fill="#122B4A")
    y += round(LEGEND_TITLE_PX * 2)
    radius = LEGEND_PX // 2
    for status in statuses:
        lines = _wrap(t(f"status.{status.value}"), text_font, LEGEND_WIDTH - 40 - 3 * radius - 30, draw)
        draw.ellipse((x, y + 6, x + 2 * radius, y + 6 + 2 * radius), fill=STATUS_COLOURS[status],
                     outline="#1f1f1f", width=2)  # fmt: skip
        for line in lines:
            draw.text((x + 3 * radius, y), line, font=text_font, fill="#1A1A1A")
            y += round(LEGEND_PX * 1.3)
        y += round(LEGEND_PX * 0.6)
    out = BytesIO()
    canvas.save(out, format="PNG", optimize=True)
    return out.getvalue()


def _wrap(text: str, font, width: float, draw) -> list[str]:
    """``text`` in lines no wider than ``width`` pixels."""
    lines: list[str] = []
    for word in text.split():
        if lines and draw.textlength(f"{lines[-1]} {word}", font=font) <= width:
            lines[-1] = f"{lines[-1]} {word}"
        else:
            lines.append(word)
    return lines


# --------------------------------------------------------------------------
# Charts in large type


def _charts(view: DeckView) -> tuple[go.Figure, go.Figure, go.Figure]:
    o = view.overview
    status = charts.status_by_unit_chart(
        _busiest_units(o.status_by_unit), unit_names(o.level), _status_title(o.level)
    )
    activities = charts.activities_chart(o.activities)
    border = charts.border_ranking_chart(o.border.ranking, unit_names(o.border.level))
    return projector(status), projector(activities), projector(border, width=SIDE_CHART_WIDTH)


def projector(fig: go.Figure, width: int = CHART_WIDTH, height: int = CHART_HEIGHT) -> go.Figure:
    """A copy of ``fig`` for a projector: :func:`dashboard.charts.for_print` at
    :data:`CHART_FONT` px, without its title (the slide's title says it)."""
    out = charts.for_print(fig, font_size=CHART_FONT, width=width, height=height)
    title = out.layout.title
    title_band = round(1.5 * (title.font.size or 0) + (title.pad.t or 0))  # as for_print plans it
    out.update_layout(title_text="", margin_t=max(20, (out.layout.margin.t or 0) - title_band))
    return out
