"""Recently deleted: the deleted carts that can come back, and restoring them."""
