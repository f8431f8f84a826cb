"""Rating pages: the public link, the owner's page, the kiosk, the supervisors' rates and export, the flags."""
import re
from datetime import timedelta
from io import BytesIO

import pytest
from openpyxl import load_workbook

from motcua.audit.models import AuditEntry
from motcua.dossiers.tests.conftest import local
from motcua.ratings import services as svc
from motcua.ratings.models import Flag, FlagState, Rating
from motcua.ratings.services import Answers

HAPPY = {"convenience": "1", "overall": "2", "attitude": "1", "comment": "Tốt"}
UNHAPPY = {"convenience": "4", "overall": "5", "attitude": "4", "comment": "Phải chờ lâu"}


def test_the_link_page_shows_the_questions_and_no_personal_data(client, returned, token):
    page = client.get(f"/danh-gia/{token}/")
    text = page.content.decode()
    assert page.status_code == 200
    assert returned.code in text and "Rất không hài lòng" in text and "Bình thường" in text
    assert returned.applicant_name not in text and returned.applicant_phone not in text


def test_the_link_page_rates_once_then_says_so(client, returned, token):
    page = client.post(f"/danh-gia/{token}/", HAPPY)
    assert page.status_code == 200 and "Cảm ơn ông/bà đã đánh giá" in page.content.decode()
    assert Rating.objects.get().comment == "Tốt"
    again = client.post(f"/danh-gia/{token}/", HAPPY)
    assert again.status_code == 410 and "đã được đánh giá" in again.content.decode()
    assert Rating.objects.count() == 1


def test_a_missing_answer_keeps_what_was_entered(client, returned, token):
    page = client.post(f"/danh-gia/{token}/", {"convenience": "2", "comment": "Ý kiến dài của tôi"})
    text = page.content.decode()
    assert page.status_code == 400 and "Hãy chọn một mức đánh giá." in text
    assert "Ý kiến dài của tôi" in text
    assert re.search(r'name="convenience" value="2"[^>]*checked', text)
    assert not Rating.objects.exists()


def test_expired_and_unknown_links_are_refused_with_a_message(client, returned, token, clock_at):
    assert client.get("/danh-gia/khong-co/").status_code == 404
    clock_at(local(2026, 12, 9, 10, 0) + timedelta(days=31))
    page = client.get(f"/danh-gia/{token}/")
    assert page.status_code == 410 and "hết hạn" in page.content.decode()


def test_the_owners_page_needs_a_login_and_rates_from_the_account(client, owned, citizen):
    url = f"/danh-gia/ho-so/{owned.code}/"
    assert client.get(url).status_code == 302
    client.force_login(citizen)
    assert owned.code in client.get(url).content.decode()
    page = client.post(url, HAPPY)
    assert page.status_code == 200 and Rating.objects.get().channel == "account"
    assert client.get(url).status_code == 409


def test_a_citizen_opening_someone_elses_dossier_is_refused_and_audited(client, owned, make_user):
    stranger = make_user(None, None, username="nguoila")
    client.force_login(stranger)
    url = f"/danh-gia/ho-so/{owned.code}/"
    page = client.get(url)
    assert page.status_code == 404 and "chính mình" in page.content.decode()
    assert client.post(url, HAPPY).status_code == 404
    assert not Rating.objects.exists()
    assert AuditEntry.objects.filter(action="rating.refused", actor=stranger).count() == 2


def test_the_prompt_include_lists_what_awaits_rating(rf, owned, citizen):
    from django.template.loader import render_to_string

    request = rf.get("/ho-so-cua-toi/")
    request.user = citizen
    html = render_to_string("ratings/_prompt.html", {"request": request})
    assert f"/danh-gia/ho-so/{owned.code}/" in html
    svc.rating_submit_by_citizen(user=citizen, code=owned.code, answers=Answers(1, 1, 1))
    assert render_to_string("ratings/_prompt.html", {"request": request}).strip() == ""


def test_the_kiosk_shows_code_initials_and_officer_only_and_resets(client, returned, staff, clock_at):
    clock_at(local(2026, 12, 9, 10, 5))
    client.force_login(staff["desk"])
    page = client.get("/workspace/danh-gia/kiosk/")
    text = page.content.decode()
    assert page.status_code == 200
    assert returned.code in text and "N. V. A." in text and staff["desk"].display_name in text
    for private in (returned.applicant_name, returned.applicant_phone, returned.applicant_id_number,
                    returned.applicant_email, returned.applicant_address):
        assert private not in text
    assert "/workspace/ho-so/" not in text  # no way from the tablet into the workspace
    done = client.post("/workspace/danh-gia/kiosk/", {**HAPPY, "code": returned.code})
    assert done.status_code == 302
    after = client.get("/workspace/danh-gia/kiosk/").content.decode()
    assert returned.code not in after and "Cảm ơn ông/bà đã đánh giá!" in after
    assert Rating.objects.get().channel == "kiosk"


