"""Trình chiếu: the steering committee's deck, one slide at a time, full screen, in large type.

The slides are the same :class:`~dashboard.reports.model.Deck` the .pptx is written
from (:func:`dashboard.reports.deck.build_deck`), built once per process for each
version of the data, plan year, public flag and day by :func:`deck`
(:func:`dashboard.snapshots.derived`: a change to the data builds it again).
"◀ Trước" / "Tiếp ▶" and the arrow keys (← →, PageUp / PageDown) move between slides.
Every text of a slide is escaped before it goes into HTML.
"""

from __future__ import annotations

import datetime as dt
import html
from functools import partial

import streamlit as st
import streamlit.components.v1 as components

from dashboard import exports, snapshots, views
from dashboard.filters import Filters
from dashboard.i18n import fmt_date, fmt_number, t
from dashboard.reports import model
from dashboard.reports.deck import build_deck
from dashboard.reports.pptx_writer import write_pptx
from dashboard.scope import Scope
from dashboard.ui import components as ui
from dashboard.ui import data

#: Session key of the slide shown (0-based).
SLIDE = "present_slide"
PREV, NEXT = "present_prev", "present_next"

#: Hides Streamlit's chrome and sets the slides in projector type (1920 × 1080).
CSS = """
<style>
header[data-testid="stHeader"], [data-testid="stToolbar"], [data-testid="stDecoration"],
[data-testid="stStatusWidget"], footer, [data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"],
[data-testid="stExpandSidebarButton"] {display: none !important;}
.block-container, [data-testid="stMainBlockContainer"] {padding: 1.2rem 2.5rem 0.5rem !important;
  max-width: 100% !important;}
.present-title {font-size: 3.1rem; font-weight: 700; color: #122B4A; line-height: 1.15;
  border-bottom: 4px solid #122B4A; padding-bottom: 0.3rem; margin: 0 0 0.4rem 0;}
.present-subtitle {font-size: 1.6rem; color: #3b4452; margin-bottom: 0.8rem;}
.present-note {font-size: 1.5rem; color: #3b4452; margin-top: 0.6rem;}
.present-empty {font-size: 2.2rem; color: #1a1a1a; margin-top: 2rem;}
.present-cards {display: grid; grid-template-columns: repeat(var(--cols), 1fr); gap: 1.4rem; margin: 1rem 0;}
.present-card {background: #EEF2F7; border: 2px solid #9AA8BA; border-radius: 14px; padding: 1.4rem 1rem;
  text-align: center;}
.present-card .value {font-size: 4.4rem; font-weight: 700; color: #122B4A; line-height: 1.1;}
.present-card .label {font-size: 1.55rem; color: #1a1a1a; margin-top: 0.4rem;}
.present-list {font-size: 1.75rem; line-height: 1.45; padding-left: 1.6rem; margin: 0;}
.present-list li {margin-bottom: 0.5rem; font-size: 1.75rem !important; line-height: 1.4;}
.present-list-heading {font-size: 1.75rem; font-weight: 700; color: #122B4A; margin-bottom: 0.4rem;}
.present-table {border-collapse: collapse; width: 100%; font-size: 1.45rem;}
.present-table th {background: #122B4A; color: #fff; text-align: left; padding: 0.45rem 0.7rem;}
.present-table td {padding: 0.4rem 0.7rem; border-bottom: 1px solid #d5dbe3;}
.present-table td.num {text-align: right;}
.present-table tr:nth-child(even) td {background: #F2F4F7;}
.present-cover {background: #122B4A; color: #fff; padding: 3rem 3rem; border-radius: 6px; margin: 1.5rem 0;}
.present-cover .title {font-size: 3.6rem; font-weight: 700; line-height: 1.2;}
.present-committee {margin-top: 3rem; font-size: 2rem; font-weight: 700; color: #122B4A;
  text-transform: uppercase;}
.present-issuer {font-size: 1.5rem; color: #3b4452;}
.present-asof {font-size: 2rem; color: #1a1a1a;}
.present-mark {display: inline-block; border: 4px solid #B31B1B; color: #B31B1B; font-weight: 700;
  font-size: 1.8rem; padding: 0.3rem 1.2rem; border-radius: 10px; margin-top: 1rem;
  text-transform: uppercase;}
.present-footer {font-size: 1.2rem; color: #B31B1B; font-weight: 700;}
.present-counter {font-size: 1.6rem; font-weight: 700; color: #122B4A; text-align: center;
  padding-top: 0.35rem;}
[data-testid="stImage"] img {max-height: 68vh; width: auto !important; max-width: 100%; object-fit: contain;
  margin: 0 auto; display: block;}
.st-key-present_prev button, .st-key-present_next button {min-height: 3rem;}
.st-key-present_prev button p, .st-key-present_next button p {font-size: 1.4rem; font-weight: 600;}
</style>
"""

