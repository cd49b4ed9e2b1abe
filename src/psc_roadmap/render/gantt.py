"""The geometry of a roadmap's SVG Gantt chart: year and quarter ticks, one bar per action
in rows grouped by theme, in viewBox units (1 unit is about 1 CSS pixel at full width)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from psc_roadmap.render.filters import num
from psc_roadmap.render.views import ActionView, Gantt, GanttBar, GanttSection, GanttTick
from psc_roadmap.text import one_line

WIDTH = 1000
#: Room on the left for each bar's id and title.
LABELS = 370
RIGHT = 24
HEADER = 40
ROW = 20
LABEL_CHARS = 60


def gantt_chart(prefix: str, sections: Sequence[tuple[str, tuple[ActionView, ...]]], first_year: int,
                last_year: int, labels: Mapping[str, str], titled: bool) -> Gantt:
    """The chart of `sections` (title, actions) over the years `first_year` to `last_year`;
    section titles get a row of their own when `titled`. `prefix` makes its SVG ids unique."""
    left, right = LABELS + 8, WIDTH - RIGHT
    unit = (right - left) / ((last_year - first_year + 1) * 12)
    years, quarters = _ticks(left, unit, first_year, last_year, labels)
    rows, bottom = _rows(sections, left, unit, first_year * 12, titled)
    return Gantt(
        prefix=prefix,
        width=WIDTH,
        height=bottom + 6,
        chart_left=left,
        chart_right=right,
        header=HEADER,
        row=ROW,
        years=years,
        quarters=quarters,
        sections=rows,
        first_year=first_year,
        last_year=last_year,
    )


def _ticks(left: float, unit: float, first_year: int, last_year: int,
           labels: Mapping[str, str]) -> tuple[tuple[GanttTick, ...], tuple[GanttTick, ...]]:
    """Year ticks, and quarter ticks (labelled only where a quarter is wide enough)."""
    years = tuple(
        GanttTick(num(left + i * 12 * unit), num(left + (i * 12 + 6) * unit), str(first_year + i), True)
        for i in range(last_year - first_year + 1)
    )
    show_quarters = unit * 3 >= 16
    quarters = tuple(
        GanttTick(num(left + q * 3 * unit), num(left + (q * 3 + 1.5) * unit),
                  f"{labels['quarter']}{q % 4 + 1}" if show_quarters else "", q % 4 == 0)
        for q in range((last_year - first_year + 1) * 4)
    )
    return years, quarters


def _rows(sections: Sequence[tuple[str, tuple[ActionView, ...]]], left: float, unit: float, origin: int,
          titled: bool) -> tuple[tuple[GanttSection, ...], int]:
    """One bar per action, a row each (and one per section title when `titled`), from the
    top of the first row down; with the y where the last row ends."""
    y = HEADER
    row = 0
    rows = []
    for title, actions in sections:
        section_y = y
        if titled:
            y += ROW
        bars = []
        for a in actions:
            x = left + (a.first_month - origin) * unit
            width = (a.last_month - a.first_month + 1) * unit
            bars.append(GanttBar(
                action=a,
                row_y=num(y),
                x=num(x),
                x2=num(x + width),
                width=num(width),
                end_x=num(x + width + 3),
                label=_clip(one_line(a.plain_title), LABEL_CHARS - len(a.id)),
                stripe=row % 2 == 1,
            ))
            y += ROW
            row += 1
        rows.append(GanttSection(title if titled else None, num(section_y + 14), tuple(bars)))
    return tuple(rows), y


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
