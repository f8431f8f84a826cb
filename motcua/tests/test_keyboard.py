"""No page takes the focus on arrival (issue 12 item 17): keyboard users meet the skip link and the menu first."""
import pytest

from motcua.accounts.roles import Role

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("path", ["/", "/tai-khoan/dang-nhap/", "/workspace/dang-nhap/"])
def test_home_and_the_sign_in_pages_autofocus_nothing(client, path):
    html = client.get(path).content.decode()
    assert 'class="skip"' in html
    assert "autofocus" not in html


def test_intake_step_one_autofocuses_nothing(client, org, make_user):
    client.force_login(make_user(Role.DESK_OFFICER, org["000.00.40.H47"]))
    html = client.get("/workspace/ho-so/tiep-nhan/").content.decode()
    assert 'id="pq"' in html and "autofocus" not in html


def test_the_phone_code_form_autofocuses_nothing():
    from motcua.portal.account_forms import PhoneCodeForm

    assert "autofocus" not in str(PhoneCodeForm()["code"])
