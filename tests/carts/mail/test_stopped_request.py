"""An inline E-mail Customer run sends after its request's transaction commits. If the web
process stops on the way (killed, restarted), what it recorded and did not send is handed out
to a worker (`resume_cart_jobs`, or a starting worker): the e-mail it was sending is "not
confirmed" and never sent again, the queued ones go, each once."""

import datetime
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from carts.actions.declarations import EMAIL_CUSTOMER
from carts.mail.records import RecoveryEmail
from carts.models import Cart, CartRun
from carts.runs import jobs, starting
from carts.runs.recovery import hand_out

pytestmark = pytest.mark.django_db

Status = RecoveryEmail.Status


def stopped_after_commit(carts, sender, template, django_capture_on_commit_callbacks):
    """An inline run whose request committed and then stopped: its delivery never ran."""
    with django_capture_on_commit_callbacks(execute=False):
        run = starting.start(
            EMAIL_CUSTOMER,
            Cart.objects.filter(pk__in=[cart.pk for cart in carts]),
            sender,
            email_template=template,
        )
    assert run.mode == CartRun.Mode.INLINE and not mail.outbox
    return run


def test_a_worker_sends_what_a_stopped_request_left_and_never_resends_the_one_mid_send(
    sender, mail_carts, template, django_capture_on_commit_callbacks
):
    run = stopped_after_commit(mail_carts, sender, template, django_capture_on_commit_callbacks)
    first = RecoveryEmail.objects.filter(run=run).order_by("pk").first()
    assert first is not None
    RecoveryEmail.objects.filter(pk=first.pk).update(status=Status.SENDING)  # then it stopped
    assert run.pk not in hand_out().undelivered  # a request may still be sending: not yet
    CartRun.objects.filter(pk=run.pk).update(
        heartbeat_at=timezone.now() - datetime.timedelta(minutes=3)
    )

    out = StringIO()
    call_command("resume_cart_jobs", stdout=out)  # or a worker, as it starts
    assert "1 inline run(s) whose request stopped with e-mails unsent handed to the workers" in (
        out.getvalue()
    )
    assert jobs.run(run.pk) == "done"  # what the worker's task does
    statuses = dict(RecoveryEmail.objects.filter(run=run).values_list("pk", "status"))
    assert statuses.pop(first.pk) == Status.UNKNOWN
    assert set(statuses.values()) == {Status.SENT}
    assert len(mail.outbox) == len(mail_carts) - 1
    assert run.pk not in hand_out().undelivered  # nothing left: never handed out again
    assert jobs.run(run.pk) == "done" and len(mail.outbox) == len(mail_carts) - 1


def test_a_request_that_sent_everything_is_not_handed_out(
    sender, mail_carts, template, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        run = starting.start(
            EMAIL_CUSTOMER,
            Cart.objects.filter(pk=mail_carts[0].pk),
            sender,
            email_template=template,
        )
    assert len(mail.outbox) == 1
    CartRun.objects.filter(pk=run.pk).update(
        heartbeat_at=timezone.now() - datetime.timedelta(hours=1)
    )
    assert run.pk not in hand_out().undelivered
