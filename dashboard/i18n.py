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
    "map.legend_title": "Chú giải",
    "map.legend_border": "Địa bàn giáp ranh",
    "map.legend_border_hotspot": "Tụ điểm giáp ranh (vòng lớn, viền dày)",
    "map.legend_cluster_status": "Nhóm tụ điểm gần nhau: số tụ điểm, vòng màu theo tỉ lệ trạng thái",
    "map.legend_cluster_risk": "Nhóm tụ điểm gần nhau: số tụ điểm, vòng màu theo tỉ lệ mức nguy cơ",
    "map.legend_cluster_hint": "Bấm vào nhóm để phóng to; phóng to hơn nữa, mỗi tụ điểm hiện riêng.",
    "map.cluster_noun": "tụ điểm",
    "map.cluster_border": "Trong vùng giáp ranh",
    "map.cluster_hint": "Bấm để phóng to và xem từng tụ điểm.",
    "map.legend_area": "Phạm vi tụ điểm (viền màu theo trạng thái)",
    "map.legend_risk_size": "Vòng càng lớn, điểm nguy cơ càng cao",
    "map.osm_attribution": "© Những người đóng góp OpenStreetMap",
    # charts
    "chart.activities_by_month": "Hoạt động theo tháng, theo loại",
    "chart.status_by_district": "Tụ điểm theo trạng thái, theo quận, huyện cũ",
    "chart.count": "Số lượt",
    "chart.month": "Tháng",
    "chart.hotspots": "Số tụ điểm",
    "chart.number": "Số lượng",
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
    "audit.col.actor": "Đơn vị",
    "audit.col.action": "Thay đổi",
    "audit.col.code": "Tụ điểm, tài khoản",
    "audit.col.summary": "Nội dung",
    "audit.col.before": "Trước",
    "audit.col.after": "Sau",
    "audit.empty": "Chưa có thay đổi nào trong bộ lọc đã chọn.",
    "audit.action.status_change": "Thay đổi trạng thái",
    "audit.action.activity_add": "Thêm hoạt động",
    "audit.action.hotspot_move": "Chuyển vị trí",
    "audit.action.sample_load": "Nạp dữ liệu mẫu",
    "audit.action.sample_clear": "Xóa dữ liệu mẫu",
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
        "xóa dữ liệu mẫu trước."
    ),
    "import.sample_confirm": "Tôi hiểu: xóa toàn bộ dữ liệu mẫu (nhật ký thay đổi được giữ lại)",
    "import.sample_clear": "Xóa dữ liệu mẫu",
    "import.sample_cleared": "Đã xóa dữ liệu mẫu; kho dữ liệu trống, sẵn sàng nhập dữ liệu thật.",
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
    # ------------------------------------------------------------------
    # File import (dashboard/intake), coordinates and legacy text: the
    # messages, notes and template texts of the import pipeline.
    #
    # intake.file.*: opening and reading a file (files.py, geofiles.py)
    "intake.file.format.xlsx": "bảng tính Excel (.xlsx)",
    "intake.file.format.xls": "bảng tính Excel 97-2003 (.xls)",
    "intake.file.format.csv": "tệp CSV",
    "intake.file.format.geojson": "GeoJSON",
    "intake.file.format.gpkg": "GeoPackage",
    "intake.file.format.shp": "Shapefile nén (.zip)",
    "intake.file.format.zip": "tệp nén .zip không chứa bảng tính hay tệp .shp",
    "intake.file.format.pdf": "tệp PDF",
    "intake.file.format.sqlite": "cơ sở dữ liệu SQLite",
    "intake.file.format.binary": "tệp nhị phân",
    "intake.file.not_found": "Không thấy tệp «{name}».",
    "intake.file.max_mb_not_number": "HOTSPOT_IMPORT_MAX_MB «{raw}» không phải là số (MB).",
    "intake.file.max_mb_not_positive": "HOTSPOT_IMPORT_MAX_MB «{raw}» phải lớn hơn 0 (MB).",
    "intake.file.bad_suffix": "Tệp «{name}»: không nhận đuôi «{suffix}». Nhận: {accepted}.",
    "intake.file.no_suffix": "(không có)",
    "intake.file.empty": "Tệp «{name}» rỗng (0 byte).",
    "intake.file.too_large": (
        "Tệp «{name}» lớn {size} MB, vượt giới hạn {limit} MB (đặt HOTSPOT_IMPORT_MAX_MB để đổi)."
    ),
    "intake.file.wrong_content": (
        "Tệp «{name}» có đuôi {suffix} nhưng nội dung là {actual}, không phải {claimed}. "
        "Hãy lưu lại đúng định dạng."
    ),
    "intake.file.no_rows": "Tệp «{name}»{where} không có dòng dữ liệu nào dưới dòng tiêu đề.",
    "intake.file.where_sheet": ", trang «{sheet}»,",
    "intake.file.zip_too_large": "Tệp «{name}» giải nén ra {size} MB, quá lớn (tối đa {limit} MB).",
    "intake.file.zip_damaged": "Tệp «{name}» bị hỏng (tệp nén không đọc được: {reason}).",
    "intake.file.zip_bad_member": "Tệp «{name}» bị hỏng: phần «{member}» trong tệp nén bị lỗi.",
    "intake.file.header_unreadable": "Tiêu đề cột {index}: {reason}",
    "intake.file.header_note": "Tiêu đề «{header}»: {note}",
    "intake.file.bad_xlsx": "Tệp «{name}» không mở được như bảng tính Excel: {reason}.",
    "intake.file.bad_xls": "Tệp «{name}» không mở được như bảng tính Excel 97-2003: {reason}.",
    "intake.file.sheet_empty": "Tệp «{name}», trang «{sheet}», trống: không có tiêu đề và dữ liệu.",
    "intake.file.no_sheet": "Tệp «{name}» không có trang «{sheet}». Các trang: {sheets}.",
    "intake.file.no_data_sheet": "Tệp «{name}» không có trang dữ liệu nào.",
    "intake.file.bad_csv": "Tệp «{name}» không đọc được như CSV: {reason}.",
    "intake.file.no_header": "Tệp «{name}» không có tiêu đề và dữ liệu.",
    "intake.file.note_windows_vietnamese": "Tệp ở bảng mã Windows-1258 (tiếng Việt); đã chuyển sang Unicode.",
    "intake.file.note_single_byte": (
        "Tệp không ở dạng UTF-8; đã đọc theo bảng mã 1 byte và tự chuyển chữ mã TCVN3/VNI nếu có."
    ),
    "intake.file.shp_count": "Tệp «{name}» chứa {count} lớp .shp; cần đúng một lớp trong tệp nén.",
    "intake.file.shp_missing": "Tệp «{name}»: Shapefile thiếu phần {parts} đi kèm «{layer}».",
    "intake.file.bad_geo": "Tệp «{name}» không đọc được như {what}: {reason}",
    "intake.file.no_features": "Tệp «{name}» không có đối tượng nào.",
    "intake.file.note_degrees": "Tệp không ghi hệ toạ độ; số liệu là độ nên đọc theo WGS84.",
    "intake.file.note_metres": (
        "Tệp không ghi hệ toạ độ; số liệu là mét nên đọc theo {crs}. "
        "Nếu sai, chọn hệ toạ độ khác và kiểm tra lại trên bản đồ."
    ),
    "intake.file.bad_transform": "Tệp «{name}»: không chuyển được toạ độ từ hệ «{crs}»: {reason}",
    # intake.value.*: single cell values (values.py)
    "intake.value.too_long": "Dài {length} ký tự, tối đa {max_length}.",
    "intake.value.no_month": "Ngày «{raw}» không tồn tại: không có tháng {month} (ngày viết dd/mm/yyyy).",
    "intake.value.no_day": "Ngày «{raw}» không tồn tại: tháng {month}/{year} không có ngày {day}.",
    "intake.value.serial_too_large": "Số «{raw}» quá lớn, không phải là ngày: ghi theo dạng dd/mm/yyyy.",
    "intake.value.serial_not_date": "Số «{raw}» không phải là ngày.",
    "intake.value.date_missing": "Thiếu ngày.",
    "intake.value.not_date": "«{value}» không phải là ngày.",
    "intake.value.two_digit_year": (
        "Ngày «{raw}» không rõ năm: ghi đủ 4 chữ số năm (dd/mm/yyyy), ví dụ 05/03/2020."
    ),
    "intake.value.bad_date": "«{raw}» không phải là ngày: ghi theo dạng dd/mm/yyyy, ví dụ 05/03/2020.",
    "intake.value.too_early": "Ngày {date} quá xa: chỉ nhận từ {earliest}.",
    "intake.value.future": "Ngày {date} ở tương lai (hôm nay là {today}).",
    "intake.value.not_whole": "«{value}» không phải là số nguyên.",
    "intake.value.too_large": "Số «{number}» quá lớn.",
    "intake.value.negative": "Số «{number}» âm: số đếm phải ≥ 0.",
    "intake.value.missing": "Thiếu {what}.",
    "intake.value.bad_choice": "«{value}» không phải là {what} hợp lệ. Chọn một trong: {options}.",
    # intake.unit.*: ward and district names (units.py)
    "intake.unit.ambiguous": "Tên «{text}» trùng nhiều phường/xã ({options}): ghi rõ «Phường …» hay «Xã …».",
    "intake.unit.legacy_district": "Tên cũ «{old}» (trước 01/07/2025): tính cho {district}.",
    "intake.unit.legacy_ward": "Tên cũ «{old}» đã quy đổi thành {ward}.",
    "intake.unit.not_found": (
        "Không tìm thấy địa bàn «{text}» ở Hà Nội. Ghi tên phường/xã hiện nay (ví dụ «Phường Hoàn Kiếm») "
        "hoặc tên cũ kèm quận/huyện (ví dụ «Phường Hàng Bạc, Quận Hoàn Kiếm»)."
    ),
    # intake.check.*: the dry run (service.py, validate.py) and its command-line report
    "intake.check.bad_on_duplicate": "Cách xử lý trùng «{value}» không hợp lệ: dùng skip hoặc update.",
    "intake.check.geo_hotspots_only": "Tệp bản đồ «{name}» chỉ dùng để nhập tụ điểm (vị trí hoặc vùng).",
    "intake.check.unknown_kind": (
        "Không nhận ra tệp «{name}» chứa loại dữ liệu nào từ các tiêu đề cột: chọn loại ({kinds})."
    ),
    "intake.check.progress.read": "Đọc tệp «{name}»",
    "intake.check.progress.rows": "Kiểm tra dòng {row}/{total}",
    "intake.check.progress.coordinates": "Chuyển toạ độ",
    "intake.check.progress.wards": "Xác định phường/xã",
    "intake.check.progress.duplicates": "Kiểm tra trùng lặp",
    "intake.check.progress.sequence": "Kiểm tra trình tự trạng thái",
    "intake.check.progress.stored": "Đối chiếu với dữ liệu đã lưu",
    "intake.check.unknown_column": (
        "Cột «{header}» không có trong mẫu nên không được nhập. "
        "Đổi tên cột cho đúng mẫu nếu cần nhập, hoặc xóa cột."
    ),
    "intake.check.repeated_column": (
        "Cột «{header}» (cột {index}) lặp lại một cột đã có; chỉ cột đầu tiên được nhập."
    ),
    "intake.check.converted": "{note} Kết quả: «{text}».",
    "intake.check.missing": "Thiếu {column}.",
    "intake.check.missing_columns": (
        "Tệp «{name}» thiếu cột bắt buộc: {columns}. "
        "Dùng tệp mẫu để có đủ cột (tên cột không phân biệt hoa thường, có dấu hay không)."
    ),
    "intake.check.empty_geometry": "Đối tượng không có hình (geometry trống).",
    "intake.check.bad_geometry": "Hình «{kind}» không dùng được: chỉ nhận điểm hoặc vùng (polygon).",
    "intake.check.invalid_area": "Vùng không hợp lệ ({reason}) và không sửa tự động được: vẽ lại vùng.",
    "intake.check.repaired_area": "Vùng không hợp lệ ({reason}); đã sửa tự động.",
    "intake.check.no_coordinate_columns": (
        "Tệp «{name}» thiếu cột toạ độ: cần «Vĩ độ (WGS84)» và «Kinh độ (WGS84)», "
        "hoặc «X (VN-2000)» và «Y (VN-2000)»."
    ),
    "intake.check.bad_code": "Mã chỉ gồm chữ không dấu, số và - _ . /, tối đa 32 ký tự.",
    "intake.check.outside_city": (
        "Điểm ({lat}, {lon}) nằm ngoài Hà Nội. Kiểm tra số liệu "
        "và hệ toạ độ (WGS84 / VN-2000 TM-3 105°00' / UTM 48N)."
    ),
    "intake.check.ward_mismatch": (
        "Toạ độ nằm ở {ward}, khác «{text}». Kiểm tra lại toạ độ hoặc tên phường/xã."
    ),
    "intake.check.half_coordinates": "Thiếu {column} (cần đủ cả hai toạ độ).",
    "intake.check.no_coordinates": "Thiếu toạ độ: điền Vĩ độ và Kinh độ (WGS84), hoặc X và Y (VN-2000).",
    "intake.check.duplicate_code": "Mã «{code}» trùng với dòng {row} trong cùng tệp.",
    "intake.check.twin": (
        "Trùng với dòng {row} (mã «{code}»): cùng loại, cách dưới {distance} m và tên gần giống."
    ),
    "intake.check.maybe_stored": (
        "Có thể trùng tụ điểm đã lưu «{code}» ({name}): cùng loại, cách dưới {distance} m, "
        "tên gần giống. Chọn bỏ qua hoặc cập nhật tụ điểm đã lưu."
    ),
    "intake.check.unknown_hotspot": "Không có tụ điểm mã «{code}» trong dữ liệu: nhập tụ điểm trước.",
    "intake.check.duplicate_change": "Trùng với dòng {row} (cùng tụ điểm, ngày, trạng thái).",
    "intake.check.transition_on": "{reason} (ngày {date})",
    "intake.check.unknown_unit_code": (
        "Không có đơn vị mã «{code}»: ghi mã quận/huyện cũ (3 số) hoặc mã phường/xã (5 số)."
    ),
    "intake.check.code_district": "quận/huyện cũ (3 số)",
    "intake.check.code_ward": "phường/xã (5 số)",
    "intake.check.code_for_date": "Ngày {date} cần mã {expected}.",
    "intake.check.former_district": "«{name}» là quận/huyện cũ; từ 01/07/2025 ghi phường/xã nơi thực hiện.",
    "intake.check.no_place": "Thiếu nơi thực hiện: ghi Mã tụ điểm, hoặc Địa bàn (phường/xã).",
    "intake.check.cli.summary": "{name}: {rows} dòng, {accepted} hợp lệ, {rejected} bị loại ({done})",
    "intake.check.cli.dry_run": "chạy thử, chưa ghi",
    "intake.check.cli.written": "đã ghi",
    "intake.check.cli.row": "dòng {row}",
    "intake.check.cli.file": "tệp",
    "intake.check.cli.column": ", cột «{column}»",
    "intake.check.cli.error": "LỖI",
    "intake.check.cli.warning": "lưu ý",
    # intake.apply.*: writing an import, its progress and audit entries (apply.py)
    "intake.apply.store_changed": (
        "Dữ liệu đã thay đổi từ lúc kiểm tra tệp (có người vừa ghi). Không dòng nào được ghi; "
        "hãy kiểm tra lại tệp rồi ghi."
    ),
    "intake.apply.summary": (
        "Nhập {kind} từ «{name}»: {new} mới, {updated} cập nhật, {skipped} bỏ qua, "
        "{unchanged} đã có, {rejected} dòng bị loại"
    ),
    "intake.apply.failed": (
        "Không ghi được: {reason}. Không dòng nào được ghi; hãy kiểm tra lại rồi nhập lại."
    ),
    # database refusals (dashboard/dberrors.py), the same on SQLite and PostgreSQL
    "db.refusal.foreign_key": "một dòng trỏ tới bản ghi không có trong dữ liệu",
    "db.refusal.check": "một giá trị nằm ngoài khoảng cho phép",
    "db.refusal.unique": "bản ghi này đã có trong dữ liệu",
    "db.refusal.not_null": "thiếu một giá trị bắt buộc",
    "db.refusal.named": "{reason} (ràng buộc {name})",
    "intake.apply.progress.done": "Đã ghi xong",
    "intake.apply.progress.hotspots": "Ghi tụ điểm {row}/{total}",
    "intake.apply.progress.changes": "Ghi thay đổi {row}/{total}",
    "intake.apply.progress.activities": "Ghi {count} hoạt động",
    "intake.apply.row_created": "Dòng {row}: {name}",
    "intake.apply.row_updated": "Dòng {row}: cập nhật {fields}",
    "intake.apply.row_dated": "Dòng {row}: {date}",
    "intake.apply.activities_added": "{count} hoạt động mới",
    # intake.boundary.*: checking and replacing a boundary layer (boundaries.py) and its CLI report
    "intake.boundary.level.ward": "phường/xã",
    "intake.boundary.level.district": "quận/huyện",
    "intake.boundary.types.ward": "Phường …, Xã",
    "intake.boundary.types.district": "Quận …, Huyện …, Thị xã",
    "intake.boundary.not_geo": (
        "Tệp «{name}» không phải tệp bản đồ: lớp ranh giới cần GeoJSON, GeoPackage hoặc Shapefile."
    ),
    "intake.boundary.code_column": "mã (code/ma)",
    "intake.boundary.name_column": "tên (name/ten)",
    "intake.boundary.and": " và ",
    "intake.boundary.missing_columns": "Tệp «{name}» thiếu cột {missing}. Các cột có: {columns}.",
    "intake.boundary.bad_code": "Đối tượng {number}: mã «{code}» không phải mã {digits} chữ số.",
    "intake.boundary.duplicate_code": "Đối tượng {number}: mã {code} trùng với đối tượng {other}.",
    "intake.boundary.feature": "Đối tượng {number}: {message}",
    "intake.boundary.no_name": "Đối tượng {number} (mã {code}): thiếu tên.",
    "intake.boundary.empty_shape": "trống",
    "intake.boundary.not_polygon": "Đối tượng {number} (mã {code}): hình {kind}, cần vùng (polygon).",
    "intake.boundary.repaired": "Đối tượng {number} (mã {code}): {reason}; đã sửa tự động.",
    "intake.boundary.no_type": "Đối tượng {number} (mã {code}): tên «{name}» thiếu loại đơn vị ({types} …).",
    "intake.boundary.overlap_unfixable": "Các vùng chồng lấn nhau không gỡ được: lớp ranh giới không hợp lệ.",
    "intake.boundary.overlap": "Các đơn vị chồng lấn nhau {share} % diện tích (tối đa {limit} %).",
    "intake.boundary.area_differs": (
        "Lớp mới lệch {share} % diện tích so với ranh giới Hà Nội hiện có (tối đa {limit} %): "
        "kiểm tra hệ toạ độ và phạm vi của tệp."
    ),
    "intake.boundary.outside": "{count} tụ điểm đã lưu không nằm trong đơn vị nào của lớp mới: {codes}.",
    "intake.boundary.not_checked": "Lớp ranh giới chưa qua kiểm tra: không thay thế.",
    "intake.boundary.summary": ("Thay lớp {level} từ «{name}»: {units} đơn vị, {moved} tụ điểm đổi địa bàn"),
    "intake.boundary.cli.valid": "hợp lệ",
    "intake.boundary.cli.invalid": "không hợp lệ",
    "intake.boundary.cli.summary": "{name}: {units} đơn vị, {verdict}",
    "intake.boundary.cli.installed": "Đã thay lớp; {moved} tụ điểm đổi địa bàn.",
    # intake.template.*: the Excel templates, rejected rows and exports (workbook.py, schema.py)
    "intake.template.rule.rows": (
        "Mỗi dòng của trang dữ liệu là một bản ghi; dòng 1 là tiêu đề, không đổi tên cột."
    ),
    "intake.template.rule.required": (
        "Cột tô cam là bắt buộc. Cột có danh sách thả xuống: chọn trong danh sách."
    ),
    "intake.template.rule.dates": "Ngày ghi theo dạng dd/mm/yyyy (ví dụ 05/03/2020); năm ghi đủ 4 chữ số.",
    "intake.template.rule.privacy": (
        "Không ghi tên người, số giấy tờ hay thông tin của bất kỳ cá nhân nào: "
        "chỉ ghi địa điểm, cơ quan và số lượng."
    ),
    "intake.template.rule.coordinates": (
        "Toạ độ: Vĩ độ/Kinh độ theo WGS84 (GPS), hoặc X/Y theo VN-2000 (X là hướng bắc, Y là hướng đông; "
        "mặc định hệ TM-3 kinh tuyến trục 105°00' của Hà Nội, chọn UTM 48N khi nhập nếu cần)."
    ),
    "intake.template.rule.names": "Tên phường/xã, quận/huyện trước 01/07/2025 vẫn được nhận và tự quy đổi.",
    "intake.template.rule.csv": (
        "Tệp CSV cũng nhận cùng các cột này (UTF-8; chữ mã TCVN3/VNI được tự nhận ra)."
    ),
    "intake.template.rule.reimport": "Nhập lại cùng một tệp không tạo bản ghi trùng.",
    "intake.template.error_header": "Lỗi cần sửa",
    "intake.template.lists_sheet": "Danh mục",
    "intake.template.instructions_sheet": "Hướng dẫn",
    "intake.template.title": "Mẫu nhập {kind} — Bản đồ tụ điểm phức tạp về mại dâm, Hà Nội",
    "intake.template.col.column": "Cột",
    "intake.template.col.required": "Bắt buộc",
    "intake.template.col.how": "Cách ghi",
    "intake.template.col.example": "Ví dụ",
    "intake.template.yes": "Có",
    "intake.template.pick": "Chọn {column} trong danh sách.",
    "intake.template.date_rule": "Ghi ngày dạng dd/mm/yyyy, từ 01/01/2000.",
    "intake.template.count_rule": "Ghi số nguyên ≥ 0.",
    "intake.template.invalid_title": "Giá trị không hợp lệ",
    # intake.kind.*, intake.col.*: kinds of import and their columns (schema.py)
    "intake.kind.hotspots": "Tụ điểm",
    "intake.kind.status": "Thay đổi trạng thái",
    "intake.kind.activities": "Hoạt động",
    "intake.col.code.header": "Mã tụ điểm",
    "intake.col.code.help": "Mã riêng của tụ điểm, tối đa 32 ký tự (chữ, số, - _ .).",
    "intake.col.hotspots.lat.header": "Vĩ độ (WGS84)",
    "intake.col.hotspots.lat.help": "Vĩ độ theo WGS84 (GPS, bản đồ điện thoại), ví dụ 21,0285.",
    "intake.col.hotspots.lon.header": "Kinh độ (WGS84)",
    "intake.col.hotspots.lon.help": "Kinh độ theo WGS84, ví dụ 105,8542.",
    "intake.col.hotspots.x.header": "X (VN-2000)",
    "intake.col.hotspots.x.help": "Toạ độ X (hướng bắc, mét) theo VN-2000. Dùng khi không có vĩ độ/kinh độ.",
    "intake.col.hotspots.y.header": "Y (VN-2000)",
    "intake.col.hotspots.y.help": "Toạ độ Y (hướng đông, mét) theo VN-2000.",
    "intake.col.hotspots.name.header": "Tên tụ điểm",
    "intake.col.hotspots.name.help": "Tên gọi của địa điểm (không ghi tên người), tối đa 120 ký tự.",
    "intake.col.hotspots.kind.header": "Loại tụ điểm",
    "intake.col.hotspots.kind.help": "Chọn trong danh sách.",
    "intake.col.hotspots.status.header": "Trạng thái",
    "intake.col.hotspots.status.help": "Trạng thái hiện tại, chọn trong danh sách.",
    "intake.col.hotspots.date.header": "Ngày xác định trạng thái",
    "intake.col.hotspots.date.help": "Ngày trạng thái trên được xác định, dd/mm/yyyy.",
    "intake.col.hotspots.ward.header": "Phường/xã",
    "intake.col.hotspots.ward.help": "Không bắt buộc: dùng để đối chiếu với toạ độ. Nhận cả tên trước 2025.",
    "intake.col.hotspots.responsible_unit.header": "Đơn vị phụ trách",
    "intake.col.hotspots.responsible_unit.help": "Cơ quan, đơn vị chịu trách nhiệm (không ghi tên người).",
    "intake.col.hotspots.notes.header": "Ghi chú",
    "intake.col.hotspots.notes.help": "Không ghi thông tin về cá nhân.",
    "intake.col.status.date.header": "Ngày",
    "intake.col.status.date.help": "Ngày thay đổi, dd/mm/yyyy.",
    "intake.col.status.status.header": "Trạng thái mới",
    "intake.col.status.status.help": "Chọn trong danh sách; phải là bước hợp lệ từ trạng thái trước.",
    "intake.col.status.reason.header": "Lý do",
    "intake.col.status.reason.help": "Căn cứ của thay đổi (biên bản, đánh giá...).",
    "intake.col.status.recorded_by.header": "Đơn vị ghi nhận",
    "intake.col.status.recorded_by.help": "Cơ quan ghi nhận thay đổi (không ghi tên người).",
    "intake.col.activities.date.header": "Ngày",
    "intake.col.activities.date.help": "Ngày thực hiện, dd/mm/yyyy.",
    "intake.col.activities.kind.header": "Loại hoạt động",
    "intake.col.activities.kind.help": "Chọn trong danh sách.",
    "intake.col.activities.code.header": "Mã tụ điểm",
    "intake.col.activities.code.help": (
        "Mã tụ điểm nếu hoạt động tại một tụ điểm; để trống nếu trên cả địa bàn."
    ),
    "intake.col.activities.area.header": "Địa bàn",
    "intake.col.activities.area.help": (
        "Phường/xã (từ 01/07/2025) hoặc quận/huyện (trước đó) khi không có mã tụ điểm. "
        "Nhận cả tên cũ, ví dụ «Phường Hàng Bạc, Quận Hoàn Kiếm»."
    ),
    "intake.col.activities.unit.header": "Đơn vị thực hiện",
    "intake.col.activities.unit.help": "Cơ quan thực hiện (không ghi tên người).",
    "intake.col.activities.unit_code.header": "Mã đơn vị thực hiện",
    "intake.col.activities.unit_code.help": (
        "Không bắt buộc: mã quận/huyện cũ (3 số) trước 01/07/2025, mã phường/xã (5 số) từ đó; "
        "để trống là đơn vị tại nơi thực hiện. Cho biết bên nào của ranh giới đã làm."
    ),
    "intake.col.activities.count.help": "Số nguyên ≥ 0; để trống là 0.",
    # coords.*: coordinate systems and coordinate messages (coords.py)
    "coords.crs.wgs84": "WGS84 (vĩ độ, kinh độ)",
    "coords.crs.vn2000_hanoi": "VN-2000 TM-3 kinh tuyến trục 105°00' (Hà Nội)",
    "coords.crs.vn2000_utm48": "VN-2000 UTM múi 48N (EPSG:3405)",
    "coords.unsupported": (
        "Hệ toạ độ «{value}» không được hỗ trợ. Chọn một trong: "
        "wgs84 (hoặc 4326, EPSG:4326); vn2000_hanoi (hoặc vn2000, hanoi, 105); "
        "vn2000_utm48 (hoặc 3405, EPSG:3405)."
    ),
    "coords.missing_value": "Thiếu giá trị ở cột {column}.",
    "coords.not_number": "Giá trị «{value}» ở cột {column} không phải là số.",
    "coords.note.swapped_degrees": "Vĩ độ và kinh độ bị đảo chỗ; đã đổi lại.",
    "coords.note.swapped_metres": "X và Y bị đảo (X là hướng bắc, Y là hướng đông); đã đổi lại.",
    "coords.problem.missing": "Thiếu toạ độ.",
    "coords.problem.metres": "Toạ độ «{pair}» là mét (VN-2000?), không phải độ: chọn hệ toạ độ VN-2000.",
    "coords.problem.degrees": "Toạ độ «{pair}» là độ, không phải mét: chọn hệ WGS84.",
    "coords.problem.range_degrees": "Vĩ độ/kinh độ ngoài phạm vi: «{pair}».",
    "coords.problem.range_metres": (
        "Toạ độ VN-2000 ngoài phạm vi: «{pair}» (X là hướng bắc, từ 0 đến 10 000 000 m; "
        "Y là hướng đông, từ 0 đến 1 000 000 m)."
    ),
    "coords.out_of_range": "Vĩ độ/kinh độ ngoài phạm vi: «{lat}, {lon}».",
    "coords.unknown_crs": "Không nhận ra hệ toạ độ «{text}».",
    "coords.geometry_not_degrees": (
        "Toạ độ ngoài phạm vi kinh độ/vĩ độ: có thể là mét (VN-2000?), chọn hệ toạ độ VN-2000."
    ),
    "coords.geometry_out_of_range": (
        "Có điểm nằm ngoài phạm vi của hệ toạ độ nguồn; không chuyển được sang WGS84."
    ),
    # textfix.*: legacy Vietnamese encodings (textfix.py)
    "textfix.note.tcvn3": "Văn bản mã TCVN3 (ABC) đã được chuyển sang Unicode.",
    "textfix.note.vni": "Văn bản mã VNI đã được chuyển sang Unicode.",
    "textfix.unconvertible": (
        "Văn bản có ký tự lạ, có thể do bảng mã cũ (TCVN3/VNI) không chuyển được: «{text}». "
        "Hãy lưu lại bằng Unicode."
    ),
    "textfix.not_in_tcvn3": "Ký tự «{char}» không có trong bảng mã TCVN3.",
    "textfix.not_in_vni": "Ký tự «{char}» không có trong bảng mã VNI.",
    # ------------------------------------------------------------------
    "err.not_sample": "Kho không chứa dữ liệu mẫu: không có gì để xóa.",
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
    "cli.db.version": "Kho «{url}»: phiên bản cấu trúc {found}; ứng dụng này dùng phiên bản {supported}.",
    "cli.db.current": "Kho «{url}» đã ở phiên bản cấu trúc mới nhất ({version}): không có gì phải nâng cấp.",
    "cli.db.upgraded": "Đã nâng cấp kho «{url}» từ phiên bản cấu trúc {found} lên {version}.",
    "err.stale_edit_toast": "Chưa lưu: tụ điểm đã được cập nhật ở nơi khác. Xem thông báo ở đầu trang.",
    "err.stale_edit": (
        "Tụ điểm {code} đã được cập nhật ở nơi khác sau khi trang này mở, nên thay đổi vừa nhập "
        "chưa được lưu (để không ghi đè). Hiện nay: trạng thái «{status}», vị trí {lat}, {lon}. "
        "Trang đã tải lại số liệu mới nhất: xem lại rồi lưu lại nếu vẫn cần."
    ),
    "err.schema_newer": (
        "Kho dữ liệu có phiên bản cấu trúc {found}, mới hơn phiên bản ứng dụng hỗ trợ ({supported}). "
        "Hãy cập nhật ứng dụng."
    ),
    "upload.button": "Chọn tệp",
    "status.stop": "Dừng",
    "a11y.skip": "Bỏ qua, đến nội dung chính",
    "connection.status": "Đang kết nối máy chủ",
    "connection.title": "Mất kết nối với máy chủ",
    "connection.body": (
        "Máy chủ của ứng dụng không trả lời. Trang tự kết nối lại khi máy chủ hoạt động trở lại; "
        "nếu kéo dài, hãy báo bộ phận quản trị hệ thống."
    ),
    "input.enter_apply": "Nhấn Enter để áp dụng",
    "input.ctrl_enter_apply": "Nhấn Ctrl+Enter để áp dụng",
    "input.enter_submit": "Nhấn Enter để gửi",
    "input.ctrl_enter_submit": "Nhấn Ctrl+Enter để gửi",
    "upload.limit": "Hoặc kéo thả tệp vào đây · tối đa {mb} MB mỗi tệp",
    "err.today_setting": (
        "Cấu hình HOTSPOT_TODAY «{value}» không hợp lệ: ghi ngày dạng dd/mm/yyyy, ví dụ 20/11/2026."
    ),
    "err.tiles": (
        "Cấu hình nền bản đồ «{value}» không hợp lệ: dùng none, osm hoặc một địa chỉ có {{z}}, {{x}}, {{y}}."
    ),
}


