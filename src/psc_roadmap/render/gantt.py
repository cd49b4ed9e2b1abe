"""The geometry of a roadmap's SVG Gantt chart: year and quarter ticks, one bar per action
in rows grouped by theme, in viewBox units, cut into panels that each fit a printed page.

The chart is 720 units wide: on an A4 page in portrait (180 mm between the margins) a unit
prints at about 0.95 CSS pixel, so that its smallest text (10.5 units) prints above 7 pt.
A label longer than a line of the label column goes on to a second line."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from psc_roadmap.render.filters import num
from psc_roadmap.render.views import ActionView, Gantt, GanttBar, GanttPanel, GanttSection, GanttTick
from psc_roadmap.text import one_line

WIDTH = 720
#: Room on the left for each bar's id and title.
LABELS = 320
RIGHT = 22
HEADER = 40
#: A row of one line of label, and what each further line adds.
ROW = 20
LINE = 13
BAR = 12
#: Characters of one line of label: the label column over a wide average character of
#: 11-unit text (6 units, DejaVu Sans on French titles), so that a line never runs into the bars.
LINE_CHARS = 53
LABEL_LINES = 2
#: The height of a panel's rows at most: with its header, a panel fits an A4 page in portrait.
PANEL_ROWS = 860


def gantt_chart(prefix: str, sections: Sequence[tuple[str, tuple[ActionView, ...]]], first_year: int,
                last_year: int, labels: Mapping[str, str], titled: bool) -> Gantt:
    """The chart of `sections` (title, actions) over the years `first_year` to `last_year`;
    section titles get a row of their own when `titled`. `prefix` makes its SVG ids unique."""
    left, right = LABELS + 8, WIDTH - RIGHT
    unit = (right - left) / ((last_year - first_year + 1) * 12)
    years, quarters = _ticks(left, unit, first_year, last_year, labels)
    return Gantt(
        prefix=prefix,
        width=WIDTH,
        chart_left=left,
        chart_right=right,
        header=HEADER,
        years=years,
        quarters=quarters,
        panels=_panels(prefix, _bars(sections, left, unit, first_year * 12), titled),
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


_Bars = list[tuple[str, list[tuple[ActionView, tuple[str, ...], float, float]]]]


def _bars(sections: Sequence[tuple[str, tuple[ActionView, ...]]], left: float, unit: float,
          origin: int) -> _Bars:
    """Each section's actions with their label lines and the x and width of their bar."""
    return [
        (title, [
            (a, label_lines(a.id, one_line(a.plain_title)), left + (a.first_month - origin) * unit,
             (a.last_month - a.first_month + 1) * unit)
            for a in actions
        ])
        for title, actions in sections
    ]


def _panels(prefix: str, sections: _Bars, titled: bool) -> tuple[GanttPanel, ...]:
    """The rows, from the top of the first down, cut into panels of at most PANEL_ROWS
    units: a section title gets a row when `titled` (again at the top of a panel that the
    section runs on to); rows alternate stripes across panels."""
    pages: list[tuple[float, list[GanttSection]]] = []
    current: list[GanttSection] = []
    y: float = HEADER
    stripe = False
    for title, bars in sections:
        section_y: float = y
        rows: list[GanttBar] = []
        if titled:
            y += ROW
        for a, lines, x, width in bars:
            height = ROW + LINE * (len(lines) - 1)
            if y + height - HEADER > PANEL_ROWS and (rows or current):
                if rows:
                    current.append(GanttSection(title if titled else None, num(section_y + 14), tuple(rows)))
                pages.append((y, current))
                current, rows, y = [], [], HEADER
                section_y = y
                if titled:
                    y += ROW
            rows.append(GanttBar(
                action=a, row_y=num(y), height=num(height), bar_y=num((height - BAR) / 2),
                text_y=num(height / 2 + 4), x=num(x), x2=num(x + width), width=num(width),
                end_x=num(x + width + 3), label=lines[0],
                more=tuple((num(14 + LINE * i), line) for i, line in enumerate(lines[1:], 1)), stripe=stripe,
            ))
            stripe = not stripe
            y += height
        current.append(GanttSection(title if titled else None, num(section_y + 14), tuple(rows)))
    pages.append((y, current))
    return tuple(
        GanttPanel(prefix if number == 1 else f"{prefix}-{number}", number, len(pages), num(height + 6),
                   tuple(parts))
        for number, (height, parts) in enumerate(pages, 1)
    )


def label_lines(action_id: str, title: str) -> tuple[str, ...]:
    """The title of a bar's label in lines of at most LINE_CHARS characters (the first line
    leaves room for the id before it), cut at spaces, at most LABEL_LINES lines; a title of
    two lines is cut where they come out most even, and what is left after the last line is
    clipped with an ellipsis."""
    first = LINE_CHARS - len(action_id) - 1
    if len(title) <= first:
        return (title,)
    cuts = [i for i, c in enumerate(title) if c == " " and i <= first and len(title) - i - 1 <= LINE_CHARS]
    if cuts:
        cut = min(cuts, key=lambda i: max(i + len(action_id) + 1, len(title) - i - 1))
        return (title[:cut], title[cut + 1:])
    lines: list[str] = []
    rest, room = title, first
    while rest and len(lines) < LABEL_LINES:
        cut = rest.rfind(" ", 0, room + 1)
        if len(rest) <= room:
            cut = len(rest)
        elif cut <= room // 2:
            cut = room
        lines.append(rest[:cut].rstrip())
        rest = rest[cut:].lstrip()
        room = LINE_CHARS
    if rest:
        lines[-1] = lines[-1][: LINE_CHARS - 1].rstrip() + "…"
    return tuple(lines)
