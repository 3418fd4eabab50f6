"""Catalogue texts: signing in and out, and the accounts page."""

VI: dict[str, str] = {
    "auth.heading": "Đăng nhập",
    "auth.username": "Tên đăng nhập",
    "auth.password": "Mật khẩu",
    "auth.submit": "Đăng nhập",
    "auth.sign_out": "Đăng xuất",
    "auth.note": (
        "Dữ liệu chỉ dành cho cán bộ được cấp tài khoản. Phiên làm việc tự đóng sau {minutes} phút "
        "không thao tác; đóng thẻ trình duyệt hoặc tải lại trang thì cần đăng nhập lại."
    ),
    "auth.idle": "Phiên làm việc đã đóng sau {minutes} phút không thao tác. Hãy đăng nhập lại.",
    "auth.no_accounts": (
        "Kho dữ liệu chưa có tài khoản nào, nên ứng dụng chưa hiển thị dữ liệu. Quản trị viên máy chủ "
        "tạo tài khoản quản trị đầu tiên bằng lệnh dưới đây (mật khẩu nhập hai lần, ít nhất 12 ký tự), "
        "rồi tải lại trang này."
    ),
    "auth.first_admin_command": (
        'python3 -m dashboard user add admin --office "Sở LĐTBXH Hà Nội" --role admin'
    ),
    "auth.oidc_sign_in": "Đăng nhập bằng tài khoản một lần (SSO)",
    "auth.oidc_no_account": (
        "Danh tính «{identity}» chưa được cấp tài khoản trong ứng dụng, hoặc tài khoản đã bị khóa. "
        "Liên hệ quản trị viên."
    ),
    "auth.oidc_audit": "Đăng nhập qua SSO: {username}",
    "auth.err.mode": "HOTSPOT_AUTH=«{value}» không hợp lệ: dùng một trong {allowed}.",
    "auth.err.secrets": (
        "Ứng dụng không khởi động: đăng nhập một lần (HOTSPOT_AUTH=oidc) cần các khóa {keys} trong "
        "mục [auth] của .streamlit/secrets.toml (xem .streamlit/secrets.example.toml)."
    ),
    "auth.err.not_signed_in": "Chưa đăng nhập: không có dữ liệu nào được hiển thị.",
    "auth.err.page": "Tài khoản vai trò «{role}» không được mở trang này.",
    "page.accounts": "Tài khoản",
    # audit log: what accounts did
    "audit.action.user_add": "Thêm tài khoản",
    "audit.action.user_disable": "Khóa tài khoản",
    "audit.action.user_enable": "Mở khóa tài khoản",
    "audit.action.user_password": "Đặt lại mật khẩu",
    "audit.action.user_role": "Đổi vai trò, địa bàn",
    "audit.action.sign_in": "Đăng nhập",
    "audit.action.sign_in_failed": "Đăng nhập không thành công",
    "audit.action.lock_out": "Tạm khóa sau nhiều lần sai mật khẩu",
    "audit.action.sign_out": "Đăng xuất",
    "audit.action.export": "Xuất tệp, báo cáo",
    "accounts.heading": "Tài khoản và phân quyền",
    "accounts.intro": (
        "Mỗi tài khoản thuộc một cơ quan, đơn vị; tên đăng nhập là mã định danh (ví dụ ld-hoankiem-01), "
        "không phải họ tên người. Cán bộ địa bàn chỉ xem và ghi dữ liệu của quận, huyện cũ và phường, "
        "xã được giao."
    ),
    "accounts.col.username": "Tên đăng nhập",
    "accounts.col.office": "Cơ quan, đơn vị",
    "accounts.col.role": "Vai trò",
    "accounts.col.units": "Địa bàn",
    "accounts.col.state": "Trạng thái",
    "accounts.state.active": "Đang dùng",
    "accounts.state.disabled": "Đã khóa",
    "accounts.state.locked": "Tạm khóa đến {time}",
    "accounts.add": "Thêm tài khoản",
    "accounts.office": "Cơ quan, đơn vị",
    "accounts.role": "Vai trò",
    "accounts.districts": "Quận, huyện cũ (cán bộ địa bàn)",
    "accounts.wards": "Phường, xã (cán bộ địa bàn)",
    "accounts.password": "Mật khẩu (ít nhất 12 ký tự)",
    "accounts.password_again": "Nhập lại mật khẩu",
    "accounts.err.mismatch": "Hai lần nhập mật khẩu không khớp.",
    "accounts.save": "Ghi",
    "accounts.manage": "Sửa tài khoản",
    "accounts.choose": "Tài khoản",
    "accounts.set_role": "Đổi vai trò, địa bàn",
    "accounts.reset": "Đặt lại mật khẩu",
    "accounts.disable": "Khóa tài khoản",
    "accounts.enable": "Mở khóa tài khoản",
    "accounts.done": "Đã ghi: {what} «{username}».",
}
