"""Streamlit widgets shared by the pages: filters, KPIs, map, charts, table."""

from __future__ import annotations

import datetime as dt
import functools
import math
from collections.abc import Callable
from pathlib import Path

import folium
import pandas as pd
import plotly.graph_objects as go
import streamlit as st
from pandas.io.formats.style import Styler
from streamlit_folium import st_folium

from dashboard import border, store
from dashboard.domain import DomainError, HotspotKind, Status, UnitLevel
from dashboard.encode import html_text, markdown_text
from dashboard.filters import Filters
from dashboard.geo import unit_names
from dashboard.i18n import fmt_date, fmt_number, fmt_of_target, t
from dashboard.queries import Dataset, PlanKpis
from dashboard.texts.frontend import PLOTLY_FORMAT, PLOTLY_WORDS
from dashboard.ui import data, foliumdraw, frontend_words
from dashboard.ui.styledtables import held_styler

EARLIEST = dt.date(2010, 1, 1)
#: Session key of a one-time success message (after a write and rerun).
FLASH = "flash_message"
#: A refusal to show after a rerun (an edit made on data changed elsewhere meanwhile).
FLASH_ERROR = "flash_error"


def plain(text: str) -> str:
    """``text`` for Streamlit's markdown elements with what could turn a file
    name or cell value into an image (a request leaving the machine) or a
    link escaped; ordinary punctuation is left as it is
    (:func:`dashboard.encode.markdown_text`)."""
    return markdown_text(text)


#: Styles for every page of the app (drawn once per run by app.py): a KPI card's label (and
#: the comparison under its value) wraps onto a second line instead of ending in "…" where
#: its column is narrow, and the values of a row of cards stay on one line. The calendar of a
#: date range loses Streamlit's quick choices ("Date range: Select...", "Past week", …),
#: which it offers in English only; the dates themselves are picked as before. The main menu
#: (Print, Record screen, "Made with Streamlit": English only) is hidden.
APP_CSS = """
[data-testid="stMetricLabel"] .stMarkdownEllipsis,
[data-testid="stMetricLabel"] .stMarkdownEllipsis p,
[data-testid="stMetricDelta"] div,
[data-testid="stMetricDelta"] p {
    white-space: normal;
    overflow: visible;
    text-overflow: clip;
}
[data-testid="stMetricLabel"] { height: auto; min-height: 2.75em; align-items: flex-start; }
[data-testid="stDateInputQuickSelect"] { display: none; }
[data-testid="stMainMenu"] { display: none; }
.st-key-app_frontend_words { display: none; }
.st-key-app_chart_warm_up { display: none; }
"""


def _css_text(text: str) -> str:
    """``text`` as a CSS string literal."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ") + '"'


def _reworded(selector: str, text: str, size: str, *, important: bool = False) -> str:
    """Rules that draw ``text`` (at ``size``) in place of what Streamlit wrote in the element
    ``selector``: its own words take no room, ``text`` is drawn after them."""
    zero = "0 !important" if important else "0"
    return (
        f"{selector} {{ font-size: {zero}; }}\n"
        f"{selector}::after {{ content: {_css_text(text)}; font-size: {size}; }}\n"
    )


def uploader_css(max_mb: int) -> str:
    """The file picker's own words, which Streamlit writes in English ("Upload", "200MB per
    file • XLSX, …"), in Vietnamese: the button reads "Chọn tệp" and the line beside it the
    size limit; the accepted kinds are in each picker's label."""
    button = '[data-testid="stFileUploaderDropzone"] [data-testid="stBaseButton-secondary"] p'
    limit = '[data-testid="stFileUploaderDropzoneInstructions"] > div > span'
    return _reworded(button, t("upload.button"), "0.875rem") + _reworded(
        limit, t("upload.limit", mb=fmt_number(max_mb)), "0.875rem"
    )


def input_hint_css() -> str:
    """The hint Streamlit shows under a text field being typed in ("Press Enter to apply",
    "Press Ctrl+Enter to submit form"), in Vietnamese; a length counter ("12/200") beside it
    stays as drawn. The hint is the first of the hints' parts whenever Enter can apply or
    submit; where it cannot (a form whose button is disabled), Streamlit draws no hint, and
    no such field of this app has a counter that could be taken for one. Later rules, more
    particular, win: a text area's Ctrl+Enter, a form's "gửi"."""
    hint = '[data-testid="InputInstructions"] > span:first-child'
    area, form = '[data-testid="stTextArea"]', '[data-testid="stForm"]'
    return "".join(
        _reworded(f"{where}{hint}", t(key), "0.75rem")
        for where, key in (
            ("", "input.enter_apply"),
            (f"{area} ", "input.ctrl_enter_apply"),
            (f"{form} ", "input.enter_submit"),
            (f"{form} {area} ", "input.ctrl_enter_submit"),
        )
    )


