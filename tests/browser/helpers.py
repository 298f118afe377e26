from django.contrib.auth.models import User
from playwright.sync_api import Locator, Page, expect

from tests.factories import make_staff


def sign_in(page: Page, live_server, *permissions: str) -> None:
    """Sign in through the log-in page, as a person would, and land on Open Carts."""
    make_staff("clerk", *permissions, password="browser-pass-1")
    sign_in_as(page, live_server, "clerk")


def sign_in_as(page: Page, live_server, username: str, password: str = "browser-pass-1") -> None:
    """Sign in as an existing staff account, from Open Carts' address, and land there."""
    page.goto(f"{live_server.url}/carts/")
    expect(page).to_have_url(f"{live_server.url}/accounts/login/?next=/carts/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Open Carts")).to_be_visible()


def admin_sign_in(page: Page, live_server, landing: str) -> None:
    """A superuser, "owner", signs in to the store set-up (Django admin) and lands on `landing`."""
    User.objects.create_superuser("owner", password="browser-pass-1")
    page.goto(f"{live_server.url}/admin/login/?next={landing}")
    page.get_by_label("Username").fill("owner")
    page.get_by_label("Password").fill("browser-pass-1")
    page.get_by_role("button", name="Log in").click()


# The words of the elements' laid-out text (a clipped, visually hidden label is not) that sit on
# two lines: broken mid-word ("HW_" / "2157"). With `hyphens`, each part of a hyphenated word
# ("Oil-" / "Rubbed") counts as a word of its own, so a break after a hyphen passes.
WORDS_ACROSS_LINES_JS = """
([selector, hyphens]) => {
  const broken = [];
  for (const element of document.querySelectorAll(selector)) {
    const walker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const box = node.parentElement.getBoundingClientRect();
      if (box.width <= 1 || box.height <= 1) continue;
      for (const word of node.data.matchAll(/\\S+/g)) {
        let start = word.index;
        for (const part of hyphens ? word[0].split(/(?<=-)/) : [word[0]]) {
          const range = document.createRange();
          range.setStart(node, start);
          range.setEnd(node, start + part.length);
          const rects = [...range.getClientRects()].filter((r) => r.width > 0 && r.height > 0);
          const tops = rects.map((r) => r.top).sort((a, b) => a - b);
          if (tops.length > 1 && tops[tops.length - 1] - tops[0] > rects[0].height / 2) {
            broken.push(part);
          }
          start += part.length;
        }
      }
    }
  }
  return broken;
}
"""


def assert_no_word_breaks(page: Page, selector: str, *, hyphens: bool = True) -> None:
    """No word of the text in the elements `selector` matches is split across two lines: names
    and ids wrap at spaces or not at all. A break right after a hyphen is one between words,
    unless `hyphens` is False. At least one element must match."""
    assert page.locator(selector).count() > 0, f"Nothing matches {selector!r}"
    broken = page.evaluate(WORDS_ACROSS_LINES_JS, [selector, hyphens])
    assert broken == [], f"Words broken across lines in {selector!r}: {broken}"


def assert_no_sideways_scroll(page: Page) -> None:
    """The page is no wider than the viewport: nothing to scroll sideways to."""
    width = page.viewport_size["width"]
    assert page.evaluate("document.documentElement.scrollWidth") <= width


def assert_in_view(page: Page, element: Locator) -> None:
    """The element's whole box is inside the viewport, as the page stands."""
    box, view = element.bounding_box(), page.viewport_size
    assert box is not None and view is not None, element
    assert box["x"] >= 0 and box["y"] >= 0, box
    assert box["x"] + box["width"] <= view["width"] + 0.5, (box, view)
    assert box["y"] + box["height"] <= view["height"] + 0.5, (box, view)
