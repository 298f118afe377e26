from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps


class JuniperAdminConfig(AppConfig):
    """The project package as an app, so its signal receivers are connected at start-up."""

    name = "juniperadmin"
    verbose_name = "JuniperAdmin"

    def ready(self) -> None:
        # The session limits start at each sign-in, force_login in tests included.
        from juniperadmin import sessions  # noqa: F401


class StoreSetUpConfig(admin_apps.AdminConfig):
    """Django's admin with the store set-up's site (juniperadmin.store_setup) as `admin.site`."""

    # Named in INSTALLED_APPS; "juniperadmin" there stays JuniperAdminConfig.
    default = False

    default_site = "juniperadmin.store_setup.StoreSetUpSite"
