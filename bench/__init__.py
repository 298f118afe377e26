"""Measurements at scale: `python bench/run.py` (bench/README.md). Not in the app's URLs."""
