"""Selecting, sorting and summarising the actions of a checked project: the records
behind `psc query`, `psc show` and `psc summary`, and their machine formats.

Pure functions over a `Project`: nothing here prints, reads a file or exits.

`psc query --format json` is a list of objects, one per action, keys in this order:
``id, roadmap, title, axes, principles, theme, start, end, status, feasibility, owner,
body, depends_on, description, tags``; lists are always lists, absent optional values
are ``null`` (lists ``[]``), ``status`` defaults to ``"planned"``, periods are kept as
written (``2020`` stays a number, ``"2020"`` and ``"2020-Q3"`` stay text).
No match is exit 0 with ``[]`` (json, yaml), the header row alone (csv, so that a
spreadsheet or a script still sees the columns), and nothing at all on stdout (md, ids,
table, timeline; table and timeline say "no action matches" on stderr).
CSV is UTF-8 without a byte-order mark (the contract says UTF-8, and a BOM would end up
in the first column name of every script that reads it), with CRLF line ends.

`psc show ID --format json` is one object::

    {
      "kind": "action",                # action | axis | principle | theme | body | roadmap
      "id": "S-01",
      "file": "data/public_roadmap.yaml", "line": 9,   # where the item is written
      "fields": {...},                 # the item's own fields, defaults filled in
                                       # (an action: as in `psc query --format json`;
                                       #  a roadmap: its header without its themes)
      "links": {...}                   # by kind, below
    }

A link to an action is ``{"id", "title", "roadmap", "start", "end", "status"}``; a
link to anything else is ``{"id", "title"}`` (a body's ``name`` as its title). Lists
of actions are in roadmap order, then start, then id. ``links`` holds, by kind:

- action: ``roadmap``, ``axes`` [], ``principles`` [], ``theme`` (or null), ``body``
  (or null), ``depends_on`` [] (the actions it waits for), ``dependents`` [] (the
  actions that wait for it);
- axis: ``actions`` [] (serving it), ``bodies`` [] (the bodies that serve it);
- principle: ``actions`` [];
- theme: ``roadmap``, ``actions`` [];
- body: ``axes`` [], ``reports_to`` (or null), ``reported_by`` [] (the bodies that
  report to it), ``actions`` [] (that it steers);
- roadmap: ``themes`` [], ``actions`` [].

`psc summary --format json` is one object::

    {
      "as_of": "2025-03",              # the month overdue is judged against
      "actions": 6,                    # how many actions in all
      "roadmaps": [{"id", "title", "actions"}],        # in roadmap order
      "matrix": [                      # one row per axis, in file order
        {"axis": "AX1", "title": "...", "roadmaps": {"tech": 2, "public": 1}, "total": 3}
      ],                               # an action with two axes counts in both rows;
                                       # "total" counts each action once
      "by_status": {"planned": 2, "in_progress": 2, "done": 1, "on_hold": 0, "cancelled": 1},
      "by_feasibility": {"surely": 1, "probably": 1, "potentially": 1, "unrated": 3},
      "by_year": {"2023": 1, "2024": 5, ...},          # under way that year; every year
                                                       # from the first to the last
      "overdue": [{"id", "title", "roadmap", "start", "end", "status"}]
    }

``overdue`` lists the actions neither done nor cancelled whose last month is before
the ``as_of`` month, longest overdue first.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from psc_roadmap.enums import FEASIBILITY_ORDER, STATUS_ORDER, SortKey
from psc_roadmap.errors import NotFoundError, UsageError
from psc_roadmap.loader import YAML11_BOOLEANS, YAML_KEYWORDS
from psc_roadmap.markdown import markdown_table
from psc_roadmap.models import Action, Axis, Body, Principle, RoadmapHeader, Theme
from psc_roadmap.periods import (
    YEAR_MAX,
    YEAR_MIN,
    PeriodError,
    first_month,
    last_month,
    month_label,
    parse_month,
    years_of,
)
from psc_roadmap.project import Entry, ItemModel, Project, Unvalidated
from psc_roadmap.suggest import Vocabulary, did_you_mean
from psc_roadmap.text import fold, json_text, natural_key

Record = dict[str, Any]

CSV_COLUMNS = (
    "id", "roadmap", "title", "axes", "start", "end", "status", "feasibility", "owner",
    "body", "theme", "principles", "depends_on", "tags", "description",
)
#: The columns of the terminal and Markdown tables.
TABLE_COLUMNS = ("id", "roadmap", "title", "axes", "period", "status", "feasibility", "owner")
SORT_KEYS = tuple(key.value for key in SortKey)
UNRATED = "unrated"


# --- filters ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Filters:
    """What `psc query` asks for: values of one filter are OR-ed, filters are AND-ed."""

    axes: tuple[str, ...] = ()
    roadmaps: tuple[str, ...] = ()
    themes: tuple[str, ...] = ()
    bodies: tuple[str, ...] = ()
    statuses: tuple[str, ...] = ()
    feasibilities: tuple[str, ...] = ()
    years: tuple[int, ...] = ()
    owners: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    texts: tuple[str, ...] = ()
    #: Only the actions overdue at this month (an absolute month, see `periods`).
    overdue_at: int | None = None


#: Filter field → (option, kind of id it names).
_ID_FILTERS = {
    "axes": ("--axis", "axis"),
    "roadmaps": ("--roadmap", "roadmap"),
    "themes": ("--theme", "theme"),
    "bodies": ("--body", "body"),
}


def check_statuses(statuses: Iterable[str]) -> None:
    """UsageError for a status or feasibility outside its enum; needs no project."""
    for status in statuses:
        if status not in STATUS_ORDER:
            raise UsageError(f"--status: '{status}' is not a status{did_you_mean(status, STATUS_ORDER)}")


def check_feasibilities(feasibilities: Iterable[str]) -> None:
    for value in feasibilities:
        if value not in FEASIBILITY_ORDER:
            raise UsageError(
                f"--feasibility: '{value}' is not a feasibility{did_you_mean(value, FEASIBILITY_ORDER)}"
            )


def check_filters(project: Project, filters: Filters) -> None:
    """UsageError (exit 2) for a value that names nothing of its kind, with the closest one."""
    check_statuses(filters.statuses)
    check_feasibilities(filters.feasibilities)
    for year in filters.years:
        if not YEAR_MIN <= year <= YEAR_MAX:
            raise UsageError(f"--year: {year} is not a year of a roadmap ({YEAR_MIN} to {YEAR_MAX})")
    for name, (option, kind) in _ID_FILTERS.items():
        for value in getattr(filters, name):
            if project.has(kind, value):
                continue
            raise UsageError(f"{option}: {kind} '{value}' does not exist{_hint(project, value, kind)}")


def _hint(project: Project, word: str, kind: str | None = None) -> str:
    """Why an id is wrong: it names another kind, differs only in case, or is close to one."""
    other = project.index.get(word)
    candidates = Vocabulary(project.ids_of(kind) if kind else project.index)
    if other is not None and kind is not None and other.kind != kind:
        return f" ('{word}' is {_article(other.kind)}){candidates.hint(word)}"
    return candidates.hint(word)


def _article(kind: str) -> str:
    return f"an {kind}" if kind[0] in "aeiou" else f"a {kind}"


def select(project: Project, filters: Filters) -> list[Entry[Action]]:
    """The actions that pass every filter, in reading order; one pass over the actions."""
    axes, roadmaps = set(filters.axes), set(filters.roadmaps)
    themes, bodies = set(filters.themes), set(filters.bodies)
    statuses, feasibilities = set(filters.statuses), set(filters.feasibilities)
    years = [(year * 12, year * 12 + 11) for year in filters.years]
    owners = [fold(o) for o in filters.owners]
    tags = {fold(t) for t in filters.tags}
    texts = [fold(t) for t in filters.texts]
    body_names = {fold(b.id): fold(b.model.name) for b in project.bodies} if owners else {}
    overdue_at = filters.overdue_at

    def keep(entry: Entry[Action]) -> bool:
        a = entry.model
        if axes and axes.isdisjoint(a.axes):
            return False
        if roadmaps and _roadmap_id(entry) not in roadmaps:
            return False
        if themes and a.theme not in themes:
            return False
        if bodies and a.body not in bodies:
            return False
        if statuses and a.status.value not in statuses:
            return False
        if feasibilities and (a.feasibility is None or a.feasibility.value not in feasibilities):
            return False
        if years:
            first, last = first_month(a.start), last_month(a.end)
            if not any(first <= y_last and last >= y_first for y_first, y_last in years):
                return False
        if owners:
            # Who answers for it: the owner as written, or the name of the body that steers it.
            owner = fold(a.owner or "") + "\n" + body_names.get(fold(a.body or ""), "")
            if not any(o in owner for o in owners):
                return False
        if overdue_at is not None and not is_overdue(a, overdue_at):
            return False
        if tags and tags.isdisjoint(fold(t) for t in a.tags):
            return False
        if texts:
            haystack = fold(a.title) + "\n" + fold(a.description or "")
            if not any(t in haystack for t in texts):
                return False
        return True

    return [entry for entry in project.actions if keep(entry)]


def is_overdue(action: Action, month: int) -> bool:
    """Neither done nor cancelled, and its last month is before `month`: late at that month."""
    return action.status.value not in ("done", "cancelled") and last_month(action.end) < month


# --- order -----------------------------------------------------------------------------


def _roadmap_id(entry: Entry[Action]) -> str:
    return entry.roadmap.id if entry.roadmap is not None else ""


def sort_actions(project: Project, actions: list[Entry[Action]], key: str = "roadmap") -> list[Entry[Action]]:
    """Actions by `key` (one of SORT_KEYS); ties, and `roadmap`, go by roadmap order,
    then start month, then id in natural order (SI-2 before SI-10)."""
    if key not in SORT_KEYS:
        raise UsageError(f"--sort: unknown key '{key}'{did_you_mean(key, SORT_KEYS)}")
    rank = {r.id: i for i, r in enumerate(project.ordered_roadmaps())}
    status_rank = {s: i for i, s in enumerate(STATUS_ORDER)}

    def default(entry: Entry[Action]) -> tuple[Any, ...]:
        return (rank.get(_roadmap_id(entry), len(rank)), first_month(entry.model.start),
                natural_key(entry.id))

    primary: dict[str, Callable[[Entry[Action]], Any]] = {
        "roadmap": lambda e: (),
        "id": lambda e: natural_key(e.id),
        "start": lambda e: first_month(e.model.start),
        "end": lambda e: last_month(e.model.end),
        "title": lambda e: fold(e.model.title),
        "status": lambda e: status_rank[e.model.status.value],
    }
    first = primary[key]
    return sorted(actions, key=lambda e: (first(e), default(e)))


# --- records and formats -----------------------------------------------------------------


def to_record(entry: Entry[Action]) -> Record:
    """Every field of an action, defaults filled in, plus its roadmap (see the module doc)."""
    # Written out rather than `model_dump(mode="json")`, which costs five times as much;
    # tests/test_query.py holds the two equal.
    a = entry.model
    return {
        "id": a.id,
        "roadmap": _roadmap_id(entry),
        "title": a.title,
        "axes": list(a.axes),
        "principles": list(a.principles),
        "theme": a.theme,
        "start": a.start,
        "end": a.end,
        "status": a.status.value,
        "feasibility": None if a.feasibility is None else a.feasibility.value,
        "owner": a.owner,
        "body": a.body,
        "depends_on": list(a.depends_on),
        "description": a.description,
        "tags": list(a.tags),
    }


def period_text(start: int | str, end: int | str) -> str:
    """`2019 → 2020-Q2`, or `2024` when an action starts and ends in the same period."""
    return str(start) if str(start) == str(end) else f"{start} → {end}"


def to_csv(records: list[Record], raw: bool = False) -> str:
    """RFC 4180: CRLF line ends, fields quoted when needed; lists joined with `;`. A cell
    that a spreadsheet would run as a formula is neutralised (see `spreadsheet_safe`)
    unless `raw`."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for record in records:
        cells = [_cell(record[name]) for name in CSV_COLUMNS]
        writer.writerow(cells if raw else [spreadsheet_safe(c) for c in cells])
    return out.getvalue()


