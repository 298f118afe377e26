"""The stale counts' price triggers replaced: a changed price counts only if its product is in
some cart's lines, found first and kept as arrays. A price list's new products (a set-up import)
recount no cart, and a batch of thousands holding a few is planned as a few. Before, a statement
of more than 20 prices recounted every open cart at their levels, whatever the products: at a
million carts, importing 100,000 new prices took 229 s and changing them 202 s (now 7 s and
9 s). And the recount no longer makes its carts distinct again, and plans each call for its
own carts: a new price list for every product at every level, which recounts every open
cart, took 21 s at a million carts and takes 9 s. The counts need no recount."""

from django.db import migrations


def replace_functions(apps, schema_editor):
    from carts.stale import triggers as stale

    stale.replace_functions(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [
        ("carts", "0022_insight_by_id"),
    ]

    # Backwards: the functions as this code has them (which count correctly either way).
    operations = [migrations.RunPython(replace_functions, replace_functions)]
