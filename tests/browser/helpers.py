from playwright.sync_api import Locator, Page, expect

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


# Each whitespace-separated word of the elements' visible text, with the line boxes it spans:
# a word whose pieces sit on two lines was broken mid-word ("HW_" / "2157").
WORDS_ACROSS_LINES_JS = """
(selector) => {
  const broken = [];
  for (const element of document.querySelectorAll(selector)) {
    const walker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      for (const match of node.data.matchAll(/\\S+/g)) {
        const range = document.createRange();
        range.setStart(node, match.index);
        range.setEnd(node, match.index + match[0].length);
        const rects = [...range.getClientRects()].filter((r) => r.width > 0 && r.height > 0);
        const tops = rects.map((r) => r.top).sort((a, b) => a - b);
        if (tops.length > 1 && tops[tops.length - 1] - tops[0] > rects[0].height / 2) {
          broken.push(match[0]);
        }
      }
    }
  }
  return broken;
}
"""


def assert_no_word_breaks(page: Page, selector: str) -> None:
    """No word of the text in the elements `selector` matches is split across two lines: names
    and ids wrap at spaces or not at all. At least one element must match."""
    assert page.locator(selector).count() > 0, f"Nothing matches {selector!r}"
    broken = page.evaluate(WORDS_ACROSS_LINES_JS, selector)
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