def test_the_kiosk_is_for_desk_officers(client, staff):
    client.force_login(staff["specialist"])
    assert client.get("/workspace/danh-gia/kiosk/").status_code == 403


@pytest.fixture
def rated(returned, token, staff):
    staff["leader"]  # the Sở Xây dựng leader exists before the flag is raised
    return svc.rating_submit_by_token(token=token, answers=Answers(4, 5, 4), comment="Phải chờ lâu")


def test_supervisors_see_rates_with_counts_and_export_them(client, rated, staff, clock_at):
    client.force_login(staff["supervisor"])
    page = client.get("/workspace/danh-gia/", {"date_from": "01/12/2026", "date_to": "31/12/2026"})
    text = page.content.decode()
    assert page.status_code == 200
    assert rated.agency.name in text and "0/1" in text and staff["specialist"].display_name in text
    assert "Đánh giá hài lòng" in text  # the navigation link
    export = client.get("/workspace/danh-gia/tai-ve.xlsx", {"date_from": "01/12/2026", "date_to": "31/12/2026"})
    assert export.status_code == 200
    book = load_workbook(BytesIO(export.content))
    rows = list(book["Theo cơ quan"].iter_rows(values_only=True))
    assert rows[3][:3] == ("chưa xếp hạng", rated.agency.name, 1)
    assert AuditEntry.objects.filter(action="rating.export", actor=staff["supervisor"]).exists()


def test_rates_need_the_reports_permission(client, staff):
    client.force_login(staff["desk"])
    assert client.get("/workspace/danh-gia/").status_code == 403
    assert client.get("/workspace/danh-gia/can-xu-ly/").status_code == 403
    assert "Đánh giá hài lòng" not in client.get("/workspace/").content.decode()


def test_the_leader_follows_up_a_flag_from_the_list(client, rated, staff):
    client.force_login(staff["leader"])
    page = client.get("/workspace/danh-gia/can-xu-ly/").content.decode()
    assert rated.dossier.code in page and "Phải chờ lâu" in page and "Ghi nhận đã xử lý" in page
    flag = Flag.objects.get()
    empty = client.post(f"/workspace/danh-gia/can-xu-ly/{flag.pk}/", {"note": " "})
    assert empty.status_code == 400
    done = client.post(f"/workspace/danh-gia/can-xu-ly/{flag.pk}/", {"note": "Đã gọi điện xin lỗi."})
    assert done.status_code == 302
    assert Flag.objects.get().state == FlagState.DONE


def test_a_supervisor_sees_flags_but_may_not_close_them(client, rated, staff):
    client.force_login(staff["supervisor"])
    page = client.get("/workspace/danh-gia/can-xu-ly/").content.decode()
    assert rated.dossier.code in page and "Ghi nhận đã xử lý" not in page
    flag = Flag.objects.get()
    refused = client.post(f"/workspace/danh-gia/can-xu-ly/{flag.pk}/", {"note": "Tôi xử lý"})
    assert refused.status_code == 403 and "Chỉ lãnh đạo" in refused.content.decode()
    assert Flag.objects.get().state == FlagState.OPEN


def test_the_rates_page_says_what_each_figure_means(client, rated, staff, clock_at):
    # "Điểm TB" was unexplained, and a reader could not guess that lower is better (issue 12 item 13).
    client.force_login(staff["supervisor"])
    text = client.get("/workspace/danh-gia/", {"date_from": "01/12/2026", "date_to": "31/12/2026"}).content.decode()
    assert "Điểm TB" not in text
    assert 'id="rates-legend"' in text and text.count('aria-describedby="rates-legend"') == 2
    assert "Mức bình quân (1–5)" in text and "1 là Rất hài lòng, 5 là Rất không hài lòng; càng thấp càng tốt" in text
    assert "“–” khi chưa đủ 10 đánh giá để xếp hạng" in text
    client.cookies["django_language"] = "en"
    english = client.get("/workspace/danh-gia/", {"date_from": "01/12/2026", "date_to": "31/12/2026"}).content.decode()
    assert "Average level (1–5)" in english and "lower is better" in english
