"""User-facing text and Vietnamese formatting of dates and numbers.

Every string a person reads lives in :data:`CATALOGUE` under a key, so a second
language is one more dictionary. ``t(key, **values)`` looks a string up and
fills its ``{placeholders}``.
"""

from __future__ import annotations

import datetime as dt

VI: dict[str, str] = {
    # application
    "app.title": "Bản đồ tụ điểm phức tạp về mại dâm — Hà Nội",
    "app.caption": "Ban chỉ đạo 138 thành phố Hà Nội · Sở Lao động - Thương binh và Xã hội",
    "app.sample_banner": (
        "DỮ LIỆU MẪU — toàn bộ tụ điểm, hoạt động và kế hoạch đang hiển thị là dữ liệu "
        "giả lập để minh họa, không phải số liệu thật. Tên và vị trí không chỉ tới "
        "cơ sở, địa chỉ hay người thật nào."
    ),
    "page.overview": "Tổng quan thành phố",
    "page.area": "Theo địa bàn",
    # statuses
    "status.active": "Phức tạp (đang hoạt động)",
    "status.clearing": "Đang triệt xóa",
    "status.cleared": "Đã triệt xóa (đang theo dõi)",
    "status.handed_over": "Đã bàn giao, duy trì trong sạch",
    "status.reemerged": "Tái hoạt động",
    # hotspot kinds
    "kind.public_area": "Địa bàn công cộng",
    "kind.service_business": "Cơ sở kinh doanh dịch vụ",
    # activity kinds
    "activity.patrol": "Tuần tra",
    "activity.inspection": "Kiểm tra hành chính",
    "activity.investigation": "Điều tra, đấu tranh",
    "activity.outreach": "Tuyên truyền vận động",
    "activity.stationed_post": "Lập chốt trực",
    "activity.briefing": "Giao ban",
    # target types
    "target.clear": "Triệt xóa",
    "target.keep_clean": "Duy trì trong sạch",
    # unit types
    "unit.quan": "Quận",
    "unit.huyen": "Huyện",
    "unit.thi_xa": "Thị xã",
    "unit.phuong": "Phường",
    "unit.xa": "Xã",
    "level.district": "Quận, huyện, thị xã (trước 01/07/2025)",
    "level.ward": "Phường, xã (từ 01/07/2025)",
    # filters
    "filter.header": "Bộ lọc",
    "widget.placeholder": "Chọn…",
    "filter.plan_year": "Năm kế hoạch",
    "filter.status": "Trạng thái",
    "filter.kind": "Loại tụ điểm",
    "filter.date_range": "Khoảng thời gian",
    "filter.plan_only": "Chỉ tụ điểm thuộc kế hoạch năm",
    "filter.as_of": "Trạng thái tính tại ngày {date}",
    "filter.area_level": "Cấp địa bàn",
    "filter.area_unit": "Địa bàn",
    "filter.bad_range": "Khoảng thời gian không hợp lệ: ngày bắt đầu {start} sau ngày kết thúc {end}.",
    # KPIs
    "kpi.cleared": "Đã triệt xóa",
    "kpi.kept_clean": "Duy trì trong sạch",
    "kpi.reemerged": "Tái hoạt động trong năm",
    "kpi.active": "Tụ điểm đang phức tạp",
    "kpi.activities": "Lượt hoạt động",
    "kpi.of_target": "{done}/{target}",
    "kpi.no_plan": "Năm {year} chưa có kế hoạch trong dữ liệu.",
    "kpi.help.cleared": (
        "Tụ điểm có chỉ tiêu triệt xóa đang ở trạng thái đã triệt xóa hoặc đã bàn giao tại ngày tính."
    ),
    "kpi.help.kept_clean": "Tụ điểm có chỉ tiêu duy trì không tái hoạt động từ đầu năm đến ngày tính.",
    "kpi.help.reemerged": "Tụ điểm thuộc kế hoạch năm đã tái hoạt động từ đầu năm đến ngày tính.",
    # map
    "map.districts": "Ranh giới quận, huyện (trước 01/07/2025)",
    "map.wards": "Ranh giới phường, xã (từ 01/07/2025)",
    "map.hotspots": "Tụ điểm",
    "map.hotspot_areas": "Phạm vi tụ điểm",
    "map.legend": "Trạng thái tụ điểm",
    "map.legend_density": "Tụ điểm đang phức tạp / đơn vị",
    "map.tooltip.name": "Tụ điểm",
    "map.tooltip.code": "Mã",
    "map.tooltip.status": "Trạng thái",
    "map.tooltip.kind": "Loại",
    "map.tooltip.ward": "Phường, xã",
    "map.tooltip.district": "Quận, huyện cũ",
    "map.tooltip.last_activity": "Hoạt động gần nhất",
    "map.tooltip.none": "chưa có",
    "map.tooltip.active_count": "Tụ điểm đang phức tạp",
    "map.tooltip.border": "Giáp ranh",
    "map.tooltip.pair": "Cặp địa bàn",
    "map.tooltip.length": "Chiều dài ranh giới chung",
    "map.border_lines": "Ranh giới chung giữa hai địa bàn",
    "map.border_zones": "Vùng giáp ranh {width} m",
    "map.custom_tiles": "Nền bản đồ nội bộ",
    "map.osm_attribution": "© Những người đóng góp OpenStreetMap",
    # charts
    "chart.activities_by_month": "Hoạt động theo tháng, theo loại",
    "chart.status_by_district": "Tụ điểm theo trạng thái, theo quận, huyện cũ",
    "chart.count": "Số lượt",
    "chart.results_by_month": "Kết quả theo tháng",
    "chart.violations": "Vi phạm phát hiện",
    "chart.cases": "Vụ việc xử lý",
    "chart.empty": "Không có dữ liệu trong bộ lọc đã chọn.",
    "chart.border_sides": "Hoạt động của mỗi bên tại tụ điểm giáp ranh",
    "chart.side_a": "Bên thứ nhất (trái)",
    "chart.side_b": "Bên thứ hai (phải)",
    "chart.border_status": "Tụ điểm trong vùng giáp ranh, theo trạng thái",
    "chart.border_ranking": "Cặp địa bàn cần chú ý",
    "chart.attention": "Tụ điểm giáp ranh đang phức tạp",
    "chart.gaps": "Thiếu phối hợp",
    # table
    "table.code": "Mã",
    "table.name": "Tên tụ điểm",
    "table.kind": "Loại",
    "table.status": "Trạng thái",
    "table.ward": "Phường, xã",
    "table.district": "Quận, huyện cũ",
    "table.last_activity": "Hoạt động gần nhất",
    "table.activities": "Lượt hoạt động",
    "table.violations": "Vi phạm",
    "table.unit": "Đơn vị phụ trách",
    "table.caption": "{n} tụ điểm",
    # pages
    "overview.heading": "Tổng quan thành phố",
    "overview.kpi_heading": "Chỉ tiêu kế hoạch năm {year} (tính tại {date})",
    "overview.plan_doc": "Kế hoạch số {number} ngày {date}",
    "overview.map_heading": "Bản đồ tụ điểm",
    "area.heading": "Theo địa bàn",
    "area.none": "Địa bàn này không có tụ điểm nào trong bộ lọc đã chọn.",
    # border page
    "page.border": "Giáp ranh",
    "border.heading": "Địa bàn giáp ranh",
    "border.intro": (
        "Tụ điểm nằm gần ranh giới giữa hai địa bàn kề nhau, hoạt động của mỗi bên tại đó, "
        "và những nơi một bên chưa vào cuộc."
    ),
    "border.controls": "Giáp ranh",
    "border.all_units": "Tất cả địa bàn",
    "border.width": "Độ rộng vùng giáp ranh mỗi bên (m)",
    "border.gap_days": "Xét thiếu phối hợp trong (ngày)",
    "border.choose_pair": "Chọn cặp địa bàn để phóng to bản đồ (hoặc bấm vào ranh giới trên bản đồ)",
    "border.no_pair": "— Toàn bộ —",
    "border.kpi.pairs": "Cặp địa bàn kề nhau",
    "border.kpi.hotspots": "Tụ điểm giáp ranh",
    "border.kpi.attention": "Giáp ranh đang phức tạp",
    "border.kpi.gaps": "Thiếu phối hợp",
    "border.kpi.one_sided": "Cặp chỉ một bên hoạt động",
    "border.kpi.help.hotspots": "Tụ điểm cách ranh giới chung với địa bàn kề bên không quá {width} m.",
    "border.joint_table": "Trách nhiệm chung theo cặp địa bàn",
    "border.gaps": (
        "Thiếu phối hợp: tụ điểm giáp ranh đang phức tạp hoặc có nguy cơ tái hoạt động cao mà một bên "
        "không có hoạt động trong {days} ngày"
    ),
    "border.no_gaps": "Không có tụ điểm giáp ranh nào thiếu phối hợp.",
    "border.one_sided": "Cặp địa bàn chỉ một bên có hoạt động tại tụ điểm giáp ranh",
    "border.point_contacts": "{n} cặp chỉ chạm nhau tại một điểm (không tính là giáp ranh)",
    "border.col.unit_a": "Địa bàn thứ nhất",
    "border.col.unit_b": "Địa bàn thứ hai",
    "border.col.length": "Ranh giới chung (m)",
    "border.col.hotspots": "Tụ điểm trong vùng",
    "border.col.acts_a": "Hoạt động bên thứ nhất",
    "border.col.acts_b": "Hoạt động bên thứ hai",
    "border.col.side": "Thuộc địa bàn",
    "border.col.neighbour": "Địa bàn kề bên",
    "border.col.distance": "Cách ranh giới (m)",
    "border.col.acts_side": "Hoạt động của địa bàn",
    "border.col.acts_neighbour": "Hoạt động của bên kề",
    "border.col.silent": "Bên chưa có hoạt động",
    "border.col.active_side": "Bên có hoạt động",
    "kpi.border_hotspots": "Tụ điểm giáp ranh",
    "kpi.help.border_hotspots": (
        "Tụ điểm cách ranh giới chung với {level} kề bên không quá {width} m (cấp địa bàn tại ngày tính)."
    ),
    "level.short.district": "quận, huyện",
    "level.short.ward": "phường, xã",
    # risk page
    "page.risk": "Nguy cơ tái hoạt động",
    "risk.heading": "Nguy cơ tái hoạt động",
    "risk.intro": (
        "Điểm nguy cơ (0–100) của tụ điểm đã triệt xóa hoặc đã bàn giao, và điểm duy trì của tụ điểm "
        "đang phức tạp, tính từ dữ liệu đến ngày tính. Mỗi điểm là tổng điểm của từng yếu tố, xem cách "
        "tính ở mục «Phương pháp»."
    ),
    "risk.factor.recency": "Mới triệt xóa",
    "risk.factor.duration": "Thời gian phức tạp",
    "risk.factor.prior": "Đã tái hoạt động trước đây",
    "risk.factor.violations": "Vi phạm phát hiện gần đó (90 ngày)",
    "risk.factor.nearby_open": "Tụ điểm phức tạp lân cận",
    "risk.factor.border": "Nằm trong vùng giáp ranh",
    "risk.factor.kind": "Cơ sở kinh doanh dịch vụ",
    "risk.factor.activity_drop": "Hoạt động giảm sau bàn giao",
    "risk.level.low": "Thấp",
    "risk.level.medium": "Trung bình",
    "risk.level.high": "Cao",
    "risk.type.risk": "Nguy cơ tái hoạt động",
    "risk.type.persistence": "Nguy cơ kéo dài",
    "risk.points": "Điểm",
    "risk.score": "Điểm nguy cơ",
    "risk.months": "tháng",
    "risk.months_since_cleared": "Số tháng kể từ khi triệt xóa",
    "risk.still_clean": "Tỷ lệ còn trong sạch",
    "risk.model": "Mô hình điểm nguy cơ",
    "risk.baseline": "Chỉ theo thời gian từ khi triệt xóa",
    "risk.border_group": "Giáp ranh",
    "risk.interior_group": "Không giáp ranh",
    "risk.wards": "Số phường, xã",
    "risk.kpi.high": "Nguy cơ cao",
    "risk.kpi.medium": "Nguy cơ trung bình",
    "risk.kpi.persistent": "Tụ điểm phức tạp có nguy cơ kéo dài cao",
    "risk.kpi.auc": "ROC AUC kiểm định lại",
    "risk.kpi.auc_delta": "{delta} so với chỉ theo thời gian",
    "risk.kpi.help.high": "Tụ điểm đã triệt xóa hoặc đã bàn giao có điểm nguy cơ từ {high} trở lên.",
    "risk.ranking": "Xếp hạng nguy cơ và đóng góp của từng yếu tố",
    "risk.survival": "Thời gian từ triệt xóa đến tái hoạt động (Kaplan–Meier)",
    "risk.survival_by": "Nhóm theo",
    "risk.by.all": "Toàn bộ",
    "risk.by.kind": "Loại tụ điểm",
    "risk.by.border": "Giáp ranh hay không",
    "risk.logrank": "Kiểm định log-rank giữa hai nhóm: p = {p}",
    "risk.episodes": "{n} lần triệt xóa, {events} lần tái hoạt động",
    "risk.areas": "Theo địa bàn",
    "risk.area.unit": "Địa bàn",
    "risk.area.places": "Tụ điểm được chấm",
    "risk.area.mean": "Điểm trung bình",
    "risk.area.max": "Điểm cao nhất",
    "risk.area.high": "Số nguy cơ cao",
    "risk.area.category": "Xu hướng điểm nóng (vi phạm theo quý)",
    "risk.emerging_note": (
        "Phân loại điểm nóng theo thời gian: Getis–Ord Gi* của số vi phạm phát hiện theo từng quý trên "
        "126 phường, xã (kề cạnh), xu hướng theo kiểm định Mann–Kendall, mức ý nghĩa 10 %."
    ),
    "risk.backtest": "Kiểm định lại (backtest)",
    "risk.backtest_note": (
        "Tại mỗi cuối quý, chấm điểm chỉ bằng dữ liệu đến ngày đó rồi xem tụ điểm nào tái hoạt động "
        "trong 180 ngày sau. Trên dữ liệu mẫu, phép thử này kiểm tra quy trình tính toán; trên lịch sử "
        "thật, nó đo năng lực dự báo thật."
    ),
    "risk.bt.cutoffs": "Số mốc cuối quý",
    "risk.bt.auc": "ROC AUC",
    "risk.bt.hit": "Tỷ lệ trúng trong 20 % điểm cao nhất",
    "risk.method": "Phương pháp",
    "risk.table.type": "Loại điểm",
    "risk.table.level": "Mức",
    "chart.risk_breakdown": "Điểm nguy cơ theo yếu tố (20 tụ điểm cao nhất)",
    "chart.backtest": "ROC AUC theo từng mốc cuối quý",
    "chart.risk_border": "Điểm nguy cơ: tụ điểm giáp ranh và không giáp ranh",
    "chart.emerging": "Phường, xã theo loại xu hướng điểm nóng",
    "st.new": "Điểm nóng mới",
    "st.consecutive": "Điểm nóng liên tiếp",
    "st.intensifying": "Điểm nóng tăng cường",
    "st.persistent": "Điểm nóng dai dẳng",
    "st.diminishing": "Điểm nóng giảm dần",
    "st.sporadic": "Điểm nóng rải rác",
    "st.oscillating": "Điểm nóng dao động",
    "st.historical": "Điểm nóng trước đây",
    "st.none": "Không có xu hướng",
    "map.risk": "Nguy cơ tái hoạt động",
    "map.legend_risk": "Mức nguy cơ",
    "map.tooltip.risk": "Điểm nguy cơ",
    "map.tooltip.level": "Mức",
    "kpi.high_risk": "Nguy cơ tái hoạt động cao",
    # editing and audit log
    "page.edit": "Cập nhật tụ điểm",
    "page.audit": "Nhật ký thay đổi",
    "edit.heading": "Cập nhật tụ điểm",
    "edit.intro": (
        "Ghi thay đổi trạng thái (kể cả bàn giao cho địa phương), thêm hoạt động, chuyển vị trí. "
        "Mỗi thay đổi được kiểm tra rồi ghi cùng nhật ký; không ghi tên, số giấy tờ hay thông tin "
        "của cá nhân nào."
    ),
    "edit.hotspot": "Tụ điểm",
    "edit.actor": "Đơn vị ghi nhận",
    "edit.current": "Trạng thái hiện tại: {status} · {ward} · {district}",
    "edit.status_form": "Thay đổi trạng thái",
    "edit.handover_form": "Bàn giao cho địa phương",
    "edit.handover_intro": (
        "Tụ điểm đã triệt xóa được bàn giao cho phường/xã duy trì trong sạch; biên bản bàn giao được ghi "
        "cùng thay đổi trạng thái."
    ),
    "edit.handover_receiver": "Đơn vị nhận bàn giao",
    "edit.handover_document": "Số biên bản bàn giao",
    "edit.handover_note": "Ghi chú (không ghi thông tin cá nhân)",
    "edit.handover_save": "Ghi bàn giao",
    "edit.handover_reason": "Bàn giao cho {receiver}, biên bản số {document}.",
    "edit.new_status": "Trạng thái mới",
    "edit.date": "Ngày",
    "edit.reason": "Lý do, căn cứ (không ghi thông tin cá nhân)",
    "edit.save_status": "Ghi thay đổi trạng thái",
    "edit.activity_form": "Thêm hoạt động",
    "edit.activity_kind": "Loại hoạt động",
    "edit.save_activity": "Ghi hoạt động",
    "edit.move_form": "Chuyển vị trí",
    "edit.move_hint": "Bấm vào bản đồ để chọn vị trí mới (điểm xanh), hoặc nhập toạ độ bên dưới.",
    "edit.move_current": "Vị trí hiện tại",
    "edit.move_chosen": "Vị trí mới đã chọn",
    "edit.lat": "Vĩ độ (WGS84)",
    "edit.lon": "Kinh độ (WGS84)",
    "edit.save_move": "Ghi vị trí mới",
    "edit.saved": "Đã ghi: {what}.",
    "edit.moved": "Đã chuyển vị trí; địa bàn mới: {ward} · {district}.",
    "edit.no_next": "Từ trạng thái này không có bước chuyển hợp lệ nào.",
    "count.violations_found": "Vi phạm phát hiện",
    "count.cases_handled": "Vụ việc xử lý",
    "count.establishments_sanctioned": "Cơ sở bị xử phạt",
    "count.fines_vnd": "Tiền phạt (đồng)",
    "count.people_referred": "Số người được chuyển hỗ trợ",
    "audit.heading": "Nhật ký thay đổi",
    "audit.intro": "Mọi thay đổi ghi trong ứng dụng, chỉ được thêm, không sửa, không xóa.",
    "audit.action": "Loại thay đổi",
    "audit.code": "Mã tụ điểm",
    "audit.range": "Khoảng thời gian",
    "audit.col.at": "Thời điểm (UTC)",
    "audit.col.actor": "Đơn vị",
    "audit.col.action": "Thay đổi",
    "audit.col.code": "Tụ điểm",
    "audit.col.summary": "Nội dung",
    "audit.col.before": "Trước",
    "audit.col.after": "Sau",
    "audit.empty": "Chưa có thay đổi nào trong bộ lọc đã chọn.",
    "audit.action.status_change": "Thay đổi trạng thái",
    "audit.action.activity_add": "Thêm hoạt động",
    "audit.action.hotspot_move": "Chuyển vị trí",
    "audit.action.sample_load": "Nạp dữ liệu mẫu",
    "audit.action.sample_clear": "Xoá dữ liệu mẫu",
    "audit.action.import": "Nhập tệp",
    "audit.action.import_create": "Thêm tụ điểm (nhập tệp)",
    "audit.action.import_update": "Cập nhật tụ điểm (nhập tệp)",
    "audit.action.import_status": "Thay đổi trạng thái (nhập tệp)",
    "audit.action.import_status_update": "Sửa lý do, đơn vị ghi nhận (nhập tệp)",
    "audit.action.import_activities": "Thêm hoạt động (nhập tệp)",
    "audit.action.boundary_replace": "Thay lớp ranh giới",
    "page.import": "Nhập dữ liệu",
    "import.heading": "Nhập dữ liệu từ tệp",
    "import.intro": (
        "Tải tệp mẫu, điền dữ liệu, rồi tải lên. Ứng dụng kiểm tra từng dòng và cho xem trước "
        "(bảng và bản đồ); chỉ khi bấm «Ghi vào dữ liệu» mới ghi, và ghi tất cả các dòng hợp lệ "
        "trong một lần (hoặc không ghi gì)."
    ),
    "import.templates": "Tệp mẫu và xuất dữ liệu",
    "import.template_button": "Tải mẫu: {kind}",
    "import.export_button": "Xuất dữ liệu đã lưu: {kind}",
    "import.upload": "Chọn tệp (.xlsx, .xls, .csv, .geojson, .gpkg, Shapefile .zip)",
    "import.kind": "Loại dữ liệu",
    "import.kind_auto": "Tự nhận theo tiêu đề cột",
    "import.crs": "Hệ toạ độ của cột X/Y (hoặc của tệp bản đồ không ghi hệ toạ độ)",
    "import.duplicates": "Dòng trùng với tụ điểm đã lưu",
    "import.dup.skip": "Bỏ qua",
    "import.dup.update": "Cập nhật tụ điểm đã lưu",
    "import.actor": "Đơn vị thực hiện việc nhập",
    "import.checking": "Đang kiểm tra tệp…",
    "import.writing": "Đang ghi…",
    "import.summary": "Kết quả kiểm tra (chạy thử, chưa ghi gì)",
    "import.rows": "Số dòng",
    "import.accepted": "Hợp lệ",
    "import.rejected": "Bị loại",
    "import.new": "Sẽ thêm mới",
    "import.update": "Sẽ cập nhật",
    "import.skip": "Trùng, bỏ qua",
    "import.unchanged": "Đã có sẵn",
    "import.problems": "Lỗi và lưu ý",
    "import.no_problems": "Không có lỗi hay lưu ý nào.",
    "import.preview": "Xem trước các dòng",
    "import.preview_map": "Vị trí trên bản đồ (kiểm tra hệ toạ độ trước khi ghi)",
    "import.preview_layer": "Dòng trong tệp",
    "import.row": "Dòng",
    "import.level": "Mức",
    "import.level.error": "Lỗi (dòng bị loại)",
    "import.level.warning": "Lưu ý",
    "import.column": "Cột",
    "import.value": "Giá trị",
    "import.message": "Nội dung",
    "import.action": "Khi ghi",
    "import.errors": "Lỗi",
    "import.state.new": "Thêm mới",
    "import.state.update": "Cập nhật",
    "import.state.duplicate": "Trùng, bỏ qua",
    "import.state.unchanged": "Đã có sẵn",
    "import.state.rejected": "Bị loại",
    "import.download_rejected": "Tải các dòng bị loại (Excel, có cột lỗi) để sửa và nhập lại",
    "import.apply": "Ghi vào dữ liệu",
    "import.nothing": "Không có dòng nào cần ghi.",
    "import.done": (
        "Đã ghi tệp «{name}»: {new} mới, {updated} cập nhật, {skipped} bỏ qua, {unchanged} đã có, "
        "{rejected} dòng bị loại."
    ),
    "import.sample_notice": (
        "Kho đang chứa dữ liệu mẫu. Dữ liệu nhập sẽ nằm chung với dữ liệu mẫu; để bắt đầu với dữ liệu thật, "
        "xoá dữ liệu mẫu trước."
    ),
    "import.sample_confirm": "Tôi hiểu: xoá toàn bộ dữ liệu mẫu (nhật ký thay đổi được giữ lại)",
    "import.sample_clear": "Xoá dữ liệu mẫu",
    "import.sample_cleared": "Đã xoá dữ liệu mẫu; kho dữ liệu trống, sẵn sàng nhập dữ liệu thật.",
    "import.boundaries": "Thay lớp ranh giới chính thức",
    "import.boundaries_intro": (
        "Tải lên lớp ranh giới phường/xã hoặc quận/huyện mới (GeoJSON, GeoPackage, Shapefile .zip; "
        "có cột mã và tên). Lớp mới được kiểm tra trước khi thay lớp đang dùng."
    ),
    "import.boundary_level": "Cấp đơn vị",
    "import.boundary_file": "Tệp ranh giới",
    "import.boundary_ok": "Lớp mới hợp lệ: {units} đơn vị.",
    "import.boundary_apply": "Thay lớp ranh giới",
    "import.boundary_done": "Đã thay lớp ranh giới: {units} đơn vị, {hotspots_moved} tụ điểm đổi địa bàn.",
    "err.not_sample": "Kho không chứa dữ liệu mẫu: không có gì để xoá.",
    "err.no_hotspot": "Không tìm thấy tụ điểm có mã nội bộ {id}.",
    "err.actor": "«{actor}» không có trong danh sách đơn vị được ghi nhận thay đổi.",
    "err.future_date": "Ngày {date} ở sau hôm nay ({today}).",
    "err.reason": "Cần ghi lý do, căn cứ của thay đổi.",
    "err.handover_document": "Cần ghi số biên bản bàn giao.",
    "err.count": "{column} phải là số nguyên không âm (nhận được «{value}»).",
    # errors
    "err.transition": "Không thể chuyển trạng thái từ «{old}» sang «{new}».",
    "err.horizon": "Khoảng thời gian theo dõi phải lớn hơn 0 ngày (nhận được {value}).",
    "err.buffer": "Độ rộng vùng giáp ranh phải lớn hơn 0 m (nhận được {value}).",
    "err.outside_city": "Vị trí ({lat}, {lon}) nằm ngoài địa giới thành phố Hà Nội.",
    "err.unknown_unit": "Không tìm thấy địa bàn có mã «{code}».",
    "err.store": "Không mở được kho dữ liệu «{url}»: {reason}",
    "err.schema_newer": (
        "Kho dữ liệu có phiên bản cấu trúc {found}, mới hơn phiên bản ứng dụng hỗ trợ ({supported}). "
        "Hãy cập nhật ứng dụng."
    ),
    "err.tiles": (
        "Cấu hình nền bản đồ «{value}» không hợp lệ: dùng none, osm hoặc một địa chỉ có {{z}}, {{x}}, {{y}}."
    ),
}

