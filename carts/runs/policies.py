"""Stale-cart clean-up: open carts nobody has touched for a while, deleted by a run of Delete
Order (so they stay restorable for CART_RETENTION_DAYS) that the command works through itself,
as a job, each audit entry naming the policy or command that chose them."""

from dataclasses import dataclass

from django.contrib.auth.models import User
from django.http import QueryDict

from carts.actions.declarations import DELETE
from carts.listing.filters import OpenCartFilter
from carts.models import Cart, CartRun
from carts.querysets import CartQuerySet
from carts.runs.starting import start
from carts.services import CartActionRefused, NothingToChange


@dataclass(frozen=True)
class StaleCarts:
    """Which open carts count as stale: no touch for `last_touch_days`, and optionally open for
    `days_open`, of one rep or at one price level."""

    last_touch_days: int
    days_open: int | None = None
    rep: int | None = None
    price_level: int | None = None

    def describe(self) -> str:
        parts = [f"no touch for {self.last_touch_days:,} days or more"]
        if self.days_open is not None:
            parts.append(f"open {self.days_open:,} days or more")
        if self.rep is not None:
            parts.append(f"rep {self.rep}")
        if self.price_level is not None:
            parts.append(f"price level {self.price_level}")
        return ", ".join(parts)

    def carts(self, user: User | None = None) -> CartQuerySet:
        """The matching open carts `user` may see (None: the store, every cart), chosen exactly
        as the Open Carts filters would."""
        query = QueryDict(mutable=True)
        query["last_touch_min"] = str(self.last_touch_days)
        for name, value in [
            ("days_open_min", self.days_open),
            ("rep", self.rep),
            ("price_level", self.price_level),
        ]:
            if value is not None:
                query[name] = str(value)
        chosen = OpenCartFilter(query, queryset=Cart.objects.visible_to(user).open(), user=user)
        if not chosen.is_valid():
            problems = "; ".join(f"{k}: {' '.join(v)}" for k, v in chosen.errors.items())
            raise CartActionRefused(f"Not a valid choice of carts ({problems}).")
        qs = chosen.qs
        assert isinstance(qs, CartQuerySet)
        return qs

    def delete_run(self, user: User | None, reason: str) -> CartRun | None:
        """A deletion of the stale carts as a job its caller (a command) works through itself,
        or None if there are none."""
        reason = f"{reason}: {self.describe()}"
        try:
            return start(
                DELETE,
                self.carts(user),
                user,
                reason=reason,
                mode=CartRun.Mode.JOB,
                to_worker=False,
            )
        except NothingToChange:
            return None
