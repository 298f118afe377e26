"""The daily digest each linked sales rep gets by e-mail (`manage.py send_rep_digests`)."""
