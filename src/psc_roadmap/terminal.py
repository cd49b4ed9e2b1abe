"""Terminal output of `psc query`, `show` and `summary`: tables and the timeline.

Everything here takes the records of `psc_roadmap.query` and prints them. Text from
the data is never read as markup (`[bold]` in a title stays text). Colour follows
rich: only on a terminal, never with NO_COLOR.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from itertools import groupby
from typing import IO, Any, Protocol, TextIO

from rich.cells import cell_len, get_character_cell_size

from psc_roadmap.enums import STATUS_ORDER
from psc_roadmap.output import result
from psc_roadmap.periods import first_month, last_month
from psc_roadmap.query import TABLE_COLUMNS, Record, table_row
from psc_roadmap.text import terminal_safe

#: One mark per status, so that the timeline reads without colour; ASCII where needed.
STATUS_MARKS = {
    "done": ("█", "#", "green"),
    "in_progress": ("▓", "=", "yellow"),
    "planned": ("░", "-", "cyan"),
    "on_hold": ("╌", "~", "magenta"),
    "cancelled": ("×", "x", "red"),
}
STATUS_STYLES = {status: style for status, (_, _, style) in STATUS_MARKS.items()}
#: One mark per feasibility, for a query table too narrow for the words (legend below it).
FEASIBILITY_MARKS = {
    "surely": ("●●●", "+++"),
    "probably": ("●●○", "++-"),
    "potentially": ("●○○", "+--"),
}
#: The query table gives a title this many cells before it gives the owner its own, the
#: owner enough for every owner to fit in _OWNER_LINES lines (at most _OWNER_MOST cells),
#: and a title never less than _TEXT_MIN.
_TITLE_WANT, _OWNER_LINES, _OWNER_MOST, _TEXT_MIN = 60, 3, 30, 10
#: Rows whose owners decide the owner's width: a long table is laid out by its first ones.
_LAYOUT_SAMPLE = 500
#: Room the timeline leaves its titles: two characters per quarter while titles get
#: _TITLE_ROOMY, one while they get _TITLE_MIN, else one per year (or per _YEAR_STEPS
#: years, the first that fits the span); never under _TITLE_LEAST.
_TITLE_ROOMY, _TITLE_MIN, _TITLE_LEAST = 36, 16, 8
_YEAR_STEPS = (1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000)


class Screen(Protocol):
    """What the drawing code needs of a console: rich's `Console`, or `PlainScreen`."""

    @property
    def width(self) -> int: ...
    @property
    def color_system(self) -> str | None: ...
    @property
    def no_color(self) -> bool: ...
    @property
    def encoding(self) -> str: ...
    @property
    def file(self) -> IO[str]: ...


@dataclass
class PlainScreen:
    """Output to a file or a pipe: no colour, so rich's console (and its import) isn't
    needed; the width follows rich's rule for such output (COLUMNS, else 80)."""

    file: IO[str]
    width: int
    encoding: str
    color_system: str | None = None
    no_color: bool = True


def make_console(stream: TextIO | None = None) -> Screen:
    """A console on stdout (or `stream`) that never reinterprets data as markup or emoji."""
    out = stream or sys.stdout
    if not _is_terminal(out) and not os.environ.get("FORCE_COLOR"):
        try:
            columns = int(os.environ.get("COLUMNS", ""))
        except ValueError:
            columns = 0
        encoding = (getattr(out, "encoding", None) or "utf-8").lower()
        return PlainScreen(out, columns if columns > 0 else 80, encoding)
    from rich.console import Console

    console: Screen = Console(file=out, highlight=False, emoji=False, markup=False, soft_wrap=False)
    return console


