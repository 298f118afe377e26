"""The four roles of the README's "Roles" table, as groups: Store admin, WebManager staff,
Sales rep and Viewer.

Only ever adds: a permission a store gave a group stays, whether this migration runs again or a
later one adds more. Before the roles exist, whoever could view carts saw every cart: they keep
that (`carts.view_all_carts`), so upgrading hides nothing from anyone.
"""

from django.apps.registry import Apps
from django.contrib.auth.management import create_permissions
from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor

SET_UP = [
    f"{app}.{verb}_{model}"
    for app, model in [
        ("pricing", "pricelevel"),
        ("customers", "salesrep"),
        ("customers", "customer"),
        ("pricing", "product"),
        ("pricing", "productprice"),
    ]
    for verb in ("add", "change", "delete", "view")
]
EVERY_CART = ["carts.view_cart", "carts.view_all_carts"]
FOLLOW_UP = ["carts.add_cartnote", "carts.add_cartcontact", "carts.set_follow_up"]
ROLES = {
    "Store admin": [
        *EVERY_CART,
        *FOLLOW_UP,
        "carts.change_cart",
        "carts.delete_cart",
        "carts.view_cartevent",
        *SET_UP,
        # Unlocking someone locked out of signing in (Store set-up, Security).
        "axes.view_accessattempt",
        "axes.delete_accessattempt",
        # Linking a rep to a log-in and giving people their role.
        "auth.add_user",
        "auth.change_user",
        "auth.view_user",
        "auth.view_group",
    ],
    "WebManager staff": [*EVERY_CART, *FOLLOW_UP, "carts.delete_cart"],
    "Sales rep": ["carts.view_cart", *FOLLOW_UP],
    "Viewer": EVERY_CART,
}


def permissions_named(apps: Apps, names: list[str]) -> list[object]:
    Permission = apps.get_model("auth", "Permission")
    found = []
    for name in names:
        app_label, codename = name.split(".")
        found.append(
            Permission.objects.get(content_type__app_label=app_label, codename=codename)
        )
    return found


def create_roles(apps: Apps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    # Permissions are made after migrations run; a fresh database needs them now.
    for app_config in apps.get_app_configs():
        models_module = getattr(app_config, "models_module", None)
        app_config.models_module = models_module or True  # what create_permissions looks for
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = models_module
    Group = apps.get_model("auth", "Group")
    User = apps.get_model("auth", "User")
    (view_all,) = permissions_named(apps, ["carts.view_all_carts"])
    # The roles themselves are left out: a Sales rep sees their own customers' carts only.
    for group in Group.objects.filter(
        permissions__codename="view_cart", permissions__content_type__app_label="carts"
    ).exclude(name__in=ROLES):
        group.permissions.add(view_all)
    for user in User.objects.filter(
        user_permissions__codename="view_cart", user_permissions__content_type__app_label="carts"
    ):
        user.user_permissions.add(view_all)
    for name, permissions in ROLES.items():
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.add(*permissions_named(apps, permissions))


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("axes", "0010_accessattemptexpiration"),
        ("carts", "0011_follow_up"),
        ("customers", "0005_sales_rep_user"),
        ("pricing", "0001_initial"),
    ]

    operations = [migrations.RunPython(create_roles, migrations.RunPython.noop)]
