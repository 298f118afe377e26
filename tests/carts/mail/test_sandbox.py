"""The recovery templates' sandbox: only the named placeholders; any other variable, attribute,
tag or filter is a form error when saved in Store set-up, and refused again when sent. The HTML
part escapes the template's own text and every value."""

import pytest
from django.contrib.auth.models import Group, User

from carts.mail.message import render
from carts.mail.records import RecoveryTemplate
from carts.mail.sandbox import PLACEHOLDERS, TemplateRefused, check
from carts.mail.sending import EmailRefused, queue_emails
from carts.models import Cart

pytestmark = pytest.mark.django_db

REFUSED = [
    ("{{ customer }}", "{{ customer }} is not a placeholder"),
    ("{{ customer_name.upper }}", "{{ customer_name.upper }} is not a placeholder"),
    ("{{ cart_link.__class__ }}", "This is not a template"),
    ("{{ customer_name|upper }}", "Filters (|…) are not allowed."),
    ("{% load static %}", "Tags ({% … %}) are not allowed."),
    ("{% if customer_name %}Hi{% endif %}", "Tags ({% … %}) are not allowed."),
    ("{% include 'base.html' %}", "Tags ({% … %}) are not allowed."),
    ("{% debug %}", "Tags ({% … %}) are not allowed."),
    ('{{ "text" }}', '{{ "text" }} is not a placeholder'),
    ("{{ settings.SECRET_KEY }}", "{{ settings.SECRET_KEY }} is not a placeholder"),
]


@pytest.mark.parametrize(("source", "said"), REFUSED)
def test_it_refuses_anything_but_the_placeholders(source, said):
    with pytest.raises(TemplateRefused, match=None) as refusal:
        check(f"Hello {source}")
    assert said in str(refusal.value)


def test_every_placeholder_is_allowed():
    check(" ".join(f"{{{{ {name} }}}}" for name in PLACEHOLDERS))


@pytest.fixture
def admin_client_of_store(client) -> User:
    user = User.objects.create_user("setter", password="pw-for-tests-1", is_staff=True)
    user.groups.add(Group.objects.get(name="Store admin"))
    client.force_login(user)
    return client


@pytest.mark.parametrize(("source", "said"), REFUSED[:5])
def test_saving_such_a_template_in_store_set_up_is_a_form_error(
    admin_client_of_store, source, said
):
    response = admin_client_of_store.post(
        "/admin/carts/recoverytemplate/add/",
        {"name": "Sneaky", "subject": "Hi {{ customer_name }}", "body": f"Body {source}"},
    )
    assert response.status_code == 200
    assert said in str(response.context["adminform"].form.errors["body"])
    assert not RecoveryTemplate.objects.filter(name="Sneaky").exists()


def test_a_good_template_saves_and_its_subject_is_checked_too(admin_client_of_store):
    add = "/admin/carts/recoverytemplate/add/"
    bad = {"name": "Bad", "subject": "{{ rep_name|lower }}", "body": "{{ cart_link }}"}
    assert admin_client_of_store.post(add, bad).status_code == 200
    good = {"name": "Nudge", "subject": "{{ store_name }}: your cart", "body": "{{ cart_link }}"}
    assert admin_client_of_store.post(add, good).status_code == 302
    assert RecoveryTemplate.objects.get(name="Nudge").subject == "{{ store_name }}: your cart"


def test_a_template_written_past_the_form_is_refused_when_sent(mail_carts, sender):
    sneaky = RecoveryTemplate.objects.create(name="Past", subject="x", body="{{ customer.user }}")
    carts = Cart.objects.filter(pk=mail_carts[0].pk)
    with pytest.raises(EmailRefused, match="is not a placeholder"):
        queue_emails(carts=carts, template=sneaky, user=sender)


def test_the_html_part_escapes_the_text_and_the_values(mail_carts):
    cart = mail_carts[0]
    cart.customer.name = "<script>alert(1)</script> & Co"
    cart.customer.contact_name = ""
    cart.customer.save()
    template = RecoveryTemplate(
        name="t", subject="<b>{{ customer_name }}</b>", body="<i>Dear</i> {{ contact_name }}\nBye"
    )
    rendered = render(template, Cart.objects.get(pk=cart.pk))
    assert rendered.subject == "<b><script>alert(1)</script> & Co</b>"  # text: as written
    assert rendered.text == "<i>Dear</i> <script>alert(1)</script> & Co\nBye"
    assert "&lt;i&gt;Dear&lt;/i&gt; &lt;script&gt;alert(1)&lt;/script&gt; &amp; Co<br>\nBye" in (
        rendered.html
    )
    assert "<script>" not in rendered.html and "<i>" not in rendered.html


def test_the_default_template_comes_with_its_migration_and_passes_the_sandbox(template):
    check(template.subject)
    check(template.body)
    assert "{{ cart_link }}" in template.body and "{{ rep_name }}" in template.body
