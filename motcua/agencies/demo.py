"""The demo organisation: Quảng Nam's layout as decision 1908/QĐ-UBND describes it (codes are illustrative)."""
from motcua.agencies.models import AgencyKind as K

PROVINCE = ("000.00.00.H47", "UBND tỉnh Quảng Nam", K.PROVINCE)

# (code, name, kind, [children...])
DEPARTMENTS = [
    ("000.00.40.H47", "Trung tâm Phục vụ hành chính công tỉnh Quảng Nam", K.DESK, []),
    ("000.00.01.H47", "Sở Nội vụ", K.DEPARTMENT, [
        ("000.01.01.H47", "Phòng Cải cách hành chính", K.DIVISION),
        ("000.02.01.H47", "Phòng Tổ chức, biên chế", K.DIVISION),
    ]),
    ("000.00.02.H47", "Sở Tư pháp", K.DEPARTMENT, [
        ("000.01.02.H47", "Phòng Hành chính tư pháp", K.DIVISION),
        ("000.02.02.H47", "Phòng Bổ trợ tư pháp", K.DIVISION),
    ]),
    ("000.00.03.H47", "Sở Kế hoạch và Đầu tư", K.DEPARTMENT, [
        ("000.01.03.H47", "Phòng Đăng ký kinh doanh", K.DIVISION),
    ]),
    ("000.00.04.H47", "Sở Tài nguyên và Môi trường", K.DEPARTMENT, [
        ("000.01.04.H47", "Văn phòng Đăng ký đất đai", K.DIVISION),
        ("000.02.04.H47", "Chi cục Bảo vệ môi trường", K.DIVISION),
    ]),
    ("000.00.05.H47", "Sở Xây dựng", K.DEPARTMENT, [
        ("000.01.05.H47", "Phòng Quản lý hoạt động xây dựng", K.DIVISION),
        ("000.02.05.H47", "Phòng Quy hoạch – Kiến trúc", K.DIVISION),
    ]),
    ("000.00.06.H47", "Sở Giao thông vận tải", K.DEPARTMENT, [
        ("000.01.06.H47", "Phòng Quản lý vận tải, phương tiện và người lái", K.DIVISION),
    ]),
    ("000.00.07.H47", "Sở Thông tin và Truyền thông", K.DEPARTMENT, [
        ("000.01.07.H47", "Phòng Báo chí – Xuất bản", K.DIVISION),
    ]),
    ("000.00.08.H47", "Sở Tài chính", K.DEPARTMENT, [
        ("000.01.08.H47", "Phòng Quản lý giá – Công sản", K.DIVISION),
    ]),
    ("000.00.09.H47", "Sở Y tế", K.DEPARTMENT, [
        ("000.01.09.H47", "Phòng Nghiệp vụ Y", K.DIVISION),
        ("000.02.09.H47", "Chi cục An toàn vệ sinh thực phẩm", K.DIVISION),
    ]),
    ("000.00.10.H47", "Sở Lao động – Thương binh và Xã hội", K.DEPARTMENT, [
        ("000.01.10.H47", "Phòng Người có công", K.DIVISION),
    ]),
    ("000.00.11.H47", "Sở Văn hóa, Thể thao và Du lịch", K.DEPARTMENT, [
        ("000.01.11.H47", "Phòng Quản lý văn hóa và Gia đình", K.DIVISION),
    ]),
    ("000.00.12.H47", "Cục Thuế tỉnh Quảng Nam", K.DEPARTMENT, []),
    ("000.00.13.H47", "Công an tỉnh Quảng Nam", K.DEPARTMENT, []),
    ("000.00.14.H47", "Bảo hiểm xã hội tỉnh Quảng Nam", K.DEPARTMENT, []),
]

DISTRICT_DIVISIONS = [
    ("01", "Phòng Tư pháp"),
    ("02", "Phòng Quản lý đô thị"),
    ("03", "Phòng Tài nguyên và Môi trường"),
    ("04", "Phòng Tài chính – Kế hoạch"),
    ("05", "Phòng Văn hóa và Thông tin"),
]

# (number, name, short, communes)
DISTRICTS = [
    ("21", "UBND thành phố Tam Kỳ", "Tam Kỳ", ["Phường An Mỹ", "Phường An Xuân", "Phường Tân Thạnh", "Xã Tam Thăng"]),
    ("22", "UBND thành phố Hội An", "Hội An", ["Phường Minh An", "Phường Cẩm Phô", "Xã Cẩm Hà"]),
    ("23", "UBND thị xã Điện Bàn", "Điện Bàn", ["Phường Vĩnh Điện", "Phường Điện An", "Xã Điện Hồng"]),
]


def commune_code(district: str, index: int) -> str:
    return f"{index:02d}.00.{district}.H47"


def district_desk_code(district: str) -> str:
    return f"000.20.{district}.H47"


def commune_desk_code(district: str, index: int) -> str:
    return f"{index:02d}.20.{district}.H47"
