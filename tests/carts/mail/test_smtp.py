"""Recovery e-mails through a real SMTP server started by the test on loopback (aiosmtpd): the
headers, Reply-To, both parts and the signed link as received; a delivery the server refuses
mid-job marks that cart "not sent" with the reason and the job goes on; and a job whose sender
is killed mid-send, resumed, sends nobody the same e-mail twice and records as sent only what
was."""

import os
import re
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

from carts.mail.records import RecoveryEmail
from carts.models import Cart, CartRun
from carts.runs import jobs
from carts.runs.starting import start

Status = RecoveryEmail.Status
ROOT = Path(__file__).resolve().parents[3]


def as_job(carts, sender, template) -> CartRun:
    """A job of E-mail Customer, queued; the test works through it itself."""
    carts = Cart.objects.filter(pk__in=[c.pk for c in carts])
    mode = CartRun.Mode.JOB
    return start(
        "email_customer", carts, sender, email_template=template, mode=mode, to_worker=False
    )


@pytest.mark.django_db
def test_the_server_receives_both_parts_reply_to_and_the_signed_link(
    smtp, mail_carts, sender, template, settings, client
):
    settings.DEFAULT_FROM_EMAIL = "Juniper Wholesale <orders@store.test>"
    cart = mail_carts[0]
    cart.customer.contact_name = "Pat\r\nBcc: victim@evil.test"
    cart.customer.save()
    run = as_job([cart], sender, template)
    assert jobs.run(run.pk) == "done"
    (received,) = smtp.received
    assert received.rcpt_tos == ["buyer1@shop.test"]  # the envelope: no one added
    assert received.mail_from == "orders@store.test"
    message = received.message
    assert message["To"] == '"Pat Bcc: victim@evil.test" <buyer1@shop.test>'
    assert message["Reply-To"] == "Dana Whitfield <dana@store.test>"
    assert message["From"] == "Juniper Wholesale <orders@store.test>"
    assert message["Subject"] == "Your Juniper Wholesale cart is waiting, Pat Bcc: victim@evil.test"
    assert message["Bcc"] is None and message["Cc"] is None
    assert message.get_content_type() == "multipart/alternative"
    text = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    assert "1 × Hex bolt 10 mm (BOLT) at $1.25: $1.25" in text
    assert "<td>Hex bolt 10 mm (BOLT)</td>" in html
    link = re.search(r"http://127\.0\.0\.1:8000(/shop/cart/from-email/[^/\s]+/)", text)
    assert link and f'href="{link.group(0)}"' in html
    cart.customer.user = type(sender).objects.create_user("pat-buyer")
    cart.customer.save()
    client.force_login(cart.customer.user)
    assert client.get(link.group(1))["Location"] == "/shop/cart/"
    assert RecoveryEmail.objects.get().status == Status.SENT


@pytest.mark.django_db
def test_a_refused_delivery_marks_that_cart_not_sent_and_the_job_goes_on(
    smtp, mail_carts, sender, template, settings
):
    smtp.refuse = {"buyer2@shop.test"}
    run = as_job(mail_carts, sender, template)
    assert jobs.run(run.pk) == "done"
    assert smtp.to() == ["buyer1@shop.test", "buyer3@shop.test"]
    by_cart = dict(RecoveryEmail.objects.values_list("cart_id", "status"))
    assert by_cart == {
        mail_carts[0].pk: Status.SENT,
        mail_carts[1].pk: Status.FAILED,
        mail_carts[2].pk: Status.SENT,
    }
    failed = RecoveryEmail.objects.get(cart=mail_carts[1])
    assert "550" in failed.reason and "No such mailbox here" in failed.reason
    run.refresh_from_db()
    said = jobs.declared(run.action).said(run)
    assert said.startswith("2 e-mails sent. 1 e-mail not sent")


A_SENDER = """
import django
django.setup()
from carts.runs import jobs
jobs.run({run})
"""


def database_url() -> str:
    db = connection.settings_dict
    return f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


@pytest.mark.django_db(transaction=True)
def test_a_sender_killed_mid_send_then_resumed_sends_nobody_the_same_email_twice(
    smtp, mail_carts, sender, template, settings
):
    run = as_job(mail_carts, sender, template)
    smtp.hold_from = 2  # the second message arrives, and the server never answers it
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "juniperadmin.settings",
        "DEBUG": "true",
        "DATABASE_URL": database_url(),
        "EMAIL_HOST": settings.EMAIL_HOST,
        "EMAIL_PORT": str(settings.EMAIL_PORT),
    }
    worker = subprocess.Popen(
        [sys.executable, "-c", A_SENDER.format(run=run.pk)], cwd=ROOT, env=env
    )
    try:
        smtp.wait_for(2)
    finally:
        worker.send_signal(signal.SIGKILL)
        worker.wait(timeout=30)
    statuses = list(RecoveryEmail.objects.order_by("cart_id").values_list("status", flat=True))
    assert statuses == [Status.SENT, Status.SENDING, Status.QUEUED]
    smtp.hold_from = 0
    assert jobs.run(run.pk) == "done"  # the resume
    assert sorted(smtp.to()) == ["buyer1@shop.test", "buyer2@shop.test", "buyer3@shop.test"]
    emails = RecoveryEmail.objects.order_by("cart_id")
    assert [e.status for e in emails] == [Status.SENT, Status.UNKNOWN, Status.SENT]
    assert emails[1].sent_at is None and "Not confirmed" in emails[1].reason
    run.refresh_from_db()
    assert jobs.declared(run.action).said(run) == (
        "2 e-mails sent. 1 e-mail not confirmed (the sender stopped mid-send; not sent again)."
    )
