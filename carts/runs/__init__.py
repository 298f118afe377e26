"""Runs of staff actions: big ones as jobs a task worker takes chunk by chunk, the Jobs page, the
stale-cart policy."""
