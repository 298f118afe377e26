"""Templates ask carts.access the same questions the views do: `{% if user|may_delete_carts %}`."""

from django import template

from carts import access

register = template.Library()

register.filter("may_view_carts", access.may_view_carts)
register.filter("may_change_price_level", access.may_change_price_level)
register.filter("may_delete_carts", access.may_delete_carts)
register.filter("may_add_notes", access.may_add_notes)
register.filter("may_add_contacts", access.may_add_contacts)
register.filter("may_set_follow_up", access.may_set_follow_up)
