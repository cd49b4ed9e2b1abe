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

from psc_roadmap.query.formats import QUERY_FORMATS, spreadsheet_safe, to_csv, to_ids, to_markdown, to_yaml
from psc_roadmap.query.records import (
    CSV_COLUMNS,
    TABLE_COLUMNS,
    Record,
    action_link,
    body_names,
    period_text,
    table_row,
    to_record,
)
from psc_roadmap.query.select import (
    SORT_KEYS,
    Filters,
    check_feasibilities,
    check_filters,
    check_statuses,
    is_overdue,
    select,
    sort_actions,
)
from psc_roadmap.query.show import find, show
from psc_roadmap.query.summary import UNRATED, parse_as_of, summary, summary_csv, summary_markdown, summary_tables

__all__ = [
    "CSV_COLUMNS", "QUERY_FORMATS", "SORT_KEYS", "TABLE_COLUMNS", "UNRATED", "Filters", "Record", "action_link",
    "body_names", "check_feasibilities", "check_filters", "check_statuses", "find", "is_overdue", "parse_as_of",
    "period_text", "select", "show", "sort_actions", "spreadsheet_safe", "summary", "summary_csv",
    "summary_markdown", "summary_tables", "table_row", "to_csv", "to_ids", "to_markdown", "to_record", "to_yaml",
]
