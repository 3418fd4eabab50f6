"""A neutral model of a document: what the writers (.docx, .xlsx, .pptx) render.

The view functions of :mod:`dashboard.views` compute the figures; the report
builders turn a view into these blocks once; each writer only lays them out.
So a number in a table of the .docx, a sheet of the .xlsx and a slide is the
same Python value.

Cell values are kept as values (``int``, ``float``, ``str``, ``datetime.date``
or ``None``); the writers format them (Vietnamese separators, dd/mm/yyyy) or,
in a spreadsheet, store them as numbers and dates.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

Cell = int | float | str | dt.date | None


def cell_text(value: Cell, decimals: int = 0) -> str:
    """A table cell as every writer prints it: Vietnamese separators, dd/mm/yyyy,
    yes/no in words, ``None`` as a dash."""
    from dashboard.i18n import fmt_date, fmt_number, t

    if value is None:
        return t("doc.missing")
    if isinstance(value, bool):
        return t("table.yes") if value else t("table.no")
    if isinstance(value, int | float):
        return fmt_number(value, decimals)
    if isinstance(value, dt.date):
        return fmt_date(value)
    return str(value)


@dataclass(frozen=True)
class Heading:
    """A numbered section heading ("I. Tình hình…", "1. Kết quả…")."""

    text: str
    level: int = 1


@dataclass(frozen=True)
class Paragraph:
    text: str
    bold: bool = False
    italic: bool = False


@dataclass(frozen=True)
class Bullets:
    items: tuple[str, ...]


@dataclass(frozen=True)
class Table:
    """A table with a title; ``total`` is the last row when it sums the others.

    ``key`` names the table (the sheet name in the .xlsx, at most 31 characters);
    ``decimals`` gives the decimals shown per column index (default 0 for numbers).
    """

    key: str
    title: str
    columns: tuple[str, ...]
    rows: tuple[tuple[Cell, ...], ...]
    total: tuple[Cell, ...] | None = None
    decimals: dict[int, int] = field(default_factory=dict)
    note: str = ""

    def __post_init__(self):
        width = len(self.columns)
        for row in (*self.rows, *((self.total,) if self.total else ())):
            if len(row) != width:
                raise ValueError(f"table {self.key}: a row has {len(row)} cells for {width} columns")
        if len(self.key) > 31:
            raise ValueError(f"table key {self.key!r} is longer than 31 characters (sheet name)")


@dataclass(frozen=True)
class Image:
    """A PNG picture (a static map or a chart) with its caption."""

    png: bytes
    caption: str
    width_mm: float = 160.0


Block = Heading | Paragraph | Bullets | Table | Image


@dataclass(frozen=True)
class Letterhead:
    """The Decree 30/2020/NĐ-CP header, number, place-date and signature parts."""

    issuer_parent: str  # "UBND THÀNH PHỐ HÀ NỘI"
    issuer: str  # "SỞ LAO ĐỘNG - THƯƠNG BINH VÀ XÃ HỘI"
    number: str  # "Số: …/BC-SLĐTBXH" (the number is left for the registry)
    place: str  # "Hà Nội"
    date: dt.date
    doc_type: str  # "BÁO CÁO"
    summary: str  # "Kết quả công tác … quý III năm 2020"
    recipients: tuple[str, ...]  # "Nơi nhận:" list
    signer_authority: str  # "KT. GIÁM ĐỐC" / "TM. BAN CHỈ ĐẠO"
    signer_title: str  # "PHÓ GIÁM ĐỐC"
    signer_name: str = ""  # typed at export time, never stored


@dataclass(frozen=True)
class Document:
    letterhead: Letterhead
    blocks: tuple[Block, ...]
    public: bool = False

    @property
    def tables(self) -> tuple[Table, ...]:
        return tuple(b for b in self.blocks if isinstance(b, Table))

    @property
    def images(self) -> tuple[Image, ...]:
        return tuple(b for b in self.blocks if isinstance(b, Image))


@dataclass(frozen=True)
class Slide:
    """One slide of the steering-committee deck.

    ``figures`` are large figures shown as cards (label, value text); ``image``
    a chart or map; ``table`` a short table; ``bullets`` points to decide on.
    """

    key: str
    title: str
    subtitle: str = ""
    figures: tuple[tuple[str, str], ...] = ()
    image: Image | None = None
    table: Table | None = None
    bullets: tuple[str, ...] = ()
    note: str = ""


@dataclass(frozen=True)
class Deck:
    title: str
    subtitle: str
    slides: tuple[Slide, ...]
    public: bool = False
