"""Reminders (issue 18 point 3): each staff member's list of what is due, from the case state
(``vern.desk.state``), shown as "Oppgaver (N)" in the header and, opt-in, announced by an
e-mail that says only how many tasks there are (``vern remind``)."""
