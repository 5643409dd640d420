"""Server-rendered, accessible SVG bar charts of suppressed tables (no JavaScript).

Each chart is ``role="img"`` with a <title> and a <desc> (aria-labelledby both); the page shows
the same numbers in a table beside it. Bars are drawn only for numbers that are shown: a hidden
number ("<5" or "x") gets its label and no bar, so the picture gives nothing away either.
"""

from __future__ import annotations

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from vern.stats.suppression import Table

WIDTH = 640
LABEL_WIDTH = 280
BAR_AREA = WIDTH - LABEL_WIDTH - 60
BAR_HEIGHT = 22
GAP = 10
TOP = 8


def _bars(table: Table) -> list[tuple[str, str, int | None]]:
    """(label, shown text, value or None) for every value cell, without totals."""
    bars: list[tuple[str, str, int | None]] = []
    for row in table.rows[: table.value_rows]:
        for index in range(table.value_columns):
            cell = row.cells[index]
            label = (
                row.label if table.value_columns == 1 else f"{row.label} – {table.columns[index]}"
            )
            bars.append((label, cell.text, cell.value))
    return bars


def bar_chart(table: Table) -> SafeString:
    bars = _bars(table)
    largest = max((value for _l, _t, value in bars if value), default=0)
    height = TOP * 2 + len(bars) * (BAR_HEIGHT + GAP)
    title_id, desc_id = f"chart-{table.id}-title", f"chart-{table.id}-desc"
    shown = [f"{label}: {text}" for label, text, _v in bars]
    description = _("Søylediagram. %(values)s. De samme tallene står i tabellen.") % {
        "values": "; ".join(shown)
    }
    items = []
    for index, (label, text, value) in enumerate(bars):
        y = TOP + index * (BAR_HEIGHT + GAP)
        length = round(BAR_AREA * value / largest) if value and largest else 0
        items.append(
            (
                LABEL_WIDTH - 8,
                y + BAR_HEIGHT * 0.7,
                label,
                LABEL_WIDTH,
                y,
                length,
                BAR_HEIGHT,
                "vern-chart__bar"
                if value is not None
                else "vern-chart__bar vern-chart__bar--hidden",
                LABEL_WIDTH + length + 6,
                y + BAR_HEIGHT * 0.7,
                text,
            )
        )
    body = format_html_join(
        "",
        '<text class="vern-chart__label" x="{}" y="{}" text-anchor="end">{}</text>'
        '<rect x="{}" y="{}" width="{}" height="{}" class="{}"></rect>'
        '<text class="vern-chart__value" x="{}" y="{}">{}</text>',
        items,
    )
    return format_html(
        '<svg class="vern-chart" role="img" aria-labelledby="{} {}" viewBox="0 0 {} {}" '
        'width="100%" preserveAspectRatio="xMinYMin meet" xmlns="http://www.w3.org/2000/svg">'
        '<title id="{}">{}</title><desc id="{}">{}</desc>{}</svg>',
        title_id,
        desc_id,
        WIDTH,
        height,
        title_id,
        table.title,
        desc_id,
        description,
        body,
    )
