"""A YAML syntax error in the words of the person who typed it: where the mistake is (the
tab, the key out of line, the opening bracket) and the text that fixes it, rather than
where and how the parser gave up.

Only the parser's error and the text are read: no YAML is parsed here. A mistake not
recognised keeps the parser's own words, without its jargon."""

from __future__ import annotations

import re
from dataclasses import dataclass

Mark = tuple[int, int]

#: How long a line a message may show as the fix; a longer one is described instead.
SHOWN_LINE = 100

_BREAK = re.compile("\r\n|[\r\n\x85\u2028\u2029]")  # what libyaml counts as a line break
#: `key: ...` or `- key: ...`: the key of a block mapping, after its indentation and dashes.
_KEY_LINE = re.compile(
    r"(?P<indent>[ \t]*)(?P<dashes>(?:-[ \t]+)*)"
    r"(?P<key>[^\s#:\-\[\]{}&*!|>'\"%@`,?][^#]*?|\"[^\"\n]*\"|'[^'\n]*')[ \t]*:(?=[ \t]|$)"
)
_DASH_LINE = re.compile(r"(?P<indent>[ \t]*)-(?:[ \t]|$)")
#: The parser's context phrases, in plain words (empty: nothing worth saying).
_CONTEXTS = {
    "while parsing a block mapping": "in a mapping (key: value)",
    "while parsing a block collection": "in a list",
    "while parsing a flow sequence": "in a [...] list",
    "while parsing a flow mapping": "in a {...} mapping",
    "while parsing a flow node": "in a [...] list or {...} mapping",
    "while scanning a plain scalar": "in a text without quotes",
    "while scanning a quoted scalar": "in a quoted text",
    "while scanning for the next token": "",
    "while parsing a block node": "",
    "while parsing a node": "",
}
_OUT_OF_LINE = (
    "did not find expected '-' indicator",
    "did not find expected key",
    "mapping values are not allowed",
    "expected <block end>",
)


@dataclass(frozen=True, slots=True)
class ParseFailure:
    """What the parser said: its problem and context, and their 1-based marks."""

    problem: str
    problem_mark: Mark | None
    context: str
    context_mark: Mark | None


def explain(text: str, error: ParseFailure) -> tuple[Mark, str]:
    """Where the mistake is and a message that says how to fix it."""
    lines = _BREAK.split(text)
    for explainer in _EXPLAINERS:
        found = explainer(lines, error)
        if found is not None:
            return found
    where = error.problem_mark or error.context_mark or (1, 1)
    problem = error.problem or error.context or "invalid YAML"
    context = _CONTEXTS.get(error.context, error.context) if error.problem else ""
    return where, f"{problem} ({context})" if context else problem


# --- the lines around the mistake ------------------------------------------------------------


def _line(lines: list[str], number: int) -> str:
    return lines[number - 1] if 1 <= number <= len(lines) else ""


@dataclass(frozen=True, slots=True)
class _Layout:
    """One line as a block of YAML sees it: where its dash and its key start (1-based)."""

    dash: int | None
    key: int | None
    key_text: str
    value_start: int | None  # column of the value after `key:`, if any


def _layout(line: str) -> _Layout | None:
    """The dash and key of a line; None for a blank or comment-only line."""
    stripped = line.strip(" \t")
    if not stripped or stripped.startswith("#"):
        return None
    match = _KEY_LINE.match(line)
    if match:
        dashes = match.group("dashes")
        dash = len(match.group("indent")) + 1 if dashes else None
        key = match.start("key") + 1
        after = match.end()
        rest = line[after:]
        value = rest.strip(" \t")
        value_start = after + len(rest) - len(rest.lstrip(" \t")) + 1 if value and value[0] != "#" else None
        return _Layout(dash, key, match.group("key"), value_start)
    dash_match = _DASH_LINE.match(line)
    if dash_match:
        return _Layout(len(dash_match.group("indent")) + 1, None, "", None)
    return _Layout(None, None, "", None)


def _levels(lines: list[str], number: int) -> tuple[list[int], list[int]]:
    """The columns of the keys and of the dashes of the blocks still open at line `number`,
    innermost first, as the lines above it lay them out."""
    keys: list[int] = []
    dashes: list[int] = []
    limit = 1 << 30
    for above in range(number - 1, 0, -1):
        layout = _layout(_line(lines, above))
        if layout is None:
            continue
        if layout.key is not None and layout.key < limit:
            keys.append(layout.key)
            limit = layout.key
        if layout.dash is not None and layout.dash < limit:
            dashes.append(layout.dash)
            limit = layout.dash
        if limit == 1:
            break
    return keys, dashes


def _nearest(lines: list[str], number: int) -> _Layout | None:
    """The layout of the nearest line above that holds something."""
    for above in range(number - 1, 0, -1):
        layout = _layout(_line(lines, above))
        if layout is not None:
            return layout
    return None


