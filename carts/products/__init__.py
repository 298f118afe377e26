"""Products in open carts: which products sit in the carts a user may see, for the Open
Carts filters."""
