"""An export streams: its first chunk leaves while the server-side cursor is still open and
rows remain, inside a transaction that ends with the cursor; a download stopped half-way ends
both and is recorded as incomplete."""

import pytest
from django.core.signals import request_finished
from django.db import close_old_connections, connection
from django.test import client as test_client

from carts.export import layout, streaming
from carts.export.records import CartExport
from tests.factories import cart_of

pytestmark = pytest.mark.django_db

URL = "/carts/export/"


def open_cursors() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_cursors")
        (count,) = cursor.fetchone()
    return count


def keep_connections(**kwargs) -> None:
    """In place of close_old_connections: the test's connection stays open."""


@pytest.fixture
def seven_carts(catalog, monkeypatch):
    """Seven carts, read two at a time."""
    monkeypatch.setattr(layout, "CHUNK_ROWS", 2)
    monkeypatch.setattr(streaming, "CHUNK_ROWS", 2)
    return [cart_of(catalog, ("bolt", quantity)) for quantity in range(1, 8)]


@pytest.mark.parametrize("chosen", ["csv", "xlsx"])
def test_the_first_bytes_come_before_the_query_is_done(manager_client, seven_carts, chosen):
    before = open_cursors()
    response = manager_client.get(URL, {"format": chosen})
    chunks = iter(response.streaming_content)
    if chosen == "csv":
        first = next(chunks).decode()
        assert first.count("\r\n") == 2  # the header and the first cart: six carts to come
        assert open_cursors() == before + 1
    else:
        assert next(chunks) == b"", "the headers leave before the workbook is built"
    body = b"".join(chunks)
    assert open_cursors() == before
    record = CartExport.objects.get()
    assert (record.rows, record.completed) == (7, True)
    if chosen == "csv":
        assert (first.encode() + body).decode().count("\r\n") == 8


def test_a_download_stopped_half_way_closes_the_cursor_and_says_so(
    manager_client, seven_carts, monkeypatch
):
    before = open_cursors()
    response = manager_client.get(URL)
    chunks = iter(response.streaming_content)
    next(chunks)
    next(chunks)
    # What a server does when the client goes away. The test's own transaction must outlive it:
    # Django would close a connection left in a transaction, and the test client's wrapper
    # connects close_old_connections again while closing.
    monkeypatch.setattr(test_client, "close_old_connections", keep_connections)
    request_finished.disconnect(close_old_connections)
    try:
        response.close()
    finally:
        request_finished.disconnect(keep_connections)
        request_finished.connect(close_old_connections)
    assert open_cursors() == before
    record = CartExport.objects.get()
    assert record.completed is False
    assert 1 <= record.rows < 7
    assert record.finished_at is not None


def test_the_transaction_lasts_as_long_as_the_cursor(manager_client, seven_carts):
    response = manager_client.get(URL)
    depth = connection.savepoint_ids[:] if connection.in_atomic_block else None
    chunks = iter(response.streaming_content)
    next(chunks)
    assert connection.in_atomic_block
    assert len(connection.savepoint_ids) == len(depth or []) + 1
    b"".join(chunks)
    assert connection.savepoint_ids == (depth or [])
