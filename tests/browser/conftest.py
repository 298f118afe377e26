import pytest


@pytest.fixture(autouse=True)
def _quick_failures(page):
    # A step that has not happened in 5 s will not happen; fail fast and keep the suite lean.
    page.set_default_timeout(5000)
    page.set_default_navigation_timeout(10000)