def _is_terminal(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


def _ascii(console: Screen) -> bool:
    return not (console.encoding or "").lower().startswith("utf")


# --- lines drawn by hand ------------------------------------------------------------------
# A query, a show or an overdue list may hold thousands of rows: rich's tables lay them
# out too slowly for that (seconds), so they are drawn here line by line, with rich's
# console (width, colour system, NO_COLOR), its cell widths and its styles.


class _Painter:
    """Styles as escape codes when the console shows colour; plain text otherwise."""

    def __init__(self, console: Screen) -> None:
        self.console = console
        self.ascii_only = _ascii(console)
        self._codes: dict[str, tuple[str, str]] = {}

    def __call__(self, text: str, style: str = "") -> str:
        if not style or not text or self.console.color_system is None or self.console.no_color:
            return text  # NO_COLOR / --no-color: no escape codes at all, bold included
        codes = self._codes.get(style)
        if codes is None:
            from rich.console import COLOR_SYSTEMS
            from rich.style import Style

            parsed = Style.parse(style)
            if self.console.no_color:
                parsed = parsed.without_color
            system = COLOR_SYSTEMS.get(self.console.color_system or "")
            rendered = parsed.render("\0", color_system=system)
            before, _, after = rendered.partition("\0")
            codes = self._codes[style] = (before, after)
        return f"{codes[0]}{text}{codes[1]}"

    def write(self, lines: list[str]) -> None:
        result("".join(line.rstrip(" ") + "\n" for line in lines), stream=self.console.file)


def _cells(text: str) -> int:
    """Terminal cells the text takes: its length when ASCII (most of a table), else rich's count."""
    return len(text) if text.isascii() else cell_len(text)


def _longest_word(text: str) -> int:
    """Cells of the widest word of the text."""
    words = text.split()
    if not words:
        return 0
    if text.isascii():
        return max(map(len, words))
    return max(map(cell_len, words))


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _cells(text))


def _pad_painted(painted: str, text: str, width: int) -> str:
    return painted + " " * (width - _cells(text))


def _cut(text: str, width: int) -> tuple[str, str]:
    """The longest head of text that fits in `width` cells (at least one character), and the rest."""
    used = 0
    for i, char in enumerate(text):
        size = get_character_cell_size(char)
        if used + size > width and i:
            return text[:i], text[i:]
        used += size
    return text, ""


def _wrap(text: str, width: int, cut: str | None = "…") -> list[str]:
    """Words packed into lines of `width` cells, broken only between words. A word longer
    than a line is cut to the line and ends in `cut` (an ellipsis); with `cut` None it is
    folded instead, after a hyphen, dot or slash if it has one (nothing is lost)."""
    if (
        len(text) <= width
        and text.isprintable()
        and "  " not in text
        and text == text.strip()
        and _cells(text) <= width
    ):
        return [text]  # most cells: one line as it is
    lines: list[str] = []
    line, used = "", 0
    for word in text.split():
        word = terminal_safe(word)
        size = _cells(word)
        if line and used + 1 + size <= width:
            line, used = f"{line} {word}", used + 1 + size
            continue
        if line:
            lines.append(line)
        if size > width and cut is not None:
            word = _cut(word, max(width - _cells(cut), 1))[0] + cut
            size = _cells(word)
        while size > width:
            head, rest = _cut(word, width)
            # Fold after a hyphen, a dot or a slash when there is one: `hub-` / `visiteurs`.
            breaks = [head.rfind(mark) for mark in "-./"]
            at = max(breaks) + 1
            if 0 < at < len(head):
                head, rest = head[:at], head[at:] + rest
            lines.append(head)
            word, size = rest, _cells(rest)
        line, used = word, size
    if line or not lines:
        lines.append(line)
    return lines


def _lines_needed(words: list[int], width: int) -> int:
    """How many lines words of these cell widths take packed into `width` cells (a word
    wider than a line takes one line, cut)."""
    lines, used = 1, -1
    for size in words:
        size = min(size, width)
        if used >= 0 and used + 1 + size > width:
            lines, used = lines + 1, size
        else:
            used = size if used < 0 else used + 1 + size
    return lines


def _ellipsis(text: str, width: int, ascii_only: bool) -> str:
    """Text on one line of `width` cells, ending in an ellipsis when it is cut."""
    text = terminal_safe(" ".join(text.split()))
    if _cells(text) <= width:
        return text
    mark = "." if ascii_only else "…"
    return _cut(text, max(width - 1, 1))[0] + mark


def _header(paint: _Painter, names: list[str], widths: list[int]) -> list[str]:
    rule = "-" if paint.ascii_only else "─"
    return [
        " ".join(_pad_painted(paint(name, "bold"), name, width) for name, width in zip(names, widths, strict=True)),
        rule * (sum(widths) + len(widths) - 1),
    ]


