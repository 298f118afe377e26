"""The file formats, written as the rows come: CSV in chunks, .xlsx in constant memory. Both
neutralise text a spreadsheet would take for a formula."""

import csv
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import xlsxwriter
from django.db import connection, transaction

from carts.export.layout import CHUNK_ROWS
from carts.listing.columns import ExportValue

# What makes a spreadsheet read text as a formula (OWASP's list for CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# An Excel sheet's rows, its header included; more rows go on to a further sheet.
SHEET_ROWS = 1_048_576
FILE_CHUNK = 64 * 1024


def neutral(value: ExportValue) -> ExportValue:
    """Text that would start a formula, with an apostrophe before it; numbers stay numbers (a
    negative total is a number, not text)."""
    return neutral_row([value])[0]


def neutral_row(row: list[ExportValue]) -> list[ExportValue]:
    """Each value of a row `neutral`: one comprehension a row, not a call a cell (a million
    rows of fourteen cells)."""
    return [
        "'" + value if type(value) is str and value.startswith(FORMULA_STARTS) else value
        for value in row
    ]


class Tally:
    """How many rows an export has written so far, and whether it got to the end."""

    def __init__(self) -> None:
        self.rows = 0
        self.completed = False

    def count(self, rows: Iterator[list[ExportValue]]) -> Iterator[list[ExportValue]]:
        for row in rows:
            self.rows += 1
            yield row


def in_transaction(rows: Iterator[list[ExportValue]]) -> Iterator[list[ExportValue]]:
    """The rows, read inside a transaction that lasts as long as the server-side cursors and no
    longer (outside one, PostgreSQL would read every row before the first came back): read
    only, and one snapshot for the export's queries, so a cart changing meanwhile is in the
    file once, as it was when the export started."""
    outermost = not connection.in_atomic_block
    with transaction.atomic():
        if outermost:
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        yield from rows


class Echo:
    """csv.writer's file: each row comes back as text."""

    def write(self, text: str) -> str:
        return text


def csv_chunks(headers: list[str], rows: Iterator[list[ExportValue]]) -> Iterator[bytes]:
    """UTF-8 with a byte-order mark (so Excel reads the accents), the header and CHUNK_ROWS
    rows a chunk: the first chunk leaves as soon as the first rows are read."""
    writer: Any = csv.writer(Echo())
    batch = ["\ufeff" + writer.writerow(headers)]
    for row in rows:
        batch.append(writer.writerow(neutral_row(row)))
        if len(batch) >= CHUNK_ROWS:
            yield "".join(batch).encode()
            batch.clear()
    yield "".join(batch).encode()


def xlsx_chunks(
    headers: list[str], rows: Iterator[list[ExportValue]], *, title: str
) -> Iterator[bytes]:
    """An .xlsx built row by row in constant memory (xlsxwriter writes each row to a temporary
    file as it goes), then sent in chunks; text is never taken for a formula or a link. An
    empty chunk first: the server sends the headers at once, so the browser shows the download
    starting while the file is built (a zip is written whole before its first byte can go)."""
    yield b""
    with tempfile.TemporaryDirectory(prefix="export-") as folder:
        path = Path(folder) / "export.xlsx"
        options = {
            "constant_memory": True,
            "tmpdir": folder,
            "strings_to_formulas": False,
            "strings_to_urls": False,
            "default_date_format": "yyyy-mm-dd",
        }
        book = xlsxwriter.Workbook(str(path), options)
        bold = book.add_format({"bold": True})
        sheet: Any = None
        place = SHEET_ROWS
        for row in rows:
            if place == SHEET_ROWS:
                sheet, place = _new_sheet(book, headers, bold, title), 1
            sheet.write_row(place, 0, neutral_row(row))
            place += 1
        if sheet is None:
            _new_sheet(book, headers, bold, title)
        book.close()
        with path.open("rb") as built:
            while chunk := built.read(FILE_CHUNK):
                yield chunk


def _new_sheet(book: Any, headers: list[str], bold: Any, title: str) -> Any:
    number = len(book.worksheets()) + 1
    sheet = book.add_worksheet(title if number == 1 else f"{title} ({number})")
    sheet.write_row(0, 0, headers, bold)
    sheet.freeze_panes(1, 0)
    sheet.set_column(0, len(headers) - 1, 16)
    return sheet
