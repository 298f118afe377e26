"""E-mail Customer's dialog: the template to send (and "send again anyway"), the message as the
first cart's customer gets it, how many will be sent, and the carts left out with why (no
e-mail address, or e-mailed within RECOVERY_EMAIL_MIN_DAYS). Update preview shows it again for
another choice; Send starts the run."""

from django import forms
from django.conf import settings
from django.db.models import QuerySet
from django.utils import timezone

from carts.actions.confirming import Asked, Confirmation, RunOrder, Selection
from carts.mail.message import render
from carts.mail.records import RecoveryTemplate
from carts.mail.sandbox import TemplateRefused
from carts.mail.sending import inline_limit, left_out, sendable, skipped
from carts.models import Cart
from carts.querysets import CartQuerySet
from carts.runs.size import in_background

SKIPPED_SHOWN = 20
NO_TEMPLATE = "There is no recovery e-mail template yet: add one in Store set-up first."


class EmailChoice(forms.Form):
    template = forms.ModelChoiceField(
        queryset=RecoveryTemplate.objects.all(),
        required=False,
        error_messages={"invalid_choice": "Choose one of the templates."},
    )
    send_again = forms.BooleanField(required=False)


def _chosen(selection: Selection, first: RecoveryTemplate) -> tuple[RecoveryTemplate, bool, str]:
    """The template and "send again" the dialog chose, and what was wrong with the choice."""
    form = EmailChoice(selection.data)
    if not form.is_valid():
        return first, False, " ".join(str(e) for e in form.errors.get("template", []))
    return form.cleaned_data["template"] or first, form.cleaned_data["send_again"], ""


def ask(selection: Selection, carts: CartQuerySet) -> Asked:
    first = RecoveryTemplate.objects.order_by("name").first()
    if first is None:
        return Asked({"selection": selection, "problem": NO_TEMPLATE, "count": 0}, status=409)
    template, send_again, problem = _chosen(selection, first)
    if selection.confirmed and not problem:
        order = RunOrder(carts, selection.ids, email_template=template, send_again=send_again)
        return Asked({}, start=order)
    cutoff = timezone.now()  # before counting: every cart counted was started by then
    count = carts.count()
    skipped_count = left_out(carts, send_again=send_again).count()
    preview, problem = _preview(sendable(carts, send_again=send_again), template, problem)
    sending = count - skipped_count
    context = {
        "selection": selection,
        "templates": RecoveryTemplate.objects.order_by("name"),
        "template": template,
        "send_again": send_again,
        "count": count,
        "sending": sending,
        "skipped": list(skipped(carts, send_again=send_again, first=SKIPPED_SHOWN).values()),
        "skipped_count": skipped_count,
        "min_days": settings.RECOVERY_EMAIL_MIN_DAYS,
        "per_minute": settings.RECOVERY_EMAIL_PER_MINUTE,
        "preview": preview,
        "problem": problem,
        "pin": selection.pin_of(cutoff, count),
        **in_background(sending, inline_limit()),
    }
    return Asked(context, status=400 if problem else 200)


def _preview(
    carts: QuerySet[Cart], template: RecoveryTemplate, problem: str
) -> tuple[dict[str, str] | None, str]:
    """The first sendable cart's message (to, subject, text), or why it cannot be shown."""
    related = ("customer__sales_rep", "price_level")
    cart = carts.select_related(*related).first()
    if cart is None:
        return None, problem
    try:
        rendered = render(template, cart)
    except TemplateRefused as refusal:
        return None, f"The template “{template.name}” cannot be sent: {refusal}"
    rep = cart.customer.sales_rep
    preview = {
        "to": cart.customer.email,
        "reply_to": rep.email,
        "subject": rendered.subject,
        "text": rendered.text,
        "customer": cart.customer.name,
    }
    return preview, problem


EMAIL_CUSTOMERS = Confirmation("carts/_email_dialog.html", ask)
