"""Reading an export back: the whole streamed body, as CSV rows or an .xlsx workbook."""

import csv
import io

import openpyxl


def body(response) -> bytes:
    assert response.streaming, "an export streams"
    return b"".join(response.streaming_content)


def csv_rows(response) -> list[list[str]]:
    text = body(response).decode("utf-8")
    assert text.startswith("\ufeff"), "a byte-order mark, for Excel"
    return list(csv.reader(io.StringIO(text[1:])))


def xlsx_book(response) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(body(response)))


def xlsx_rows(book: openpyxl.Workbook) -> list[list]:
    return [list(row) for sheet in book.worksheets for row in sheet.iter_rows(values_only=True)]


def xlsx_cells(book: openpyxl.Workbook):
    """The first sheet's cells, for their types and formats."""
    return list(book.worksheets[0].iter_rows())
