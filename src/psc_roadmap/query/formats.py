"""The machine formats of `psc query`: CSV (cells a spreadsheet would run neutralised),
YAML that YAML 1.1 readers read alike, a Markdown table, one id per line, JSON."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Mapping
from typing import Any

from psc_roadmap.loader import YAML11_BOOLEANS, YAML_KEYWORDS
from psc_roadmap.markdown import markdown_table
from psc_roadmap.query.records import CSV_COLUMNS, TABLE_COLUMNS, Record, table_row
from psc_roadmap.text import json_text


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
