"""Catalogue texts: the monthly briefing sheet, the quarterly report and the reports page."""

VI: dict[str, str] = {
    # issuing bodies
    "rep.city_parent": "UBND THÀNH PHỐ HÀ NỘI",
    "rep.city_issuer": "SỞ LAO ĐỘNG - THƯƠNG BINH VÀ XÃ HỘI",
    "rep.city_symbol": "Số: …/BC-SLĐTBXH",
    "rep.district_parent": "UBND {name}",
    "rep.district_issuer": "PHÒNG LAO ĐỘNG - THƯƠNG BINH VÀ XÃ HỘI",
    "rep.district_symbol": "Số: …/BC-LĐTBXH",
    "rep.ward_parent": "ĐẢNG ỦY - HĐND - UBND",
    "rep.ward_issuer": "UBND {name}",
    "rep.ward_symbol": "Số: …/BC-UBND",
    "rep.doc_type": "BÁO CÁO",
    "rep.body.city": "Sở Lao động - Thương binh và Xã hội",
    "rep.body.district": "Phòng Lao động - Thương binh và Xã hội {name}",
    "rep.body.ward": "Ủy ban nhân dân {name}",
    "rep.city": "thành phố Hà Nội",
    # signers (titles; the name is typed at export time)
    "rep.city_authority": "KT. GIÁM ĐỐC",
    "rep.city_title": "PHÓ GIÁM ĐỐC",
    "rep.district_authority": "KT. TRƯỞNG PHÒNG",
    "rep.district_title": "PHÓ TRƯỞNG PHÒNG",
    "rep.ward_authority": "TM. ỦY BAN NHÂN DÂN",
    "rep.ward_title": "CHỦ TỊCH",
    # recipients
    "rep.to.committee": "Ban Chỉ đạo 138 Thành phố (để báo cáo)",
    "rep.to.city": "UBND Thành phố (để báo cáo)",
    "rep.to.director": "Giám đốc Sở (để báo cáo)",
    "rep.to.department": "Sở Lao động - Thương binh và Xã hội (để tổng hợp)",
    "rep.to.local_committee": "Ban Chỉ đạo 138 {name}",
    "rep.to.wards": "Các phường, xã, thị trấn trên địa bàn",
    "rep.to.archive_city": "Lưu: VT, PCTNXH",
    "rep.to.archive": "Lưu: VT",
    # monthly briefing
    "rep.m.summary": "Kết quả giao ban công tác phòng, chống mại dâm tháng {month} năm {year} — {unit}",
    "rep.m.intro": (
        "Số liệu tính từ ngày {start} đến ngày {end}; trạng thái tụ điểm tính tại ngày {end}. "
        "Số liệu được lập từ cơ sở dữ liệu tụ điểm, cùng số liệu với các trang của ứng dụng."
    ),
    "rep.m.s1": "I. TÌNH HÌNH TỤ ĐIỂM",
    "rep.m.s1_text": (
        "Cuối tháng có {open} tụ điểm đang phức tạp; trong tháng có {changes} lần thay đổi trạng thái."
    ),
    "rep.m.s2": "II. KẾT QUẢ HOẠT ĐỘNG",
    "rep.m.s2_text": "Trong tháng ghi nhận {acts} lượt hoạt động.",
    "rep.m.s3": "III. ĐỊA BÀN GIÁP RANH VÀ NƠI CÓ NGUY CƠ TÁI HOẠT ĐỘNG",
    "rep.m.s3_text": (
        "{border} tụ điểm nằm trong vùng giáp ranh; {gaps} tụ điểm thiếu phối hợp giữa hai bên; "
        "{high} nơi đã triệt xóa có nguy cơ tái hoạt động cao."
    ),
    "rep.m.s4": "IV. KHÓ KHĂN, VƯỚNG MẮC, ĐỀ XUẤT VÀ KẾT LUẬN GIAO BAN",
    "rep.m.no_notes": "Chưa ghi ý kiến giao ban cho tháng này.",
    "rep.m.s5": "V. NHIỆM VỤ QUÁ HẠN CỦA KẾ HOẠCH ĐỊA BÀN",
    "rep.m.s5_text": "Đến ngày {date} có {n} nhiệm vụ của kế hoạch địa bàn đã qua hạn mà chưa hoàn thành:",
    "rep.m.no_overdue": "Đến ngày {date} không có nhiệm vụ nào của kế hoạch địa bàn quá hạn.",
    "rep.t.overdue": "Nhiệm vụ quá hạn",
    "rep.m.no_changes": "Không có thay đổi trạng thái trong tháng.",
    "rep.m.no_gaps": "Không có tụ điểm giáp ranh thiếu phối hợp.",
    "rep.m.no_high": "Không có nơi nào có nguy cơ tái hoạt động cao.",
    # quarterly report
    "rep.q.summary": (
        "Kết quả công tác triệt xóa tụ điểm phức tạp về mại dâm quý {quarter} năm {year} — {unit}"
    ),
    "rep.q.intro": (
        "Thực hiện Kế hoạch {plan} về phòng, chống mại dâm năm {year}, {unit} báo cáo kết quả quý {quarter} "
        "(từ ngày {start} đến ngày {end}) như sau."
    ),
    "rep.q.intro_no_plan": (
        "{unit} báo cáo kết quả công tác quý {quarter} năm {year} (từ ngày {start} đến ngày {end}) như sau."
    ),
    "rep.q.s1": "I. TIẾN ĐỘ THỰC HIỆN CHỈ TIÊU KẾ HOẠCH",
    "rep.q.s1_text": (
        "Đến ngày {end}: đã triệt xóa {cleared}/{clear_target} tụ điểm; duy trì trong sạch "
        "{kept}/{keep_target}; {reemerged} tụ điểm thuộc kế hoạch tái hoạt động từ đầu năm."
    ),
    "rep.q.s2": "II. KẾT QUẢ THEO ĐỊA BÀN",
    "rep.q.s2_text": "Trong quý ghi nhận {acts} lượt hoạt động.",
    "rep.q.s3": "III. TÁI HOẠT ĐỘNG",
    "rep.q.no_reemergence": "Trong quý không có tụ điểm nào tái hoạt động.",
    "rep.q.s4": "IV. PHỐI HỢP ĐỊA BÀN GIÁP RANH",
    "rep.q.s4_text": "{border} tụ điểm nằm trong vùng giáp ranh; {gaps} tụ điểm thiếu phối hợp giữa hai bên.",
    "rep.q.s5": "V. ĐÁNH GIÁ TRIỆT XÓA VÀ ĐỀ XUẤT BÀN GIAO",
    "rep.q.s5_text": (
        "Tiêu chí (docs/handover.md): đã triệt xóa ít nhất {months} tháng; không phát hiện vi phạm kể từ khi "
        "triệt xóa; ít nhất {checks} lượt kiểm tra, tuần tra hoặc chốt trực kể từ khi triệt xóa; nguy cơ "
        "tái hoạt động không ở mức cao. Đề nghị công nhận và bàn giao {propose} tụ điểm; tiếp tục theo dõi "
        "{observe}; chưa triệt xóa {not_cleared}; đã bàn giao {handed_over}."
    ),
    "rep.q.s6": "VI. ĐỀ XUẤT, KIẾN NGHỊ",
    "rep.q.no_proposals": "Không có đề xuất, kiến nghị trong các buổi giao ban của quý.",
    "rep.quarter.1": "I",
    "rep.quarter.2": "II",
    "rep.quarter.3": "III",
    "rep.quarter.4": "IV",
    # handover recommendations and reasons
    "handover.propose": "Đề nghị công nhận, bàn giao cho địa phương",
    "handover.observe": "Tiếp tục theo dõi",
    "handover.not_cleared": "Chưa triệt xóa",
    "handover.handed_over": "Đã bàn giao",
    "handover.reason.months": "chưa đủ {months} tháng",
    "handover.reason.violations": "còn phát hiện vi phạm",
    "handover.reason.checks": "chưa đủ {checks} lượt kiểm tra",
    "handover.reason.risk": "nguy cơ tái hoạt động cao",
    # tables
    "rep.t.status": "Tụ điểm theo trạng thái",
    "rep.t.changes": "Thay đổi trạng thái trong kỳ",
    "rep.t.by_kind": "Hoạt động theo loại",
    "rep.t.by_performer": "Hoạt động và kết quả theo đơn vị thực hiện",
    "rep.t.results": "Kết quả",
    "rep.t.gaps": "Tụ điểm giáp ranh thiếu phối hợp",
    "rep.t.high_risk": "Nơi đã triệt xóa có nguy cơ tái hoạt động cao",
    "rep.t.notes": "Ý kiến giao ban",
    "rep.t.plan": "Tiến độ chỉ tiêu kế hoạch",
    "rep.t.targets": "Chỉ tiêu theo từng tụ điểm",
    "rep.t.by_unit": "Kết quả theo địa bàn",
    "rep.t.reemergences": "Tụ điểm tái hoạt động trong quý",
    "rep.t.border": "Phối hợp theo cặp địa bàn giáp ranh",
    "rep.t.handover": "Đánh giá triệt xóa và đề xuất bàn giao",
    "rep.t.proposals": "Đề xuất, kiến nghị từ giao ban",
    "rep.t.wards_public": "Tụ điểm theo phường, xã và trạng thái",
    "rep.c.status": "Trạng thái",
    "rep.c.previous": "Cuối tháng trước",
    "rep.c.current": "Cuối tháng này",
    "rep.c.change": "Tăng, giảm",
    "rep.c.code": "Mã",
    "rep.c.name": "Tên tụ điểm",
    "rep.c.date": "Ngày",
    "rep.c.from": "Từ trạng thái",
    "rep.c.to": "Sang trạng thái",
    "rep.c.reason": "Lý do, căn cứ",
    "rep.c.kind": "Loại hoạt động",
    "rep.c.count": "Số lượt",
    "rep.c.performer": "Đơn vị thực hiện",
    "rep.c.measure": "Chỉ tiêu",
    "rep.c.value": "Số lượng",
    "rep.c.side": "Địa bàn",
    "rep.c.neighbour": "Địa bàn kề",
    "rep.c.distance": "Cách ranh giới (m)",
    "rep.c.silent": "Bên chưa có hoạt động",
    "rep.c.score": "Điểm nguy cơ",
    "rep.c.level": "Mức",
    "rep.c.unit": "Địa bàn",
    "rep.c.month": "Tháng",
    "rep.c.difficulties": "Khó khăn, vướng mắc",
    "rep.c.proposals": "Đề xuất, kiến nghị",
    "rep.c.decisions": "Kết luận, nhiệm vụ",
    "rep.c.target": "Chỉ tiêu",
    "rep.c.planned": "Kế hoạch",
    "rep.c.done": "Đạt",
    "rep.c.rate": "Tỷ lệ (%)",
    "rep.c.met": "Đạt chỉ tiêu",
    "rep.c.pair": "Cặp địa bàn",
    "rep.c.hotspots": "Tụ điểm giáp ranh",
    "rep.c.open": "Đang phức tạp",
    "rep.c.acts_a": "Lượt của bên thứ nhất",
    "rep.c.acts_b": "Lượt của bên thứ hai",
    "rep.c.cleared_on": "Ngày triệt xóa",
    "rep.c.months": "Số tháng",
    "rep.c.violations": "Vi phạm",
    "rep.c.checks": "Lượt kiểm tra",
    "rep.handover_note": (
        "Vi phạm, lượt kiểm tra (kiểm tra hành chính, tuần tra, chốt trực): tính tại tụ điểm kể từ ngày "
        "triệt xóa đến ngày cuối kỳ. Số tháng: từ ngày triệt xóa."
    ),
    "rep.c.risk": "Nguy cơ",
    "rep.c.recommendation": "Kiến nghị",
    "rep.c.why": "Lý do",
    "rep.total": "Tổng cộng",
    "rep.met.yes": "Đạt",
    "rep.met.no": "Chưa đạt",
    "rep.img.map": "Bản đồ tụ điểm theo trạng thái tại ngày {date}",
    "rep.img.activities": "Hoạt động theo tháng và theo loại",
    "rep.img.status": "Tụ điểm theo trạng thái và địa bàn",
    "rep.sample": "DỮ LIỆU MẪU — số liệu giả lập để minh họa, không phải số liệu thật.",
    # reports page
    "page.reports": "Báo cáo",
    "reports.heading": "Báo cáo giao ban tháng và báo cáo quý",
    "reports.intro": (
        "Lập bảng giao ban tháng và báo cáo quý gửi Sở từ dữ liệu: cùng số liệu với các trang khác. "
        "Tải về dạng .docx (theo Nghị định 30/2020/NĐ-CP) hoặc .xlsx (mỗi bảng một trang tính)."
    ),
    "reports.kind": "Loại báo cáo",
    "reports.kind.monthly": "Giao ban tháng",
    "reports.kind.quarterly": "Báo cáo quý",
    "reports.scope": "Phạm vi",
    "reports.scope.city": "Toàn thành phố",
    "reports.month": "Tháng",
    "reports.year": "Năm",
    "reports.quarter": "Quý",
    "reports.public": "Bản công khai (ẩn tên, dịch chuyển vị trí, ẩn số nhỏ)",
    "reports.signer_title": "Chức vụ người ký",
    "reports.signer_authority": "Thẩm quyền ký",
    "reports.signer": "Họ tên người ký (chỉ in vào tệp, không lưu)",
    "reports.build": "Lập tệp {kind}",
    "reports.download": "Tải tệp {name}",
    "reports.built": "Đã lập tệp trong {seconds} giây.",
    "reports.figures": "Số liệu chính",
    "reports.f.open": "Tụ điểm đang phức tạp",
    "reports.f.changes": "Thay đổi trạng thái",
    "reports.f.propose": "Đề nghị bàn giao",
    "reports.f.observe": "Tiếp tục theo dõi",
    "err.report_unit": (
        "Không tìm thấy địa bàn có mã «{code}» ở cấp quận, huyện (3 chữ số) hay phường, xã (5 chữ số)."
    ),
    "err.report_month": "Tháng «{value}» không đúng dạng mm/yyyy.",
    "err.report_out": "Tệp ra phải có đuôi {allowed} (nhận được «{value}»).",
}
