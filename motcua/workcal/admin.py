"""Read-only admin lists of calendar overrides and office hours; changes go through the workspace's services."""
from django.contrib import admin

from motcua.workcal.models import CalendarOverride, OfficeHours


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


admin.site.register(CalendarOverride, ReadOnlyAdmin)
admin.site.register(OfficeHours, ReadOnlyAdmin)
