"""Administrators' workspace pages about staff accounts: find one, see their second factor, reset a lost device."""
from django import forms
from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from motcua.accounts import queries, second_factor
from motcua.accounts.roles import Perm
from motcua.errors import DomainError
from motcua.workspace.access import staff_required


class ResetForm(forms.Form):
    reason = forms.CharField(label=gettext_lazy("Lý do đặt lại"), max_length=second_factor.REASON_MAX,
                             widget=forms.Textarea(attrs={"rows": 3}),
                             help_text=gettext_lazy("Ví dụ: mất điện thoại, đã xác minh qua điện thoại cơ quan."))
    confirm = forms.BooleanField(label=gettext_lazy(
        "Tôi đã xác minh người yêu cầu đúng là chủ tài khoản; ứng dụng xác thực và mọi mã khôi phục của tài khoản "
        "sẽ bị xoá."))


@staff_required(Perm.USER_MANAGE)
def staff_search(request):
    """`/workspace/can-bo/`: staff accounts within the administrator's reach, by username, name or e-mail."""
    q = request.GET.get("q", "")[:150]
    rows = [(user, second_factor.second_factor_state(user)) for user in queries.staff_managed_by(request.user, q=q)]
    return render(request, "workspace/staff_search.html", {"q": q, "rows": rows})


@staff_required(Perm.USER_MANAGE)
@require_http_methods(["GET", "POST"])
def staff_second_factor(request, pk: int):
    """`/workspace/can-bo/<pk>/xac-thuc-hai-lop/`: the member's second factor, and its reset (reason required)."""
    member = queries.staff_member_managed_by(request.user, pk)
    if member is None:
        raise Http404(_("Không tìm thấy cán bộ."))
    form = ResetForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                removed = second_factor.second_factor_reset(user=member, actor=request.user,
                                                            reason=form.cleaned_data["reason"], request=request)
            except DomainError as exc:
                form.add_error(None, exc.message)
            else:
                messages.success(request, _("Đã đặt lại xác thực hai lớp của %(name)s (%(n)s thiết bị); lần đăng "
                                            "nhập sau, người này phải đăng ký lại ứng dụng xác thực.")
                                 % {"name": member.display_name, "n": removed})
                return redirect("workspace:staff-second-factor", pk=member.pk)
        status = 400
    return render(request, "workspace/staff_second_factor.html", {
        "member": member, "state": second_factor.second_factor_state(member), "form": form,
        "is_self": member.pk == request.user.pk}, status=status)
