"""Public pages: home, the catalogue list with search and filters, a procedure's page."""
import pytest


@pytest.fixture
def published(make_procedure, procedure_data):
    return make_procedure(procedure_data)


def test_home_offers_search_and_fields(client, published):
    response = client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'name="q"' in html
    assert "Xây dựng" in html
    assert '<html lang="vi">' in html


def test_list_finds_without_diacritics(client, published):
    html = client.get("/thu-tuc/", {"q": "giay phep xay dung"}).content.decode()
    assert "Cấp giấy phép xây dựng nhà ở riêng lẻ" in html
    assert "Tìm thấy 1 thủ tục." in html


def test_list_says_when_nothing_is_found(client, published):
    html = client.get("/thu-tuc/", {"q": "khong co thu tuc nay"}).content.decode()
    assert "Không tìm thấy thủ tục phù hợp" in html


def test_detail_tells_a_citizen_what_to_bring_how_long_and_how_much(client, published):
    response = client.get("/thu-tuc/1.009994.000.00.00.H47/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "12 ngày làm việc" in html
    assert "75.000 đ" in html
    assert "Đơn đề nghị cấp giấy phép xây dựng" in html
    assert "Sở Xây dựng" in html
    assert "Một phần" in html


def test_unknown_or_draft_procedure_is_404(client, make_procedure, procedure_data, org):
    assert client.get("/thu-tuc/0.000.H47/").status_code == 404
    make_procedure({**procedure_data, "code": "9.999"}, publish=False)
    assert client.get("/thu-tuc/9.999/").status_code == 404


def test_english_is_available(client, published):
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    html = client.get("/thu-tuc/1.009994.000.00.00.H47/").content.decode()
    assert '<html lang="en">' in html
    assert "Processing time" in html
    assert "12 working days" in html


@pytest.mark.parametrize("url", ["/", "/workspace/dang-nhap/"])
def test_every_page_names_a_favicon_that_is_served(client, db, url):
    from django.contrib.staticfiles import finders

    page = client.get(url).content.decode()
    assert 'rel="icon"' in page and "motcua/favicon.svg" in page
    assert finders.find("motcua/favicon.svg")


def test_favicon_ico_answers_with_the_icon_not_a_404(client, db):
    response = client.get("/favicon.ico")
    assert response.status_code == 301 and response["Location"].endswith("motcua/favicon.svg")
    icon = client.get(response["Location"])
    assert icon.status_code == 200 and b"<svg" in b"".join(icon.streaming_content if icon.streaming else [icon.content])


def test_file_inputs_are_labelled_in_the_pages_language_by_a_static_script(client, db):
    from django.contrib.staticfiles import finders

    page = client.get("/").content.decode()
    assert 'src="/static/motcua/files.js"' in page and 'data-choose="Chọn tệp"' in page
    assert 'data-none="Chưa chọn tệp nào"' in page
    assert finders.find("motcua/files.js")
    english = client.get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'data-choose="Choose files"' in english