# --- psc query --format table --------------------------------------------------------------


def print_actions(
    records: list[Record],
    console: Screen,
    bodies: Mapping[str, str] | None = None,
    roadmap_titles: Mapping[str, str] | None = None,
) -> None:
    """The table of `psc query`: ids and periods are never cut, text wraps between words,
    and a narrow terminal first gets marks for feasibility, roadmap headings and the owner
    under the title rather than a crushed title (see `_query_layout`). `bodies` names the
    bodies shown as owners, `roadmap_titles` the roadmaps of the headings."""
    if not records:
        return
    paint = _Painter(console)
    arrow = "->" if paint.ascii_only else "→"
    rows = []
    for record in records:
        cells = table_row(record, bodies)
        cells[4] = cells[4].replace("→", arrow)
        rows.append(cells)
    layout = _query_layout(rows, console.width, _contiguous([r["roadmap"] for r in records]))
    if layout.marks:
        for cells in rows:
            mark = FEASIBILITY_MARKS.get(cells[6])
            cells[6] = (mark[1] if paint.ascii_only else mark[0]) if mark else ""
    shown = [TABLE_COLUMNS.index(name) for name in layout.columns]
    widths = [layout.widths[name] for name in layout.columns]
    status_at = layout.columns.index("status")
    names = ["feas" if n == "feasibility" and layout.marks else n for n in layout.columns]
    header = [_ellipsis(n, w, paint.ascii_only) for n, w in zip(names, widths, strict=True)]
    lines = _header(paint, header, widths)
    cut = "." if paint.ascii_only else "…"
    owner_at = sum(widths[: layout.columns.index("title")]) + layout.columns.index("title")
    owner_room = max(console.width - owner_at - len("owner: "), _TEXT_MIN)
    current = None
    for record, cells in zip(records, rows, strict=True):
        if layout.headings and record["roadmap"] != current:
            if current is not None:
                lines.append("")
            current = record["roadmap"]
            title = (roadmap_titles or {}).get(current)
            heading = f"{current}: {title}" if title else current
            lines.append(paint(_ellipsis(heading, console.width, paint.ascii_only), "bold italic"))
        style = ["bold", *[""] * (len(shown) - 1)]
        style[status_at] = STATUS_STYLES.get(record["status"], "")
        lines += _table_lines(paint, None, [[cells[i] for i in shown]], widths, styles=[style], cut=cut)
        if layout.owner_below and cells[7]:
            for i, text in enumerate(_wrap(cells[7], owner_room, cut)):
                label = paint("owner:", "dim") + " " if i == 0 else " " * len("owner: ")
                lines.append(" " * owner_at + label + text)
    if layout.marks:
        legend = ", ".join(f"{m[1] if paint.ascii_only else m[0]} {name}" for name, m in FEASIBILITY_MARKS.items())
        lines += ["", paint(f"feas: feasibility, {legend} achievable", "dim")]
    paint.write(lines)


@dataclass
class _QueryLayout:
    """How the query table fits a terminal: the columns shown, their widths, and what gave
    way so that the title keeps its room."""

    columns: list[str]
    widths: dict[str, int]
    marks: bool = False  # feasibility as marks, with a legend under the table
    headings: bool = False  # the roadmap as a heading over its rows, not a column
    owner_below: bool = False  # the owner on a line of its own under the title


