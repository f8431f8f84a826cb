"""Django admin for agencies (system administrators only; paths are written by services)."""
from django.contrib import admin

from motcua.agencies.models import Agency


@admin.register(Agency)
class AgencyAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "kind", "parent", "valid_to"]
    list_filter = ["kind"]
    search_fields = ["code", "name"]
    readonly_fields = ["path", "depth"]

    def has_add_permission(self, request):
        return False  # agencies are created through the workspace or loaddemo, which set the path
