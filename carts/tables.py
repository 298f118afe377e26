import django_tables2 as tables
from django.contrib.auth.base_user import AbstractBaseUser
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.timezone import localtime

from carts.days import store_timezone
from carts.models import Cart
from carts.services.audit import actor_name
from pricing.money import format_money

DAYS_OPEN_HINT = "Whole calendar days since the cart was started (store time zone)."
LAST_TOUCH_HINT = "Whole calendar days since the customer last viewed or changed the cart."


def _numeric(hint: str = "") -> dict:
    th = {"class": "numeric"}
    if hint:
        th["title"] = hint
    return {"th": th, "td": {"class": "numeric"}}


class MoneyColumn(tables.Column):
    """An amount in the cart's currency."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("attrs", _numeric())
        super().__init__(*args, **kwargs)

    def render(self, value, record) -> str:
        return format_money(value, record.price_level.currency)


class OpenCartsTable(tables.Table):
    cart = tables.CheckBoxColumn(
        accessor="pk",
        attrs={
            "th": {"class": "select"},
            "td": {"class": "select"},
            "th__input": {"data-select-page": "", "aria-label": "Select every cart on this page"},
            "td__input": {"data-select-row": "", "aria-label": "Select this cart"},
        },
    )
    actions = tables.TemplateColumn(
        template_name="carts/_row_actions.html",
        verbose_name="Actions",
        orderable=False,
        attrs={"td": {"class": "actions"}},
    )
    created_at = tables.Column("Start Date", order_by=("created_at", "id"))
    customer = tables.Column(
        "Customer", accessor="customer__name", order_by=("customer__name", "id")
    )
    customer_number = tables.Column(
        "Customer #",
        accessor="customer__customer_number",
        order_by=("customer__customer_number", "id"),
    )
    price_level = tables.Column("Price Level", order_by=("price_level_id", "id"))
    rep_number = tables.Column(
        "Rep #",
        accessor="rep_number",
        order_by=("rep_number", "id"),
        attrs=_numeric(),
    )
    total = MoneyColumn("Order Total", order_by=("total", "id"))
    # Sorting by a day count means sorting by the timestamp it comes from, the other way round,
    # which an index can serve.
    days_open = tables.Column(
        "Days Open", order_by=("-created_at", "-id"), attrs=_numeric(DAYS_OPEN_HINT)
    )
    last_touch = tables.Column(
        "Last Touch", order_by=("-last_touched_at", "-id"), attrs=_numeric(LAST_TOUCH_HINT)
    )

    class Meta:
        model = Cart
        fields = ()
        sequence = (
            "cart",
            "actions",
            "created_at",
            "customer",
            "customer_number",
            "price_level",
            "rep_number",
            "total",
            "days_open",
            "last_touch",
        )
        order_by = ("days_open",)
        attrs = {"class": "open-carts", "id": "open-carts"}
        row_attrs = {"data-cart-id": lambda record: record.pk}
        empty_text = "No open carts match these filters."
        orderable = True

    def __init__(self, *args, can_change=False, can_delete=False, query="", **kwargs):
        super().__init__(*args, **kwargs)
        # What the row buttons may offer; the server checks again on every request.
        self.can_change = can_change
        self.can_delete = can_delete
        self.query = query

    def render_created_at(self, value) -> str:
        return date_format(localtime(value, store_timezone()), "M j, Y")

    def render_price_level(self, value) -> str:
        return format_html('<span class="level-number">{}</span> {}', value.number, value.name)


class DeletedCartsTable(tables.Table):
    deleted_at = tables.Column("Deleted", order_by=("deleted_at", "id"))
    deleted_by = tables.Column("By", default="—", orderable=False)
    customer = tables.Column(
        "Customer", accessor="customer__name", order_by=("customer__name", "id")
    )
    customer_number = tables.Column("Customer #", accessor="customer__customer_number")
    total = MoneyColumn("Order Total")
    restore = tables.TemplateColumn(
        template_name="carts/_restore_button.html", verbose_name="", orderable=False
    )

    class Meta:
        model = Cart
        fields = ()
        sequence = ("deleted_at", "deleted_by", "customer", "customer_number", "total", "restore")
        order_by = ("-deleted_at",)
        attrs = {"class": "open-carts", "id": "deleted-carts"}
        row_attrs = {"data-cart-id": lambda record: record.pk}
        empty_text = "No recently deleted carts."

    def __init__(self, *args, can_restore=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.can_restore = can_restore

    def render_deleted_at(self, value) -> str:
        return date_format(localtime(value, store_timezone()), "M j, Y g:i A")

    def render_deleted_by(self, value: AbstractBaseUser) -> str:
        return actor_name(value)
