"""What each kind of import holds: columns, headers, help text.

One definition serves the Excel templates, the CSV reader, validation, the
rejected-rows workbook and the export, so they cannot drift apart.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from dashboard.domain import COUNT_COLUMNS, ActivityKind, HotspotKind, Status, UnitLevel
from dashboard.i18n import t
from dashboard.localplans import RESPONSIBLE_MAX
from dashboard.store import TASK_RESULT_MAX, TASK_TITLE_MAX
from dashboard.tasks import TaskState
from dashboard.textfix import fold


class Kind(StrEnum):
    HOTSPOTS = "hotspots"
    STATUS = "status"
    ACTIVITIES = "activities"
    NOTES = "notes"
    TASKS = "tasks"


KIND_LABELS = {
    Kind.HOTSPOTS: t("intake.kind.hotspots"),
    Kind.STATUS: t("intake.kind.status"),
    Kind.ACTIVITIES: t("intake.kind.activities"),
    Kind.NOTES: t("notes.kind"),
    Kind.TASKS: t("plans.import.kind"),
}

#: The extra column of a rejected-rows workbook; ignored when read back.
ERROR_HEADER = t("intake.template.error_header")


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    help: str
    example: object = ""
    required: bool = False
    #: code -> label for a drop-down list
    choices: dict[str, str] | None = None
    #: other spellings accepted as this header (compared folded)
    aliases: tuple[str, ...] = ()
    is_date: bool = False
    #: a date column that holds a month (shown mm/yyyy)
    is_month: bool = False
    width: int = 18


def _labels(prefix: str, enum) -> dict[str, str]:
    return {m.value: t(f"{prefix}.{m.value}") for m in enum}


STATUS_CHOICES = _labels("status", Status)
KIND_CHOICES = _labels("kind", HotspotKind)
ACTIVITY_CHOICES = _labels("activity", ActivityKind)

_CODE = Column(
    "code",
    t("intake.col.code.header"),
    t("intake.col.code.help"),
    "TD-101",
    required=True,
    aliases=("ma", "ma td", "code", "ma tu diem"),
    width=14,
)

_COORDS = (
    Column(
        "lat",
        t("intake.col.hotspots.lat.header"),
        t("intake.col.hotspots.lat.help"),
        21.0285,
        aliases=("vi do", "lat", "latitude"),
        width=14,
    ),
    Column(
        "lon",
        t("intake.col.hotspots.lon.header"),
        t("intake.col.hotspots.lon.help"),
        105.8542,
        aliases=("kinh do", "lon", "lng", "longitude"),
        width=14,
    ),
    Column(
        "x",
        t("intake.col.hotspots.x.header"),
        t("intake.col.hotspots.x.help"),
        aliases=("x", "x vn2000", "toa do x"),
        width=14,
    ),
    Column(
        "y",
        t("intake.col.hotspots.y.header"),
        t("intake.col.hotspots.y.help"),
        aliases=("y", "y vn2000", "toa do y"),
        width=14,
    ),
)

HOTSPOT_COLUMNS = (
    _CODE,
    Column(
        "name",
        t("intake.col.hotspots.name.header"),
        t("intake.col.hotspots.name.help"),
        "Điểm công cộng ví dụ",
        required=True,
        aliases=("ten", "ten td", "name"),
        width=32,
    ),
    Column(
        "kind",
        t("intake.col.hotspots.kind.header"),
        t("intake.col.hotspots.kind.help"),
        KIND_CHOICES["public_area"],
        required=True,
        choices=KIND_CHOICES,
        aliases=("loai", "kind"),
        width=26,
    ),
    Column(
        "status",
        t("intake.col.hotspots.status.header"),
        t("intake.col.hotspots.status.help"),
        STATUS_CHOICES["active"],
        required=True,
        choices=STATUS_CHOICES,
        aliases=("status", "tinh trang"),
        width=30,
    ),
    Column(
        "date",
        t("intake.col.hotspots.date.header"),
        t("intake.col.hotspots.date.help"),
        "05/03/2020",
        required=True,
        is_date=True,
        aliases=("ngay", "date"),
        width=16,
    ),
    *_COORDS,
    Column(
        "ward",
        t("intake.col.hotspots.ward.header"),
        t("intake.col.hotspots.ward.help"),
        "Phường Hoàn Kiếm",
        aliases=("phuong xa", "phuong", "xa", "ward"),
        width=24,
    ),
    Column(
        "responsible_unit",
        t("intake.col.hotspots.responsible_unit.header"),
        t("intake.col.hotspots.responsible_unit.help"),
        "UBND Phường Hoàn Kiếm",
        aliases=("don vi", "responsible unit"),
        width=28,
    ),
    Column(
        "notes",
        t("intake.col.hotspots.notes.header"),
        t("intake.col.hotspots.notes.help"),
        "",
        aliases=("notes",),
        width=30,
    ),
)

STATUS_COLUMNS = (
    _CODE,
    Column(
        "date",
        t("intake.col.status.date.header"),
        t("intake.col.status.date.help"),
        "15/06/2020",
        required=True,
        is_date=True,
        aliases=("date", "ngay thay doi"),
        width=14,
    ),
    Column(
        "status",
        t("intake.col.status.status.header"),
        t("intake.col.status.status.help"),
        STATUS_CHOICES["cleared"],
        required=True,
        choices=STATUS_CHOICES,
        aliases=("trang thai", "status"),
        width=30,
    ),
    Column(
        "reason",
        t("intake.col.status.reason.header"),
        t("intake.col.status.reason.help"),
        "Đánh giá đạt tiêu chí triệt xóa",
        required=True,
        aliases=("reason", "can cu"),
        width=36,
    ),
    Column(
        "recorded_by",
        t("intake.col.status.recorded_by.header"),
        t("intake.col.status.recorded_by.help"),
        "UBND Phường Hoàn Kiếm",
        aliases=("don vi", "recorded by"),
        width=28,
    ),
)

ACTIVITY_COLUMNS = (
    Column(
        "date",
        t("intake.col.activities.date.header"),
        t("intake.col.activities.date.help"),
        "20/06/2020",
        required=True,
        is_date=True,
        aliases=("date", "ngay thuc hien"),
        width=14,
    ),
    Column(
        "kind",
        t("intake.col.activities.kind.header"),
        t("intake.col.activities.kind.help"),
        ACTIVITY_CHOICES["patrol"],
        required=True,
        choices=ACTIVITY_CHOICES,
        aliases=("loai", "kind", "hoat dong"),
        width=24,
    ),
    Column(
        "code",
        t("intake.col.activities.code.header"),
        t("intake.col.activities.code.help"),
        "TD-101",
        aliases=("ma", "ma td", "code"),
        width=14,
    ),
    Column(
        "area",
        t("intake.col.activities.area.header"),
        t("intake.col.activities.area.help"),
        "",
        aliases=("dia ban", "phuong xa", "quan huyen", "area"),
        width=30,
    ),
    Column(
        "unit",
        t("intake.col.activities.unit.header"),
        t("intake.col.activities.unit.help"),
        "Công an Phường Hoàn Kiếm",
        aliases=("don vi", "unit"),
        width=28,
    ),
    Column(
        "unit_code",
        t("intake.col.activities.unit_code.header"),
        t("intake.col.activities.unit_code.help"),
        "",
        aliases=("ma don vi", "unit code"),
        width=14,
    ),
    *(
        Column(c, t(f"count.{c}"), t("intake.col.activities.count.help"), 0, aliases=(c,), width=14)
        for c in COUNT_COLUMNS
    ),
)

LEVEL_CHOICES = _labels("notes.level_choice", UnitLevel)

NOTE_COLUMNS = (
    Column(
        "month",
        t("notes.col.month.header"),
        t("notes.col.month.help"),
        "03/2020",
        required=True,
        is_date=True,
        is_month=True,
        aliases=("month", "thang giao ban", "ky giao ban"),
        width=12,
    ),
    Column(
        "level",
        t("notes.col.level.header"),
        t("notes.col.level.help"),
        LEVEL_CHOICES["district"],
        choices=LEVEL_CHOICES,
        aliases=("level", "cap"),
        width=24,
    ),
    Column(
        "area",
        t("notes.col.area.header"),
        t("notes.col.area.help"),
        "Quận Hoàn Kiếm",
        required=True,
        aliases=("area", "unit", "ma dia ban", "phuong xa", "quan huyen"),
        width=28,
    ),
    *(
        Column(
            key,
            t(f"notes.col.{key}.header"),
            t(f"notes.col.{key}.help"),
            example,
            aliases=aliases,
            width=44,
        )
        for key, example, aliases in (
            ("difficulties", "Lực lượng tuần tra còn mỏng vào ban đêm.", ("kho khan", "vuong mac")),
            ("proposals", "Đề nghị tăng cường kiểm tra liên ngành.", ("de xuat", "kien nghi")),
            ("decisions", "Duy trì chốt trực tại tụ điểm TD-101.", ("ket luan", "nhiem vu")),
        )
    ),
    Column(
        "hotspot_codes",
        t("notes.col.hotspot_codes.header"),
        t("notes.col.hotspot_codes.help"),
        "TD-101",
        aliases=("tu diem lien quan", "ma tu diem", "hotspot codes"),
        width=20,
    ),
    Column(
        "recorded_by",
        t("notes.col.recorded_by.header"),
        t("notes.col.recorded_by.help"),
        "Chi cục Phòng, chống tệ nạn xã hội Hà Nội",
        aliases=("don vi", "recorded by"),
        width=32,
    ),
)

#: The level of a local plan (tasks import): the drop-down's labels.
PLAN_LEVEL_CHOICES = _labels("plans.import.level", UnitLevel)
#: The three states a task is stored in ("overdue" is computed, never imported).
TASK_STATE_CHOICES = _labels("task.state", TaskState)


def _task_column(key: str, example, *, width: int, aliases: tuple[str, ...], **extra) -> Column:
    help_values = {"max": extra.pop("max_chars")} if "max_chars" in extra else {}
    return Column(
        key,
        t(f"plans.import.col.{key}.header"),
        t(f"plans.import.col.{key}.help", **help_values),
        example,
        aliases=aliases,
        width=width,
        **extra,
    )


TASK_COLUMNS = (
    _task_column("year", 2026, required=True, width=8, aliases=("year", "nam ke hoach")),
    _task_column(
        "level",
        PLAN_LEVEL_CHOICES["ward"],
        choices=PLAN_LEVEL_CHOICES,
        width=18,
        aliases=("level", "cap ke hoach", "cap lap ke hoach"),
    ),
    _task_column(
        "unit_code", "00070", required=True, width=12, aliases=("unit code", "ma don vi hanh chinh")
    ),
    _task_column(
        "title",
        "Kiểm tra, xử lý vi phạm tại tụ điểm TD-101",
        required=True,
        max_chars=TASK_TITLE_MAX,
        width=44,
        aliases=("task", "noi dung nhiem vu", "ten nhiem vu"),
    ),
    _task_column(
        "responsible",
        "Công an Phường Hoàn Kiếm",
        required=True,
        max_chars=RESPONSIBLE_MAX,
        width=28,
        aliases=("responsible", "don vi thuc hien", "co quan chu tri"),
    ),
    _task_column("hotspot_code", "TD-101", width=14, aliases=("hotspot code", "ma td")),
    _task_column("ward_code", "", width=16, aliases=("ward code", "ma phuong xa")),
    _task_column(
        "deadline",
        "30/06/2026",
        required=True,
        is_date=True,
        width=16,
        aliases=("deadline", "han", "thoi han"),
    ),
    _task_column(
        "state",
        TASK_STATE_CHOICES["in_progress"],
        choices=TASK_STATE_CHOICES,
        width=18,
        aliases=("state", "trang thai"),
    ),
    _task_column(
        "result",
        "",
        max_chars=TASK_RESULT_MAX,
        width=40,
        aliases=("result", "ket qua thuc hien"),
    ),
)

COLUMNS: dict[Kind, tuple[Column, ...]] = {
    Kind.HOTSPOTS: HOTSPOT_COLUMNS,
    Kind.STATUS: STATUS_COLUMNS,
    Kind.ACTIVITIES: ACTIVITY_COLUMNS,
    Kind.NOTES: NOTE_COLUMNS,
    Kind.TASKS: TASK_COLUMNS,
}


@dataclass
class HeaderMap:
    """Which file column holds which field."""

    positions: dict[str, int] = field(default_factory=dict)  # key -> column index
    unknown: list[tuple[int, str]] = field(default_factory=list)  # (index, header)
    repeated: list[tuple[int, str]] = field(default_factory=list)
    error_column: int | None = None


def match_headers(kind: Kind, headers: list[str]) -> HeaderMap:
    """Map file headers to fields, by header or alias after folding."""
    lookup: dict[str, str] = {}
    for column in COLUMNS[kind]:
        for name in (column.header, column.key, *column.aliases):
            lookup.setdefault(fold(name), column.key)
    result = HeaderMap()
    for index, header in enumerate(headers):
        if not header:
            continue
        key = lookup.get(fold(header))
        if fold(header) == fold(ERROR_HEADER):
            result.error_column = index
        elif key is None:
            result.unknown.append((index, header))
        elif key in result.positions:
            result.repeated.append((index, header))
        else:
            result.positions[key] = index
    return result


def guess_kind(headers: list[str]) -> Kind | None:
    """The kind whose required headers the file has (None if not exactly one)."""
    fits = []
    for kind in Kind:
        found = match_headers(kind, headers).positions
        required = [c.key for c in COLUMNS[kind] if c.required]
        if all(k in found for k in required):
            fits.append((len(found), kind))
    if not fits:
        return None
    fits.sort(reverse=True)
    if len(fits) > 1 and fits[0][0] == fits[1][0]:
        return None
    return fits[0][1]
