"""CSV export of suppressed statistics, safe to open in a spreadsheet.

Formula injection: a cell that starts with = + - @ tab or carriage return is prefixed with an
apostrophe, so a spreadsheet shows it as text instead of running it. Only suppressed tables are
exported (the same "<5" and "x" as on the page).
"""

from __future__ import annotations

import csv
import io

from django.utils.translation import gettext as _

from vern.stats.selectors import Statistics
from vern.stats.suppression import PRIMARY_TEXT, SECONDARY_TEXT

DANGEROUS_FIRST = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: object) -> str:
    text = str(value)
    if text.startswith(DANGEROUS_FIRST):
        return "'" + text
    return text


def statistics_csv(stats: Statistics) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")

    def row(*cells: object) -> None:
        writer.writerow([safe_cell(cell) for cell in cells])

    row(_("Statistikk"), stats.scope_label)
    row(_("Periode"), stats.period.start.isoformat(), stats.period.last_day.isoformat())
    row(
        _("Skjuling"),
        _("%(p)s = færre enn 5; %(s)s = skjult for at et lite tall ikke skal kunne regnes ut")
        % {"p": PRIMARY_TEXT, "s": SECONDARY_TEXT},
    )
    for table in stats.tables:
        row()
        row(table.title)
        row("", *table.columns)
        for line in table.rows:
            row(line.label, *(cell.text for cell in line.cells))
    row()
    ttp = stats.time_to_police
    row(_("Tid fra første vurdering til første politikontakt"))
    row(_("Saker"), ttp.cases_text)
    row(_("Median (dager)"), ttp.median_text)
    return out.getvalue()