#: First characters that make a spreadsheet read a cell as a formula (OWASP's list).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(cell: str) -> str:
    """The cell with a leading `'` when a spreadsheet would run it as a formula
    (`=HYPERLINK(...)`, `+cmd|...`, `@SUM(...)`, `-2+3`), as OWASP recommends."""
    return "'" + cell if cell.startswith(_FORMULA_START) else cell


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return ";".join(str(v) for v in value)
    return str(value)


# YAML 1.1 readers take these plain scalars as booleans, nulls or sexagesimal numbers.
_SEXAGESIMAL = re.compile(r"^[-+]?[0-9][0-9_]*(:[0-5]?[0-9])+(\.[0-9_]*)?$")


def _ambiguous(text: str) -> bool:
    return text.lower() in YAML11_BOOLEANS | YAML_KEYWORDS or _SEXAGESIMAL.match(text) is not None


def to_yaml(data: Any) -> str:
    """Block-style YAML that YAML 1.2 and 1.1 readers both read back as the same data."""
    from ruamel.yaml import YAML

    yaml: Any = YAML(typ="safe", pure=False)  # the C emitter where ruamel.yaml.clib is there
    yaml.default_flow_style = False
    yaml.allow_unicode = True
    yaml.sort_base_mapping_type_on_output = False
    yaml.width = 4096

    def represent_str(representer: Any, text: str) -> Any:
        style = "'" if _ambiguous(text) else None
        return representer.represent_scalar("tag:yaml.org,2002:str", text, style=style)

    yaml.representer.add_representer(str, represent_str)
    out = io.StringIO()
    yaml.dump(data, out)
    return out.getvalue()


