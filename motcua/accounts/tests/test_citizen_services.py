"""Citizen accounts: registration by e-mail and phone, verification, password rules and reset, profile, roles."""
import re
from datetime import timedelta

import pytest
import time_machine
from django.contrib.auth import authenticate
from django.utils import timezone

from motcua.accounts import services
from motcua.accounts.models import CitizenProfile, User
from motcua.accounts.queries import citizen_profile, is_citizen, user_is_verified_citizen
from motcua.accounts.roles import Role
from motcua.accounts.tests.conftest import PASSWORD
from motcua.audit.models import AuditEntry
from motcua.errors import Conflict, InvalidInput, PermissionDenied


def _link_token(body: str) -> str:
    return re.search(r"/tai-khoan/xac-thuc/([^/\s]+)/", body).group(1)


def _sms_code(body: str) -> str:
    return re.search(r"\b(\d{6})\b", body).group(1)


def test_registering_by_email_makes_an_unverified_citizen_and_queues_a_signed_link(register, outbox):
    user = register("An.Nguyen@Example.VN")
    assert user.username == "an.nguyen@example.vn"
    assert authenticate(username="an.nguyen@example.vn", password=PASSWORD) == user
    profile = citizen_profile(user)
    assert profile.email == "an.nguyen@example.vn" and profile.name == "Nguyễn Văn An"
    assert is_citizen(user) and not user_is_verified_citizen(user)
    assert not user.is_staff and not user.grants.exists()
    [message] = outbox("citizen.verify_email")
    assert message.recipient == "an.nguyen@example.vn" and "/tai-khoan/xac-thuc/" in message.body
    assert AuditEntry.objects.filter(action="citizen.register", object_id=str(user.pk)).exists()


def test_registering_by_phone_sends_a_six_digit_sms_code_and_keeps_only_its_hash(register, outbox):
    user = register("0905 123 456")
    assert user.username == "+84905123456"
    [message] = outbox("citizen.verify_phone")
    code = _sms_code(message.body)
    profile = CitizenProfile.objects.get(user=user)
    assert message.recipient == "+84905123456" and code not in profile.phone_code_hash
    services.citizen_verify_phone(user=user, code=code)
    assert user_is_verified_citizen(user)
    assert AuditEntry.objects.filter(action="citizen.verify_phone").exists()


def test_the_same_email_or_phone_cannot_register_twice(register):
    register("an@example.vn")
    register("0905123456")
    for again in ("AN@example.vn", "+84 905 123 456"):
        with pytest.raises(InvalidInput, match="đã được dùng để đăng ký"):
            register(again)
    assert User.objects.count() == 2


@pytest.mark.parametrize(("password", "rule"), [
    ("abc12345", "ít nhất 10 ký tự"),
    ("onlyletterspassword", "cả chữ cái và chữ số"),
    ("98765432101234", "cả chữ cái và chữ số"),
    ("password123", "quá phổ biến"),  # Django's common-password list, in Vietnamese
])
def test_weak_passwords_are_refused_with_the_rule_named(register, password, rule):
    with pytest.raises(InvalidInput) as refused:
        register("an@example.vn", password=password)
    assert rule in refused.value.message
    assert not User.objects.exists()


def test_a_password_like_the_email_is_refused(register):
    with pytest.raises(InvalidInput, match="quá giống"):
        register("nguyenvanan2026@example.vn", password="nguyenvanan2026")


def test_identifiers_that_are_neither_email_nor_phone_are_refused(register):
    for bad in ("", "an@", "12345", "not a phone"):
        with pytest.raises(InvalidInput):
            register(bad)


def test_id_numbers_use_the_desk_rules_for_people_and_businesses(register):
    with pytest.raises(InvalidInput, match="12 chữ số"):
        register("an@example.vn", id_number="12345")
    with pytest.raises(InvalidInput, match="Mã số doanh nghiệp"):
        register("cty@example.vn", kind="business", name="Công ty TNHH An Phát", id_number="049090001234")
    business = register("cty@example.vn", kind="business", name="Công ty TNHH An Phát", id_number="4000123456-001")
    assert citizen_profile(business).id_number == "4000123456-001"


def test_the_email_link_verifies_once_and_is_audited(register, outbox):
    user = register("an@example.vn")
    token = _link_token(outbox("citizen.verify_email")[0].body)
    assert services.citizen_verify_email(token=token) == user
    assert user_is_verified_citizen(user)
    services.citizen_verify_email(token=token)  # opening it again changes nothing
    assert AuditEntry.objects.filter(action="citizen.verify_email").count() == 1


def test_a_tampered_email_link_is_refused(register, outbox):
    user = register("an@example.vn")
    token = _link_token(outbox("citizen.verify_email")[0].body)
    forged = token[:-3] + ("abc" if not token.endswith("abc") else "xyz")
    with pytest.raises(InvalidInput, match="không hợp lệ"):
        services.citizen_verify_email(token=forged)
    assert not user_is_verified_citizen(user)


