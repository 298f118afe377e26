"""Recovery e-mails (issue 21): the templates, one row per e-mail, the run's template and "send
again"; the permission to send (`carts.send_recovery_email`) for Store admin, WebManager staff
and Sales rep (a rep within their own customers, as everywhere), Viewer not; the templates in
Store set-up for Store admin; and a default template to start from. Only ever adds, as 0012."""

import importlib

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.apps.registry import Apps
from django.contrib.auth.management import create_permissions
from django.db import migrations, models
from django.db.backends.base.schema import BaseDatabaseSchemaEditor


ROLES = importlib.import_module("carts.migrations.0012_roles")
SEND = ["carts.send_recovery_email"]
GRANTS = {
    "Store admin": [
        *SEND,
        *(f"carts.{verb}_recoverytemplate" for verb in ("add", "change", "delete", "view")),
        "carts.view_recoveryemail",
    ],
    "WebManager staff": SEND,
    "Sales rep": SEND,
}
SUBJECT = "Your {{ store_name }} cart is waiting, {{ contact_name }}"
BODY = """Hello {{ contact_name }},

You left these in your {{ store_name }} cart (customer {{ customer_number }}):

{{ cart_lines }}

Total: {{ cart_total }}

Your cart is kept for you: pick up where you left off here (sign in first):
{{ cart_link }}

Questions about prices, stock or delivery? Reply to this e-mail and it reaches me.

{{ rep_name }}
{{ rep_email }}
{{ store_name }}
"""


def grant_and_start(apps: Apps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    carts = apps.get_app_config("carts")
    models_module = getattr(carts, "models_module", None)
    carts.models_module = models_module or True  # what create_permissions looks for
    create_permissions(carts, apps=apps, verbosity=0)
    carts.models_module = models_module
    Group = apps.get_model("auth", "Group")
    for name, permissions in GRANTS.items():
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.add(*ROLES.permissions_named(apps, permissions))
    Template = apps.get_model("carts", "RecoveryTemplate")
    if not Template.objects.exists():
        Template.objects.create(name="Your cart is waiting", subject=SUBJECT, body=BODY)


class Migration(migrations.Migration):
    dependencies = [
        ("carts", "0018_cart_export"),
        ("customers", "0005_sales_rep_user"),
        ("auth", "0012_alter_user_first_name_max_length"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="RecoveryTemplate",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("name", models.CharField(max_length=100, unique=True)),
                ("subject", models.CharField(max_length=200)),
                ("body", models.TextField()),
                ("updated_at", models.DateTimeField(auto_now=True)),
            ],
            options={
                "verbose_name": "recovery e-mail template",
                "ordering": ["name"],
            },
        ),
        migrations.AlterModelOptions(
            name="cart",
            options={
                "permissions": [
                    ("view_all_carts", "Can see every rep's carts"),
                    ("set_follow_up", "Can set a cart's follow-up date"),
                    ("send_recovery_email", "Can e-mail customers about their carts"),
                ]
            },
        ),
        migrations.AddField(
            model_name="cartrun",
            name="send_again",
            field=models.BooleanField(default=False),
        ),
        migrations.AlterField(
            model_name="cartevent",
            name="action",
            field=models.CharField(
                choices=[
                    ("price_level_changed", "Price level changed"),
                    ("repriced", "Re-priced at current prices"),
                    ("deleted", "Deleted"),
                    ("restored", "Restored"),
                    ("purged", "Purged"),
                    ("rep_changed", "Rep changed"),
                    ("created", "Started by customer"),
                    ("changed", "Changed by customer"),
                    ("submitted", "Submitted by customer"),
                    ("note_added", "Note"),
                    ("contacted", "Contact"),
                    ("follow_up_set", "Follow-up date"),
                    ("emailed", "Recovery e-mail"),
                ],
                max_length=24,
            ),
        ),
        migrations.AddField(
            model_name="cartrun",
            name="email_template",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="carts.recoverytemplate",
            ),
        ),
        migrations.CreateModel(
            name="RecoveryEmail",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("template_name", models.CharField(max_length=100)),
                ("to", models.EmailField(max_length=254)),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("queued", "Queued"),
                            ("sending", "Sending"),
                            ("sent", "Sent"),
                            ("failed", "Not sent"),
                            ("unknown", "Not confirmed"),
                        ],
                        default="queued",
                        max_length=10,
                    ),
                ),
                ("reason", models.CharField(blank=True, max_length=500)),
                ("created_at", models.DateTimeField(default=django.utils.timezone.now)),
                ("attempted_at", models.DateTimeField(blank=True, null=True)),
                ("sent_at", models.DateTimeField(blank=True, null=True)),
                (
                    "cart",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="carts.cart",
                    ),
                ),
                (
                    "contact",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="recovery_email",
                        to="carts.cartcontact",
                    ),
                ),
                (
                    "customer",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="customers.customer",
                    ),
                ),
                (
                    "run",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to="carts.cartrun",
                    ),
                ),
                (
                    "sender",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "template",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to="carts.recoverytemplate",
                    ),
                ),
            ],
            options={
                "verbose_name": "recovery e-mail",
                "ordering": ["-created_at", "-id"],
                "indexes": [
                    models.Index(
                        fields=["customer", "-created_at"], name="recovery_email_customer"
                    ),
                    models.Index(fields=["cart", "-created_at"], name="recovery_email_cart"),
                    models.Index(fields=["run", "status"], name="recovery_email_run"),
                    models.Index(
                        condition=models.Q(("attempted_at__isnull", False)),
                        fields=["attempted_at"],
                        name="recovery_email_attempted",
                    ),
                ],
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(
                            ("status__in", ["queued", "sending", "sent", "failed", "unknown"])
                        ),
                        name="recovery_email_status_known",
                    )
                ],
            },
        ),
        migrations.RunPython(grant_and_start, migrations.RunPython.noop),
    ]
