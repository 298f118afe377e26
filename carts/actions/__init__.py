"""The staff actions on open carts: the one endpoint, the selection and its pin, the
confirmations."""
