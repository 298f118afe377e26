"""E-mail customer: the service a run calls per chunk (`queue_emails`), and the sending after it
(`deliver`), with the rate limit (`Pacer`) and a stopped sender's leftovers (`settle`).

Why an intent first. An SMTP server's "250 OK" and our database's COMMIT cannot be one
transaction: whichever comes first, a worker killed between them leaves the two disagreeing. So
each e-mail is a row (`RecoveryEmail`) written QUEUED with the cart's contact in the chunk's
transaction, committed before anything is sent. A sender then, each in a transaction of its own,
claims the row (QUEUED → SENDING), sends, and records SENT or FAILED with the reason.

A row found SENDING when a job resumes was claimed by a worker that stopped mid-send: the
server may or may not have taken it. We mark it UNKNOWN ("not confirmed") and never send it
again, rather than send it again to be sure: a second copy of the same e-mail in a customer's
inbox is the worse mistake for a store (and cannot be taken back), where a rep can see the
"not confirmed" on the cart and send again by hand if the customer did not get it. Rows still
QUEUED were never handed to a server, so the resumed job sends them. Nothing is recorded SENT
that the server did not accept, and no row is ever sent twice. An inline run's request sends
after its commit; if its process stops on the way, a worker (`undelivered`, in its hand-out)
settles and sends what it left, as for a job.
"""

import datetime
import smtplib
import time
from collections.abc import Callable

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.mail import get_connection
from django.core.mail.backends.base import BaseEmailBackend
from django.db import transaction
from django.db.models import DateTimeField, OuterRef, Q, QuerySet, Subquery, Value
from django.utils import timezone

from carts.followup.records import OUTCOME_MAX_LENGTH, CartContact
from carts.mail.message import recovery_message
from carts.mail.records import REASON_MAX_LENGTH, RecoveryEmail, RecoveryTemplate
from carts.mail.sandbox import TemplateRefused, check
from carts.models import Cart, CartEvent, CartRun
from carts.services import ActionResult, CartActionRefused, NothingToChange
from carts.services.audit import (
    LOCKED_FIELDS,
    ZERO,
    LockedCart,
    actor_name,
    for_update,
    lock_ids,
    values_of,
)
from carts.services.audit import record as audit
from carts.services.staff import lock_customers
from carts.text import day_text

Status = RecoveryEmail.Status
# More than this many e-mails (or CART_ACTION_INLINE_LIMIT, or a minute's worth at
# RECOVERY_EMAIL_PER_MINUTE) in one action go as a job: a request does not wait out the limit.
INLINE_EMAILS = 20
UNCONFIRMED = (
    "Not confirmed: the sender stopped while handing this e-mail to the mail server, so it may "
    "or may not have gone out. It is not sent again by itself."
)
ONE_MINUTE = datetime.timedelta(minutes=1)


class EmailRefused(CartActionRefused):
    """The e-mails cannot go: their template reaches for what it may not (the message says)."""


def inline_limit() -> int:
    limits = (settings.CART_ACTION_INLINE_LIMIT, settings.RECOVERY_EMAIL_PER_MINUTE)
    return int(min(INLINE_EMAILS, *limits))


def chunk_size() -> int:
    """A job's chunk: about a minute's e-mails, so its heartbeat stays fresh while it sends."""
    return int(min(settings.CART_JOB_CHUNK, settings.RECOVERY_EMAIL_PER_MINUTE))


def _holding_back(send_again: bool) -> QuerySet[RecoveryEmail] | None:
    """The e-mails that keep their customer out of an e-mailing: sent (or being sent) within
    RECOVERY_EMAIL_MIN_DAYS; None when none does (`send_again`, or no such days)."""
    days = settings.RECOVERY_EMAIL_MIN_DAYS
    if send_again or not days:
        return None
    since = timezone.now() - datetime.timedelta(days=days)
    return RecoveryEmail.objects.filter(created_at__gte=since).exclude(status=Status.FAILED)


def _left_out_where(carts: QuerySet[Cart], recent: QuerySet[RecoveryEmail] | None) -> Q:
    """What leaves a cart of `carts` out: no e-mail address, or one of the `recent` e-mails.
    Two sets, each sized right by the planner, found by the database (the preview read 850,000
    carts into Python: 14 s, 1 GB); an OR of them, which it cannot size, walked every cart by
    id in search of the first 20 (4 s when there were none)."""
    no_address = Q(customer__email="")
    if recent is None:
        return no_address
    lately = carts.filter(customer_id__in=recent.values("customer_id")).order_by().values("pk")
    return Q(pk__in=carts.filter(no_address).order_by().values("pk").union(lately))


