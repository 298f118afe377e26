"""Recovery e-mails (issue 21): the store's templates (`records.RecoveryTemplate`), rendered in a
sandbox that reaches only the named placeholders (`sandbox`); "E-mail customer", a declared
action (`confirm`, `sending`) that records an intent per e-mail before it is sent and its
delivery after (`records.RecoveryEmail`); and the signed link back to the cart (`link`)."""