def _closest(column: int, levels: list[int]) -> int | None:
    """The level nearest to column; between two as near, the innermost (listed first)."""
    return min(levels, key=lambda level: abs(level - column)) if levels else None


def _code(line: str) -> str | None:
    """A line to show in a message as the text to write (without its indentation), or None
    when it is too long to show."""
    shown = line.strip(" \t")
    return f"`{shown}`" if len(shown) <= SHOWN_LINE and "`" not in shown else None


def _comment_split(value: str) -> tuple[str, str]:
    """A plain value and the comment after it (` # ...`, with its spaces), if any."""
    match = re.search(r"[ \t]+#", value)
    return (value[: match.start()], value[match.start():]) if match else (value.rstrip(" \t"), "")


def _quoted(value: str) -> str:
    if '"' not in value and "\\" not in value:
        return f'"{value}"'
    if "'" not in value:
        return f"'{value}'"
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


# --- the mistakes people make -----------------------------------------------------------------


def _tab(lines: list[str], error: ParseFailure) -> tuple[Mark, str] | None:
    """A tab in the indentation: YAML indents with spaces only."""
    if error.problem_mark is None:
        return None
    number = error.problem_mark[0]
    candidates = [number, number - 1] if "tab" in error.problem else [number]
    for candidate in candidates:
        line = _line(lines, candidate)
        indent = line[: len(line) - len(line.lstrip(" \t"))]
        if "\t" not in indent:
            continue
        tab = indent.index("\t") + 1
        layout = _layout(line)
        keys, dashes = _levels(lines, candidate)
        is_item = layout is not None and layout.dash is not None
        target = (dashes or keys)[0] if is_item and (dashes or keys) else (keys[0] if keys else 1)
        what = "the dash" if is_item else (f"'{layout.key_text}'" if layout and layout.key_text else "the line")
        siblings = "the items above it" if is_item else "the keys above it"
        if target == 1:
            return (candidate, tab), (
                f"YAML indents with spaces; remove the tab at column {tab}: {what} starts at column 1"
            )
        return (candidate, tab), (
            f"YAML indents with spaces; replace the tab at column {tab}: indent {what} with "
            f"{target - 1} spaces, like {siblings}"
        )
    return None


def _unclosed(lines: list[str], error: ParseFailure) -> tuple[Mark, str] | None:
    """A `[` or `{` never closed, or a quote never closed: the parser stops lines later."""
    opened, stopped = error.context_mark, error.problem_mark
    if opened is None or stopped is None or stopped[0] <= opened[0]:
        return None
    line = _line(lines, opened[0])
    if error.problem in ("did not find expected ',' or ']'", "did not find expected ',' or '}'"):
        opener, closer, what = ("[", "]", "list") if error.problem.endswith("']'") else ("{", "}", "mapping")
        head = line[: opened[1] - 1]
        body, comment = _comment_split(line[opened[1] - 1:])
        fix = ""
        if body.strip(" \t") not in (opener, "") and not body.rstrip(" \t").endswith(","):
            fixed = _code(head + body.rstrip(" \t") + closer + comment)
            fix = f": {fixed}" if fixed else ""
        at_end = not any(rest.strip() for rest in lines[stopped[0] - 1:])
        reached = "the end of the file" if at_end else f"line {stopped[0]}"
        return opened, (
            f"the {what} opened by '{opener}' here is not closed (psc read on to {reached} "
            f"without finding '{closer}'); end it with '{closer}' after its last item{fix}"
        )
    if error.problem == "found unexpected end of stream" and error.context == "while scanning a quoted scalar":
        quote_char = line[opened[1] - 1: opened[1]] or '"'
        body, comment = _comment_split(line)
        fixed = _code(body + quote_char + comment) if quote_char not in body[opened[1]:] else None
        fix = f": {fixed}" if fixed else ""
        return opened, (
            f"the text opened by the quote ({quote_char}) here is never closed (psc read on to the end "
            f"of the file); add the closing quote{fix}"
        )
    return None


def _quote_closed_lines_later(lines: list[str], error: ParseFailure) -> tuple[Mark, str] | None:
    """A quote left open swallows the lines after it up to the next quote of its kind,
    where the parser then stops: the mistake is the line above whose text opens a quote
    it does not close."""
    if error.problem_mark is None:
        return None
    number, column = error.problem_mark
    before = _line(lines, number)[: column - 1].rstrip(" \t")
    quote_char = before[-1:]
    if quote_char not in ("'", '"'):
        return None
    for above in range(number - 1, max(0, number - 50), -1):
        line = _line(lines, above)
        layout = _layout(line)
        if layout is None or layout.value_start is None or line[layout.value_start - 1] != quote_char:
            continue
        if quote_char in line[layout.value_start:]:
            return None  # closed on its own line: not the one
        body, comment = _comment_split(line)
        fixed = _code(body + quote_char + comment)
        fix = f": {fixed}" if fixed else ""
        return (above, layout.value_start), (
            f"the text opened by the quote ({quote_char}) here is not closed on its line (psc read on to "
            f"line {number}, where it stopped); add the closing quote{fix}"
        )
    return None


