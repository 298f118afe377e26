"""Make sure the demo log-ins exist and work, whatever state they were left in: a staff
superuser for the Open Carts screen and the admin, and store log-ins for a few customers."""

from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from django.core.management.base import BaseCommand, CommandParser
from django.db import transaction

from customers.models import Customer

CUSTOMER_PASSWORD = "shop-demo"


def ensure_login(*, username: str, password: str, staff: bool) -> User:
    """Create the user, or reset its password and flags."""
    user_model = get_user_model()
    lookup: dict[str, Any] = {user_model.USERNAME_FIELD: username}
    user, _ = user_model.objects.get_or_create(**lookup)
    user.set_password(password)
    user.is_active = True
    user.is_staff = user.is_superuser = staff
    user.save()
    return user


class Command(BaseCommand):
    help = "Create or repair the demo staff log-in and a few customers' store log-ins."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--username", default="admin")
        parser.add_argument("--password", default="juniper-demo")
        parser.add_argument("--customers", type=int, default=3, help="Store log-ins to make.")

    def handle(
        self, *args: Any, username: str, password: str, customers: int, **options: Any
    ) -> None:
        with transaction.atomic():
            ensure_login(username=username, password=password, staff=True)
            shoppers = []
            buyers = Customer.objects.filter(is_active=True).order_by("customer_number")
            for index, customer in enumerate(buyers[:customers], start=1):
                name = f"buyer{index}"
                user = ensure_login(username=name, password=CUSTOMER_PASSWORD, staff=False)
                Customer.objects.filter(user=user).exclude(pk=customer.pk).update(user=None)
                customer.user = user
                customer.save(update_fields=["user"])
                shoppers.append(f"{name} / {CUSTOMER_PASSWORD} ({customer.name})")
        self.stdout.write(f"Staff login: {username} / {password}")
        for shopper in shoppers:
            self.stdout.write(f"Store login: {shopper}")
