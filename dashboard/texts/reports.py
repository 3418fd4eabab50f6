"""Catalogue texts: reports (.docx, .xlsx, PDF conversion)."""

VI: dict[str, str] = {
    # Decree 30/2020/NĐ-CP letterhead and closing
    "doc.national_title": "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
    "doc.motto": "Độc lập - Tự do - Hạnh phúc",
    "doc.number_prefix": "Số: ",
    "doc.place_date": "{place}, ngày {day} tháng {month} năm {year}",
    "doc.recipients": "Nơi nhận:",
    "doc.public_note": (
        "Bản công khai: số liệu tổng hợp đến cấp phường, số nhỏ được ẩn, vị trí đã dịch chuyển."
    ),
    "doc.missing": "—",
    # spreadsheet
    "doc.xlsx.info_sheet": "Thông tin",
    "doc.xlsx.built": "Ngày lập",
    "doc.xlsx.sheets": "Các bảng trong tệp",
    "doc.xlsx.sheet": "Trang tính",
    "doc.xlsx.content": "Nội dung",
    "doc.xlsx.creator": "Sở Lao động - Thương binh và Xã hội Hà Nội",
    # conversion to PDF / PNG
    "doc.convert.bad_suffix": "Không chuyển được tệp «{suffix}» sang PDF: chỉ nhận tệp .docx hoặc .pptx.",
    "doc.convert.not_office": "Tệp cần chuyển sang PDF không phải tệp {suffix} hợp lệ (hỏng hoặc sai loại).",
    "doc.convert.no_soffice": (
        "Không tìm thấy LibreOffice (lệnh soffice hoặc libreoffice) trên máy chủ nên không tạo được "
        "bản PDF. Cài gói libreoffice-writer-nogui và libreoffice-impress-nogui rồi thử lại."
    ),
    "doc.convert.no_poppler": (
        "Không tìm thấy lệnh {command} của Poppler trên máy chủ. Cài gói poppler-utils rồi thử lại."
    ),
    "doc.convert.timeout": (
        "LibreOffice chưa chuyển xong tệp sang PDF sau {seconds} giây. Thử lại sau, "
        "hoặc rút gọn tài liệu (bớt hình, bớt bảng)."
    ),
    "doc.convert.failed": "LibreOffice không chuyển được tệp sang PDF: {detail}",
    "doc.convert.tool_failed": "Lệnh {command} không đọc được tệp PDF: {detail}",
}