def test_an_expired_email_link_is_refused(register, outbox, settings):
    settings.CITIZEN_VERIFY_EMAIL_MAX_AGE = 3600
    user = register("an@example.vn")
    token = _link_token(outbox("citizen.verify_email")[0].body)
    with time_machine.travel(timezone.now() + timedelta(hours=2)), pytest.raises(InvalidInput, match="hết hạn"):
        services.citizen_verify_email(token=token)
    assert not user_is_verified_citizen(user)


def test_a_link_for_an_email_since_changed_is_refused(register, outbox):
    user = register("0905123456")
    services.citizen_profile_update(user=user, details=services.CitizenDetails(
        kind="citizen", name="Nguyễn Văn An", phone="0905123456", email="old@example.vn"))
    services.citizen_verification_send(user=user, channel="email")
    token = _link_token(outbox("citizen.verify_email")[0].body)
    services.citizen_profile_update(user=user, details=services.CitizenDetails(
        kind="citizen", name="Nguyễn Văn An", phone="0905123456", email="new@example.vn"))
    with pytest.raises(InvalidInput, match="đã thay đổi"):
        services.citizen_verify_email(token=token)


def test_wrong_sms_codes_count_and_run_out(register, outbox, settings):
    settings.CITIZEN_SMS_CODE_TRIES = 2
    user = register("0905123456")
    code = _sms_code(outbox("citizen.verify_phone")[0].body)
    wrong = "000000" if code != "000000" else "111111"
    with pytest.raises(InvalidInput, match="Còn 1 lần"):
        services.citizen_verify_phone(user=user, code=wrong)
    with pytest.raises(InvalidInput, match="Còn 0 lần"):
        services.citizen_verify_phone(user=user, code=wrong)
    with pytest.raises(InvalidInput, match="quá số lần"):
        services.citizen_verify_phone(user=user, code=code)  # even the right code, once the tries are spent
    assert not user_is_verified_citizen(user)
    services.citizen_verification_send(user=user)
    services.citizen_verify_phone(user=user, code=_sms_code(outbox("citizen.verify_phone")[0].body))
    assert user_is_verified_citizen(user)


def test_an_expired_sms_code_is_refused(register, outbox):
    user = register("0905123456")
    code = _sms_code(outbox("citizen.verify_phone")[0].body)
    with time_machine.travel(timezone.now() + timedelta(minutes=11)), pytest.raises(InvalidInput, match="hết hạn"):
        services.citizen_verify_phone(user=user, code=code)


def test_a_verified_account_is_not_sent_verification_again(register):
    user = register("an@example.vn", preverified=True)
    with pytest.raises(Conflict):
        services.citizen_verification_send(user=user)


def test_password_reset_by_email_sends_a_working_one_time_link(register, outbox):
    from django.contrib.auth.tokens import default_token_generator

    user = register("an@example.vn")
    services.citizen_password_reset_request(identifier="AN@example.vn")
    [message] = outbox("citizen.password_reset")
    assert message.channel == "email" and message.recipient == "an@example.vn"
    token = re.search(r"/dat-lai-mat-khau/[^/]+/([^/]+)/", message.body).group(1)
    assert default_token_generator.check_token(user, token)
    services.citizen_password_set(user=user, password="Tamky2026moi")
    user.refresh_from_db()
    assert authenticate(username="an@example.vn", password="Tamky2026moi") == user
    assert not default_token_generator.check_token(user, token)  # used once, then void


def test_password_reset_by_phone_goes_by_sms(register, outbox):
    register("0905123456")
    services.citizen_password_reset_request(identifier="0905.123.456")
    [message] = outbox("citizen.password_reset")
    assert message.channel == "sms" and "/tai-khoan/dat-lai-mat-khau/" in message.body


def test_password_reset_for_unknown_accounts_and_staff_sends_nothing(org, make_user, outbox):
    make_user(Role.DESK_OFFICER, org["000.00.40.H47"], username="desk")
    services.citizen_password_reset_request(identifier="nobody@example.vn")
    services.citizen_password_reset_request(identifier="desk")
    assert outbox("citizen.password_reset") == []


def test_a_new_password_must_follow_the_rules(register):
    user = register("an@example.vn")
    with pytest.raises(InvalidInput, match="chữ số"):
        services.citizen_password_set(user=user, password="khongcosonao")


