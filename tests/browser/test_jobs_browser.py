"""Chromium against the live server: a big action becomes a job, the Jobs page follows its
progress without a reload, and a finished deletion job is undone from there."""

import pytest
from playwright.sync_api import Page, expect

from carts.models import Cart, CartJob
from carts.runs import jobs
from tests.browser.helpers import sign_in
from tests.factories import cart_of

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
    page.locator("dialog[open]").get_by_role("button", name="Delete 27 carts").click()

    expect(page).to_have_url(f"{live_server.url}/carts/jobs/")
    job = CartJob.objects.get()
    expect(page.locator(".message.success")).to_contain_text(
        f"Job {job.pk} will delete 27 carts in the background"
    )
    card = page.locator(f"#job-{job.pk}")
    expect(card.locator(".job-progress")).to_have_text("0 of 27 carts done")
    assert Cart.objects.open().count() == 27  # nothing changed in the request

    jobs.run(job.pk)  # what the worker does
    expect(card.locator(".job-progress")).to_have_text("27 of 27 carts done")  # no reload
    expect(card.locator(".job-status")).to_have_text("Done")
    card.get_by_role("button", name="Undo: restore its carts").click()

    undo = CartJob.objects.get(undoes=job)
    expect(page.locator(".message.success")).to_contain_text(f"Job {undo.pk} is undoing job")
    jobs.run(undo.pk)
    expect(page.locator(f"#job-{job.pk} .job-status")).to_have_text("Rolled back")
    assert Cart.objects.open().count() == 27