#: Arrow keys and PageUp/PageDown click the buttons. The listener is installed once, as a
#: script of the page itself (not of the component's frame, which Streamlit may replace on a
#: rerun and whose functions then stop running); it does nothing on a page without the buttons.
KEYS_JS = """
<script>
(function () {
  const win = window.parent;
  if (win.__presentKeys) { return; }
  const install = function () {
    const keys = {ArrowRight: "NEXT", PageDown: "NEXT", ArrowLeft: "PREV", PageUp: "PREV"};
    window.__presentKeys = function (event) {
      const key = keys[event.key];
      const target = event.target || {};
      const tag = (target.tagName || "").toUpperCase();
      if (!key || event.altKey || event.ctrlKey || event.metaKey || target.isContentEditable ||
          ["INPUT", "TEXTAREA", "SELECT"].includes(tag)) { return; }
      const button = document.querySelector(".st-key-" + key + " button");
      if (button && !button.disabled) { event.preventDefault(); button.click(); }
    };
    document.addEventListener("keydown", window.__presentKeys);
  };
  const script = win.document.createElement("script");
  script.textContent = "(" + install.toString() + ")();";
  win.document.head.appendChild(script);
})();
</script>
""".replace("NEXT", NEXT).replace("PREV", PREV)


def _deck(scope: Scope, plan_year: int, public: bool, today: dt.date) -> model.Deck:
    ds = data.dataset(scope)

    def build() -> model.Deck:
        as_of = Filters.for_year(plan_year, today).as_of
        view = views.deck(ds, plan_year, scope, today=today, scores=data.risk_scores(scope, as_of))
        return build_deck(view, public=public)

    return snapshots.derived(ds, "deck", (plan_year, public, today), build)


def _public_only() -> bool:
    """A presenter's account sees the public version only."""
    from dashboard import accounts

    return not accounts.can_read_full_data(data.current_account())


def deck(plan_year: int, public: bool) -> model.Deck:
    """The deck of ``plan_year`` for the caller's scope (cached per store, year, flag and day);
    always the public version for a presenter's account."""
    public = public or _public_only()
    return _deck(data.current_scope(), plan_year, public, data.today())


def pptx_bytes(plan_year: int, public: bool) -> bytes:
    """The .pptx of the deck (built when the download button is clicked; the download is audited)."""
    public = public or _public_only()
    d = deck(plan_year, public)
    content = write_pptx(d, sample=data.is_sample())
    exports.record_export(
        data.engine(), data.current_account(), t("auditui.what.deck"), d.title, data.current_scope(),
        public=public,
    )  # fmt: skip
    return content


def controls() -> tuple[int, bool]:
    """Plan year and public flag (in the settings pop-over of the top row)."""
    years = data.dataset(data.current_scope()).years or [data.today().year]
    today = data.today().year
    year = st.selectbox(t("present.year"), years, index=years.index(today) if today in years else 0,
                        key="present_year", placeholder=t("widget.placeholder"))  # fmt: skip
    if _public_only():  # a presenter: the public version, and nothing else
        st.checkbox(t("present.public"), value=True, disabled=True, key="present_public_fixed")
        return int(year), True
    public = st.checkbox(
        t("present.public"), value=False, key="present_public", help=t("present.public_help")
    )
    return int(year), bool(public)


def _move(step: int, total: int) -> None:
    st.session_state[SLIDE] = min(max(st.session_state.get(SLIDE, 0) + step, 0), total - 1)


def navigation(total: int, left, middle, right) -> int:
    """The buttons and the counter in three columns; returns the index of the slide to show."""
    index = min(max(int(st.session_state.get(SLIDE, 0)), 0), total - 1)
    st.session_state[SLIDE] = index
    left.button(t("present.prev"), key=PREV, on_click=_move, args=(-1, total), disabled=index == 0,
                width="stretch")  # fmt: skip
    right.button(t("present.next"), key=NEXT, on_click=_move, args=(1, total), disabled=index >= total - 1,
                 width="stretch")  # fmt: skip
    index = st.session_state[SLIDE]
    counter = _e(t("present.counter", n=index + 1, total=total))
    middle.markdown(f'<div class="present-counter">{counter}</div>', unsafe_allow_html=True)
    return index


