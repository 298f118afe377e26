import os
import shutil

import pytest
from django.conf import settings as django_settings
from django.contrib.auth.models import User
from django.utils.translation import ngettext

from juniperadmin import sessions
from tests.factories import PriceLevelFactory, ensure_roles, make_catalog, make_staff
from tests.run_summary import write_summary

# Playwright's sync API runs an event loop in this thread; Django's ORM then refuses to run
# unless told this is deliberate. Tests only, never in settings.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}


CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
# The browser tests' skip reason starts so, which is how the terminal summary counts them.
CHROMIUM_MISSING = "Chromium not found at"
INSTALL_CHROMIUM = "sudo apt-get install -y chromium"


def pytest_report_header(config) -> list[str]:
    # From the settings only: no connection is opened (nor can fail) before the tests start.
    db = django_settings.DATABASES["default"]
    server = f"{db['HOST'] or 'the local socket'}:{db['PORT'] or 5432}/{db['NAME']}"
    return [f"juniperadmin: PostgreSQL at {server}, CI={IN_CI}, chromium {CHROMIUM}"]


@pytest.fixture(autouse=True)
def _roles(request: pytest.FixtureRequest) -> None:
    """The four roles (README, Roles) are rows their migration made, which a transactional
    test's flush deletes: every test with the database finds them there, as a store has them."""
    if request.node.get_closest_marker("django_db") is None:
        return
    request.getfixturevalue("_django_db_helper")  # pytest-django's: the database is open
    ensure_roles()


@pytest.fixture(autouse=True)
def _idle_deadline_moves_at_sign_in_only(request, monkeypatch) -> None:
    """A signed-in request writes its session once a second (juniperadmin.sessions), so a
    pinned query count would depend on how fast the machine ran the test: elsewhere than in
    the tests of that refresh (marked `session_refresh`), the deadline moves at sign-in only."""
    if request.node.get_closest_marker("session_refresh") is None:
        monkeypatch.setattr(sessions, "REFRESH_EVERY_SECONDS", 10**9)


@pytest.fixture(autouse=True)
def _test_settings(settings) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # The manifest storage needs collectstatic first; tests serve the source files.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict) -> dict:
    if not shutil.which(CHROMIUM):
        reason = f"{CHROMIUM_MISSING} {CHROMIUM}: {INSTALL_CHROMIUM}"
        if IN_CI:
            pytest.fail(reason, pytrace=False)
        pytest.skip(reason)
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--disable-background-networking",
        ],
    }


@pytest.fixture
def staff_user(db) -> User:
    """A clerk: may look at carts, nothing more."""
    return make_staff("clerk", "carts.view_cart")


@pytest.fixture
def staff_client(client, staff_user):
    client.force_login(staff_user)
    return client


@pytest.fixture
def store(db) -> dict:
    """What every test's store has: its two price levels."""
    return {
        "wholesale": PriceLevelFactory(number=1, name="Wholesale"),
        "dealer": PriceLevelFactory(number=2, name="Stocking Dealer"),
    }


@pytest.fixture
def catalog(store) -> dict:
    """The store's levels and three products: BOLT and NUT at both, RARE at Wholesale only."""
    return make_catalog(store)


def browser_tests_not_run(skipped: list) -> int:
    """How many of these skipped tests' reports skipped for want of Chromium."""
    return sum(
        1
        for report in skipped
        if isinstance(report.longrepr, tuple) and CHROMIUM_MISSING in report.longrepr[2]
    )


def chromium_missing_line(not_run: int) -> str:
    tests = ngettext("%(count)s browser test", "%(count)s browser tests", not_run)
    return (
        f"{tests % {'count': not_run}} did not run: {CHROMIUM_MISSING} {CHROMIUM}. "
        f"Install it with: {INSTALL_CHROMIUM}"
    )


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_terminal_summary(terminalreporter, exitstatus, config):
    """The run's summary (tests/run_summary.py: counts, skips by reason, coverage) after
    every other report (this wraps them, coverage's too). A run without Chromium ends green
    with the browser tests skipped: say so, loudly, as the last thing before the totals."""
    summary = yield
    write_summary(terminalreporter, config)
    not_run = browser_tests_not_run(terminalreporter.stats.get("skipped", []))
    if not_run:
        terminalreporter.write_sep("!", chromium_missing_line(not_run), red=True, bold=True)
    return summary
