"""Chromium against the live server: a big action becomes a job, the Jobs page follows its
progress without a reload, a finished deletion job is undone from there; and the page as a person
meets it, on a phone too."""

import re

import pytest
from playwright.sync_api import Page, expect

from carts.models import Cart, CartRun
from carts.runs import jobs, undoing
from tests.browser.helpers import sign_in
from tests.carts.runs.making import job
from tests.factories import cart_of, make_staff

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_big_delete_runs_as_a_job_followed_and_undone_on_the_jobs_page(
    page: Page, live_server, catalog, settings
):
    settings.CART_ACTION_INLINE_LIMIT = 20  # the live server runs in this process
    for quantity in range(1, 28):  # more than a page: "select all matching"
        cart_of(catalog, ("bolt", quantity))
    sign_in(page, live_server, "carts.view_cart", "carts.delete_cart")
    page.get_by_label("Select every cart on this page").check()
    page.get_by_role("button", name="Select all 27 matching carts").click()
    page.get_by_role("button", name="Delete Order").click()
    dialog = page.locator("dialog[open]")
    expect(dialog.locator("[data-runs-as-job]")).to_contain_text("runs in the background")
    dialog.get_by_role("button", name="Delete 27 carts").click()

    expect(page).to_have_url(f"{live_server.url}/carts/jobs/")
    deletion = CartRun.objects.get()
    expect(page.locator(".message.success")).to_contain_text(
        f"Job {deletion.pk} will delete 27 carts in the background"
    )
    card = page.locator(f"#job-{deletion.pk}")
    expect(card.locator(".job-progress")).to_have_text("0 of 27 carts done")
    assert Cart.objects.open().count() == 27  # nothing changed in the request

    jobs.run(deletion.pk)  # what the worker does
    expect(card.locator(".job-progress")).to_have_text("27 of 27 carts done")  # no reload
    expect(card.locator(".job-status")).to_have_text("Done")
    card.get_by_role("button", name="Undo: restore its carts").click()

    undo = CartRun.objects.get(undoes=deletion)
    expect(page.locator(".message.success")).to_contain_text(
        f"Job {undo.pk} is undoing job {deletion.pk}"
    )
    jobs.run(undo.pk)
    expect(page.locator(f"#job-{deletion.pk} .job-status")).to_have_text("Rolled back")
    expect(page.locator(f"#job-{deletion.pk}").get_by_role("button")).to_have_count(0)
    assert Cart.objects.open().count() == 27


def test_the_jobs_page_as_a_person_meets_it_on_a_phone(page: Page, live_server, catalog):
    manager = make_staff("boss", "carts.view_cart", "carts.change_cart", "carts.delete_cart")
    carts = [cart_of(catalog, ("bolt", n * 400)) for n in (1, 2, 3)]  # $500, $1,000, $1,500
    deletion = job("delete", [carts[0].pk, carts[1].pk], manager)
    jobs.run(deletion.pk)
    reprice = job("change_price_level", [carts[2].pk], manager, level=catalog["dealer"])
    jobs.run(reprice.pk)
    undoing.undo(reprice, manager)  # one cart: put back at once, inline

    page.set_viewport_size({"width": 390, "height": 844})
    sign_in(page, live_server, "carts.view_cart", "carts.change_cart", "carts.delete_cart")
    page.goto(f"{live_server.url}/carts/jobs/")

    cards = page.locator("article.card.job")
    expect(cards).to_have_count(2)  # one card per job; the inline undo is not a job
    deleted = page.locator(f"#job-{deletion.pk}")
    expect(deleted.locator(".job-result")).to_contain_text("2 carts deleted ($1,500.00).")
    expect(deleted.get_by_role("button", name="Undo: restore its carts")).to_be_visible()
    when = deleted.locator("time").inner_text()
    assert re.fullmatch(r"[A-Z][a-z]{2} \d{1,2}, \d{4} \d{1,2}:\d{2} [AP]M", when), when
    repriced = page.locator(f"#job-{reprice.pk}")
    expect(repriced.locator(".job-result")).to_contain_text(
        "1 cart moved to Stocking Dealer; total $1,500.00 → $1,260.00."
    )
    expect(repriced.locator(".job-status")).to_have_text("Rolled back")
    expect(repriced.get_by_role("button")).to_have_count(0)  # its carts are back: no Roll back

    title = page.get_by_role("heading", name="Jobs", exact=True).bounding_box()
    back = page.get_by_role("link", name="Back to Open Carts").bounding_box()
    intro = page.locator(".jobs-head p").bounding_box()
    assert title and back and intro
    assert back["y"] >= title["y"] + title["height"]  # stacked, not side by side
    assert intro["width"] > 300  # the intro reads across the phone, not a squeezed column
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