def skip_link_css() -> str:
    """The link a keyboard user meets first ("Skip to main content"), in Vietnamese (its own
    size is set by Streamlit's focused style, which only ``!important`` outranks)."""
    return _reworded('[data-testid="stSkipToContent"]', t("a11y.skip"), "1rem", important=True)


def status_css() -> str:
    """The button Streamlit shows beside its running figure while a page takes more than half
    a second ("Stop", then "Stopping..."), in Vietnamese: "Dừng"."""
    button = '[data-testid="stStatusWidget"]:has([data-testid="stStatusWidgetRunningIcon"]) button'
    return f"{button} * {{ font-size: 0; }}\n" + _reworded(button, t("status.stop"), "0.875rem")


def connection_css() -> str:
    """What Streamlit shows when the page loses its server ("Connecting", and a dialog
    "Connection error: Streamlit server is not responding. Are you connected to the
    internet?", a question that misleads on a closed network), in Vietnamese. The app opens
    no dialog of its own (``st.dialog``, whose body holds Streamlit elements), so only
    Streamlit's own are matched."""
    box = '[data-testid="stDialog"] section[role="dialog"]:not(:has([data-testid="stVerticalBlock"]))'
    return (
        _reworded('[data-testid="stConnectionStatus"] label', t("connection.status"), "0.875rem")
        + _reworded(f"{box} h2", t("connection.title"), "1.5rem")
        + _reworded(f"{box} h2 + div > div", t("connection.body"), "1rem")
    )


@functools.cache
def _app_css(max_upload_mb: int) -> str:
    """Every style of :func:`app_style`: the same for every run of the process."""
    return "<style>" + "".join(
        (APP_CSS, uploader_css(max_upload_mb), input_hint_css(), skip_link_css(), status_css(),
         connection_css())
    ) + "</style>"  # fmt: skip


def app_style() -> None:
    """The app's own styles (:data:`APP_CSS`, :func:`uploader_css`, :func:`input_hint_css`,
    :func:`skip_link_css`, :func:`status_css`, :func:`connection_css`) and the script that
    puts Streamlit's English words in Vietnamese (:mod:`dashboard.ui.frontend_words`); both
    take no room on the page."""
    st.html(_app_css(int(st.get_option("server.maxUploadSize"))))
    frontend_words.install()


def page_header(title_key: str) -> None:
    """Sign-in first (nothing else is drawn for a caller not signed in), then the
    title, caption and, while sample data is loaded, the sample-data banner."""
    require_sign_in()
    st.title(t(title_key))
    st.caption(t("app.caption"))
    if FLASH in st.session_state:
        st.success(plain(st.session_state.pop(FLASH)))
    if FLASH_ERROR in st.session_state:
        st.error(plain(st.session_state.pop(FLASH_ERROR)))
        st.toast(plain(t("err.stale_edit_toast")))  # seen wherever the page is scrolled to
    if data.is_sample():
        st.warning(t("app.sample_banner"), icon="⚠️")


def require_sign_in():
    """The signed-in account, allowed on this page; otherwise the sign-in (or a
    refusal) is drawn and the run stops, so nothing of the page shows."""
    from dashboard.ui import auth

    ensure_app_navigation()
    account = auth.gate()
    page = _page_file()
    if page and not auth.allowed_here(account, page):
        st.error(t("auth.err.page", role=t(f"acct.role.{account.role.value}")))
        st.stop()
    return account


def _page_file() -> str | None:
    """The page file (pages/NAME.py) whose code called into here, or None."""
    import inspect

    pages = Path(__file__).resolve().parent.parent.parent / "pages"
    frame = inspect.currentframe()
    while frame is not None:
        path = Path(frame.f_code.co_filename)
        if path.parent == pages:
            return str(path)
        frame = frame.f_back
    return None


def guarded(body: Callable[[], None]) -> None:
    """Run a page body; a domain error becomes a readable ``st.error``."""
    try:
        body()
    except DomainError as exc:
        st.error(plain(str(exc)))


