from django import template

from carts.services.audit import actor_name

register = template.Library()

# How a person is named on screen: the same words the audit trail uses.
register.filter("display_name", actor_name)