def _colon_in_text(lines: list[str], error: ParseFailure) -> tuple[Mark, str] | None:
    """`title: Intranet: replace it`: a text that holds ': ' must be quoted."""
    if error.problem_mark is None or not error.problem.startswith("mapping values are not allowed"):
        return None
    number, column = error.problem_mark
    line = _line(lines, number)
    layout = _layout(line)
    if layout is None or layout.key is None or layout.value_start is None or column <= layout.value_start:
        return None
    head = line[: layout.value_start - 1]
    value, comment = _comment_split(line[layout.value_start - 1:])
    fixed = _code(head + _quoted(value) + comment)
    fix = f"; write {fixed}" if fixed else "; put the whole value in double quotes"
    return (number, layout.value_start), f"a text that contains ': ' must be in quotes{fix}"


def _out_of_line(lines: list[str], error: ParseFailure) -> tuple[Mark, str] | None:
    """A key (or a dash) indented more or less than the others of its mapping (or list)."""
    if error.problem_mark is None or not error.problem.startswith(_OUT_OF_LINE):
        return None
    number = error.problem_mark[0]
    layout = _layout(_line(lines, number))
    if layout is None or (layout.key is None and layout.dash is None):
        return None
    keys, dashes = _levels(lines, number)
    nearest = _nearest(lines, number)
    opener = nearest is not None and nearest.key is not None and nearest.value_start is None
    # The line above opens a block (`axes:`): any deeper column starts it (a dash may stand under the key).
    if opener and nearest is not None and nearest.key is not None and (
        (layout.dash or layout.key or 0) >= nearest.key + (0 if layout.dash is not None else 1)
    ):
        return None
    if layout.dash is not None:
        column, levels, what, siblings = layout.dash, dashes, "this list item's dash", "the dashes of the list above"
    else:
        assert layout.key is not None
        column, levels, what, siblings = layout.key, keys, f"key '{layout.key_text}'", "the keys beside it"
    target = _closest(column, levels)
    if target is None or target == column:
        return None
    return (number, column), (
        f"{what} is out of line: {siblings} start at column {target}, and it starts at column {column}; "
        f"move it to column {target}"
    )


def _after_quote(lines: list[str], error: ParseFailure) -> tuple[Mark, str] | None:
    """`title: "Le Louvre" en ligne`: text after the closing quote."""
    if error.problem_mark is None or error.problem != "did not find expected key":
        return None
    number, column = error.problem_mark
    line = _line(lines, number)
    layout = _layout(line)
    if layout is None or layout.value_start is None or column <= layout.value_start:
        return None
    quote_char = line[layout.value_start - 1]
    if quote_char not in "\"'":
        return None
    closing = line.find(quote_char, layout.value_start)
    if closing < 0 or closing + 1 >= column:
        return None
    inner = line[layout.value_start: closing]
    rest, comment = _comment_split(line[closing + 1:])
    fixed = _code(line[: layout.value_start - 1] + _quoted(inner + rest) + comment)
    fix = f"; put all of the text inside the quotes: {fixed}" if fixed else "; put all of the text inside the quotes"
    return (number, column), f"text after the closing quote{fix}"


def _cannot_start(lines: list[str], error: ParseFailure) -> tuple[Mark, str] | None:
    """`owner: @dsi`: '@' and '`' are reserved in YAML and can't start a text without quotes."""
    if error.problem_mark is None or error.problem != "found character that cannot start any token":
        return None
    number, column = error.problem_mark
    line = _line(lines, number)
    char = line[column - 1: column]
    if char not in ("@", "`"):
        return None
    layout = _layout(line)
    if layout is not None and layout.value_start == column:
        value, comment = _comment_split(line[column - 1:])
        fixed = _code(line[: column - 1] + _quoted(value) + comment)
        if fixed:
            return (number, column), f"a text can't start with '{char}' unless it is in quotes; write {fixed}"
    return (number, column), f"a text can't start with '{char}' unless it is in quotes; put the text in double quotes"


def _second_document(lines: list[str], error: ParseFailure) -> tuple[Mark, str] | None:
    if error.problem != "but found another document" or error.problem_mark is None:
        return None
    return error.problem_mark, (
        "a second YAML document starts here ('---'); a data file holds one: remove this line, "
        "or move what follows to a file of its own"
    )


_EXPLAINERS = (
    _tab, _quote_closed_lines_later, _unclosed, _colon_in_text, _out_of_line, _after_quote, _cannot_start,
    _second_document,
)