def test_profile_update_validates_and_a_changed_phone_needs_verifying_again(register):
    user = register("an@example.vn", preverified=True)
    services.citizen_profile_update(user=user, details=services.CitizenDetails(
        kind="citizen", name="  Nguyễn   Văn An ", id_number="049 090 001 234", phone="0905123456",
        email="an@example.vn", address="12 Trần Phú, Tam Kỳ"))
    profile = citizen_profile(user)
    assert profile.name == "Nguyễn Văn An" and profile.id_number == "049090001234"
    assert profile.phone == "+84905123456" and profile.phone_verified_at is None
    assert profile.email_verified_at is not None  # the e-mail did not change
    with pytest.raises(InvalidInput) as refused:
        services.citizen_profile_update(user=user, details=services.CitizenDetails(
            kind="citizen", name="", id_number="123", phone="12", email="x@"))
    fields = {p["field"] for p in refused.value.detail}
    assert fields == {"name", "id_number", "phone", "email"}
    entry = AuditEntry.objects.get(action="citizen.profile_update")
    assert set(entry.detail["fields"]) >= {"id_number", "phone", "address"}


def test_the_email_used_to_sign_in_cannot_be_removed(register):
    user = register("an@example.vn")
    with pytest.raises(InvalidInput, match="dùng để đăng nhập"):
        services.citizen_profile_update(user=user, details=services.CitizenDetails(kind="citizen", name="An"))


def test_staff_have_no_citizen_profile_to_update(org, make_user):
    staff = make_user(Role.DESK_OFFICER, org["000.00.40.H47"])
    assert not is_citizen(staff) and not user_is_verified_citizen(staff)
    with pytest.raises(PermissionDenied):
        services.citizen_profile_update(user=staff, details=services.CitizenDetails(kind="citizen", name="X"))


def test_citizens_never_get_a_staff_role(register, org):
    user = register("an@example.vn")
    with pytest.raises(PermissionDenied, match="công dân"):
        services.role_grant(user=user, role=Role.DESK_OFFICER, agency=org["000.00.40.H47"])
    assert not user.grants.exists()


def test_login_username_reads_emails_phones_and_plain_usernames(db):
    assert services.login_username(" An@Example.VN ") == "an@example.vn"
    assert services.login_username("+84 905.123.456") == "+84905123456"
    assert services.login_username("congdan") == "congdan"


def test_a_contact_verified_later_also_signs_in(register):
    user = register("an@example.vn", preverified=True)
    services.citizen_profile_update(user=user, details=services.CitizenDetails(
        kind="citizen", name="Nguyễn Văn An", email="an@example.vn", phone="0905123456"))
    assert services.login_username("0905123456") == "+84905123456"  # not verified yet: no account found
    CitizenProfile.objects.filter(user=user).update(phone_verified_at=timezone.now())
    assert services.login_username("0905 123 456") == "an@example.vn"
    assert authenticate(username=services.login_username("0905123456"), password=PASSWORD) == user


def test_the_demo_citizen_is_verified_with_a_saved_profile_and_loads_once(org):
    from motcua.demo import CITIZEN_PASSWORD, load_citizens

    load_citizens()
    load_citizens()
    user = User.objects.get(username="congdan")
    profile = citizen_profile(user)
    assert user_is_verified_citizen(user) and profile.id_number == "049090001234" and profile.address
    assert authenticate(username=services.login_username("congdan@example.vn"), password=CITIZEN_PASSWORD) == user
    assert CitizenProfile.objects.count() == 1


# --- found in the review of the change ------------------------------------------------------------------------


def test_a_contact_verified_by_another_account_cannot_be_registered_again(register):
    owner = register("0905123456", username="an-chu", preverified=True)
    with pytest.raises(InvalidInput, match="đã được dùng để đăng ký"):
        register("0905123456", username="ke-khac")
    assert services.login_username("0905123456") == owner.username


def test_a_short_password_gets_one_rule_in_vietnamese():
    from django.core.exceptions import ValidationError

    from motcua.accounts.passwords import citizen_password_check

    with pytest.raises(ValidationError) as refused:
        citizen_password_check("ab1")
    assert refused.value.messages == ["Mật khẩu phải có ít nhất 10 ký tự."]


def _claims(**extra):
    return {"sub": "vneid-001", "name": "Nguyễn Văn An", "email": "an@example.vn", "email_verified": True, **extra}


def test_an_identity_whose_account_was_closed_is_refused_not_given_a_second_account(db):
    user = services.citizen_oidc_login(claims=_claims())
    User.objects.filter(pk=user.pk).update(is_active=False)
    with pytest.raises(PermissionDenied, match="đã bị khóa"):
        services.citizen_oidc_login(claims=_claims())
    assert CitizenProfile.objects.filter(oidc_subject="vneid-001").count() == 1


def test_an_account_linked_to_one_identity_is_not_taken_over_by_another(db):
    first = services.citizen_oidc_login(claims=_claims())
    second = services.citizen_oidc_login(claims=_claims(sub="vneid-002"))
    assert second != first
    assert citizen_profile(first).oidc_subject == "vneid-001"
