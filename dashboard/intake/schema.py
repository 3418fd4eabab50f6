"""What each kind of import holds: columns, headers, help text.

One definition serves the Excel templates, the CSV reader, validation, the
rejected-rows workbook and the export, so they cannot drift apart.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from dashboard.domain import ActivityKind, HotspotKind, Status
from dashboard.i18n import t
from dashboard.store import COUNT_COLUMNS
from dashboard.textfix import fold


class Kind(StrEnum):
    HOTSPOTS = "hotspots"
    STATUS = "status"
    ACTIVITIES = "activities"


KIND_LABELS = {
    Kind.HOTSPOTS: "Tụ điểm",
    Kind.STATUS: "Thay đổi trạng thái",
    Kind.ACTIVITIES: "Hoạt động",
}

#: The extra column of a rejected-rows workbook; ignored when read back.
ERROR_HEADER = "Lỗi cần sửa"


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
    width: int = 18


def _labels(prefix: str, enum) -> dict[str, str]:
    return {m.value: t(f"{prefix}.{m.value}") for m in enum}


STATUS_CHOICES = _labels("status", Status)
KIND_CHOICES = _labels("kind", HotspotKind)
ACTIVITY_CHOICES = _labels("activity", ActivityKind)

_CODE = Column(
    "code",
    "Mã tụ điểm",
    "Mã riêng của tụ điểm, tối đa 32 ký tự (chữ, số, - _ .).",
    "TD-101",
    required=True,
    aliases=("ma", "ma td", "code", "ma tu diem"),
    width=14,
)

_COORDS = (
    Column(
        "lat",
        "Vĩ độ (WGS84)",
        "Vĩ độ theo WGS84 (GPS, bản đồ điện thoại), ví dụ 21,0285.",
        21.0285,
        aliases=("vi do", "lat", "latitude"),
        width=14,
    ),
    Column(
        "lon",
        "Kinh độ (WGS84)",
        "Kinh độ theo WGS84, ví dụ 105,8542.",
        105.8542,
        aliases=("kinh do", "lon", "lng", "longitude"),
        width=14,
    ),
    Column(
        "x",
        "X (VN-2000)",
        "Toạ độ X (hướng bắc, mét) theo VN-2000. Dùng khi không có vĩ độ/kinh độ.",
        aliases=("x", "x vn2000", "toa do x"),
        width=14,
    ),
    Column(
        "y",
        "Y (VN-2000)",
        "Toạ độ Y (hướng đông, mét) theo VN-2000.",
        aliases=("y", "y vn2000", "toa do y"),
        width=14,
    ),
)

HOTSPOT_COLUMNS = (
    _CODE,
    Column(
        "name",
        "Tên tụ điểm",
        "Tên gọi của địa điểm (không ghi tên người), tối đa 120 ký tự.",
        "Điểm công cộng ví dụ",
        required=True,
        aliases=("ten", "ten td", "name"),
        width=32,
    ),
    Column(
        "kind",
        "Loại tụ điểm",
        "Chọn trong danh sách.",
        KIND_CHOICES["public_area"],
        required=True,
        choices=KIND_CHOICES,
        aliases=("loai", "kind"),
        width=26,
    ),
    Column(
        "status",
        "Trạng thái",
        "Trạng thái hiện tại, chọn trong danh sách.",
        STATUS_CHOICES["active"],
        required=True,
        choices=STATUS_CHOICES,
        aliases=("status", "tinh trang"),
        width=30,
    ),
    Column(
        "date",
        "Ngày xác định trạng thái",
        "Ngày trạng thái trên được xác định, dd/mm/yyyy.",
        "05/03/2020",
        required=True,
        is_date=True,
        aliases=("ngay", "date"),
        width=16,
    ),
    *_COORDS,
    Column(
        "ward",
        "Phường/xã",
        "Không bắt buộc: dùng để đối chiếu với toạ độ. Nhận cả tên trước 2025.",
        "Phường Hoàn Kiếm",
        aliases=("phuong xa", "phuong", "xa", "ward"),
        width=24,
    ),
    Column(
        "responsible_unit",
        "Đơn vị phụ trách",
        "Cơ quan, đơn vị chịu trách nhiệm (không ghi tên người).",
        "UBND Phường Hoàn Kiếm",
        aliases=("don vi", "responsible unit"),
        width=28,
    ),
    Column("notes", "Ghi chú", "Không ghi thông tin về cá nhân.", "", aliases=("notes",), width=30),
)

STATUS_COLUMNS = (
    _CODE,
    Column(
        "date",
        "Ngày",
        "Ngày thay đổi, dd/mm/yyyy.",
        "15/06/2020",
        required=True,
        is_date=True,
        aliases=("date", "ngay thay doi"),
        width=14,
    ),
    Column(
        "status",
        "Trạng thái mới",
        "Chọn trong danh sách; phải là bước hợp lệ từ trạng thái trước.",
        STATUS_CHOICES["cleared"],
        required=True,
        choices=STATUS_CHOICES,
        aliases=("trang thai", "status"),
        width=30,
    ),
    Column(
        "reason",
        "Lý do",
        "Căn cứ của thay đổi (biên bản, đánh giá...).",
        "Đánh giá đạt tiêu chí triệt xóa",
        required=True,
        aliases=("reason", "can cu"),
        width=36,
    ),
    Column(
        "recorded_by",
        "Đơn vị ghi nhận",
        "Cơ quan ghi nhận thay đổi (không ghi tên người).",
        "UBND Phường Hoàn Kiếm",
        aliases=("don vi", "recorded by"),
        width=28,
    ),
)

ACTIVITY_COLUMNS = (
    Column(
        "date",
        "Ngày",
        "Ngày thực hiện, dd/mm/yyyy.",
        "20/06/2020",
        required=True,
        is_date=True,
        aliases=("date", "ngay thuc hien"),
        width=14,
    ),
    Column(
        "kind",
        "Loại hoạt động",
        "Chọn trong danh sách.",
        ACTIVITY_CHOICES["patrol"],
        required=True,
        choices=ACTIVITY_CHOICES,
        aliases=("loai", "kind", "hoat dong"),
        width=24,
    ),
    Column(
        "code",
        "Mã tụ điểm",
        "Mã tụ điểm nếu hoạt động tại một tụ điểm; để trống nếu trên cả địa bàn.",
        "TD-101",
        aliases=("ma", "ma td", "code"),
        width=14,
    ),
    Column(
        "area",
        "Địa bàn",
        "Phường/xã (từ 01/07/2025) hoặc quận/huyện (trước đó) khi không có mã tụ điểm. "
        "Nhận cả tên cũ, ví dụ «Phường Hàng Bạc, Quận Hoàn Kiếm».",
        "",
        aliases=("dia ban", "phuong xa", "quan huyen", "area"),
        width=30,
    ),
    Column(
        "unit",
        "Đơn vị thực hiện",
        "Cơ quan thực hiện (không ghi tên người).",
        "Công an Phường Hoàn Kiếm",
        aliases=("don vi", "unit"),
        width=28,
    ),
    Column(
        "unit_code",
        "Mã đơn vị thực hiện",
        "Không bắt buộc: mã quận/huyện cũ (3 số) trước 01/07/2025, mã phường/xã (5 số) từ đó; "
        "để trống là đơn vị tại nơi thực hiện. Cho biết bên nào của ranh giới đã làm.",
        "",
        aliases=("ma don vi", "unit code"),
        width=14,
    ),
    *(
        Column(c, t(f"count.{c}"), "Số nguyên ≥ 0; để trống là 0.", 0, aliases=(c,), width=14)
        for c in COUNT_COLUMNS
    ),
)

COLUMNS: dict[Kind, tuple[Column, ...]] = {
    Kind.HOTSPOTS: HOTSPOT_COLUMNS,
    Kind.STATUS: STATUS_COLUMNS,
    Kind.ACTIVITIES: ACTIVITY_COLUMNS,
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
