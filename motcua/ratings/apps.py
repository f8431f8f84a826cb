"""App configuration for ratings."""
from django.apps import AppConfig


class RatingsConfig(AppConfig):
    name = "motcua.ratings"
    verbose_name = "Đánh giá mức độ hài lòng"
