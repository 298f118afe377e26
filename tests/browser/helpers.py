from playwright.sync_api import Page, expect

from tests.factories import make_staff


def sign_in(page: Page, live_server, *permissions: str) -> None:
    """Sign in through the log-in page, as a person would, and land on Open Carts."""
    make_staff("clerk", *permissions, password="browser-pass-1")
    page.goto(f"{live_server.url}/carts/")
    expect(page).to_have_url(f"{live_server.url}/accounts/login/?next=/carts/")
    page.get_by_label("Username").fill("clerk")
    page.get_by_label("Password").fill("browser-pass-1")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Open Carts")).to_be_visible()