def _date_range(label: str, start: dt.date, end: dt.date, key: str) -> tuple[dt.date, dt.date]:
    return date_range_input(label, start, end, key, container=st.sidebar)


def date_range_input(
    label: str, start: dt.date, end: dt.date, key: str, container=st
) -> tuple[dt.date, dt.date]:
    """A dd/mm/yyyy date range; while the second date is being picked, a one-day range."""
    value = container.date_input(
        label,
        value=(start, end),
        min_value=EARLIEST,
        max_value=max(end, data.today()),
        format="DD/MM/YYYY",
        key=key,
    )
    if isinstance(value, dt.date):
        return value, value
    if len(value) == 1:  # the second date is still being picked
        return value[0], value[0]
    return value[0], value[1]


def area_picker(key: str, ds: Dataset) -> tuple[UnitLevel, str]:
    """Choose a former district or a current ward (first offered: the one
    with most hotspots)."""
    level = st.sidebar.radio(
        t("filter.area_level"),
        [UnitLevel.WARD, UnitLevel.DISTRICT],
        format_func=lambda v: t(f"level.{v.value}"),
        key=f"{key}_level",
    )
    names = unit_names(level)
    codes = sorted(names, key=lambda c: names[c])
    column = "ward_code" if level == UnitLevel.WARD else "district_code"
    busiest = ds.hotspots[column].value_counts()
    start = codes.index(busiest.index[0]) if not busiest.empty else 0
    code = st.sidebar.selectbox(
        t("filter.area_unit"),
        codes,
        index=start,
        format_func=lambda c: names[c],
        key=f"{key}_unit_{level.value}",
        placeholder=t("widget.placeholder"),
    )
    return level, code


def filter_sidebar(ds: Dataset, key: str, *, area: tuple[UnitLevel, str] | None = None) -> Filters:
    """The page's one filter set, read from sidebar widgets."""
    st.sidebar.header(t("filter.header"))
    today = data.today()
    years = ds.years or [today.year]
    default_year = Filters.default_year(years, today)
    year = st.sidebar.selectbox(
        t("filter.plan_year"),
        years,
        index=years.index(default_year),
        key=f"{key}_year",
        placeholder=t("widget.placeholder"),
    )
    span = Filters.for_year(year, today)
    # The range is keyed by year, so choosing another year resets it to that year.
    start, end = _date_range(t("filter.date_range"), span.date_from, span.date_to, f"{key}_range_{year}")
    statuses = st.sidebar.multiselect(
        t("filter.status"),
        list(Status),
        default=list(Status),
        format_func=lambda s: t(f"status.{s.value}"),
        key=f"{key}_status",
        placeholder=t("widget.placeholder"),
    )
    kinds = st.sidebar.multiselect(
        t("filter.kind"),
        list(HotspotKind),
        default=list(HotspotKind),
        format_func=lambda k: t(f"kind.{k.value}"),
        key=f"{key}_kind",
        placeholder=t("widget.placeholder"),
    )
    plan_only = st.sidebar.checkbox(t("filter.plan_only"), value=False, key=f"{key}_plan_only")
    level, code = area if area else (None, None)
    return Filters(
        plan_year=year,
        date_from=start,
        date_to=end,
        statuses=frozenset(statuses),
        kinds=frozenset(kinds),
        plan_only=plan_only,
        area_level=level,
        area_code=code,
    )


def kpi_row(k: PlanKpis, extra: list[tuple[str, int, str]] | None = None) -> None:
    """The plan's KPI cards, then ``extra`` cards as (label, count, help text)."""
    extra = extra or []
    if k.doc_number:
        st.markdown(
            f"**{t('overview.kpi_heading', year=k.year, date=fmt_date(k.as_of))}** · "
            f"{t('overview.plan_doc', number=plain(k.doc_number), date=fmt_date(k.doc_date))}"
        )
    else:
        st.info(t("kpi.no_plan", year=k.year))
    cols = st.columns(5)
    cols[0].metric(
        t("kpi.cleared"),
        fmt_of_target(k.cleared, k.clear_target),
        help=t("kpi.help.cleared"),
        border=True,
    )
    cols[1].metric(
        t("kpi.kept_clean"),
        fmt_of_target(k.kept_clean, k.keep_target),
        help=t("kpi.help.kept_clean"),
        border=True,
    )
    cols[2].metric(t("kpi.reemerged"), fmt_number(k.reemerged), help=t("kpi.help.reemerged"), border=True)
    cols[3].metric(t("kpi.active"), fmt_number(k.open_now), border=True)
    cols[4].metric(t("kpi.activities"), fmt_number(k.activities), border=True)
    # A second row, so that no card is too narrow to read its label.
    for col, (label, count, help_text) in zip(st.columns(5), extra, strict=False):
        col.metric(label, fmt_number(count), help=help_text, border=True)


