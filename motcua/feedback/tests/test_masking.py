"""The masking rule on tricky inputs: Vietnamese names, phone numbers with spaces and +84, ID numbers, e-mails."""
import pytest

from motcua.feedback.masking import EMAIL, ID, NAME, PHONE, mask


@pytest.mark.parametrize(("raw", "expected"), [
    ("Gọi 0905123456", f"Gọi {PHONE}"),
    ("Gọi 0905 123 456 nhé", f"Gọi {PHONE} nhé"),
    ("số +84 905 123 456", f"số {PHONE}"),
    ("số +84905123456.", f"số {PHONE}."),
    ("số 84905123456", f"số {PHONE}"),
    ("số 0905.123.456", f"số {PHONE}"),
    ("số 090-512-3456", f"số {PHONE}"),
    ("CCCD 049090001234", f"CCCD {ID}"),
    ("CCCD 049 090 001 234", f"CCCD {ID}"),
    ("thư an.nguyen+pakn@mail.quangnam.gov.vn", f"thư {EMAIL}"),
    ("cán bộ là anh Trần Minh Hùng ở quầy 2", f"cán bộ là anh {NAME} ở quầy 2"),
    ("Bà Lê Thị Hồng Nhung nói", f"Bà {NAME} nói"),
    ("bà con rất vui", "bà con rất vui"),
    ("gặp ông chủ tịch xã", "gặp ông chủ tịch xã"),
])
def test_personal_data_is_masked(raw, expected):
    assert mask(raw) == expected


@pytest.mark.parametrize("raw", ["Hồ sơ 000.00.40.H47-261207-0001", "ngày 07/12/2026", "phí 75000 đồng",
                                 "mã thủ tục 1.009994.000.00.00.H47"])
def test_codes_dates_and_money_are_kept(raw):
    assert mask(raw) == raw


def test_the_senders_name_is_masked_with_or_without_diacritics_and_in_any_case():
    text = "Tôi, Nguyễn Văn An, nhắn: nguyen van an đã nộp; NGUYỄN VĂN AN chờ"
    assert mask(text, names=["Nguyễn Văn An"]) == f"Tôi, {NAME}, nhắn: {NAME} đã nộp; {NAME} chờ"