def left_out(carts: QuerySet[Cart], *, send_again: bool) -> QuerySet[Cart]:
    """The carts of `carts` to leave out of an e-mailing, in id order."""
    return carts.filter(_left_out_where(carts, _holding_back(send_again))).order_by("pk")


def sendable(carts: QuerySet[Cart], *, send_again: bool) -> QuerySet[Cart]:
    """The others: the carts of `carts` an e-mailing sends to, in id order."""
    return carts.exclude(_left_out_where(carts, _holding_back(send_again))).order_by("pk")


def skipped(carts: QuerySet[Cart], *, send_again: bool, first: int | None = None) -> dict[int, str]:
    """The carts to leave out (the first `first` of them if given), each with why, read for the
    rows read only. The preview lists these, and the service checks again under its locks."""
    recent = _holding_back(send_again)
    rows = carts.filter(_left_out_where(carts, recent)).order_by("pk")
    if recent is not None:
        latest = recent.filter(customer_id=OuterRef("customer_id")).order_by("-created_at")
        rows = rows.annotate(emailed_at=Subquery(latest.values("created_at")[:1]))
    else:
        rows = rows.annotate(emailed_at=Value(None, output_field=DateTimeField()))
    fields = ("pk", "customer__name", "customer__customer_number", "customer__email")
    reasons = {}
    for pk, name, number, email, emailed_at in rows.values_list(*fields, "emailed_at")[:first]:
        if not email:
            reasons[pk] = f"{name} ({number}): no e-mail address"
        else:
            reasons[pk] = (
                f"{name} ({number}): e-mailed on {day_text(timezone.localtime(emailed_at))}"
            )
    return reasons


def queue_emails(
    *,
    carts: QuerySet[Cart],
    template: RecoveryTemplate,
    user: AbstractBaseUser | None,
    send_again: bool = False,
    run: CartRun | None = None,
) -> ActionResult:
    """Record one e-mail (its contact, its intent and an audit entry) per open cart of `carts`
    whose customer has an address and was not e-mailed lately; customers locked, then carts, in
    id order. Nothing is sent here: `deliver` sends once this has committed."""
    try:
        check(template.subject)
        check(template.body)
    except TemplateRefused as refusal:
        raise EmailRefused(f"The template “{template.name}” cannot be sent: {refusal}") from None
    requested = list(carts.order_by().values_list("pk", flat=True))
    with transaction.atomic():
        lock_customers(Cart.objects.filter(pk__in=requested))
        ids = lock_ids(requested, Cart.objects.open())
        if not ids:
            raise NothingToChange("None of the selected carts is open any more; nothing changed.")
        reasons = skipped(Cart.objects.filter(pk__in=ids), send_again=send_again)
        rows = for_update(Cart.objects.filter(pk__in=ids).exclude(pk__in=list(reasons)))
        locked = [LockedCart(*row) for row in rows.order_by("pk").values_list(*LOCKED_FIELDS)]
        _record(locked, template, user, run)
    total = sum((cart.total for cart in locked), ZERO)
    return ActionResult(
        cart_ids=[cart.pk for cart in locked],
        total_before=total,
        total_after=total,
        values=values_of(locked),
        left_alone=sorted(set(requested) - set(ids)),
        refused=list(reasons.values()),
    )


def _record(
    locked: list[LockedCart],
    template: RecoveryTemplate,
    user: AbstractBaseUser | None,
    run: CartRun | None,
) -> None:
    """Each cart's contact, its e-mail's intent (QUEUED) and its audit entry."""
    if not locked:
        return
    carts = Cart.objects.select_related("customer").in_bulk([cart.pk for cart in locked])
    now, author = timezone.now(), user.pk if user is not None else None
    contacts = CartContact.objects.bulk_create(
        CartContact(
            cart_id=cart.pk,
            author_id=author,
            author_name=actor_name(user),
            kind=CartContact.Kind.EMAIL,
            contacted_at=now,
            outcome=outcome(template, carts[cart.pk].customer.email),
            created_at=now,
        )
        for cart in locked
    )
    RecoveryEmail.objects.bulk_create(
        RecoveryEmail(
            contact=contact,
            cart_id=contact.cart_id,
            customer_id=carts[contact.cart_id].customer_id,
            run=run,
            template=template,
            template_name=template.name,
            to=carts[contact.cart_id].customer.email,
            sender_id=author,
            created_at=now,
        )
        for contact in contacts
    )
    detail = f"Recovery e-mail “{template.name}”"
    audit(locked, action=CartEvent.Action.EMAILED, user=user, detail=detail, run=run)


