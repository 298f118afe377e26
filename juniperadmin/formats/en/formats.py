"""The store's English date formats (Django's own fill in every format not named here)."""

# "Nov 26, 2026": as the Start Date column.
DATE_FORMAT = "M j, Y"
# "Nov 26, 2026 10:14 AM": as the details dialog, Recently deleted and the store's orders.
DATETIME_FORMAT = "M j, Y g:i A"
