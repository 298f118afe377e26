"""Customers and reps (`customers.models`): what is in use stays, and a store log-in is never
a staff account."""

from importlib import import_module

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models import ProtectedError

from tests.constraints import refused
from tests.factories import CustomerFactory, make_staff

pytestmark = pytest.mark.django_db


def test_it_refuses_to_delete_a_price_level_or_rep_in_use():
    customer = CustomerFactory()
    with pytest.raises(ProtectedError):
        customer.price_level.delete()
    with pytest.raises(ProtectedError):
        customer.sales_rep.delete()


def test_a_staff_account_cannot_be_linked_to_a_customer():
    customer = CustomerFactory(user=make_staff("boss"))
    with pytest.raises(ValidationError):
        customer.full_clean()


def test_customer_numbers_are_unique_whatever_their_case():
    CustomerFactory(customer_number="C10001")
    twin = CustomerFactory.build(customer_number="c10001")
    with pytest.raises(ValidationError, match="ignore upper and lower case"):
        twin.full_clean(exclude=["price_level", "sales_rep"])
    assert refused(lambda: CustomerFactory(customer_number="c10001"))
    assert not refused(lambda: CustomerFactory(customer_number="C10002"))


def test_the_migration_names_numbers_that_differ_only_in_case():
    migration = import_module("customers.migrations.0004_customer_number_unique_ignoring_case")
    # The constraint is a unique index on lower(number): gone for this test's transaction only.
    with connection.cursor() as cursor:
        cursor.execute("DROP INDEX customer_number_unique_ignoring_case")
    CustomerFactory(customer_number="AB-7")
    CustomerFactory(customer_number="ab-7")
    CustomerFactory(customer_number="ZZ-1")
    with pytest.raises(RuntimeError, match="AB-7, ab-7[.]"):
        migration.refuse_clashes(apps, None)
