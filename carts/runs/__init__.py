"""Runs of staff actions, whatever their size: the run record, starting a run (inline, or as a
job a task worker takes chunk by chunk), undoing and resuming one, the result in words, the Jobs
page, the stale-cart policy."""