CATALOGUE: dict[str, dict[str, str]] = {"vi": VI}
LANGUAGE = "vi"


def t(key: str, **values) -> str:
    """The catalogue text for ``key`` with ``values`` filled in.

    An unknown key raises :class:`KeyError`: a missing text is a bug to catch
    in tests, not something to show a user.
    """
    text = CATALOGUE[LANGUAGE][key]
    return text.format(**values) if values else text


def fmt_date(value: dt.date | dt.datetime | None) -> str:
    """``dd/mm/yyyy``; an empty string for a missing date."""
    if value is None or value != value:  # None, NaN or NaT
        return ""
    return value.strftime("%d/%m/%Y")


def parse_date(text: str) -> dt.date:
    """Read a ``dd/mm/yyyy`` date; raises ValueError with the offending text."""
    try:
        return dt.datetime.strptime(text.strip(), "%d/%m/%Y").date()
    except ValueError as exc:
        raise ValueError(f"Ngày «{text}» không đúng dạng dd/mm/yyyy.") from exc


def fmt_number(value: float | int, decimals: int = 0) -> str:
    """Vietnamese separators: ``1.234.567,5`` (dot for thousands, comma for decimals)."""
    text = f"{value:,.{decimals}f}"
    return text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")


#: Plotly ``layout.separators``: decimal mark, then thousands separator.
PLOTLY_SEPARATORS = ",."
