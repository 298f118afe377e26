"""Templates ask carts.access the same questions the views do: `{% if user|may_delete_carts %}`."""

from django import template

from carts import access

register = template.Library()

register.filter("may_view_carts", access.may_view_carts)
register.filter("may_change_price_level", access.may_change_price_level)
register.filter("may_delete_carts", access.may_delete_carts)
