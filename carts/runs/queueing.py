"""Where an action on many carts leaves the request: past CART_ACTION_INLINE_LIMIT carts the
screen queues a job (carts.runs.jobs) with the selection frozen, and sends the user to the Jobs page
to follow it; below it, the action runs in the request as before."""

from django.contrib import messages
from django.contrib.auth.models import User
from django.http import HttpRequest
from django.urls import reverse

from carts.models import Cart, CartJob
from carts.querysets import CartQuerySet
from carts.runs import jobs
from carts.services.audit import among
from carts.services.repricing import PriceLevelRefused, preview_price_level_change, unpriced_lines
from carts.text import carts_count
from pricing.models import PriceLevel

VERBS = {
    CartJob.Kind.PRICE_LEVEL: "re-price",
    CartJob.Kind.DELETE: "delete",
    CartJob.Kind.RESTORE: "restore",
}


def queue_if_big(
    request: HttpRequest,
    kind: str,
    carts: CartQuerySet,
    user: User,
    *,
    level: PriceLevel | None = None,
) -> str | None:
    """Queue the action as a job if `carts` are more than one request should hold, and return
    the Jobs page's address to go to; None to run it in the request.

    A re-price that any cart would refuse (a product with no price at `level`) is refused here,
    before anything is queued, exactly as in the request (PriceLevelRefused, with its preview).
    """
    if not jobs.runs_as_job(carts.count()):
        return None
    ids = list(carts.order_by().values_list("pk", flat=True))
    if level is not None and unpriced_lines(among(ids), level).exists():
        selection = Cart.objects.filter(pk__in=among(ids))
        raise PriceLevelRefused(preview_price_level_change(carts=selection, level=level))
    job = jobs.queue_action(kind, ids, user, level=level)
    messages.success(
        request,
        f"Job {job.pk} will {VERBS[CartJob.Kind(kind)]} {carts_count(job.total)} in the "
        "background, a chunk at a time: follow it here; you can leave this page.",
    )
    return reverse("carts:jobs")