def outcome(template: RecoveryTemplate, to: str) -> str:
    """The contact's outcome, as the follow-up lists it (cut to fit, for the longest names)."""
    return f"Recovery e-mail “{template.name}” to {to}"[:OUTCOME_MAX_LENGTH]


def undelivered(before: datetime.datetime) -> list[int]:
    """The inline runs with e-mails still queued or mid-send whose sender, the request after
    its commit, has given no sign of life since `before`: its process stopped on the way."""
    unsent = RecoveryEmail.objects.filter(status__in=[Status.QUEUED, Status.SENDING])
    stopped = unsent.filter(run__mode=CartRun.Mode.INLINE, run__heartbeat_at__lt=before)
    return sorted(set(stopped.values_list("run_id", flat=True)))


def settle(run: CartRun) -> bool:
    """In a job's chunk, before anything else: e-mails a stopped sender left mid-send become
    "not confirmed" (never sent again); whether any are still queued, to send."""
    mid_send = RecoveryEmail.objects.filter(run=run, status=Status.SENDING)
    mid_send.update(status=Status.UNKNOWN, reason=UNCONFIRMED)
    return RecoveryEmail.objects.filter(run=run, status=Status.QUEUED).exists()


class Pacer:
    """At most RECOVERY_EMAIL_PER_MINUTE e-mails a minute, counted from the claims of every
    sender (so two jobs share the limit): before each claim, wait until the minute allows one."""

    def __init__(
        self,
        per_minute: int | None = None,
        *,
        clock: Callable[[], datetime.datetime] = timezone.now,
        sleep: Callable[[float], object] = time.sleep,
    ) -> None:
        self.per_minute = per_minute or settings.RECOVERY_EMAIL_PER_MINUTE
        self.clock, self.sleep = clock, sleep

    def wait(self) -> datetime.datetime:
        """Wait while the last minute holds the limit; the moment to claim the next at."""
        now = self.clock()
        claims = RecoveryEmail.objects.filter(
            attempted_at__gt=now - ONE_MINUTE, attempted_at__lte=now
        ).order_by("-attempted_at")
        recent = [
            at for at in claims.values_list("attempted_at", flat=True)[: self.per_minute] if at
        ]
        if len(recent) >= self.per_minute:
            self.sleep((recent[-1] + ONE_MINUTE - now).total_seconds())
            now = self.clock()
        return now


def deliver(run_id: int, *, pacer: Pacer | None = None) -> None:
    """Send the run's queued e-mails, in order, each claimed first and its result recorded after,
    every step committed on its own (see the module's docstring)."""
    pacer = pacer or Pacer()
    connection = get_connection()
    queued = RecoveryEmail.objects.filter(run_id=run_id, status=Status.QUEUED).order_by("pk")
    try:
        for email_id in list(queued.values_list("pk", flat=True)):
            claimed_at = pacer.wait()
            claim = RecoveryEmail.objects.filter(pk=email_id, status=Status.QUEUED)
            if claim.update(status=Status.SENDING, attempted_at=claimed_at):
                _send(email_id, connection)
            CartRun.objects.filter(pk=run_id).update(heartbeat_at=timezone.now())
    finally:
        connection.close()


def _send(email_id: int, connection: BaseEmailBackend) -> None:
    email = RecoveryEmail.objects.select_related(
        "template", "cart__customer__sales_rep", "cart__price_level"
    ).get(pk=email_id)
    result = RecoveryEmail.objects.filter(pk=email_id, status__in=[Status.SENDING, Status.UNKNOWN])
    try:
        if email.template is None:
            raise TemplateRefused("its template was deleted before it went")
        recovery_message(email.template, email.cart, to=email.to, connection=connection).send()
    except (smtplib.SMTPException, OSError, ValueError) as error:
        connection.close()  # a server that failed once may have dropped us: a new session next
        reason = str(error) or type(error).__name__
        result.update(status=Status.FAILED, reason=reason[:REASON_MAX_LENGTH])
    else:
        result.update(status=Status.SENT, reason="", sent_at=timezone.now())
