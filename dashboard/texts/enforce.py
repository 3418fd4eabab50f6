"""Catalogue texts: what an account may write, and the refusals (see :mod:`dashboard.editing`)."""

VI: dict[str, str] = {
    # refusals (raised, and kept in the audit log as "denied")
    "enforce.denied": "Tài khoản «{username}» ({role}) không được ghi thay đổi tại «{place}».",
    "enforce.denied_city": (
        "Tài khoản «{username}» ({role}) không được {action}: việc này chỉ dành cho {allowed}."
    ),
    "enforce.allowed.admin": "tài khoản quản trị",
    "enforce.allowed.city_writers": "tài khoản quản trị hoặc cán bộ Sở",
    "enforce.audit.denied": "Từ chối {action} tại «{place}» [{username}]",
    "enforce.signed": "{summary} [{username}]",
    # the places named in a refusal
    "enforce.place.city": "toàn thành phố",
    "enforce.place.hotspot": "tụ điểm {code}, {unit}",
    "enforce.place.none": "(không rõ địa bàn)",
    # what was attempted
    "enforce.action.status_change": "thay đổi trạng thái",
    "enforce.action.handover": "bàn giao tụ điểm",
    "enforce.action.activity_add": "thêm hoạt động",
    "enforce.action.hotspot_move": "chuyển vị trí tụ điểm",
    "enforce.action.note_save": "ghi ý kiến giao ban",
    "enforce.action.sample_clear": "xóa dữ liệu mẫu",
    "enforce.action.boundary_replace": "thay lớp ranh giới",
    "enforce.action.import": "nhập tệp",
    # imports
    "enforce.outside_scope": "Dòng {row}: địa bàn «{place}» nằm ngoài phạm vi của tài khoản «{username}».",
    "enforce.cannot_import": (
        "Tài khoản «{username}» ({role}) chỉ được xem dữ liệu, không được nhập tệp."
    ),
    # pages
    "enforce.acting_as": "Ghi nhận với tư cách: {office} ({username})",
    "enforce.read_only": (
        "Tài khoản «{username}» ({role}) chỉ được xem dữ liệu: trang này không có biểu mẫu ghi thay đổi."
    ),
    "enforce.no_writable_hotspot": (
        "Không có tụ điểm nào mà tài khoản «{username}» được ghi thay đổi."
    ),
    "enforce.unit_read_only": (
        "Tài khoản «{username}» chỉ được xem ý kiến giao ban của «{unit}»: địa bàn này nằm ngoài phạm vi "
        "ghi của tài khoản."
    ),
    "enforce.admin_only": "Chỉ tài khoản quản trị được thay lớp ranh giới.",
    # the audit log's label of a refusal (the audit page names every action)
    "audit.action.denied": "Từ chối ghi (không có quyền)",
}
