"""Insight above the Open Carts list: tiles, the age chart and the rep breakdown, for the
list's filters (see `carts.insight.figures` for what, `carts.tallies.summary` for how)."""
