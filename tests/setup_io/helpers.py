"""Importing through the admin's own pages, as a person does: upload, read the preview, and
confirm (pricing.setup_io)."""

import csv
import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.template.response import TemplateResponse
from django.test import Client

CSV_FORMAT, XLSX_FORMAT = "0", "1"


def csv_file(rows: list[list[object]], name: str = "set-up.csv") -> SimpleUploadedFile:
    text = io.StringIO()
    csv.writer(text).writerows(rows)
    return SimpleUploadedFile(name, text.getvalue().encode(), content_type="text/csv")


def preview(
    client: Client,
    admin_path: str,
    upload: SimpleUploadedFile,
    resource: str = "0",
    file_format: str = CSV_FORMAT,
) -> TemplateResponse:
    """The import page after uploading `upload`: its preview, nothing written."""
    response = client.post(
        f"{admin_path}import/",
        {"import_file": upload, "format": file_format, "resource": resource},
    )
    assert response.status_code == 200
    return response


def confirm(client: Client, admin_path: str, shown: TemplateResponse) -> object:
    """Confirms a preview that offered it."""
    form = shown.context.get("confirm_form")
    assert form is not None, refusals(shown)
    return client.post(f"{admin_path}process_import/", form.initial)


def totals(shown: TemplateResponse) -> dict[str, int]:
    result = shown.context["result"]
    return {kind: result.totals[kind] for kind in ("new", "update", "skip", "invalid", "error")}


def refusals(shown: TemplateResponse) -> list[str]:
    """Every reason the preview gives, as "row N: column: message" or the file's own."""
    result = shown.context["result"]
    reasons = [str(error.error) for error in result.base_errors]
    reasons += [
        f"row {line}: {error.error}" for line, errors in result.row_errors() for error in errors
    ]
    for row in result.invalid_rows:
        for field, messages in row.field_specific_errors.items():
            reasons += [f"row {row.number}: {field}: {message}" for message in messages]
        reasons += [f"row {row.number}: {message}" for message in row.non_field_specific_errors]
    return reasons


def import_file(
    client: Client, admin_path: str, upload: SimpleUploadedFile, resource: str = "0"
) -> object:
    shown = preview(client, admin_path, upload, resource)
    return confirm(client, admin_path, shown)
