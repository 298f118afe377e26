from django.apps import AppConfig


class JuniperAdminConfig(AppConfig):
    """The project package as an app, so its signal receivers are connected at start-up."""

    name = "juniperadmin"
    verbose_name = "JuniperAdmin"

    def ready(self) -> None:
        # The session limits start at each sign-in, force_login in tests included.
        from juniperadmin import sessions  # noqa: F401
