from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q

CODE_PATTERN = r"^[A-Za-z0-9_-]+$"
code_validator = RegexValidator(
    CODE_PATTERN, "Use only letters, digits, dashes (-) and underscores (_)."
)


class PriceLevel(models.Model):
    """A numbered pricing tier; 0 is the base price."""

    # The number is the key: carts sort by level through their own indexed column, no join.
    number = models.PositiveSmallIntegerField(
        primary_key=True, validators=[MinValueValidator(0), MaxValueValidator(20)]
    )
    name = models.CharField(max_length=60)
    currency = models.CharField(
        max_length=3,
        default="USD",
        validators=[RegexValidator(r"^[A-Z]{3}$", "Use a three-letter ISO 4217 code.")],
        help_text="ISO 4217 code, e.g. USD.",
    )
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["number"]
        constraints = [
            models.CheckConstraint(
                condition=Q(number__gte=0) & Q(number__lte=20), name="price_level_number_0_to_20"
            ),
            models.CheckConstraint(
                condition=Q(currency__regex=r"^[A-Z]{3}$"), name="price_level_currency_iso"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} – {self.name}"

    def clean(self) -> None:
        """A level's currency is the unit of every amount stored at it: changing it once carts
        use the level would relabel their totals and lines (and orders already submitted)."""
        if self._state.adding:
            return
        stored = PriceLevel.objects.filter(pk=self.pk).values_list("currency", flat=True).first()
        if stored is not None and stored != self.currency and self.carts.exists():
            raise ValidationError(
                {
                    "currency": f"Carts and orders at this level are in {stored}; its currency "
                    "cannot change. Create a new level in the new currency instead."
                }
            )


class Product(models.Model):
    item_id = models.CharField(
        max_length=49,
        unique=True,
        validators=[code_validator],
        help_text="Letters, digits, - and _ only; cannot be changed once created.",
    )
    name = models.CharField(max_length=100)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["item_id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(item_id__regex=CODE_PATTERN), name="product_item_id_chars"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.item_id} – {self.name}"

    def clean(self) -> None:
        if self.pk:
            stored = Product.objects.filter(pk=self.pk).values_list("item_id", flat=True).first()
            if stored is not None and stored != self.item_id:
                raise ValidationError({"item_id": "An item id cannot be changed once created."})


class ProductPriceQuerySet(models.QuerySet["ProductPrice"]):
    def catalog(self, level: PriceLevel, search: str = "") -> "ProductPriceQuerySet":
        """What a customer at `level` can buy: active products priced there, by item id."""
        prices = (
            self.filter(price_level=level, product__is_active=True)
            .select_related("product")
            .order_by("product__item_id")
        )
        if search:
            prices = prices.filter(
                Q(product__item_id__icontains=search) | Q(product__name__icontains=search)
            )
        return prices


class ProductPrice(models.Model):
    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="prices")
    price_level = models.ForeignKey(PriceLevel, on_delete=models.PROTECT, related_name="prices")
    unit_price = models.DecimalField(
        max_digits=12, decimal_places=2, validators=[MinValueValidator(0)]
    )

    objects = ProductPriceQuerySet.as_manager()

    class Meta:
        ordering = ["product", "price_level__number"]
        constraints = [
            models.UniqueConstraint(
                fields=["product", "price_level"], name="one_price_per_product_and_level"
            ),
            models.CheckConstraint(condition=Q(unit_price__gte=0), name="unit_price_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.product.item_id} at level {self.price_level.number}: {self.unit_price}"


class ImportRecord(models.Model):
    """One import of the store set-up (pricing.setup_io): who, when, which file, and what it
    did. Written by the import itself; nobody edits it."""

    IMPORTED = "imported"
    REFUSED = "refused"
    OUTCOMES = [(IMPORTED, "Imported"), (REFUSED, "Refused, nothing written")]

    created_at = models.DateTimeField(auto_now_add=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    user_name = models.CharField(max_length=150)
    kind = models.CharField(max_length=60, help_text="What the file held, e.g. “Customers”.")
    file_name = models.CharField(max_length=255)
    outcome = models.CharField(max_length=10, choices=OUTCOMES)
    added = models.PositiveIntegerField(default=0)
    changed = models.PositiveIntegerField(default=0)
    unchanged = models.PositiveIntegerField(default=0)
    refused = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.kind} from {self.file_name} ({self.get_outcome_display()})"
