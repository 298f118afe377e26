"""Sending the digests: one per linked rep with something to act on, at most one per store day.

The rep's row for the day is committed *before* the message goes (a claim), then marked sent.
A delivery that fails with an error is known not sent: its claim is removed and the next run
tries again. A run killed between the claim and the server's answer leaves a "sending" claim:
that rep misses the day's digest rather than risk getting it twice (the command lists them).
"""

import datetime
import smtplib
from dataclasses import dataclass, field

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.core.mail.backends.base import BaseEmailBackend
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone

from carts.access import may_view_carts
from carts.days import store_today
from carts.digest.content import Digest, build_digest
from carts.digest.records import RepDigest
from customers.models import SalesRep


@dataclass
class DigestRun:
    sent: list[str] = field(default_factory=list)
    idle: list[str] = field(default_factory=list)
    already: list[str] = field(default_factory=list)
    unsent_claims: list[str] = field(default_factory=list)
    no_address: list[str] = field(default_factory=list)
    # Linked to a log-in that may not see carts (not yet given the Sales rep role, say).
    no_access: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)


def digest_message(digest: Digest, address: str) -> EmailMultiAlternatives:
    context = {"digest": digest, "store_name": settings.STORE_NAME}
    count = len(digest.items)
    message = EmailMultiAlternatives(
        subject=f"Your open carts today: {count} thing{'s' if count != 1 else ''} to act on",
        body=render_to_string("carts/digest_email.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[address],
    )
    message.attach_alternative(render_to_string("carts/digest_email.html", context), "text/html")
    return message


def _claim(rep: SalesRep, day: datetime.date, address: str, items: int) -> RepDigest | None:
    """The rep's row for the day, committed; None if a run (this or another) already has it."""
    try:
        with transaction.atomic():
            return RepDigest.objects.create(
                rep=rep, day=day, sent_to=address, items=items, as_of=timezone.now()
            )
    except IntegrityError:
        return None


def _send_one(rep: SalesRep, day: datetime.date, run: DigestRun, mail: BaseEmailBackend) -> None:
    name = str(rep)
    earlier = RepDigest.objects.filter(rep=rep, day=day).first()
    if earlier is not None:
        sent = earlier.state == RepDigest.State.SENT
        (run.already if sent else run.unsent_claims).append(name)
        return
    if rep.user is None or not may_view_carts(rep.user):  # its links would open nothing
        run.no_access.append(name)
        return
    digest = build_digest(rep, today=day)
    address = rep.email or (rep.user.email if rep.user else "")
    if not digest.items:
        run.idle.append(name)
        return
    if not address:
        run.no_address.append(name)
        return
    claim = _claim(rep, day, address, len(digest.items))
    if claim is None:
        run.already.append(name)
        return
    try:
        mail.open()  # once, at the first digest to send: a run with nothing to send needs no server
        mail.send_messages([digest_message(digest, address)])
    except (smtplib.SMTPException, OSError) as error:
        claim.delete()  # known not sent: the next run tries this rep again
        run.failed.append(f"{name}: {error}")
        return
    RepDigest.objects.filter(pk=claim.pk).update(state=RepDigest.State.SENT)
    run.sent.append(name)


def send_rep_digests(*, today: datetime.date | None = None) -> DigestRun:
    """Send today's digest to every active rep linked to an active staff log-in."""
    day, run = today or store_today(), DigestRun()
    reps = SalesRep.objects.filter(is_active=True, user__is_active=True).select_related("user")
    mail = get_connection(fail_silently=False)
    try:
        for rep in reps.order_by("rep_number"):
            _send_one(rep, day, run, mail)
    finally:
        mail.close()
    return run
