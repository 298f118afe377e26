"""The Undo button on the message after an inline run: the message carries its run
(`carts.runs.replies`), so the button goes with it, shown once, wherever it is shown."""

import re

from django import template
from django.contrib.messages.storage.base import Message

register = template.Library()

UNDO_TAG = re.compile(r"(?:^|\s)undo-(\d+)(?:\s|$)")


def undo_tag(run_id: int) -> str:
    """The extra tag that offers an Undo of run `run_id` on a message."""
    return f"undo-{run_id}"


@register.filter
def undo_run(message: Message) -> int | None:
    """The run this message offers to undo, if any."""
    found = UNDO_TAG.search(message.extra_tags or "")
    return int(found.group(1)) if found else None