def body_names(project: Project) -> dict[str, str]:
    """Each body's name by its id: what the tables show for an action steered by a body."""
    return {b.id: b.model.name for b in project.bodies}


def table_row(record: Record, bodies: Mapping[str, str] | None = None) -> list[str]:
    """The cells of TABLE_COLUMNS for one action, as text. An action without an owner
    shows the body that steers it there, by its name as the document shows it (`bodies`),
    else by its id: the body is who answers for it."""
    body = record["body"]
    return [
        record["id"],
        record["roadmap"],
        record["title"],
        ", ".join(record["axes"]),
        period_text(record["start"], record["end"]),
        record["status"],
        record["feasibility"] or "",
        record["owner"] or (bodies or {}).get(body, body) or "",
    ]


def to_markdown(records: list[Record], bodies: Mapping[str, str] | None = None) -> str:
    if not records:
        return ""
    return markdown_table(list(TABLE_COLUMNS), [table_row(r, bodies) for r in records])


def to_ids(records: list[Record]) -> str:
    return "".join(f"{r['id']}\n" for r in records)


#: Machine formats of `psc query`; the terminal ones (table, timeline) live in terminal.py.
QUERY_FORMATS: dict[str, Callable[[list[Record]], str]] = {
    "json": json_text,
    "csv": to_csv,
    "yaml": to_yaml,
    "md": to_markdown,
    "ids": to_ids,
}


