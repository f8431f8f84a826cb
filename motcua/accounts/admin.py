"""Django admin for users and grants (system administrators only)."""
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from motcua.accounts.models import RoleGrant, User


class RoleGrantInline(admin.TabularInline):
    model = RoleGrant
    extra = 0
    autocomplete_fields = ["agency"]


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    fieldsets = (*BaseUserAdmin.fieldsets, ("Một Cửa", {"fields": ("full_name", "agency", "phone")}))
    list_display = ["username", "full_name", "agency", "is_active"]
    inlines = [RoleGrantInline]
