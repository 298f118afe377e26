"""The Open Carts list: its filters, its columns, its pager and its views."""