# --- show ------------------------------------------------------------------------------


def _link(entry: Entry[ItemModel] | None) -> Record | None:
    return None if entry is None else {"id": entry.id, "title": entry.title}


def action_link(entry: Entry[Action]) -> Record:
    a = entry.model
    return {"id": a.id, "title": a.title, "roadmap": _roadmap_id(entry), "start": a.start,
            "end": a.end, "status": a.status.value}


def find(project: Project, item_id: str) -> Entry[ItemModel]:
    """The item with this id, else NotFoundError naming the closest ids."""
    entry = project.index.get(item_id)
    if entry is None:
        raise NotFoundError(f"no item has the id '{item_id}'{Vocabulary(project.index).hint(item_id, many=3)}")
    return entry


def show(project: Project, item_id: str) -> Record:
    """One item and its links both ways (see the module doc for the shape)."""
    entry = find(project, item_id)
    ordered = sort_actions(project, project.actions)
    position = entry.at()
    model = entry.model
    fields: Record
    if isinstance(model, Action):
        fields = to_record(_action(project, entry.id))
    elif isinstance(model, RoadmapHeader):
        fields = model.model_dump(mode="json", exclude={"themes"})
    elif isinstance(model, Unvalidated):
        fields = {"id": model.id}
    else:
        fields = model.model_dump(mode="json")
    return {
        "kind": entry.kind,
        "id": entry.id,
        "file": position.file,
        "line": position.line,
        "fields": fields,
        "links": _links(project, entry, ordered),
    }


