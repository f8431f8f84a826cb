"""The portal's feedback pages: filing (`/phan-anh/`), tracking (`/phan-anh/tra-cuu/`), the public Q&A (`/hoi-dap/`)."""
from django import forms
from django.conf import settings
from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from motcua.accounts.queries import citizen_profile
from motcua.agencies.models import Agency
from motcua.catalogue.models import Field, Procedure
from motcua.dossiers import files
from motcua.dossiers.queries import track
from motcua.errors import DomainError
from motcua.feedback import queries, services
from motcua.feedback.models import Kind
from motcua.feedback.workflow import Status
from motcua.filings.queries import my_dossiers
from motcua.portal.ratelimit import within_budget


class FeedbackForm(forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("Loại phản ánh, kiến nghị"), choices=Kind.choices,
                             widget=forms.RadioSelect)
    subject = forms.CharField(label=gettext_lazy("Tiêu đề"), max_length=services.SUBJECT_MAX)
    content = forms.CharField(label=gettext_lazy("Nội dung"), max_length=services.CONTENT_MAX,
                              widget=forms.Textarea(attrs={"rows": 6}))
    procedure = forms.CharField(label=gettext_lazy("Mã thủ tục liên quan (không bắt buộc)"), required=False,
                                max_length=64)
    dossier_code = forms.CharField(label=gettext_lazy("Mã hồ sơ liên quan (không bắt buộc)"), required=False,
                                   max_length=64)
    dossier_digits = forms.CharField(label=gettext_lazy("4 số cuối điện thoại hoặc số định danh của người nộp hồ sơ"),
                                     required=False, max_length=12)
    agency = forms.ModelChoiceField(label=gettext_lazy("Cơ quan liên quan (không bắt buộc)"), required=False,
                                    queryset=Agency.objects.filter(depth__lte=1).order_by("code"))
    name = forms.CharField(label=gettext_lazy("Họ và tên"), required=False, max_length=255)
    phone = forms.CharField(label=gettext_lazy("Số điện thoại"), required=False, max_length=20,
                            widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}))
    email = forms.CharField(label=gettext_lazy("Thư điện tử"), required=False, max_length=254,
                            widget=forms.EmailInput(attrs={"autocomplete": "email"}))
    hide_name = forms.BooleanField(label=gettext_lazy("Không công khai tên của tôi"), required=False)

    def __init__(self, *args, user=None, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.user = user
        if user is not None and user.is_authenticated:
            mine = my_dossiers(user).values_list("code", flat=True)[:50]
            self.fields["my_dossier"] = forms.ChoiceField(
                label=gettext_lazy("Hoặc chọn trong \"Hồ sơ của tôi\""), required=False,
                choices=[("", "—")] + [(c, c) for c in mine])

    def clean(self):
        data = super().clean()
        data["procedure_obj"] = data["dossier_obj"] = None
        code = (data.get("procedure") or "").strip()
        if code:
            data["procedure_obj"] = Procedure.objects.filter(code=code).first()
            if data["procedure_obj"] is None:
                self.add_error("procedure", _("Không có thủ tục với mã này."))
        picked = data.get("my_dossier")
        if picked:
            data["dossier_obj"] = my_dossiers(self.user).filter(code=picked).first()
        elif data.get("dossier_code"):
            dossier = track(code=data["dossier_code"], last_digits=data.get("dossier_digits", ""))
            if dossier is None:
                self.add_error("dossier_code", _("Không tìm thấy hồ sơ với mã và 4 số cuối đã nhập."))
            data["dossier_obj"] = dossier
        return data


def _budget(request, scope: str) -> bool:
    return within_budget(request, scope=scope, attempts=getattr(settings, "FEEDBACK_ATTEMPTS", 5),
                         window_seconds=getattr(settings, "FEEDBACK_WINDOW_SECONDS", 600))


def _uploads(request) -> list[services.Upload]:
    uploads = []
    for f in request.FILES.getlist("files"):
        files.check_size(name=f.name, size=f.size)
        uploads.append(services.Upload(name=f.name, content=f.read()))
    return uploads


@require_http_methods(["GET", "POST"])
def feedback_new(request):
    """`/phan-anh/`: anyone files a complaint, question or suggestion; the answer is a tracking code and a link."""
    user = request.user if request.user.is_authenticated else None
    initial = {"dossier_code": request.GET.get("ho-so", "")}
    profile = citizen_profile(user)
    if profile is not None:  # a signed-in citizen's contact details are filled in, editable (issue 12 item 1)
        initial.update(name=profile.name, phone=profile.phone or user.phone, email=profile.email or user.email)
    form = FeedbackForm(request.POST or None, user=user, initial=initial)
    context = {"form": form, "signed_in": user is not None}
    if request.method == "POST":
        if not _budget(request, "feedback-file"):
            context["error"] = _("Bạn đã gửi quá nhiều phản ánh trong thời gian ngắn. Vui lòng thử lại sau ít phút.")
            return render(request, "feedback/portal_new.html", context, status=429)
        if form.is_valid():
            d = form.cleaned_data
            try:
                item = services.feedback_file(submission=services.Submission(
                    kind=d["kind"], subject=d["subject"], content=d["content"], name=d["name"], phone=d["phone"],
                    email=d["email"], hide_name=d["hide_name"], procedure=d["procedure_obj"],
                    dossier=d["dossier_obj"], agency=d.get("agency"), uploads=_uploads(request)),
                    sender=user, request=request)
            except DomainError as exc:
                context["error"] = exc.message
                return render(request, "feedback/portal_new.html", context, status=exc.status)
            return render(request, "feedback/portal_filed.html",
                          {"item": item, "track_url": services.tracking_path(item)})
        return render(request, "feedback/portal_new.html", context, status=400)
    return render(request, "feedback/portal_new.html", context)


@require_http_methods(["GET", "POST"])
def feedback_tracking(request):
    """`/phan-anh/tra-cuu/`: state and answer for code + check digits; no personal data shown."""
    source = request.POST if request.method == "POST" else request.GET
    code, digits = source.get("ma", "").strip()[:24], source.get("so", "").strip()[:4]
    context = {"code": code, "digits": digits, "item": None, "searched": False}
    status = 200
    if code and digits:
        if not _budget(request, "feedback-track"):
            context["error"] = _("Bạn đã tra cứu quá nhiều lần. Vui lòng thử lại sau ít phút.")
            return render(request, "feedback/portal_tracking.html", context, status=429)
        context["searched"] = True
        item = queries.feedback_track(code, digits)
        if item is not None and request.method == "POST" and item.status == Status.AWAITING_INFO:
            try:
                item = services.feedback_add_info(item=item, text=request.POST.get("info", ""),
                                                  uploads=_uploads(request), request=request)
                context["added"] = True
            except DomainError as exc:
                context["error"] = exc.message
                status = exc.status
        context["item"] = item
    return render(request, "feedback/portal_tracking.html", context, status=status)


@require_GET
def qa_list(request):
    """`/hoi-dap/`: published answers, searchable without diacritics, by agency, field and procedure."""
    q = request.GET.get("q", "")[:200]
    agency = request.GET.get("co-quan", "")
    field = request.GET.get("linh-vuc", "")[:32]
    procedure = request.GET.get("thu-tuc", "")[:64]
    rows = queries.published(q=q, agency_id=int(agency) if agency.isdigit() else None, field_code=field,
                             procedure_code=procedure)
    page = Paginator(rows, 20).get_page(request.GET.get("trang"))
    agencies = Agency.objects.filter(feedback_items__status=Status.PUBLISHED).distinct().order_by("name")
    return render(request, "feedback/portal_qa.html", {
        "page": page, "q": q, "agency": agency, "field": field, "procedure": procedure, "agencies": agencies,
        "fields": Field.objects.order_by("name")})


@require_GET
def feedback_paper(request, form):
    """A paper of the item for whoever holds its code and check digits (PDF)."""
    from django.http import Http404, HttpResponse

    from motcua.feedback.papers import paper_pdf

    if not _budget(request, "feedback-track"):
        return HttpResponse(_("Bạn đã tra cứu quá nhiều lần."), status=429)
    item = queries.feedback_track(request.GET.get("ma", ""), request.GET.get("so", ""))
    if item is None:
        raise Http404(_("Không tìm thấy phản ánh."))
    try:
        pdf = paper_pdf(item, form)
    except DomainError as exc:
        raise Http404(exc.message) from None
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{item.code}-{form}.pdf"'
    return response
