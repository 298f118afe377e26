"""Export: every cart a list's filters match, in its sort, as CSV or Excel, streamed."""