def _action(project: Project, item_id: str) -> Entry[Action]:
    return next(a for a in project.actions if a.id == item_id)


def _links(project: Project, entry: Entry[ItemModel], ordered: list[Entry[Action]]) -> Record:
    """The links of one item, by its kind (see the module doc)."""
    model, item_id = entry.model, entry.id
    roadmap = entry.roadmap.entry if entry.roadmap is not None else None
    if isinstance(model, Action):
        actions = {a.id: a for a in project.actions}
        return {
            "roadmap": _link(roadmap),
            "axes": _refs(project, model.axes),
            "principles": _refs(project, model.principles),
            "theme": _link(project.index.get(model.theme)) if model.theme else None,
            "body": _link(project.index.get(model.body)) if model.body else None,
            "depends_on": [action_link(actions[d]) for d in model.depends_on if d in actions],
            "dependents": [action_link(e) for e in ordered if item_id in e.model.depends_on],
        }
    if isinstance(model, Axis):
        return {
            "actions": [action_link(e) for e in ordered if item_id in e.model.axes],
            "bodies": [_ref(b) for b in project.bodies if item_id in b.model.axes],
        }
    if isinstance(model, Principle):
        return {"actions": [action_link(e) for e in ordered if item_id in e.model.principles]}
    if isinstance(model, Theme):
        return {
            "roadmap": _link(roadmap),
            "actions": [action_link(e) for e in ordered if e.model.theme == item_id],
        }
    if isinstance(model, Body):
        return {
            "axes": _refs(project, model.axes),
            "reports_to": _link(project.index.get(model.reports_to)) if model.reports_to else None,
            "reported_by": [_ref(b) for b in project.bodies if b.model.reports_to == item_id],
            "actions": [action_link(e) for e in ordered if e.model.body == item_id],
        }
    return {
        "themes": [_ref(t) for t in entry.roadmap.themes] if entry.roadmap is not None else [],
        "actions": [action_link(e) for e in ordered if e.roadmap is entry.roadmap],
    }


def _refs(project: Project, ids: Iterable[str]) -> list[Record]:
    return [link for i in ids if (link := _link(project.index.get(i))) is not None]


def _ref(entry: Entry[Body] | Entry[Theme]) -> Record:
    return {"id": entry.id, "title": entry.title}


# --- summary ---------------------------------------------------------------------------


def parse_as_of(text: str) -> int:
    """The month of `--as-of YYYY-MM`, as an absolute month; UsageError otherwise."""
    try:
        return parse_month(text)
    except PeriodError as exc:
        raise UsageError(f"--as-of: {exc}") from None


def summary(project: Project, as_of: int) -> Record:
    """Counts by axis × roadmap, status, feasibility and year, and the overdue actions."""
    roadmaps = project.ordered_roadmaps()
    ordered = sort_actions(project, project.actions)
    matrix: dict[str, dict[str, int]] = {a.id: {r.id: 0 for r in roadmaps} for a in project.axes}
    by_status = dict.fromkeys(STATUS_ORDER, 0)
    by_feasibility = dict.fromkeys((*FEASIBILITY_ORDER, UNRATED), 0)
    by_year: dict[int, int] = {}
    overdue: list[Entry[Action]] = []
    for entry in ordered:
        a = entry.model
        for axis in dict.fromkeys(a.axes):
            row = matrix.get(axis)
            if row is not None:
                row[_roadmap_id(entry)] = row.get(_roadmap_id(entry), 0) + 1
        by_status[a.status.value] += 1
        by_feasibility[a.feasibility.value if a.feasibility else UNRATED] += 1
        for year in years_of(a.start, a.end):
            by_year[year] = by_year.get(year, 0) + 1
        if is_overdue(a, as_of):
            overdue.append(entry)
    overdue.sort(key=lambda e: last_month(e.model.end))  # stable: ties keep the default order
    years = range(min(by_year), max(by_year) + 1) if by_year else range(0)
    return {
        "as_of": month_label(as_of),
        "actions": len(ordered),
        "roadmaps": [
            {"id": r.id, "title": r.header.title, "actions": len(r.actions)} for r in roadmaps
        ],
        "matrix": [
            {
                "axis": axis.id,
                "title": axis.model.title,
                "roadmaps": matrix[axis.id],
                "total": sum(matrix[axis.id].values()),
            }
            for axis in project.axes
        ],
        "by_status": by_status,
        "by_feasibility": by_feasibility,
        "by_year": {str(y): by_year.get(y, 0) for y in years},
        "overdue": [action_link(e) for e in overdue],
    }


