import pytest


@pytest.fixture(autouse=True)
def _quick_failures(page):
    # A step that has not happened in 5 s will not happen; fail fast and keep the suite lean.
    page.set_default_timeout(5000)
    page.set_default_navigation_timeout(10000)


@pytest.fixture(autouse=True)
def csp_violations(page):
    """Every Content-Security-Policy violation the browser reports fails the test: the app
    runs with its policy on (no inline script or style), as in production. A test that
    provokes one on purpose takes it out of this list."""
    violations: list[str] = []

    def note(message) -> None:
        if "Content Security Policy" in message.text:
            violations.append(message.text)

    page.on("console", note)
    yield violations
    assert not violations, f"Content-Security-Policy violations: {violations}"
