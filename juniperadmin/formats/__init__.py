"""How dates and times read everywhere: the staff screens, the store side and the Django admin.

`FORMAT_MODULE_PATH` in the settings points Django's formats at this package, so the admin's
dates, `date_format(moment, "DATETIME_FORMAT")` and `{{ moment|date:"DATETIME_FORMAT" }}`
all read as the Open Carts screen does: "Nov 26, 2026" and "Nov 26, 2026 10:14 AM", in the
time zone they are given (the store's, `TIME_ZONE`, unless another is active).
"""
