"""Catalogue texts: the import's guards against hostile or broken files
(archives, Excel error values, status sequences, former ward names)."""

VI: dict[str, str] = {
    # files.py: archives (.xlsx, zipped Shapefile)
    "intake_safety.zip_unsafe_path": (
        "Tệp «{name}» bị từ chối: phần «{member}» trong tệp nén có đường dẫn không an toàn "
        "({why}), có thể ghi ra ngoài thư mục giải nén. Nén lại các tệp dữ liệu mà không kèm "
        "đường dẫn thư mục rồi nhập lại."
    ),
    "intake_safety.zip_path_absolute": "đường dẫn tuyệt đối",
    "intake_safety.zip_path_parent": "có «..» trỏ lên thư mục cha",
    "intake_safety.zip_ratio": (
        "Tệp «{name}» bị từ chối: phần «{member}» nén {ratio}:1 (giải nén ra {size} MB), "
        "bất thường với tệp dữ liệu (tối đa {max_ratio}:1) — có thể là «bom nén». "
        "Lưu lại tệp từ Excel hoặc phần mềm GIS rồi nhập lại."
    ),
    "intake_safety.xml_dtd": (
        "Tệp «{name}» bị từ chối: phần «{member}» của bảng tính có khai báo DOCTYPE/ENTITY, "
        "thứ mà tệp Excel thật không bao giờ có (có thể là «bom XML»). Mở tệp bằng Excel, "
        "lưu lại dạng .xlsx rồi nhập lại."
    ),
    # validate.py: cells that are not data
    "intake_safety.error_value": (
        "Dòng {row}, cột «{column}»: ô chứa giá trị lỗi của Excel «{value}» (công thức hỏng, tham chiếu "
        "mất hoặc phép tính lỗi), không phải dữ liệu. Sửa công thức hoặc gõ giá trị thật vào ô rồi nhập lại."
    ),
    # validate.py: status changes, each row judged by its own step
    "intake_safety.step_from_row": (
        "Dòng {row}: không thể chuyển trạng thái từ «{old}» (dòng {old_row}, ngày {old_date}) sang "
        "«{new}» (ngày {date}). Chỉ dòng này bị từ chối; các dòng khác của tụ điểm «{code}» được xét riêng."
    ),
    "intake_safety.step_into_row": (
        "Dòng {row}: trạng thái «{new}» ngày {date} không dẫn tới «{next}» (dòng {next_row}, "
        "ngày {next_date}). Chỉ dòng này bị từ chối; các dòng khác của tụ điểm «{code}» được xét riêng."
    ),
    # units.py: a pre-2025 ward name without its district
    "intake_safety.legacy_ambiguous": (
        "Tên cũ «{text}» (trước 01/07/2025) có ở nhiều quận/huyện của Hà Nội: {options}. "
        "Ghi kèm quận/huyện, ví dụ «{example}»."
    ),
}
