"""Import and export of the store set-up in the Django admin, through django-import-export.

Every import is previewed first (rows new, changed, left alone, and every refused row with its
reason) and written, once confirmed, in one transaction: all of it or, if any row is refused,
none of it. Importing the same file again changes nothing (`skip_unchanged`: rows equal to what
is stored are left alone). Each preview that refuses rows and each confirmed import is recorded
(`ImportRecord`). Importing needs the model's add and change permissions; exporting, view.
The resources themselves live beside their models (pricing.resources, customers.resources).
"""

from decimal import Decimal, InvalidOperation
from typing import Any

from diff_match_patch import diff_match_patch
from django.contrib import messages
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.db.models import Model
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import URLPattern, path, reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from import_export import resources, widgets
from import_export.admin import ImportExportMixin
from import_export.formats.base_formats import CSV, XLSX
from import_export.results import Result, RowResult

from pricing.models import ImportRecord

CENT = Decimal("0.01")
DIFF = diff_match_patch()
TAGS = {-1: "<del>{}</del>", 0: "<span>{}</span>", 1: "<ins>{}</ins>"}
FORMATS = {"csv": CSV, "xlsx": XLSX}
# A preview lists this many new or changed rows, then says how many more: a 10,000-row file's
# every row made a page of megabytes that a browser took seconds to show.
PREVIEW_ROWS = 100


class FileError(ValueError):
    """A problem with the whole file (its columns), shown as one message above the preview."""


class KeyWidget(widgets.ForeignKeyWidget):
    """A related row by its key in the store's words (a level's number, a rep's number); one
    that does not exist is the row's error, said plainly, not an exception."""

    def __init__(self, model: type[Model], field: str, noun: str) -> None:
        super().__init__(model, field)
        self.noun = noun

    def clean(self, value: Any, row: Any = None, **kwargs: Any) -> Any:
        # Not the stock widget's truth test: level 0 is a level.
        if value is None or str(value).strip() == "":
            return None
        key = int(value) if isinstance(value, float) and value.is_integer() else value
        try:
            return self.get_queryset(value, row, **kwargs).get(**{self.field: key})
        except (ObjectDoesNotExist, ValueError, TypeError) as error:
            raise ValueError(f"There is no {self.noun} “{value}”.") from error


class PriceWidget(widgets.DecimalWidget):
    """A unit price: a number, not negative, in whole cents."""

    def clean(self, value: Any, row: Any = None, **kwargs: Any) -> Decimal | None:
        if self.is_empty(value):
            return None
        try:
            price = Decimal(str(value).strip())
        except InvalidOperation:
            raise ValueError(f"“{value}” is not a price.") from None
        if not price.is_finite():
            raise ValueError(f"“{value}” is not a price.")
        if price < 0:
            raise ValueError(f"A price cannot be negative ({value}).")
        if price != price.quantize(CENT):
            raise ValueError(f"A price is in whole cents ({value}).")
        return price.quantize(CENT)


class PlainDiff(resources.Diff):
    """The preview's changes marked up as <ins> and <del> (styled by the library's
    stylesheet), without the inline styles diff-match-patch writes, which the Content Security
    Policy refuses."""

    def as_html(self) -> list[SafeString]:
        marked = []
        for before, after in zip(self.left, self.right, strict=False):
            diff = DIFF.diff_main("" if self.new else str(before or ""), str(after or ""))
            DIFF.diff_cleanupSemantic(diff)
            marked.append(mark_safe("".join(format_html(TAGS[op], text) for op, text in diff)))
        return marked


class SetupResource(resources.ModelResource):
    """What every set-up import shares: unchanged rows left alone and reported, one
    transaction, each instance validated as the admin's form would, and a file's columns
    checked before any row."""

    required_columns: tuple[str, ...] = ()
    # Columns a file may carry besides the resource's own (e.g. a price file's currency).
    extra_columns: tuple[str, ...] = ()

    class Meta:
        skip_unchanged = True
        report_skipped = True
        use_transactions = True
        clean_model_instances = True

    def get_diff_class(self) -> type[PlainDiff]:
        return PlainDiff

    def template_headers(self) -> list[str]:
        return [str(field.column_name) for field in self.get_import_fields()]

    def before_import(self, dataset: Any, **kwargs: Any) -> None:
        headers = [str(header) for header in dataset.headers or []]
        known = {*self.template_headers(), *self.extra_columns}
        missing = [column for column in self.required_columns if column not in headers]
        unknown = [header for header in headers if header not in known]
        expected = ", ".join(self.template_headers())
        if missing:
            raise FileError(
                f"This file has no column {', '.join(missing)}. A file of "
                f"{self.get_display_name()} has the columns {expected} (download the template)."
            )
        if unknown:
            raise FileError(
                f"This file has columns this import does not know: {', '.join(unknown)}. "
                f"A file of {self.get_display_name()} has the columns {expected}."
            )

    def get_instance(self, instance_loader: Any, row: Any) -> Any:
        # A key no row has (an unknown product or level) is a new row; the field's own check
        # then names it as the row's error.
        try:
            return super().get_instance(instance_loader, row)
        except ValueError:
            return None


def refused_count(result: Result) -> int:
    if result.base_errors:
        return max(int(result.total_rows), 1)
    totals = result.totals
    refused: int = totals[RowResult.IMPORT_TYPE_INVALID] + totals[RowResult.IMPORT_TYPE_ERROR]
    return refused


