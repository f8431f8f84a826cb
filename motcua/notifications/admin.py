"""Read-only admin view of the outbox, with its attempts and the channels' health, and a resend of what gave up."""
from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from motcua.errors import DomainError
from motcua.notifications.models import ChannelHealth, DeliveryAttempt, OutboxMessage, Status
from motcua.notifications.services import RESEND_MAX, outbox_resend_many


class ReadOnlyMixin:
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class DeliveryAttemptInline(ReadOnlyMixin, admin.TabularInline):
    model = DeliveryAttempt
    fields = ["at", "ok", "permanent", "error", "duration_ms", "worker"]
    readonly_fields = fields
    extra = 0
    can_delete = False


@admin.register(OutboxMessage)
class OutboxMessageAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["created_at", "channel", "recipient", "kind", "object_type", "object_id", "status", "attempts",
                    "next_attempt_at", "sent_at"]
    list_filter = ["status", "channel", "kind"]
    search_fields = ["recipient", "object_id", "dedupe_key"]
    date_hierarchy = "created_at"
    inlines = [DeliveryAttemptInline]
    actions = ["resend"]

    @admin.action(description=_("Gửi lại các thông báo không gửi được"))
    def resend(self, request, queryset):
        ids = list(queryset.filter(status=Status.FAILED).values_list("pk", flat=True)[:RESEND_MAX])
        if not ids:
            self.message_user(request, _("Đã đưa %(count)d thông báo vào hàng đợi gửi lại.") % {"count": 0})
            return
        try:
            outcome = outbox_resend_many(message_ids=ids, actor=request.user, request=request)
        except DomainError as exc:
            self.message_user(request, exc.message, messages.ERROR)
            return
        self.message_user(request, _("Đã đưa %(count)d thông báo vào hàng đợi gửi lại.") % {
            "count": len(outcome.resent)})


@admin.register(ChannelHealth)
class ChannelHealthAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["channel", "failures_in_row", "failing_since", "alerted_at", "recovered_at", "last_error"]
