"""Make sure the demo log-ins exist: a staff superuser for the Open Carts screen and the admin,
a sales rep's log-in (`rep`, who sees one rep's customers' carts), and store log-ins for a few
customers.

It makes only what is missing. An account that already exists is left exactly as it is, its
password above all (on a real store `admin` is somebody's). Every run prints every demo log-in
with its password, so `make run` shows them each time; where an account's password is no longer
the demo one (checked, never guessed) it says so instead of printing a wrong one. With DEBUG
off it runs only when told this is not a real store (`--i-know-this-is-not-production`).
"""

import argparse
from typing import Any

from django.contrib.auth.hashers import check_password
from django.contrib.auth.models import Group, User
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandParser
from django.db import transaction

from common.arguments import add_not_production_flag, refuse_on_a_real_store, whole_number
from customers.models import Customer, SalesRep

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


def existing_login(user: User, demo_password: str, *notes: str) -> str:
    """How to sign in with an account that was already there: its name and the demo password
    if that still opens it, else that it has a password of its own (left as it is)."""
    if check_password(demo_password, user.password):  # no setter: the hash stays as it is
        line = f"{user.username} / {demo_password}"
    else:
        line = f"{user.username}: its password was changed since, so it is not {demo_password}"
    if not user.is_active:
        notes = ("deactivated: it cannot sign in", *notes)
    return f"{line} ({'; '.join(notes)})" if notes else line


def existing_staff_login(user: User, demo_password: str) -> str:
    notes = () if user.is_staff else ("not staff: it cannot open Open Carts",)
    return existing_login(user, demo_password, *notes)


def existing_store_login(user: User) -> str:
    customer = Customer.objects.filter(user=user).first()
    note = customer.name if customer else "no customer's log-in: it cannot order"
    return existing_login(user, CUSTOMER_PASSWORD, note)


def store_logins(count: int) -> list[str]:
    """buyer1…buyer`count`: each one missing is made the store log-in of the next active
    customer that has none (an existing account, and a customer's own log-in, stay as they are)."""
    without_login = Customer.objects.filter(is_active=True, user=None).order_by("customer_number")
    customers = iter(without_login[:count])
    lines = []
    for index in range(1, count + 1):
        name = f"buyer{index}"
        if user := User.objects.filter(username=name).first():
            lines.append(f"Store login: {existing_store_login(user)}")
        elif customer := next(customers, None):
            user = create_login(username=name, password=CUSTOMER_PASSWORD, staff=False)
            Customer.objects.filter(pk=customer.pk).update(user=user)
            lines.append(f"Store login: {name} / {CUSTOMER_PASSWORD} ({customer.name})")
    return lines


REP_USERNAME, REP_GROUP = "rep", "Sales rep"


def rep_login(password: str) -> list[str]:
    """`rep`: a Sales rep's log-in (README, Roles) linked to the first active rep that has
    none, who sees that rep's customers' carts only. No line when there is no rep to link."""
    if user := User.objects.filter(username=REP_USERNAME).first():
        rep = SalesRep.objects.filter(user=user).first()
        whose = f"{rep}: their customers' carts only" if rep else "linked to no rep: sees no cart"
        return [f"Sales rep login: {existing_login(user, password, whose)}"]
    rep = SalesRep.objects.filter(is_active=True, user=None).order_by("rep_number").first()
    group = Group.objects.filter(name=REP_GROUP).first()
    if rep is None or group is None:
        return []
    user = User.objects.create_user(REP_USERNAME, password=password, is_staff=True)
    user.groups.add(group)
    SalesRep.objects.filter(pk=rep.pk).update(user=user)
    return [f"Sales rep login: {REP_USERNAME} / {password} ({rep}: their customers' carts only)"]


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
            if user := User.objects.filter(username=username).first():
                lines = [f"Staff login: {existing_staff_login(user, password)}"]
            else:
                create_login(username=username, password=password, staff=True)
                lines = [f"Staff login: {username} / {password}"]
            lines += rep_login(password)
            lines += store_logins(customers)
        for line in lines:
            self.stdout.write(line)