def overview_figures(v) -> list[tuple[str, int, str]]:
    """The border-hotspot and high-risk cards of an overview or area view."""
    from dashboard.risk import WEIGHTS

    level = v.border.level
    return [
        (
            t("kpi.border_hotspots"),
            v.border_hotspots,
            t(
                "kpi.help.border_hotspots",
                level=t(f"level.short.{level.value}"),
                width=fmt_number(v.border.width_m),
            ),
        ),
        (t("kpi.high_risk"), v.high_risk, t("risk.kpi.help.high", high=fmt_number(WEIGHTS.high_from))),
    ]


def _cell_text(value, decimals: int) -> str:
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return "—"
    if isinstance(value, dt.datetime):  # pandas Timestamps too
        timed = value.hour or value.minute or value.second
        return value.strftime("%d/%m/%Y %H:%M:%S" if timed else "%d/%m/%Y")
    if hasattr(value, "item"):  # numpy scalars
        value = value.item()
    from dashboard.reports.model import cell_text

    return cell_text(value, decimals)  # numbers, dates, yes/no as in the documents


def styled_table(
    frame: pd.DataFrame, decimals: dict[str, int] | None = None, held_as: str | None = None
) -> pd.DataFrame | Styler:
    """``frame`` styled so that its numbers and dates read the Vietnamese way (2.740 and 83,2;
    dd/mm/yyyy) while it keeps its values to sort on; with ``held_as``, a
    :func:`~dashboard.ui.styledtables.held_styler` of that uuid, to be shared."""
    decimals = decimals or {}
    formatters = {}
    for column in frame.columns:
        if pd.api.types.is_numeric_dtype(frame[column]) and not pd.api.types.is_bool_dtype(frame[column]):
            places = decimals.get(column, 0 if pd.api.types.is_integer_dtype(frame[column]) else 1)
            known = frame[column].dropna()
            if column not in decimals and len(known) and (known == known.round()).all():
                places = 0  # whole numbers that only became floats for their gaps
            formatters[column] = lambda v, d=places: _cell_text(v, d)
        elif pd.api.types.is_datetime64_any_dtype(frame[column]) or frame[column].map(
            lambda v: isinstance(v, dt.date)).any():  # fmt: skip
            formatters[column] = lambda v: _cell_text(v, 0)
        elif pd.api.types.is_bool_dtype(frame[column]):
            formatters[column] = lambda v: _cell_text(bool(v), 0)
        elif frame[column].isna().any():  # text with gaps: "—", never "None" or "nan"
            # (st.dataframe draws a missing cell as "None" whatever the Styler says: fill the text)
            frame = frame.assign(**{column: frame[column].astype(object).where(frame[column].notna(), "—")})
    if not formatters:
        return frame
    styler = frame.style if held_as is None else held_styler(frame, held_as)
    return styler.format(formatters, na_rep="—")


def show_table(
    frame: pd.DataFrame | Callable[[], pd.DataFrame],
    *,
    decimals: dict[str, int] | None = None,
    key: str | None = None,
    held: tuple[Dataset, tuple] | None = None,
    **kwargs,
) -> None:
    """A sortable table whose numbers and dates read the Vietnamese way (2.740 and 83,2;
    dd/mm/yyyy), sorted on the underlying values: ``frame``, or the one ``frame()`` makes.
    With ``held`` (the dataset it is made from and everything else it depends on) and a
    ``key``, it is styled once per process for them, and its cells' texts made once
    (:mod:`dashboard.ui.styledtables`)."""
    if held is None:
        styled = styled_table(frame() if callable(frame) else frame, decimals)
    else:
        if key is None:
            raise ValueError("a held table needs a key")
        ds, depends = held
        build = frame if callable(frame) else (lambda: frame)
        places = tuple(sorted((decimals or {}).items()))
        make = lambda: styled_table(build(), decimals, held_as=key)  # noqa: E731
        styled = data.held(ds, "table", (key, places, *depends), make)
    kwargs.setdefault("hide_index", True)
    kwargs.setdefault("placeholder", "—")  # a missing number, kept a number for sorting: never "None"
    st.dataframe(styled, key=key, **kwargs)


