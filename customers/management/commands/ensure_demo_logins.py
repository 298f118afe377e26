"""Make sure the demo log-ins exist: a staff superuser for the Open Carts screen and the admin,
and store log-ins for a few customers.

It makes only what is missing. An account that already exists is left exactly as it is, its
password above all (on a real store `admin` is somebody's), and the command says so. With
DEBUG off it runs only when told this is not a real store (`--i-know-this-is-not-production`).
"""

import argparse
from typing import Any

from django.contrib.auth.models import User
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandParser
from django.db import transaction

from common.arguments import add_not_production_flag, refuse_on_a_real_store, whole_number
from customers.models import Customer

CUSTOMER_PASSWORD = "shop-demo"
MAX_STORE_LOGINS = 1_000


def username(text: str) -> str:
    """An argparse `type`: a name the user model accepts."""
    try:
        User._meta.get_field("username").clean(text, None)
    except ValidationError as error:
        raise argparse.ArgumentTypeError(" ".join(error.messages)) from None
    return text


def password(text: str) -> str:
    """An argparse `type`: a password the site's password rules accept."""
    try:
        validate_password(text)
    except ValidationError as error:
        raise argparse.ArgumentTypeError(" ".join(error.messages)) from None
    return text


def create_login(*, username: str, password: str, staff: bool) -> User:
    return User.objects.create_user(username, password=password, is_staff=staff, is_superuser=staff)


def left_as_it_is(username: str) -> str:
    return f"{username} already exists; left as it is (its password was not changed)"


def store_logins(count: int) -> list[str]:
    """buyer1…buyer`count`: each one missing is made the store log-in of the next active
    customer that has none (an existing account, and a customer's own log-in, stay as they are)."""
    without_login = Customer.objects.filter(is_active=True, user=None).order_by("customer_number")
    customers = iter(without_login[:count])
    lines = []
    for index in range(1, count + 1):
        name = f"buyer{index}"
        if User.objects.filter(username=name).exists():
            lines.append(f"Store login: {left_as_it_is(name)}")
        elif customer := next(customers, None):
            user = create_login(username=name, password=CUSTOMER_PASSWORD, staff=False)
            Customer.objects.filter(pk=customer.pk).update(user=user)
            lines.append(f"Store login: {name} / {CUSTOMER_PASSWORD} ({customer.name})")
    return lines


class Command(BaseCommand):
    help = "Create the demo staff log-in and a few customers' store log-ins, where missing."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--username", type=username, default="admin")
        parser.add_argument("--password", type=password, default="juniper-demo")
        parser.add_argument(
            "--customers",
            type=whole_number(0, MAX_STORE_LOGINS),
            default=3,
            help=f"Store log-ins to make, 0 to {MAX_STORE_LOGINS:,} (default: 3).",
        )
        add_not_production_flag(parser)

    def handle(
        self, *args: Any, username: str, password: str, customers: int, **options: Any
    ) -> None:
        refuse_on_a_real_store(options, "this command makes a superuser with a known password")
        with transaction.atomic():
            if User.objects.filter(username=username).exists():
                lines = [f"Staff login: {left_as_it_is(username)}"]
            else:
                create_login(username=username, password=password, staff=True)
                lines = [f"Staff login: {username} / {password}"]
            lines += store_logins(customers)
        for line in lines:
            self.stdout.write(line)
