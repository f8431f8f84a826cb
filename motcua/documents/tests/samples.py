"""Sample contexts for the papers: a complete dossier context (Mẫu 01–05) and a logbook context (Mẫu 06)."""


def dossier_context(**overrides) -> dict:
    """Everything Mẫu 01–05 read, filled in the way the dossier domain will fill it."""
    ctx = {
        "province": "UBND TỈNH QUẢNG NAM",
        "agency_name": "TRUNG TÂM PHỤC VỤ HÀNH CHÍNH CÔNG TỈNH",
        "place": "Quảng Nam",
        "today": "27/11/2026",
        "code": "000.00.40.H47-261127-0001",
        "tracking_url": "http://127.0.0.1:8000/tra-cuu/?code=000.00.40.H47-261127-0001",
        "applicant": {
            "name": "Trần Thị Bích Ngọc",
            "id_number": "049186000123",
            "phone": "0905 123 456",
            "email": "ngoc.tran@example.vn",
            "address": "12 Phan Châu Trinh, phường Tân Thạnh, thành phố Tam Kỳ, tỉnh Quảng Nam",
            "type_label": "Công dân",
        },
        "procedure": {
            "name": "Cấp giấy phép xây dựng nhà ở riêng lẻ",
            "code": "1.009994.000.00.00.H47",
            "legal_limit": "15 ngày làm việc",
        },
        "components": [
            {"name": "Đơn đề nghị cấp giấy phép xây dựng", "originals": 1, "certified_copies": 0, "photocopies": 0},
            {"name": "Giấy chứng nhận quyền sử dụng đất", "originals": 0, "certified_copies": 1, "photocopies": 0},
            {"name": "Bản vẽ thiết kế xây dựng", "originals": 2, "certified_copies": 0, "photocopies": 1},
        ],
        "sets": 1,
        "received_at": "08:15, 27/11/2026",
        "due_at": "16:30, 17/12/2026",
        "result_place": "Tại Bộ phận Một cửa",
        "logbook": {"volume": "2026", "number": "0001"},
        "officer": "Nguyễn Thị Lan",
        "supplement": {
            "items": [
                {"name": "Bản vẽ mặt bằng móng công trình", "reason": "Thiếu chữ ký của đơn vị thiết kế"},
                {"name": "Giấy chứng nhận quyền sử dụng đất", "reason": "Bản sao chưa được chứng thực"},
            ],
            "reason": "Hồ sơ chưa đủ thành phần theo quy định",
            "contact": "Nguyễn Văn An – 0235 3810 123",
            "requested_at": "10:05, 30/11/2026",
        },
        "refusal": {"reason": "Thửa đất nằm trong quy hoạch hành lang an toàn giao thông", "at": "09:00, 27/11/2026"},
        "apology": {
            "reason": "Phải lấy thêm ý kiến của Sở Giao thông vận tải",
            "original_due_at": "16:30, 17/12/2026",
            "new_due_at": "16:30, 24/12/2026",
            "signer": "Lê Văn Hùng",
            "agency": "Sở Xây dựng tỉnh Quảng Nam",
        },
        "control": {
            "lead_agency": "Sở Xây dựng tỉnh Quảng Nam",
            "coordinating": ["Sở Tài nguyên và Môi trường", "UBND thành phố Tam Kỳ"],
            "rows": [
                {"handed_by": "Bộ phận Một cửa", "handed_at": "08:20, 27/11/2026",
                 "received_by": "Phòng Quản lý hoạt động xây dựng", "received_at": "08:45, 27/11/2026",
                 "outcome": "Đúng hạn", "note": ""},
                {"handed_by": "Phòng Quản lý hoạt động xây dựng", "handed_at": "15:10, 20/12/2026",
                 "received_by": "Lãnh đạo Sở", "received_at": "15:30, 20/12/2026",
                 "outcome": "Quá hạn", "note": "Chờ ý kiến Sở Giao thông vận tải"},
            ],
        },
    }
    ctx.update(overrides)
    return ctx


def logbook_context(rows: int = 3, **overrides) -> dict:
    """A logbook (Mẫu 06) of `rows` dossiers."""
    ctx = {
        "province": "UBND TỈNH QUẢNG NAM",
        "agency_name": "TRUNG TÂM PHỤC VỤ HÀNH CHÍNH CÔNG TỈNH",
        "date_from": "01/11/2026",
        "date_to": "27/11/2026",
        "rows": [
            {
                "no": n,
                "code": f"000.00.40.H47-2611{n % 28 + 1:02d}-{n:04d}",
                "procedure": "Cấp giấy phép xây dựng nhà ở riêng lẻ",
                "sets": 1,
                "applicant": "Phạm Minh Đức" if n == 1 else f"Người nộp số {n}",
                "address_phone": "Tam Kỳ, Quảng Nam – 0905 000 111",
                "lead_agency": "Sở Xây dựng",
                "received_at": "08:15, 03/11/2026",
                "due_at": "16:30, 24/11/2026",
                "sent_at": "08:20, 03/11/2026",
                "result_back_at": "10:00, 20/11/2026",
                "returned_at": "14:00, 21/11/2026",
                "note": "Trả qua bưu chính" if n == 1 else "",
            }
            for n in range(1, rows + 1)
        ],
    }
    ctx.update(overrides)
    return ctx
