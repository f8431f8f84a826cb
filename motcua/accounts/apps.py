"""App configuration for accounts and permissions."""
from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "motcua.accounts"
    verbose_name = "Tài khoản"