def body() -> None:
    ui.require_sign_in()
    st.markdown(CSS, unsafe_allow_html=True)
    left, middle, right, _, settings = st.columns([1.2, 0.8, 1.2, 5.3, 1.5], vertical_alignment="center")
    with settings.popover(t("present.settings"), width="stretch"):
        year, public = controls()
        st.download_button(
            t("present.download"),
            partial(pptx_bytes, year, public),  # built only when clicked
            file_name=f"trinh-chieu-ban-chi-dao-138-{year}{'-cong-khai' if public else ''}.pptx",
            mime="application/vnd.openxmlformats-officedocument.presentationml.presentation",
            key="present_download",
        )
        st.caption(t("present.keys"))
        # A plain link to the app's default page (st.page_link needs the navigation, absent under AppTest).
        _md(f'<a href="./" target="_self">↩ {_e(t("present.leave"))}</a>')
    with st.spinner(t("present.building")):
        d = deck(year, public)
    index = navigation(len(d.slides), left, middle, right)
    sample = data.is_sample()
    show_slide(d, index, sample=sample)
    if sample:  # every slide is marked; the full explanation goes under it, as on every page
        st.warning(t("app.sample_banner"), icon="⚠️")
    components.html(KEYS_JS, height=0)


# --------------------------------------------------------------------------
# One slide


def _md(markup: str) -> None:
    st.markdown(markup, unsafe_allow_html=True)


def _e(text: str) -> str:
    return html.escape(str(text), quote=True)


def show_slide(d: model.Deck, index: int, *, sample: bool = False) -> None:
    """Draw slide ``index`` of ``d``."""
    slide = d.slides[index]
    if slide.key == "title":
        _cover(slide, d.public)
    else:
        _md(f'<div class="present-title">{_e(slide.title)}</div>')
        if slide.subtitle:
            _md(f'<div class="present-subtitle">{_e(slide.subtitle)}</div>')
        _content(slide)
    marks = [t("deck.sample_mark")] if sample else []
    if d.public:
        marks.append(t("public.label"))
    if marks:
        _md(f'<div class="present-footer">{_e(" · ".join(marks))}</div>')


def _cover(slide: model.Slide, public: bool) -> None:
    parts = [f'<div class="present-committee">{_e(slide.subtitle)}</div>']
    parts += [f'<div class="present-issuer">{_e(item)}</div>' for item in slide.bullets]
    parts.append(f'<div class="present-cover"><div class="title">{_e(slide.title)}</div></div>')
    if slide.note:
        parts.append(f'<div class="present-asof">{_e(slide.note)}</div>')
    if public:
        parts.append(f'<div class="present-mark">{_e(t("public.label"))}</div>')
    _md("".join(parts))


def _content(slide: model.Slide) -> None:
    nothing = slide.image is None and slide.table is None and not slide.figures and not slide.bullets
    if nothing:
        _md(f'<div class="present-empty">{_e(slide.note)}</div>')
        return
    if slide.image is not None and slide.figures:
        left, right = st.columns([3.2, 1], gap="large")
        with left:
            st.image(slide.image.png, caption=None, width="stretch")
        with right:
            _md(_cards(slide.figures, columns=1))
    elif slide.image is not None:
        st.image(slide.image.png, caption=None, width="stretch")
    elif slide.table is not None and slide.bullets:
        left, right = st.columns([2.6, 1], gap="large")
        with left:
            _md(_table(slide.table))
        with right:
            _md(_list(slide.bullets))
    elif slide.table is not None:
        _md(_table(slide.table))
    elif slide.figures:
        _md(_cards(slide.figures, columns=4 if len(slide.figures) > 4 else len(slide.figures)))
    elif slide.bullets:
        _md(_list(slide.bullets))
    if slide.note:
        _md(f'<div class="present-note">{_e(slide.note)}</div>')


def _cards(figures, columns: int) -> str:
    cards = "".join(
        f'<div class="present-card"><div class="value">{_e(value)}</div>'
        f'<div class="label">{_e(label)}</div></div>'
        for label, value in figures
    )
    return f'<div class="present-cards" style="--cols: {int(columns)}">{cards}</div>'


def _list(items) -> str:
    head, rest = (items[0], items[1:]) if items and items[0].endswith(":") else (None, items)
    out = f'<div class="present-list-heading">{_e(head)}</div>' if head else ""
    return out + '<ul class="present-list">' + "".join(f"<li>{_e(i)}</li>" for i in rest) + "</ul>"


def _cell(value, decimals: int) -> tuple[str, bool]:
    if value is None:
        return t("doc.missing"), False
    if isinstance(value, int | float) and not isinstance(value, bool):
        return fmt_number(value, decimals), True
    if isinstance(value, dt.date):
        return fmt_date(value), False
    return str(value), False


def _table(table: model.Table) -> str:
    head = "".join(f"<th>{_e(c)}</th>" for c in table.columns)
    rows = []
    for row in (*table.rows, *((table.total,) if table.total else ())):
        cells = []
        for j, value in enumerate(row):
            text, numeric = _cell(value, table.decimals.get(j, 0))
            cells.append(f'<td class="num">{_e(text)}</td>' if numeric else f"<td>{_e(text)}</td>")
        rows.append("<tr>" + "".join(cells) + "</tr>")
    note = f'<div class="present-note">{_e(table.note)}</div>' if table.note else ""
    body = "".join(rows)
    return f'<table class="present-table"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>{note}'
