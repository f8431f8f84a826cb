"""The applicant's details as the desk enters them, and their validation (citizen ID, business code, phone)."""
import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _

from motcua.dossiers.models import ApplicantType
from motcua.errors import InvalidInput

CITIZEN_ID = re.compile(r"^\d{12}$")  # căn cước công dân: 12 digits (Law on Identification 2023)
BUSINESS_CODE = re.compile(r"^\d{10}(-\d{3})?$")  # mã số doanh nghiệp: 10 digits, branches add -NNN
PHONE = re.compile(r"^(0|\+84)\d{9,10}$")


@dataclass
class ApplicantData:
    type: str
    name: str
    id_number: str
    phone: str = ""
    email: str = ""
    address: str = ""

    def cleaned(self) -> "ApplicantData":
        """A normalised copy, or InvalidInput listing every problem."""
        problems = []
        kind = (self.type or "").strip()
        name = " ".join((self.name or "").split())
        id_number = (self.id_number or "").replace(" ", "").replace(".", "").strip()
        phone = (self.phone or "").replace(" ", "").replace(".", "").replace("-", "").strip()
        email = (self.email or "").strip()
        if kind not in ApplicantType.values:
            problems.append({"field": "applicant.type", "message": _("Đối tượng không hợp lệ.")})
        if not name:
            problems.append({"field": "applicant.name", "message": _("Hãy nhập tên người nộp hồ sơ.")})
        if kind == ApplicantType.CITIZEN and not CITIZEN_ID.match(id_number):
            problems.append({"field": "applicant.id_number",
                             "message": _("Số căn cước công dân phải gồm đúng 12 chữ số.")})
        elif kind == ApplicantType.BUSINESS and not BUSINESS_CODE.match(id_number):
            problems.append({"field": "applicant.id_number",
                             "message": _("Mã số doanh nghiệp phải gồm 10 chữ số (chi nhánh: thêm -NNN).")})
        elif not id_number or len(id_number) > 20:
            problems.append({"field": "applicant.id_number",
                             "message": _("Hãy nhập số giấy tờ định danh (tối đa 20 ký tự).")})
        if phone and not PHONE.match(phone):
            problems.append({"field": "applicant.phone", "message": _("Số điện thoại không hợp lệ.")})
        if email:
            try:
                validate_email(email)
            except ValidationError:
                problems.append({"field": "applicant.email", "message": _("Địa chỉ thư điện tử không hợp lệ.")})
        if problems:
            raise InvalidInput("; ".join(p["message"] for p in problems), detail=problems)
        return ApplicantData(type=kind, name=name[:255], id_number=id_number, phone=phone, email=email,
                             address=" ".join((self.address or "").split())[:500])
