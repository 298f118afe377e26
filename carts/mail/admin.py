"""Recovery e-mail templates in Store set-up: a name, a subject and a body, each checked by the
sandbox when saved (a tag, a filter, an attribute or an unknown placeholder is a form error);
and the e-mails sent, read-only."""

from django import forms
from django.contrib import admin

from carts.mail.records import RecoveryEmail, RecoveryTemplate
from carts.mail.sandbox import PLACEHOLDERS, TemplateRefused, check
from common.admin_dates import date_and_time_column
from common.read_only_admin import ReadOnlyAdminMixin

HELP = "Plain text; the HTML part is made from it. Placeholders: " + "; ".join(
    f"{{{{ {name} }}}}: {meaning}" for name, meaning in PLACEHOLDERS.items()
)


class RecoveryTemplateForm(forms.ModelForm[RecoveryTemplate]):
    class Meta:
        model = RecoveryTemplate
        fields = ["name", "subject", "body"]
        help_texts = {"subject": "One line; placeholders as in the body.", "body": HELP}

    def _checked(self, field: str) -> str:
        text: str = self.cleaned_data[field]
        try:
            check(text)
        except TemplateRefused as refusal:
            raise forms.ValidationError(str(refusal)) from None
        return text

    def clean_subject(self) -> str:
        return self._checked("subject")

    def clean_body(self) -> str:
        return self._checked("body")


@admin.register(RecoveryTemplate)
class RecoveryTemplateAdmin(admin.ModelAdmin[RecoveryTemplate]):
    form = RecoveryTemplateForm
    list_display = ["name", "subject", "updated"]
    search_fields = ["name", "subject"]
    updated = date_and_time_column("updated_at", "Last changed")


@admin.register(RecoveryEmail)
class RecoveryEmailAdmin(ReadOnlyAdminMixin, admin.ModelAdmin[RecoveryEmail]):
    """Every recovery e-mail and how its delivery went."""

    list_display = ["when", "to", "template_name", "status", "reason"]
    list_filter = ["status", "template_name"]
    search_fields = ["to", "template_name"]
    actions = None
    when = date_and_time_column("created_at", "When")
    fields = readonly_fields = (
        "cart",
        "customer",
        "to",
        "template_name",
        "sender",
        "status",
        "reason",
        "created_at",
        "attempted_at",
        "sent_at",
        "run",
    )