def _merge(base: dict[str, str], *parts: dict[str, str]) -> dict[str, str]:
    """``base`` with every part's keys added; a key defined twice is a bug."""
    merged = dict(base)
    for part in parts:
        twice = merged.keys() & part.keys()
        if twice:
            raise KeyError(f"catalogue keys defined twice: {sorted(twice)}")
        merged.update(part)
    return merged


from dashboard.texts import (  # noqa: E402  (plain dicts)
    accounts,
    audit_ui,
    auth,
    backup,
    deck,
    documents,
    enforce,
    intake_safety,
    mapaids,
    notes,
    plans,
    public,
    register,
    render,
    reports,
    timeline,
    views,
)

VI = _merge(
    VI,
    accounts.VI,
    audit_ui.VI,
    auth.VI,
    backup.VI,
    deck.VI,
    documents.VI,
    enforce.VI,
    intake_safety.VI,
    mapaids.VI,
    notes.VI,
    plans.VI,
    public.VI,
    register.VI,
    render.VI,
    reports.VI,
    timeline.VI,
    views.VI,
)

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


def fmt_of_target(done: int, target: int) -> str:
    """A plan target's progress as every page, document and slide writes it: ``918/1.595``."""
    return t("kpi.of_target", done=fmt_number(done), target=fmt_number(target))


#: Plotly ``layout.separators``: decimal mark, then thousands separator.
PLOTLY_SEPARATORS = ",."
