"""Runs for the tests: a job of any declared action on given carts, queued but not yet run (a
test plays the worker with `jobs.run` or `jobs.run_chunk`)."""

import re
from collections.abc import Iterable
from typing import Any

from django.contrib.auth.models import User
from django.http import HttpResponse
from django.test import Client

from carts.models import Cart, CartRun
from carts.runs.starting import start


def job(action: str, cart_ids: Iterable[int], user: User | None, **options: Any) -> CartRun:
    """A job run of `action` on these carts; not handed to a worker unless `to_worker`."""
    options.setdefault("to_worker", False)
    carts = Cart.objects.filter(pk__in=list(cart_ids))
    return start(action, carts, user, mode=CartRun.Mode.JOB, **options)


def confirm_all(client: Client, **selection: str) -> HttpResponse:
    """Preview "select all matching" on Open Carts, then confirm it with the preview's pin."""
    action = "/carts/actions/"
    preview = client.post(action, {**selection, "select_across": "1"}).content.decode()
    found = re.search(r'name="pin" value="([^"]+)"', preview)
    assert found, "the preview has no pin"
    confirmed = {**selection, "select_across": "1", "confirm": "1", "pin": found.group(1)}
    return client.post(action, confirmed)