def show_map(
    m: folium.Map | Callable[[], folium.Map],
    key: str,
    height: int = 620,
    held: tuple[Dataset, tuple] | None = None,
) -> None:
    """Draw a folium map, or the one ``m()`` makes (with ``held``: made and rendered once per
    process, see :func:`dashboard.ui.foliumdraw.draw`); it sends nothing back, so panning
    never reruns the page."""
    foliumdraw.draw(m if callable(m) else lambda: m, key, height, [], held)


#: Plotly's toolbar without its logo, in Vietnamese (:data:`~dashboard.texts.frontend.PLOTLY_WORDS`).
PLOTLY_CONFIG = {
    "displaylogo": False,
    "locale": "vi",
    "locales": {"vi": {"dictionary": PLOTLY_WORDS, "format": PLOTLY_FORMAT}},
}


def show_chart(
    fig: go.Figure | Callable[[], go.Figure], key: str, held: tuple[Dataset, tuple] | None = None
) -> None:
    """Draw a Plotly figure, or the one ``fig()`` makes; with ``held`` (the dataset it is made
    from and everything else it depends on) made once per process for them and shared by
    every session (``st.plotly_chart`` only reads it)."""
    if held is not None:
        ds, depends = held
        fig = data.held(ds, "chart", (key, *depends), fig)
    elif callable(fig):
        fig = fig()
    st.plotly_chart(fig, key=key, theme=None, config=PLOTLY_CONFIG)


#: Where the sign-in form draws :func:`warm_up_charts`' chart (hidden by :data:`APP_CSS`).
WARM_UP_KEY = "app_chart_warm_up"


@functools.cache
def _warm_up_figure() -> go.Figure:
    return go.Figure(layout={"template": "none", "width": 40, "height": 40})


def warm_up_charts() -> None:
    """An empty chart nobody sees, for the sign-in form: the browser loads and starts
    Plotly (a second or more of its work on an office computer) while the officer types,
    rather than after signing in, when the first page's charts would hold up its map
    (``bench/load_test.py --typing``: the city map drawn 1.5 s sooner)."""
    with st.container(key=WARM_UP_KEY):
        config = PLOTLY_CONFIG | {"staticPlot": True}
        st.plotly_chart(_warm_up_figure(), key=f"{WARM_UP_KEY}_chart", theme=None, config=config)


def hotspot_table(view: pd.DataFrame, held: tuple[Dataset, tuple] | None = None) -> None:
    """Sortable table of the hotspots shown; ``held`` as for :func:`show_table` (what
    ``view`` is made from)."""

    def build() -> pd.DataFrame:
        wards, districts = unit_names(UnitLevel.WARD), unit_names(UnitLevel.DISTRICT)
        return pd.DataFrame(
            {
                t("table.code"): view["code"],
                t("table.name"): view["name"],
                t("table.kind"): view["kind"].map(lambda k: t(f"kind.{k}")),
                t("table.status"): view["status"].map(lambda s: t(f"status.{s}")),
                t("table.ward"): view["ward_code"].map(wards),
                t("table.district"): view["district_code"].map(districts),
                t("table.last_activity"): view["last_activity"],
                t("table.activities"): view["activities"],
                t("table.violations"): view["violations"],
                t("table.unit"): view["responsible_unit"],
            }
        )

    st.caption(t("table.caption", n=fmt_number(len(view))))
    show_table(build, key="hotspot_table", held=held)


ALL_UNITS = "__all__"


def border_controls(key: str, as_of: dt.date) -> tuple[UnitLevel, str | None, float, int]:
    """Layer, unit (None: all), zone width and gap look-back for the border page.

    The layer starts at the one in force on ``as_of`` (as on every other page);
    choosing a date on the other side of 01/07/2025 moves it along."""
    from dashboard.domain import level_at

    st.sidebar.header(t("border.controls"))
    levels = [UnitLevel.DISTRICT, UnitLevel.WARD]
    level = st.sidebar.radio(
        t("filter.area_level"), levels, index=levels.index(level_at(as_of)),
        format_func=lambda v: t(f"level.{v.value}"), key=f"{key}_level",
    )  # fmt: skip
    names = unit_names(level)
    codes = [ALL_UNITS, *sorted(names, key=lambda c: names[c])]
    unit = st.sidebar.selectbox(
        t("filter.area_unit"),
        codes,
        format_func=lambda c: t("border.all_units") if c == ALL_UNITS else names[c],
        key=f"{key}_unit_{level.value}",
        placeholder=t("widget.placeholder"),
    )
    width = st.sidebar.slider(
        t("border.width"), 100, 1000, int(border.DEFAULT_ZONE_M), step=50, key=f"{key}_width"
    )
    days = st.sidebar.number_input(
        t("border.gap_days"),
        min_value=7,
        max_value=730,
        value=border.DEFAULT_GAP_DAYS,
        step=1,
        key=f"{key}_days",
    )
    return level, (None if unit == ALL_UNITS else unit), float(width), int(days)


