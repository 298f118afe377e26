"""Demo data and the bulk loader behind `seed_demo`."""
