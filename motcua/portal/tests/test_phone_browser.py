"""The portal on a 360 px phone in headless Chromium: nothing scrolls sideways, codes never break (issue 12 item 4).

A citizen with a dossier and a document store is signed in by session cookie; every main portal page is opened at
360 px and measured: the page is no wider than the screen, every `.code` is one line box, the header's links are
separate touch targets, long component names stay inside their boxes, and the file inputs speak Vietnamese.
Runs on real time: the live server and Chromium do not share a frozen clock.
"""
import pytest
from django.test import Client
from django.utils import timezone

from motcua.accounts.models import CitizenProfile, User
from motcua.accounts.roles import Role
from motcua.dossiers import services as desk
from motcua.dossiers.tests.conftest import DESK
from motcua.filings import services

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CODE = "1.009994.000.00.00.H47"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\n%%EOF\n"
LONG_COMPONENT = ("Bản vẽ thiết kế xây dựng theo Thông_tư_số_15/2016/TT-BXD_hướng_dẫn_cấp_giấy_phép_xây_dựng "
                  "(mặt bằng, mặt cắt, mặt đứng công trình, sơ đồ vị trí, hệ thống thoát nước)")


@pytest.fixture
def citizen_with_a_dossier(make_procedure, procedure_data, org, make_user):
    data = {**procedure_data, "components": [
        {"name": "Đơn đề nghị cấp giấy phép xây dựng", "required": True, "originals": 1},
        {"name": LONG_COMPONENT, "required": True, "originals": 2},
    ]}
    version = make_procedure(data)
    user = User.objects.create_user(username="0905123456", password="s3cret-pass!", full_name="Nguyễn Văn An")
    CitizenProfile.objects.create(user=user, name="Nguyễn Văn An", phone="+84905123456", email="an@example.vn",
                                  id_number="049090001234", address="12 Phan Bội Châu, Tam Kỳ",
                                  email_verified_at=timezone.now())
    draft = services.draft_create(owner=user, procedure_version=version)
    for component in version.components.all():
        services.draft_upload(draft=draft, owner=user, component_id=component.pk, name="don.pdf",
                              content=PDF + component.name.encode())
    dossier = services.filing_submit(draft=draft, owner=user)
    desk.dossier_accept(dossier=dossier, actor=make_user(Role.DESK_OFFICER, org[DESK], username="tiepnhan"))
    return user, dossier.code


@pytest.fixture
def phone(browser_page, citizen_with_a_dossier):
    user, code = citizen_with_a_dossier
    client = Client()
    client.force_login(user)
    page = browser_page
    page.set_viewport_size({"width": 360, "height": 780})
    page.context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value,
                               "url": page.base_url}])
    return page, code


MEASURE = """() => {
  const doc = document.documentElement;
  const codes = [...document.querySelectorAll('.code')].map(el => ({text: el.textContent.trim(),
      lines: el.getClientRects().length, right: el.getBoundingClientRect().right}));
  const boxes = [...document.querySelectorAll('legend, .card, td, dd')].filter(el => {
      const r = el.getBoundingClientRect(); return r.width > 0 && r.right > doc.clientWidth + 1; })
      .map(el => el.tagName + ': ' + el.textContent.trim().slice(0, 40));
  return {scroll: doc.scrollWidth, client: doc.clientWidth, codes, boxes};
}"""

NAV = """() => [...document.querySelectorAll('header.site nav > a, header.site nav > form')].map(el => {
  const r = el.getBoundingClientRect();
  return {text: el.textContent.trim(), lines: el.getClientRects().length, top: r.top, left: r.left,
          right: r.right, bottom: r.bottom, height: r.height};
})"""


def _pages(code: str) -> dict:
    return {
        "home": "/", "catalogue": "/thu-tuc/", "procedure": f"/thu-tuc/{CODE}/", "filing form": f"/nop-ho-so/{CODE}/",
        "my dossiers": "/ho-so-cua-toi/", "dossier": f"/ho-so-cua-toi/{code}/",
        "document store": "/ho-so-cua-toi/giay-to/", "tracking": f"/tra-cuu/?code={code}&so=1234",
        "account": "/tai-khoan/",
    }


def test_every_main_portal_page_fits_a_360px_phone_and_keeps_codes_whole(phone):
    page, code = phone
    problems = []
    codes_seen = 0
    for name, url in _pages(code).items():
        response = page.goto(page.base_url + url)
        assert response.status == 200, (name, response.status)
        seen = page.evaluate(MEASURE)
        if seen["scroll"] > seen["client"]:
            problems.append(f"{name}: {seen['scroll']} px wide on a {seen['client']} px screen")
        problems += [f"{name}: box overflows: {box}" for box in seen["boxes"]]
        for item in seen["codes"]:
            codes_seen += 1
            if item["lines"] != 1:
                problems.append(f"{name}: code {item['text']} broken over {item['lines']} lines")
            if item["right"] > seen["client"] + 1:
                problems.append(f"{name}: code {item['text']} runs off the screen")
    assert not problems, "\n".join(problems)
    assert codes_seen >= 4  # the dossier page, its list, the document store and the tracking page show the code


def test_the_header_links_are_separate_touch_targets_on_a_phone(phone):
    page, _ = phone
    page.goto(page.base_url + "/")
    items = page.evaluate(NAV)
    assert len(items) >= 6
    for item in items:
        assert item["height"] >= 40, item  # a finger-sized target, not a run of wrapped words
    for i, a in enumerate(items):
        for b in items[i + 1:]:
            apart = a["right"] <= b["left"] or b["right"] <= a["left"] or a["bottom"] <= b["top"] \
                or b["bottom"] <= a["top"]
            assert apart, (a["text"], b["text"])


def test_the_sent_files_say_which_component_each_is(phone):
    page, code = phone
    page.goto(f"{page.base_url}/ho-so-cua-toi/{code}/")
    lines = page.locator("#own-files li").all_inner_texts()
    assert len(lines) == 2 and all("don.pdf" in line for line in lines)
    assert any(line.startswith("Đơn đề nghị cấp giấy phép xây dựng") for line in lines)
    assert any(line.startswith(LONG_COMPONENT[:30]) for line in lines)


def test_the_document_store_is_one_card_per_document_on_a_phone(phone):
    page, _ = phone
    page.goto(page.base_url + "/ho-so-cua-toi/giay-to/")
    rows = page.locator("#document-list tbody tr")
    assert rows.count() == 2
    first = rows.first.bounding_box()
    assert first["width"] <= 360 and first["height"] > 60  # a stacked card, not a squeezed row
    label = rows.first.locator("td[data-label]").first.evaluate("td => getComputedStyle(td, '::before').content")
    assert label == '"Loại: "'  # each cell says which column it is


def test_file_inputs_offer_chon_tep_and_show_the_chosen_names(phone, tmp_path):
    page, _ = phone
    page.goto(f"{page.base_url}/nop-ho-so/{CODE}/")
    buttons = page.locator("label.file-button")
    assert buttons.count() == 2 and buttons.first.inner_text() == "Chọn tệp"
    assert buttons.first.is_visible()
    upload = tmp_path / "so-do-vi-tri.pdf"
    upload.write_bytes(PDF)
    page.locator("input[type=file]").first.set_input_files(str(upload))
    assert page.locator(".file-names").first.inner_text() == "so-do-vi-tri.pdf"
    assert page.locator(".file-names").nth(1).inner_text() == "Chưa chọn tệp nào"