def pair_picker(report: border.BorderReport, names: dict[str, str], key: str) -> tuple[str, str] | None:
    """Choose a pair to zoom to; pairs with hotspots in their zone come first.

    A click on a shared boundary or zone in the map (stored by
    :func:`remember_clicked_pair`) selects its pair on the next run.
    """
    clicked = st.session_state.pop(f"{key}_clicked", None)
    pairs = report.table[["code_a", "code_b"]].values.tolist()
    pairs += [p for p in report.adjacency.pairs[["code_a", "code_b"]].values.tolist() if p not in pairs]
    options = ["", *(f"{a}|{b}" for a, b in pairs)]
    if clicked in options:
        st.session_state[key] = clicked

    def label(value: str) -> str:
        if not value:
            return t("border.no_pair")
        a, b = value.split("|")
        return f"{names.get(a, a)} ↔ {names.get(b, b)}"

    choice = st.selectbox(
        t("border.choose_pair"), options, format_func=label, key=key, placeholder=t("widget.placeholder")
    )
    return tuple(choice.split("|")) if choice else None


def remember_clicked_pair(value: dict | None, key: str) -> None:
    """Store the pair of a clicked border feature and rerun so the map zooms."""
    props = ((value or {}).get("last_active_drawing") or {}).get("properties") or {}
    if props.get("code_a") and props.get("code_b"):
        pair = f"{props['code_a']}|{props['code_b']}"
        if st.session_state.get(key) != pair:
            st.session_state[f"{key}_clicked"] = pair
            st.rerun()


def show_clickable_map(
    m: folium.Map | Callable[[], folium.Map],
    key: str,
    height: int = 620,
    held: tuple[Dataset, tuple] | None = None,
) -> dict | None:
    """A map that reports clicks on features (not pans or zooms); ``m`` and ``held`` as for
    :func:`show_map`."""
    return foliumdraw.draw(m if callable(m) else lambda: m, key, height, ["last_active_drawing"], held)


def pick_point(m: folium.Map, key: str, height: int = 420) -> tuple[float, float] | None:
    """A map that reports where it was last clicked (latitude, longitude)."""
    value = st_folium(m, key=key, height=height, use_container_width=True, returned_objects=["last_clicked"])
    clicked = (value or {}).get("last_clicked")
    if not clicked:
        return None
    return round(float(clicked["lat"]), 6), round(float(clicked["lng"]), 6)


def border_tables(report: border.BorderReport, names: dict[str, str]) -> None:
    """The joint-responsibility table and the coordination gaps."""
    statuses = [s.value for s in Status]
    table = report.table
    st.subheader(t("border.joint_table"))
    show_table(
        pd.DataFrame(
            {
                t("border.col.unit_a"): table["code_a"].map(names),
                t("border.col.unit_b"): table["code_b"].map(names),
                t("border.col.length"): table["length_m"].round(0).astype(int),
                t("border.col.hotspots"): table["hotspots"],
                **{t(f"status.{s}"): table[s] for s in statuses},
                t("border.col.acts_a"): table["acts_a"],
                t("border.col.acts_b"): table["acts_b"],
            }
        ),
        hide_index=True,
    )
    st.subheader(t("border.gaps", days=fmt_number(report.gap_days)))
    if report.gaps.empty:
        st.success(t("border.no_gaps"))
    else:
        gaps = report.gaps
        show_table(
            pd.DataFrame(
                {
                    t("table.code"): gaps["code"],
                    t("table.name"): gaps["name"],
                    t("table.status"): gaps["status"].map(lambda s: t(f"status.{s}")),
                    t("border.col.side"): gaps["side"].map(names),
                    t("border.col.neighbour"): gaps["neighbour"].map(names),
                    t("border.col.distance"): gaps["distance_m"].round(0).astype(int),
                    t("border.col.acts_side"): gaps["acts_side"],
                    t("border.col.acts_neighbour"): gaps["acts_neighbour"],
                    t("border.col.silent"): gaps["silent"].map(
                        lambda codes: ", ".join(names.get(c, c) for c in codes.split())
                    ),
                }
            ),
            hide_index=True,
        )
    if not report.one_sided.empty:
        one = report.one_sided
        st.subheader(t("border.one_sided"))
        show_table(
            pd.DataFrame(
                {
                    t("border.col.unit_a"): one["code_a"].map(names),
                    t("border.col.unit_b"): one["code_b"].map(names),
                    t("border.col.active_side"): one["active_side"].map(names),
                    t("border.col.hotspots"): one["hotspots"],
                }
            ),
            hide_index=True,
        )


