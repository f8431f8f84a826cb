"""Search ignores diacritics and case, ranks name matches first, and filters by field, agency and level."""
import pytest

from motcua.catalogue.queries import procedure_search
from motcua.text import fold


def _proc(base, code, name, **extra):
    return {**base, "code": code, "name": name, **extra}


@pytest.fixture
def catalogue(make_procedure, procedure_data):
    base = procedure_data
    commune = {"levels": ["commune"], "agencies": ["@commune"], "field": "HT", "field_name": "Hộ tịch"}
    make_procedure(_proc(base, "1.001", "Cấp giấy phép xây dựng nhà ở riêng lẻ"))
    make_procedure(_proc(base, "1.002", "Điều chỉnh giấy phép xây dựng"))
    make_procedure(_proc(base, "1.003", "Đăng ký khai sinh", result_name="Giấy khai sinh", **commune))
    make_procedure(_proc(base, "1.004", "Đăng ký kết hôn", result_name="Giấy chứng nhận kết hôn", **commune))
    # "xây dựng" appears only in this one's result, so it must rank after the name matches.
    make_procedure(_proc(base, "1.005", "Thẩm định thiết kế cơ sở",
                         result_name="Thông báo kết quả thẩm định thiết kế xây dựng"))


def names(qs):
    return [v.name for v in qs]


def test_fold_strips_diacritics_and_case():
    assert fold("ĐĂNG KÝ KHAI SINH") == "dang ky khai sinh"
    assert fold("Cấp giấy phép xây dựng") == "cap giay phep xay dung"


def test_search_without_diacritics_finds_the_procedure(catalogue):
    assert "Cấp giấy phép xây dựng nhà ở riêng lẻ" in names(procedure_search(q="giay phep xay dung"))


def test_search_in_capitals_finds_the_procedure(catalogue):
    assert names(procedure_search(q="ĐĂNG KÝ KHAI SINH")) == ["Đăng ký khai sinh"]


def test_every_word_must_match(catalogue):
    assert names(procedure_search(q="dang ky ket hon")) == ["Đăng ký kết hôn"]
    assert names(procedure_search(q="khai sinh ket hon")) == []


def test_name_matches_rank_before_other_matches(catalogue):
    found = names(procedure_search(q="xay dung"))
    assert len(found) == 3
    assert found[-1] == "Thẩm định thiết kế cơ sở"
    assert set(found[:2]) == {"Cấp giấy phép xây dựng nhà ở riêng lẻ", "Điều chỉnh giấy phép xây dựng"}


def test_name_starting_with_the_phrase_ranks_first(catalogue):
    assert names(procedure_search(q="dieu chinh giay phep"))[0] == "Điều chỉnh giấy phép xây dựng"


def test_code_is_searchable(catalogue):
    assert names(procedure_search(q="1.003")) == ["Đăng ký khai sinh"]


def test_filters_by_field_level_and_agency(catalogue, org):
    assert set(names(procedure_search(field="HT"))) == {"Đăng ký khai sinh", "Đăng ký kết hôn"}
    assert set(names(procedure_search(level="commune"))) == {"Đăng ký khai sinh", "Đăng ký kết hôn"}
    # Tam Kỳ's subtree holds communes, so commune procedures are found under the city.
    assert set(names(procedure_search(agency="000.00.21.H47"))) == {"Đăng ký khai sinh", "Đăng ký kết hôn"}
    assert len(names(procedure_search(agency="000.00.05.H47"))) == 3
    assert names(procedure_search(agency="NO.SUCH")) == []


def test_unpublished_drafts_are_not_public(make_procedure, procedure_data):
    make_procedure({**procedure_data, "code": "9.999", "name": "Thủ tục nháp"}, publish=False)
    assert names(procedure_search(q="thu tuc nhap")) == []
    assert names(procedure_search(q="thu tuc nhap", include_unpublished=True)) == ["Thủ tục nháp"]