def _query_layout(rows: list[list[str]], width: int, grouped: bool) -> _QueryLayout:
    """The columns of the query table in `width` cells.

    When the rows fit as they are, every column at its natural width. Otherwise the id and
    the period keep theirs (never cut or wrapped), and so do the roadmap and the status;
    the axes wrap between ids. The title should get `_TITLE_WANT` cells (its whole width if
    less) and the owner enough for every owner in `_OWNER_LINES` lines; until they do,
    things give way in this order: feasibility becomes a mark (or goes, when no action
    shown is rated), the roadmap becomes a heading over its rows (when they stand
    together), and the owner moves to a line under the title, which then takes all the
    room left."""
    columns = dict(zip(TABLE_COLUMNS, zip(*rows, strict=True), strict=True))
    natural = {n: max(_cells(c) for c in (n, *col)) for n, col in columns.items()}
    if sum(natural.values()) + len(TABLE_COLUMNS) - 1 <= width:
        return _QueryLayout(list(TABLE_COLUMNS), natural)
    axes_word = max(_longest_word(c) for c in columns["axes"])
    fixed = {name: natural[name] for name in ("id", "roadmap", "axes", "period", "status", "feasibility")}
    fixed["axes"] = max(axes_word, _cells("axes"))
    title_want = min(natural["title"], _TITLE_WANT)
    owner_want = _owner_width(columns["owner"][:_LAYOUT_SAMPLE], natural["owner"])
    layout = _QueryLayout([], {})

    def room() -> int:
        shown = len(fixed) + (1 if layout.owner_below else 2)
        return width - (shown - 1) - sum(fixed.values())

    if room() < title_want + owner_want:
        if any(columns["feasibility"]):
            layout.marks = True
            fixed["feasibility"] = _cells("feas")
        else:
            del fixed["feasibility"]  # no action shown is rated: the column says nothing
    if room() < title_want + owner_want and grouped:
        layout.headings = True
        del fixed["roadmap"]
    if room() < title_want + owner_want:
        layout.owner_below = True
    available = room() + fixed["axes"]
    sample = rows[:_LAYOUT_SAMPLE]
    titles = [[_cells(w) for w in cells[2].split()] for cells in sample]
    axes = [[_cells(w) for w in cells[3].split()] for cells in sample]

    def split(axes_width: int) -> tuple[int, int]:
        rest = available - axes_width
        if layout.owner_below:
            return max(min(natural["title"], rest), _TEXT_MIN), 0
        title = max(min(natural["title"], rest - owner_want), _TEXT_MIN)
        return title, max(min(natural["owner"], rest - title), owner_want)

    def height(axes_width: int) -> tuple[int, int]:
        """The rows' lines with the axes this wide (fewest first, then the widest title)."""
        title = split(axes_width)[0]
        pairs = zip(titles, axes, strict=True)
        return sum(max(_lines_needed(t, title), _lines_needed(a, axes_width)) for t, a in pairs), -title

    # The axes wrap between ids: as wide as their longest id, or wider if the rows get shorter.
    candidates = {fixed["axes"], natural["axes"], *(max(_at_most(axes, n), _cells("axes")) for n in (2, 3))}
    fixed["axes"] = min((c for c in candidates if c <= natural["axes"]), key=height)
    title, owner = split(fixed["axes"])
    widths = {**fixed, "title": title, "owner": owner}
    layout.columns = [n for n in TABLE_COLUMNS if n in widths and not (n == "owner" and layout.owner_below)]
    layout.widths = widths
    return layout


def _at_most(cells: list[list[int]], lines: int) -> int:
    """The least width in which every cell (its words' widths) takes at most `lines` lines."""
    width = max((max(words) for words in cells if words), default=1)
    while any(_lines_needed(words, width) > lines for words in cells if words):
        width += 1
    return width


def _owner_width(owners: Iterable[str], natural: int) -> int:
    """The least width in which every owner wraps in at most `_OWNER_LINES` lines, its
    longest word whole when it can be (`_OWNER_MOST` cells at most)."""
    distinct = [[_cells(w) for w in o.split()] for o in dict.fromkeys(owners) if o]
    if not distinct:
        return _cells("owner")
    least = min(max(max(words) for words in distinct), _OWNER_MOST, natural)
    for candidate in range(max(least, _cells("owner")), min(natural, _OWNER_MOST) + 1):
        if all(_lines_needed(words, candidate) <= _OWNER_LINES for words in distinct):
            return candidate
    return min(natural, _OWNER_MOST)


# --- psc query --format timeline ------------------------------------------------------------


