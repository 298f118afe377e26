"""Customers and reps (`customers.models`): what is in use stays, and a store log-in is never
a staff account."""

import pytest
from django.core.exceptions import ValidationError
from django.db.models import ProtectedError

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
