"""The Content-Security-Policy is on in the browser: inline script is refused (and reported),
the app's own script and style files load."""

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_inline_script_is_refused_and_the_apps_own_files_run(page, live_server, csp_violations):
    sign_in(page, live_server, "carts.view_cart")
    expect(page.locator(".topbar")).to_have_css("display", "flex")  # app.css applied
    page.evaluate(
        """() => {
            const script = document.createElement("script");
            script.textContent = "window.injected = true";
            document.body.append(script);
        }"""
    )
    assert page.evaluate("() => window.injected === undefined")
    page.wait_for_timeout(100)  # the console message may trail the refusal
    assert len(csp_violations) == 1 and "script-src" in csp_violations[0]
    csp_violations.clear()
