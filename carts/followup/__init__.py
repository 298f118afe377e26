"""Staff follow-up on a cart (issue 19): notes, contacts with the customer and the follow-up
date. Staff activity only: none of it is a customer touch, so Last Touch stays the customer's."""
