"""Go to definition, find references, the outline of a file and the project's symbols,
answered from the site index of an analysis."""

from __future__ import annotations

from collections.abc import Iterable

from lsprotocol import types

from psc_roadmap.lsp.analysis import Analysis
from psc_roadmap.lsp.positions import TextLines
from psc_roadmap.lsp.sites import Site
from psc_roadmap.project import Entry, ItemModel
from psc_roadmap.text import fold

SYMBOL_KINDS = {
    "roadmap": types.SymbolKind.Module,
    "theme": types.SymbolKind.Namespace,
    "action": types.SymbolKind.Event,
    "axis": types.SymbolKind.Class,
    "principle": types.SymbolKind.Constant,
    "body": types.SymbolKind.Struct,
}
#: At most this many workspace symbols per request: a client filters them further.
WORKSPACE_SYMBOL_LIMIT = 500


def site_at(analysis: Analysis, path: str, position: types.Position) -> Site | None:
    lines = analysis.lines.get(path)
    if lines is None:
        return None
    line, column = lines.psc_at(position)
    return analysis.index.at(path, line, column)


def id_range(lines: TextLines, site: Site) -> types.Range:
    """The range of the id itself, inside its quotes if it has some."""
    start = lines.offset(site.line, site.column)
    inner = start + site.inner
    return lines.range(inner, start + site.length - site.inner)


def location(analysis: Analysis, site: Site) -> types.Location | None:
    lines = analysis.lines.get(site.file)
    if lines is None:
        return None
    return types.Location(uri=analysis.uri(site.file), range=id_range(lines, site))


def _locations(analysis: Analysis, sites: Iterable[Site]) -> list[types.Location]:
    return [found for site in sites if (found := location(analysis, site)) is not None]


def definition(analysis: Analysis, path: str, position: types.Position) -> list[types.Location] | None:
    """The `id:` of the item that the id or reference under the cursor names."""
    site = site_at(analysis, path, position)
    if site is None:
        return None
    return _locations(analysis, analysis.index.definitions(*site.key)) or None


def references(
    analysis: Analysis, path: str, position: types.Position, include_declaration: bool
) -> list[types.Location] | None:
    """Every use of the item under the cursor (an id or a reference to it), across files."""
    site = site_at(analysis, path, position)
    if site is None:
        return None
    sites = analysis.index.by_key.get(site.key, [])
    return _locations(analysis, (s for s in sites if include_declaration or not s.is_definition))


def item_end(lines: TextLines, site_line: int, column: int) -> int:
    """Offset of the end of the block item whose first key is at psc's (line, column):
    its last line that is indented more than its dash, comments and blank lines after
    it left out."""
    start = lines.offset(site_line, column)
    first = lines.position(start).line
    indent = lines.position(start).character
    last = first
    for number in range(first + 1, lines.line_count):
        text = lines.line_text(number)
        stripped = text.lstrip(" ")
        if not stripped or stripped.startswith("#"):
            continue
        if len(text) - len(stripped) < indent:
            break
        last = number
    return lines.end_of_line(last)


def _symbol(analysis: Analysis, lines: TextLines, site: Site, entry: Entry[ItemModel]) -> types.DocumentSymbol:
    mark = entry.raw.mark
    start = min(lines.offset(*mark), lines.offset(site.line, site.column))
    end = max(item_end(lines, *mark), lines.offset(site.line, site.column) + site.length)
    title = entry.title
    return types.DocumentSymbol(
        name=site.target,
        detail=title if title != site.target else None,
        kind=SYMBOL_KINDS.get(entry.kind, types.SymbolKind.Object),
        range=lines.range(start, end),
        selection_range=id_range(lines, site),
    )


def document_symbols(analysis: Analysis, path: str) -> list[types.DocumentSymbol]:
    """The file's outline: its roadmap with its themes, then its actions; or its axes and
    principles; or its bodies, each named by id with its title."""
    lines = analysis.lines.get(path)
    if lines is None:
        return []
    outline: list[types.DocumentSymbol] = []
    roadmap: types.DocumentSymbol | None = None
    themes: list[types.DocumentSymbol] = []
    for site in analysis.index.in_file(path):
        entry = analysis.index.entries.get(site)
        if entry is None:
            continue
        symbol = _symbol(analysis, lines, site, entry)
        if entry.kind == "roadmap":
            roadmap = symbol
            outline.append(symbol)
        elif entry.kind == "theme" and roadmap is not None:
            themes.append(symbol)
        else:
            outline.append(symbol)
    if roadmap is not None:
        roadmap.children = themes
    return outline


def workspace_symbols(analyses: Iterable[Analysis], query: str) -> list[types.WorkspaceSymbol]:
    """Items whose id or title holds the query, ignoring case and accents."""
    wanted = fold(query.strip())
    found: list[types.WorkspaceSymbol] = []
    for analysis in analyses:
        for site, entry in analysis.index.entries.items():
            title = entry.title
            if wanted and wanted not in fold(site.target) and wanted not in fold(title):
                continue
            place = location(analysis, site)
            if place is None:
                continue
            found.append(types.WorkspaceSymbol(
                name=f"{site.target} {title}" if title != site.target else site.target,
                kind=SYMBOL_KINDS.get(entry.kind, types.SymbolKind.Object),
                location=place,
                container_name=entry.roadmap.id if entry.roadmap is not None else entry.kind,
            ))
            if len(found) >= WORKSPACE_SYMBOL_LIMIT:
                return found
    return found
