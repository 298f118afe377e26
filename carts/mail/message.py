"""A recovery e-mail as it goes out: the template rendered for one cart (both parts from the same
text, carts.mail.sandbox), to the customer's address, Reply-To the rep, from DEFAULT_FROM_EMAIL.
Names go into headers only through `one_line`, and the subject too: a CR or LF in a customer's
or rep's name can never start a header of its own."""

from dataclasses import dataclass
from email.utils import formataddr

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.core.mail.backends.base import BaseEmailBackend
from django.utils.html import escape, format_html, format_html_join

from carts.mail.link import cart_link
from carts.mail.records import SUBJECT_MAX_LENGTH, RecoveryTemplate
from carts.mail.sandbox import Value, one_line, parse, render_html, render_text
from carts.models import Cart
from pricing.money import format_money


@dataclass(frozen=True)
class Rendered:
    subject: str
    text: str
    html: str


def values_for(cart: Cart) -> dict[str, Value]:
    """Every placeholder's value for `cart`, as text and as escaped HTML."""
    customer, currency = cart.customer, cart.price_level.currency
    rep = customer.sales_rep
    link = cart_link(cart_id=cart.pk, customer_id=customer.pk)
    lines = list(cart.lines.select_related("product").order_by("pk"))
    rows = [
        (
            line.quantity,
            line.product.name,
            line.product.item_id,
            format_money(line.unit_price, currency),
            format_money(line.quantity * line.unit_price, currency),
        )
        for line in lines
    ]
    text_lines = "\n".join(
        f"{q} × {name} ({item}) at {unit}: {total}" for q, name, item, unit, total in rows
    )
    html_lines = format_html(
        "<table>{}</table>",
        format_html_join("", "<tr><td>{}</td><td>{} ({})</td><td>{}</td><td>{}</td></tr>", rows),
    )
    plain = {
        "customer_name": customer.name,
        "customer_number": customer.customer_number,
        "contact_name": customer.contact_name or customer.name,
        "cart_total": format_money(cart.total, currency),
        "rep_name": rep.name,
        "rep_email": rep.email,
        "store_name": settings.STORE_NAME,
    }
    values = {name: Value(text, escape(text)) for name, text in plain.items()}
    values["cart_lines"] = Value(text_lines, html_lines)
    values["cart_link"] = Value(link, format_html('<a href="{0}">{0}</a>', link))
    return values


def render(template: RecoveryTemplate, cart: Cart) -> Rendered:
    values = values_for(cart)
    subject = one_line(render_text(parse(template.subject), values))[:SUBJECT_MAX_LENGTH]
    body = parse(template.body)
    html = render_html(body, values)
    return Rendered(
        subject,
        render_text(body, values),
        f"<!DOCTYPE html>\n<html><body>\n{html}\n</body></html>\n",
    )


def recovery_message(
    template: RecoveryTemplate,
    cart: Cart,
    *,
    to: str,
    connection: BaseEmailBackend | None = None,
) -> EmailMultiAlternatives:
    """The e-mail to `to` (the address its intent recorded) about `cart`."""
    rendered = render(template, cart)
    customer, rep = cart.customer, cart.customer.sales_rep
    to = formataddr((one_line(customer.contact_name or customer.name), to))
    reply_to = [formataddr((one_line(rep.name), rep.email))] if rep.email else []
    message = EmailMultiAlternatives(
        subject=rendered.subject,
        body=rendered.text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[to],
        reply_to=reply_to,
        connection=connection,
    )
    message.attach_alternative(rendered.html, "text/html")
    return message
