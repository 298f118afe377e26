"""Walking a paged cart list by its own links, as a person clicking Next (or Previous) would."""

import html
import re


def rows_and_link(client, url: str, rel: str) -> tuple[list[int], str | None]:
    """The carts the page at `url` lists, in order, and where its `rel` link leads."""
    page = client.get(url)
    assert page.status_code == 200
    ids = [cart.pk for cart in page.context["table"].page_rows]
    link = re.search(rf'href="([^"]+)" rel="{rel}"', page.content.decode())
    path = url.partition("?")[0]
    return ids, f"{path}{html.unescape(link.group(1))}" if link else None


def walk(client, url: str, rel: str, *, most: int = 20) -> list[list[int]]:
    """The carts of each page from `url` on, following `rel` links to the end."""
    pages = []
    while url and len(pages) < most:
        ids, url = rows_and_link(client, url, rel)
        pages.append(ids)
    return pages
