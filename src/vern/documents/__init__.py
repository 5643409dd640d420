"""Documents for the user and for the file (issue 7) and the access report (issue 6 point 3)."""