def record_import(
    request: HttpRequest, kind: str, file_name: str, result: Result, outcome: str
) -> ImportRecord:
    """The import's entry in the record: who, when, which file, and its counts."""
    user = request.user
    totals, imported = result.totals, outcome == ImportRecord.IMPORTED
    return ImportRecord.objects.create(
        user=user if isinstance(user, AbstractBaseUser) else None,
        user_name="" if isinstance(user, AnonymousUser) else user.get_username(),
        kind=kind,
        file_name=file_name[:255],
        outcome=outcome,
        added=totals[RowResult.IMPORT_TYPE_NEW] if imported else 0,
        changed=totals[RowResult.IMPORT_TYPE_UPDATE] if imported else 0,
        unchanged=totals[RowResult.IMPORT_TYPE_SKIP],
        refused=refused_count(result),
    )


def failed(result: Result) -> bool:
    return bool(result.has_errors() or result.has_validation_errors())


class SetupImportExportMixin(ImportExportMixin):
    """The admin's Import and Export buttons for a set-up model, with the rules above, and
    empty templates to download from the import page."""

    import_formats = [CSV, XLSX]
    export_formats = [CSV, XLSX]
    import_template_name = "admin/setup/import.html"
    export_template_name = "admin/setup/export.html"
    import_error_display = ("message",)

    def has_import_permission(self, request: HttpRequest) -> bool:
        return bool(self.has_add_permission(request) and self.has_change_permission(request))

    def has_export_permission(self, request: HttpRequest) -> bool:
        return bool(self.has_view_permission(request))

    def get_urls(self) -> list[URLPattern]:
        template = path(
            "import/template/<int:index>.<str:extension>",
            self.admin_site.admin_view(self.import_template_view),
            name="{}_{}_import_template".format(*self.get_model_info()),
        )
        return [template, *super().get_urls()]

    def import_template_view(
        self, request: HttpRequest, index: int, extension: str
    ) -> HttpResponse:
        """An empty file with the import's columns, in CSV or Excel."""
        if not self.has_import_permission(request):
            raise PermissionDenied
        classes = self.get_import_resource_classes(request)
        if index >= len(classes) or extension not in FORMATS:
            raise Http404("No such template.")
        resource = classes[index](**self.get_import_resource_kwargs(request))
        file_format = FORMATS[extension]()
        dataset = resources.tablib.Dataset(headers=resource.template_headers())
        response = HttpResponse(
            file_format.export_data(dataset), content_type=file_format.get_content_type()
        )
        name = str(resource.get_display_name()).lower().replace(" ", "-")
        response["Content-Disposition"] = f'attachment; filename="{name}-template.{extension}"'
        return response

    def get_import_context_data(self, **kwargs: Any) -> dict[str, Any]:
        info = self.get_model_info()
        templates = [
            (
                resource_class.get_display_name(),
                {
                    extension: reverse(
                        f"admin:{info[0]}_{info[1]}_import_template", args=[index, extension]
                    )
                    for extension in FORMATS
                },
            )
            for index, resource_class in enumerate(self.get_import_resource_classes(None))
        ]
        return {**super().get_import_context_data(**kwargs), "setup_templates": templates}

    def import_action(self, request: HttpRequest, **kwargs: Any) -> HttpResponse:
        response: HttpResponse = super().import_action(request, **kwargs)
        context = getattr(response, "context_data", None) or {}
        result = context.get("result")
        if not isinstance(response, TemplateResponse) or result is None:
            return response
        if failed(result):
            name = getattr(request.FILES.get("import_file"), "name", "")
            kind = self.kind_of(request, str(context["form"].cleaned_data.get("resource") or ""))
            record_import(request, kind, name, result, ImportRecord.REFUSED)
            return response
        # The preview's rows (`context` is the response's own): the first PREVIEW_ROWS of those
        # new or changed; the unchanged are only counted.
        changed = [
            row for row in result.valid_rows() if row.import_type != RowResult.IMPORT_TYPE_SKIP
        ]
        context["preview_rows"] = changed[:PREVIEW_ROWS]
        context["not_shown"] = max(len(changed) - PREVIEW_ROWS, 0)
        return response

    def kind_of(self, request: HttpRequest | None, chosen: str) -> str:
        classes = self.get_import_resource_classes(request)
        index = int(chosen) if chosen.isdigit() and int(chosen) < len(classes) else 0
        return str(classes[index].get_display_name())

    def process_import(self, request: HttpRequest, **kwargs: Any) -> HttpResponse:
        """Confirm: a preview already imported (a second click), gone, or forged gets a
        message and the import page again, not a 500."""
        try:
            response: HttpResponse = super().process_import(request, **kwargs)
        except (OSError, ValueError, IndexError):
            messages.error(
                request,
                "This preview is no longer there (already imported, or too old). Nothing was "
                "imported by this click; upload the file again to see its preview.",
            )
            info = self.get_model_info()
            return HttpResponseRedirect(reverse(f"admin:{info[0]}_{info[1]}_import"))
        return response

    def process_dataset(
        self, dataset: Any, form: Any, request: HttpRequest, **kwargs: Any
    ) -> Result:
        # All or nothing: a row refused now (the data changed since its preview) undoes the rest.
        kwargs["rollback_on_validation_errors"] = True
        result: Result = super().process_dataset(dataset, form, request, **kwargs)
        return result

    def process_result(self, result: Result, request: HttpRequest) -> HttpResponse:
        file_name = request.POST.get("original_file_name", "")
        kind = self.kind_of(request, request.POST.get("resource", ""))
        if failed(result):
            record_import(request, kind, file_name, result, ImportRecord.REFUSED)
            messages.error(
                request,
                f"Nothing was imported from {file_name}: {refused_count(result)} rows were "
                "refused (what is stored changed since the preview). Import the file again to "
                "see why.",
            )
            info = self.get_model_info()
            return HttpResponseRedirect(reverse(f"admin:{info[0]}_{info[1]}_import"))
        record_import(request, kind, file_name, result, ImportRecord.IMPORTED)
        response: HttpResponse = super().process_result(result, request)
        return response