def summary_tables(data: Record) -> list[tuple[str, list[str], list[list[str]]]]:
    """The tables of a summary, as (heading, header, rows), in the order of every format."""
    roadmap_ids = [r["id"] for r in data["roadmaps"]]
    matrix = [
        [row["axis"], row["title"], *(str(row["roadmaps"][r]) for r in roadmap_ids), str(row["total"])]
        for row in data["matrix"]
    ]
    matrix.append(["", "all actions", *(str(r["actions"]) for r in data["roadmaps"]), str(data["actions"])])
    tables = [("Actions by axis and roadmap", ["axis", "title", *roadmap_ids, "total"], matrix)]
    for heading, name, key in (("status", "by_status", "status"),
                               ("feasibility", "by_feasibility", "feasibility"),
                               ("year under way", "by_year", "year")):
        tables.append((f"Actions by {heading}", [key, "actions"], [[k, str(v)] for k, v in data[name].items()]))
    overdue = [[o["id"], o["roadmap"], o["title"], str(o["end"]), o["status"]] for o in data["overdue"]]
    tables.append((f"Overdue as of {data['as_of']}", ["id", "roadmap", "title", "end", "status"], overdue))
    return tables


def summary_csv(data: Record) -> str:
    """The summary's tables in one CSV file (RFC 4180, CRLF), one after the other: a row with
    the table's heading, its header row, its rows, then an empty row. Every row has as many
    cells as the widest table, so that any CSV reader takes it; cells a spreadsheet would
    run as a formula are neutralised (`spreadsheet_safe`)."""
    tables = summary_tables(data)
    width = max(len(header) for _, header, _ in tables)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")

    def row(cells: list[str]) -> None:
        writer.writerow([spreadsheet_safe(c) for c in cells] + [""] * (width - len(cells)))

    row([f"Summary as of {data['as_of']}", f"{data['actions']} actions"])
    for heading, header, rows in tables:
        row([])
        row([heading])
        row(header)
        for cells in rows:
            row(cells)
    return out.getvalue()


def summary_markdown(data: Record) -> str:
    """The summary as GitHub Markdown: one heading and one table per count."""
    roadmap_ids = [r["id"] for r in data["roadmaps"]]
    parts = [f"## Summary as of {data['as_of']}\n\n{data['actions']} actions.\n"]
    matrix_rows = [
        [row["axis"], row["title"], *(str(row["roadmaps"][r]) for r in roadmap_ids),
         str(row["total"])]
        for row in data["matrix"]
    ]
    matrix_rows.append(["", "all actions", *(str(r["actions"]) for r in data["roadmaps"]),
                        str(data["actions"])])
    numbers = range(2, 3 + len(roadmap_ids))
    parts.append("### Actions by axis and roadmap\n\n"
                 + markdown_table(["axis", "title", *roadmap_ids, "total"], matrix_rows, numbers))
    for heading, name, key in (("status", "by_status", "status"),
                               ("feasibility", "by_feasibility", "feasibility"),
                               ("year under way", "by_year", "year")):
        rows = [[k, str(v)] for k, v in data[name].items()]
        parts.append(f"### Actions by {heading}\n\n" + markdown_table([key, "actions"], rows, [1]))
    overdue = data["overdue"]
    if overdue:
        rows = [[o["id"], o["roadmap"], o["title"], str(o["end"]), o["status"]] for o in overdue]
        parts.append(f"### Overdue ({len(overdue)})\n\n"
                     + markdown_table(["id", "roadmap", "title", "end", "status"], rows))
    else:
        parts.append("### Overdue (0)\n\nNo action is overdue.\n")
    return "\n".join(parts)