def print_timeline(
    records: list[Record], console: Screen, roadmap_titles: dict[str, str] | None = None
) -> None:
    """A Gantt chart: one row per action, one cell per quarter (per year when the span
    is too wide for the terminal), a mark per status, and a legend. Rows of one roadmap
    that stand together get the roadmap's title above them."""
    if not records:
        return
    paint = _Painter(console)
    spans = [(first_month(r["start"]), last_month(r["end"])) for r in records]
    first_year = min(first for first, _ in spans) // 12
    last_year = max(last for _, last in spans) // 12
    years = last_year - first_year + 1
    id_width = max(_cells(r["id"]) for r in [*records, {"id": "id"}])
    room = console.width - id_width - 2  # for the title and the chart
    if room - (years * 9 - 1) >= _TITLE_ROOMY:
        chart = _Chart(first_year, years, 2, "quarter", paint)
    elif room - (years * 5 - 1) >= _TITLE_MIN:
        chart = _Chart(first_year, years, 1, "quarter", paint)
    else:
        # A character per year, or per a few years when the span is wider than the room.
        fit = max(1, room - _TITLE_MIN)
        step = next((s for s in _YEAR_STEPS if -(-years // s) <= fit), _YEAR_STEPS[-1])
        start = first_year - first_year % step
        chart = _Chart(start, last_year - start + 1, 1, "year", paint, step)
    # On a very narrow terminal the chart is cut on the right, never the ids; the title
    # keeps one line, as in any Gantt chart (`psc show ID` has the whole of it).
    chart_width = min(chart.width, max(1, room - _TITLE_LEAST))
    title_width = max(_TITLE_LEAST, room - chart_width)
    if max(_cells(r["title"]) for r in records) < title_width:
        title_width = max(_cells("title"), max(_cells(r["title"]) for r in records))
    widths = [id_width, title_width, chart_width]
    lines = _header(paint, ["id", "title", chart.ruler()[:chart_width]], widths)
    grouped = _contiguous([r["roadmap"] for r in records])
    current = None
    blank = " " * id_width
    for record, (first, last) in zip(records, spans, strict=True):
        if grouped and record["roadmap"] != current:
            if current is not None:
                lines.append("")
            current = record["roadmap"]
            title = (roadmap_titles or {}).get(current)
            heading = f"{current}: {title}" if title else current
            lines.append(f"{blank} {paint(_ellipsis(heading, title_width, paint.ascii_only), 'bold italic')}")
        lines.append(" ".join((
            _pad_painted(paint(record["id"], "bold"), record["id"], id_width),
            _pad(_ellipsis(record["title"], title_width, paint.ascii_only), title_width),
            chart.bar(first, last, record["status"], chart_width),
        )))
    lines.extend(_legend(chart.legend(), paint, console.width))
    paint.write(lines)


def _contiguous(keys: list[str]) -> bool:
    """Whether equal keys stand together (so the rows can be shown in groups)."""
    seen: set[str] = set()
    previous = None
    for key in keys:
        if key != previous:
            if key in seen:
                return False
            seen.add(key)
            previous = key
    return True


class _Chart:
    """Cells across whole years: `cell` characters per quarter, a rule between years;
    or, in `year` units, one character per `step` years."""

    def __init__(self, first_year: int, years: int, cell: int, unit: str, paint: _Painter, step: int = 1) -> None:
        self.first_year, self.years, self.cell, self.unit, self.step = first_year, years, cell, unit, step
        self.paint = paint
        self.rule_char = "|" if paint.ascii_only else "│"
        self.width = -(-years // step) if unit == "year" else years * (4 * cell + 1) - 1

    def legend(self) -> str:
        """What one character of the chart stands for."""
        if self.unit == "quarter":
            what = "a quarter is two characters" if self.cell == 2 else "a character is a quarter"
            return f"({what}, {self.rule_char} between years)"
        return "(a character is a year)" if self.step == 1 else f"(a character is {self.step} years)"

    def ruler(self) -> str:
        if self.unit == "quarter":
            return " ".join(str(self.first_year + i).ljust(4 * self.cell) for i in range(self.years))
        # One character per year (or per step years): label those that have room, from the left.
        line = [" "] * self.width
        free = 0
        for i in range(self.width):
            label = str(self.first_year + i * self.step)
            if i >= free and i + len(label) <= self.width:
                line[i:i + len(label)] = label
                free = i + len(label) + 1
        return "".join(line)

    def bar(self, first: int, last: int, status: str, width: int) -> str:
        """The row of one action from its first to its last month, cut at `width` cells."""
        glyph, ascii_glyph, style = STATUS_MARKS.get(status, ("?", "?", ""))
        mark = ascii_glyph if self.paint.ascii_only else glyph
        cells: list[tuple[str, str]] = []  # (character, "on" | "off" | "rule")
        if self.unit == "year":
            for i in range(self.width):
                since = self.first_year + i * self.step
                on = first // 12 <= since + self.step - 1 and since <= last // 12
                cells.append((mark, "on") if on else (" ", "off"))
        else:
            for i in range(self.years):
                if i:
                    cells.append((self.rule_char, "rule"))
                for q in range(4):
                    quarter = (self.first_year + i) * 4 + q
                    on = first // 3 <= quarter <= last // 3
                    cells.extend([(mark, "on") if on else (" ", "off")] * self.cell)
        styles = {"on": style, "off": "", "rule": "dim"}
        return "".join(
            self.paint("".join(char for char, _ in run), styles[kind])
            for kind, run in groupby(cells[:width], key=lambda c: c[1])
        )


def _legend(note: str, paint: _Painter, width: int) -> list[str]:
    """The marks of each status, wrapped between entries, never inside one, then what a
    character of the chart stands for."""
    entries = []
    for status in STATUS_ORDER:
        glyph, ascii_glyph, style = STATUS_MARKS[status]
        label = f" {status.replace('_', ' ')}"
        entries.append((paint(ascii_glyph if paint.ascii_only else glyph, style) + label, 1 + len(label)))
    entries.append((paint(note, "dim"), len(note)))
    lines: list[str] = []
    line, used = "", 0
    for entry, size in entries:
        if line and used + 2 + size > width:
            lines.append(line)
            line, used = "", 0
        line, used = (f"{line}  {entry}", used + 2 + size) if line else (entry, size)
    lines.append(line)
    return lines


# --- psc show -----------------------------------------------------------------------------


def print_show(view: Record, console: Screen) -> None:
    """One item: a heading, its own fields, then its links (always listed, 'none' if empty)."""
    paint = _Painter(console)
    width = console.width
    fields = view["fields"]
    title = fields.get("title") or fields.get("name") or ""
    prefix = f"{view['kind']} {view['id']}  "
    indent = min(_cells(prefix), width // 2)
    lines = []
    for i, line in enumerate(_wrap(title, max(width - indent, 16), cut=None)):
        head = paint(f"{view['kind']} ", "dim") + paint(view["id"], "bold") + "  " if i == 0 else " " * indent
        lines.append(head + paint(line, "bold"))

    entries: list[tuple[str, list[str]]] = [("file", [f"{view['file']}:{view['line']}"])]
    # What the links show with titles is not repeated as bare ids.
    skip = {"id", "title", "name", *view["links"]}
    if view["kind"] == "action":
        skip |= {"start", "end"}
        entries.append(("period", [_period(fields["start"], fields["end"], paint)]))
    for name, value in fields.items():
        if name in skip or value is None or value == []:
            continue
        if isinstance(value, list):
            items = [", ".join(str(v) for v in value)] if name == "tags" else [str(v) for v in value]
        else:
            items = str(value).split("\n")
        entries.append((_label(name), items))
    links: list[tuple[str, list[Record]]] = [
        (_label(name), [] if value is None else value if isinstance(value, list) else [value])
        for name, value in view["links"].items()
    ]

    label_width = max(_cells(label) for label, _ in [*entries, *links])
    room = max(width - label_width - 2, 16)
    blocks = [(label, [line for item in items for line in _wrap(item, room, cut=None)]) for label, items in entries]
    blocks += [(label, _link_lines(paint, items, room) if items else [paint("none", "dim")])
               for label, items in links]
    for label, body in blocks:
        for i, line in enumerate(body):
            head = _pad_painted(paint(label, "dim"), label, label_width) if i == 0 else " " * label_width
            lines.append(f"{head}  {line}")
    paint.write(lines)


def _link_lines(paint: _Painter, links: list[Record], width: int) -> list[str]:
    """Linked items one per line: id, title, and for an action its roadmap, period, status."""
    id_width = max(_cells(link["id"]) for link in links)
    room = max(width - id_width - 1, 8)
    lines = []
    for link in links:
        text = link["title"]
        if "status" in link:
            text += f"  ({link['roadmap']}, {_period(link['start'], link['end'], paint)}, {link['status']})"
        for i, line in enumerate(_wrap(text, room, cut=None)):
            head = _pad_painted(paint(link["id"], "bold"), link["id"], id_width) if i == 0 else " " * id_width
            lines.append(f"{head} {line}")
    return lines


def _label(name: str) -> str:
    return name.replace("_", " ")


def _period(start: Any, end: Any, paint: _Painter) -> str:
    arrow = "->" if paint.ascii_only else "→"
    return str(start) if str(start) == str(end) else f"{start} {arrow} {end}"


# --- psc summary --------------------------------------------------------------------------


def print_summary(data: Record, console: Screen) -> None:
    """The counts of `psc summary`: the axis × roadmap matrix, then status, feasibility and
    years side by side, then the overdue actions."""
    paint = _Painter(console)
    width = console.width
    lines = [paint(f"Summary as of {data['as_of']}: {data['actions']} actions", "bold"), ""]

    roadmap_ids = [r["id"] for r in data["roadmaps"]]
    numbers = set(range(2, 3 + len(roadmap_ids)))
    header = ["axis", "title", *roadmap_ids, "total"]
    rows = [[row["axis"], row["title"], *(str(row["roadmaps"][r]) for r in roadmap_ids), str(row["total"])]
            for row in data["matrix"]]
    footer = ["", "all actions", *(str(r["actions"]) for r in data["roadmaps"]), str(data["actions"])]
    widths = _fit(_natural(header, [*rows, footer]), 1, width)
    lines.append(paint("Actions by axis and roadmap", "bold"))
    lines += _table_lines(paint, header, rows, widths, right=numbers, bold_first=True)
    lines += _table_lines(paint, None, [footer], widths, right=numbers, rule_above=True)
    lines.append("")

    lines.append(paint("Actions by status, feasibility and year under way", "bold"))
    blocks = []
    for name, key in (("status", "by_status"), ("feasibility", "by_feasibility"), ("year", "by_year")):
        counts = [[k, str(v)] for k, v in data[key].items()]
        block_widths = _natural([name, "actions"], counts)
        styles = [[STATUS_STYLES.get(k, ""), ""] for k, _ in counts] if name == "status" else None
        block = _table_lines(paint, [name, "actions"], counts, block_widths, right={1}, styles=styles)
        blocks.append((block, sum(block_widths) + 1))
    for i in range(max(len(block) for block, _ in blocks)):
        lines.append("    ".join(block[i] if i < len(block) else " " * w for block, w in blocks))
    lines.append("")

    overdue = data["overdue"]
    lines.append(paint(f"Overdue as of {data['as_of']}: {len(overdue) or 'none'}", "bold"))
    if overdue:
        header = ["id", "roadmap", "title", "end", "status"]
        rows = [[o["id"], o["roadmap"], o["title"], str(o["end"]), o["status"]] for o in overdue]
        styles = [["", "", "", "", STATUS_STYLES.get(o["status"], "")] for o in overdue]
        lines += _table_lines(paint, header, rows, _fit(_natural(header, rows), 2, width),
                              styles=styles, bold_first=True)
    paint.write(lines)


def print_baseline(data: Record, console: Screen) -> None:
    """The `--baseline` part of `psc summary`: per roadmap and per axis, then the largest slips."""
    from psc_roadmap.history.baseline import (
        COUNT_COLUMNS,
        COUNT_NOTE,
        SLIP_COLUMNS,
        baseline_title,
        count_rows,
        months_cell,
        slip_rows,
    )

    paint = _Painter(console)
    numbers = set(range(2, 7))
    lines = ["", paint(terminal_safe(baseline_title(data)), "bold"), paint(f"({COUNT_NOTE})", "dim"), ""]
    footer = ["", "all actions", str(data["actions"]), str(data["finished"]), str(data["later"]),
              months_cell(data["median_months"]), str(data["total_months"])]
    for heading, key, rows in (("roadmap", "id", [*count_rows(data["roadmaps"], "id")]),
                               ("axis", "axis", count_rows(data["axes"], "axis"))):
        header = [heading, "title", *COUNT_COLUMNS]
        widths = _fit(_natural(header, [*rows, footer]), 1, console.width)
        lines += _table_lines(paint, header, rows, widths, right=numbers, bold_first=True)
        if key == "id":
            lines += _table_lines(paint, None, [footer], widths, right=numbers, rule_above=True)
        lines.append("")
    slips = data["largest_slips"]
    lines.append(paint(f"Largest slips: {len(slips) or 'none'}", "bold"))
    if slips:
        rows = slip_rows(data)
        lines += _table_lines(paint, SLIP_COLUMNS, rows, _fit(_natural(SLIP_COLUMNS, rows), 2, console.width),
                              right={5}, bold_first=True)
    paint.write(lines)


# --- plain tables ---------------------------------------------------------------------------


def _natural(header: list[str], rows: list[list[str]]) -> list[int]:
    return [max(_cells(c) for c in column) for column in zip(header, *rows, strict=True)]


def _fit(widths: list[int], flexible: int, width: int) -> list[int]:
    """Natural widths, the flexible column narrowed (never under 8) to fit in `width`."""
    over = sum(widths) + len(widths) - 1 - width
    if over <= 0:
        return widths
    fitted = list(widths)
    fitted[flexible] = max(8, widths[flexible] - over)
    return fitted


def _table_lines(
    paint: _Painter,
    header: list[str] | None,
    rows: list[list[str]],
    widths: list[int],
    *,
    right: set[int] | frozenset[int] = frozenset(),
    styles: list[list[str]] | None = None,
    bold_first: bool = False,
    rule_above: bool = False,
    cut: str = "…",
) -> list[str]:
    """A table as lines: one space between columns, a rule under the header; cells wrap
    at words within their width (a longer word is cut, ending in `cut`); `right` columns
    are right-aligned."""
    lines = _header(paint, header, widths) if header is not None else []
    plain = paint.console.color_system is None  # no styles: skip the painter per cell
    if rule_above:
        lines.append(("-" if paint.ascii_only else "─") * (sum(widths) + len(widths) - 1))
    if plain and not right:
        lines.extend(_plain_rows(rows, widths, cut))
        return lines
    for r, cells in enumerate(rows):
        wrapped = [_wrap(cell, width, cut) for cell, width in zip(cells, widths, strict=True)]
        row_styles = styles[r] if styles is not None else [""] * len(cells)
        if bold_first:
            row_styles = ["bold", *row_styles[1:]]
        for i in range(max(len(w) for w in wrapped)):
            parts = []
            for c, (lines_of_cell, width, style) in enumerate(zip(wrapped, widths, row_styles, strict=True)):
                text = lines_of_cell[i] if i < len(lines_of_cell) else ""
                gap = " " * (width - (len(text) if text.isascii() else cell_len(text)))
                if plain:
                    parts.append(gap + text if c in right else text + gap)
                else:
                    parts.append(gap + paint(text, style) if c in right else paint(text, style) + gap)
            lines.append(" ".join(parts))
    return lines


def _fit_cell(text: str, width: int) -> str:
    return text.ljust(width) if text.isascii() else text + " " * (width - cell_len(text))


def _plain_rows(rows: list[list[str]], widths: list[int], cut: str) -> Iterator[str]:
    """The lines of left-aligned rows without styles (output to a file or a pipe, NO_COLOR):
    the same text as the painted path, built with less work per cell."""
    blank = [" " * w for w in widths]
    for cells in rows:
        wrapped = [_wrap(cell, width, cut) for cell, width in zip(cells, widths, strict=True)]
        height = max(map(len, wrapped))
        if height == 1:
            yield " ".join([_fit_cell(w[0], width) for w, width in zip(wrapped, widths, strict=True)])
            continue
        for i in range(height):
            yield " ".join([
                _fit_cell(w[i], width) if i < len(w) else pad
                for w, width, pad in zip(wrapped, widths, blank, strict=True)
            ])
