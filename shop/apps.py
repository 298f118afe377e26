from django.apps import AppConfig


class ShopConfig(AppConfig):
    """The store side: customers' buyers browse, fill and submit their own carts."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "shop"