def risk_kpis(v, overall: dict) -> None:
    """The risk page's cards, from a :class:`dashboard.views.RiskView`."""
    from dashboard.risk import WEIGHTS

    cols = st.columns(4)
    cols[0].metric(t("kpi.high_risk"), fmt_number(v.high), border=True,
                   help=t("risk.kpi.help.high", high=fmt_number(WEIGHTS.high_from)))  # fmt: skip
    cols[1].metric(t("risk.kpi.medium"), fmt_number(v.medium), border=True)
    cols[2].metric(t("risk.kpi.persistent"), fmt_number(v.persistent), border=True)
    model, base = overall.get("model", {}).get("auc"), overall.get("baseline", {}).get("auc")
    if model is not None and base is not None and not (math.isnan(model) or math.isnan(base)):
        delta = t(
            "risk.kpi.auc_delta", delta=f"{'+' if model >= base else '−'}{fmt_number(abs(model - base), 2)}"
        )
        cols[3].metric(t("risk.kpi.auc"), fmt_number(model, 2), delta=delta, border=True)


def risk_table(scores: pd.DataFrame) -> None:
    """Every scored place with its factor points (sortable)."""
    from dashboard.risk import FACTORS

    table = pd.DataFrame(
        {
            t("table.code"): scores["code"],
            t("table.name"): scores["name"],
            t("table.status"): scores["status"].map(lambda s: t(f"status.{s}")),
            t("risk.table.type"): scores["score_type"].map(lambda s: t(f"risk.type.{s}")),
            t("risk.score"): scores["score"],
            t("risk.table.level"): scores["level"].map(lambda s: t(f"risk.level.{s}")),
            **{t(f"risk.factor.{f}"): scores[f"pts_{f}"] for f in FACTORS},
        }
    )
    show_table(table, decimals={t("risk.score"): 1})


def area_risk_table(scores: pd.DataFrame, level: UnitLevel, categories: pd.Series | None = None) -> None:
    """Risk aggregated per unit, with the emerging hot spot category of wards."""
    names = unit_names(level)
    column = "ward_code" if level == UnitLevel.WARD else "district_code"
    at_risk = scores[scores["score_type"] == "risk"]
    grouped = at_risk.groupby(column)["score"]
    table = pd.DataFrame(
        {
            t("risk.area.places"): grouped.size(),
            t("risk.area.mean"): grouped.mean().round(1),
            t("risk.area.max"): grouped.max(),
            t("risk.area.high"): at_risk[at_risk["level"] == "high"].groupby(column).size(),
        }
    ).fillna({t("risk.area.high"): 0})
    if categories is not None:
        table = table.reindex(table.index.union(categories[categories != "none"].index))
        table[t("risk.area.category")] = categories.reindex(table.index).map(lambda c: t(f"st.{c}"))
    table.insert(0, t("risk.area.unit"), table.index.map(names))
    show_table(table.sort_values(t("risk.area.mean"), ascending=False), decimals={t("risk.area.mean"): 1})


def backtest_figures(overall: dict) -> None:
    if not overall.get("cutoffs"):
        st.info(t("chart.empty"))
        return
    cols = st.columns(3)
    cols[0].metric(t("risk.bt.cutoffs"), fmt_number(overall["cutoffs"]), border=True)
    for col, key in ((cols[1], "auc"), (cols[2], "top20_hit_rate")):
        model, base = overall["model"][key], overall["baseline"][key]
        if math.isnan(model) or math.isnan(base):
            col.metric(t("risk.bt.auc") if key == "auc" else t("risk.bt.hit"), "—", border=True)
            continue
        label = t("risk.bt.auc") if key == "auc" else t("risk.bt.hit")
        shown = fmt_number(model, 2) if key == "auc" else f"{fmt_number(model * 100, 1)} %"
        base_shown = fmt_number(base, 2) if key == "auc" else f"{fmt_number(base * 100, 1)} %"
        col.metric(label, shown, delta=f"{t('risk.baseline')}: {base_shown}", delta_color="off", border=True)


