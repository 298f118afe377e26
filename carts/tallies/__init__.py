"""Open-cart tallies: a count and value per price level, rep and start date, kept by PostgreSQL
triggers."""