def attempt(write: Callable[[], str]) -> bool:
    """Run a write; on success show its message after a rerun (so every part of
    the page shows the change), otherwise show the domain error that stopped it."""
    try:
        message = write()
    except store.StaleEdit as exc:  # changed elsewhere meanwhile: show the current data with the refusal
        data.refresh()
        st.session_state[FLASH_ERROR] = str(exc)
        st.rerun()
        return False
    except DomainError as exc:
        st.error(plain(str(exc)))
        return False
    data.refresh()
    st.session_state[FLASH] = message  # shown by page_header after the rerun
    st.rerun()
    return True


def page_anchor(page: str, label: str) -> None:
    """A link to another page of the app (``page``: its URL path, e.g. ``plans``), relative so it
    also works under ``server.baseUrlPath``; a plain anchor, since ``st.page_link`` needs the
    navigation, absent when a page runs on its own (AppTest)."""
    anchor = f'<a href="./{html_text(page)}" target="_self">{html_text(label)}</a>'
    st.markdown(anchor, unsafe_allow_html=True)


def hotspot_picker(ds: Dataset, key: str) -> pd.Series:
    """Choose one hotspot (code · name); returns its row."""
    hotspots = ds.hotspots.set_index("id", drop=False)
    labels = {int(i): f"{row['code']} · {row['name']}" for i, row in hotspots.iterrows()}
    chosen = st.selectbox(
        t("edit.hotspot"), list(labels), format_func=labels.get, key=key, placeholder=t("widget.placeholder")
    )
    return hotspots.loc[chosen]


#: Set by app.py on every run, just before it runs the chosen page.
VIA_APP = "_run_via_app"


def ensure_app_navigation() -> None:
    """Make a page opened by its own URL run through ``app.py``.

    The pages live in ``pages/`` next to ``app.py``, so until ``app.py`` has
    run once in the server, Streamlit's older pages-directory mode runs a
    bookmarked page's file directly, without ``app.py``'s navigation and page
    settings. Such a run switches that mode off and is repeated once, now
    through ``app.py``. (Under AppTest a page file is itself the main script.)
    """
    from streamlit.runtime.pages_manager import PagesManager
    from streamlit.runtime.scriptrunner import get_script_run_ctx

    ctx = get_script_run_ctx()
    if ctx is None or Path(ctx.main_script_path).name != "app.py":
        return
    if st.session_state.pop(VIA_APP, False) or not PagesManager.uses_pages_directory:
        return
    PagesManager.uses_pages_directory = False
    st.rerun()


#: What a map that opens hotspot cards reports back: the click and the clicked layer's tooltip.
HOTSPOT_CLICK_OBJECTS = ["last_object_clicked", "last_object_clicked_tooltip"]


def show_hotspot_map(
    m: folium.Map | Callable[[], folium.Map],
    key: str,
    hotspots: pd.DataFrame,
    height: int = 620,
    held: tuple[Dataset, tuple] | None = None,
) -> None:
    """Draw a folium map, or the one ``m()`` makes, whose hotspot markers open their card
    (Hồ sơ tụ điểm); ``held`` as for :func:`show_map`.

    The map reports clicks only (never pans or zooms); a click on a hotspot
    marker (:func:`dashboard.register.clicked_hotspot`, among ``hotspots``,
    the ones drawn) switches to ``pages/card.py?ma=CODE``. A click already
    acted on is not acted on again (coming back to the page)."""
    from dashboard.register import clicked_hotspot

    st.caption(t("card.map_click_hint"))
    value = foliumdraw.draw(m if callable(m) else lambda: m, key, height, HOTSPOT_CLICK_OBJECTS, held)
    code = clicked_hotspot(value, hotspots)
    if code is None:
        return
    click = repr([value.get(name) for name in HOTSPOT_CLICK_OBJECTS])
    if st.session_state.get(f"{key}_opened") == click:
        return
    st.session_state[f"{key}_opened"] = click
    st.switch_page("pages/card.py", query_params={"ma": code})
