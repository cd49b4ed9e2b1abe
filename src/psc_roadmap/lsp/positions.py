"""Places in a text, as psc and as LSP count them.

psc counts lines and columns from 1, columns in code points, and breaks lines where
libyaml does (LF, CRLF, CR, and also NEL, LS and PS). LSP counts from 0, columns in
UTF-16 code units unless the client chose UTF-8 or UTF-32, and breaks lines at LF, CRLF
and CR only. A text held here is the one the editor has (a BOM kept); psc's positions
are in the text without its BOM, as `psc validate` reads it."""

from __future__ import annotations

import bisect
import re

from lsprotocol import types

_LSP_BREAK = re.compile(r"\r\n|\r|\n")
_YAML_BREAK = re.compile(r"\r\n|[\r\n\x85\u2028\u2029]")
_YAML_ONLY = ("\x85", "\u2028", "\u2029")


def _starts(text: str, breaks: re.Pattern[str]) -> list[int]:
    return [0, *(m.end() for m in breaks.finditer(text))]


def units(text: str, encoding: str) -> int:
    """How many code units of the encoding (`utf-16`, `utf-8`, `utf-32`) the text takes."""
    if text.isascii() or encoding == types.PositionEncodingKind.Utf32:
        return len(text)
    if encoding == types.PositionEncodingKind.Utf8:
        return len(text.encode("utf-8", "surrogatepass"))
    return len(text) + sum(1 for char in text if ord(char) > 0xFFFF)


def code_points(line: str, count: int, encoding: str) -> int:
    """How many characters of the line the first `count` code units cover (a count that
    falls inside a character stops before it)."""
    if line.isascii() or encoding == types.PositionEncodingKind.Utf32:
        return min(count, len(line))
    used = 0
    for index, char in enumerate(line):
        used += units(char, encoding)
        if used > count:
            return index
    return len(line)


class TextLines:
    """One text's lines, to turn psc positions, LSP positions and offsets into each other."""

    def __init__(self, text: str, encoding: str = types.PositionEncodingKind.Utf16) -> None:
        self.text = text
        self.encoding = encoding
        self.bom = 1 if text.startswith("\ufeff") else 0
        self._lsp = _starts(text, _LSP_BREAK)
        body = text[self.bom:]
        self._yaml = (
            [start + self.bom for start in _starts(body, _YAML_BREAK)]
            if any(char in body for char in _YAML_ONLY)
            else self._lsp
        )

    def edited(self, text: str, prefix: int, suffix: int) -> TextLines:
        """The lines of `text`, this text with all but its first `prefix` and last `suffix`
        characters replaced: the line starts before the change are kept, those after it
        moved, only the lines around the change are read again."""
        old = self.text
        changed = text[prefix:len(text) - suffix]
        if self._yaml is not self._lsp or self.bom or text.startswith("\ufeff") or any(
                char in changed for char in _YAML_ONLY):
            return TextLines(text, self.encoding)
        delta = len(text) - len(old)
        starts = self._lsp
        begin = self.line_start(max(prefix - 1, 0))
        first = bisect.bisect_left(starts, begin)
        tail = bisect.bisect_left(starts, len(old) - suffix + 2)
        stop = starts[tail] + delta if tail < len(starts) else len(text) + 1
        window = [m.end() for m in _LSP_BREAK.finditer(text, begin, min(stop, len(text))) if m.end() < stop]
        made = TextLines.__new__(TextLines)
        made.text, made.encoding, made.bom = text, self.encoding, 0
        made._lsp = [*starts[:first + 1], *window, *(start + delta for start in starts[tail:])]
        made._yaml = made._lsp
        return made

    def _line_end(self, starts: list[int], index: int) -> int:
        """Offset of the line break that ends line `index` (0-based) of `starts`."""
        if index + 1 >= len(starts):
            return len(self.text)
        end = starts[index + 1]
        if starts is self._yaml and self.text[end - 1] in _YAML_ONLY:
            return end - 1
        return end - 2 if self.text[end - 2:end] == "\r\n" else end - 1

    def _yaml_start(self, index: int) -> int:
        return self._yaml[index] if index else self.bom

    def offset(self, line: int, column: int) -> int:
        """Offset of psc's 1-based (line, column), kept inside the text."""
        index = min(max(line, 1), len(self._yaml)) - 1
        start = self._yaml_start(index)
        return min(start + max(column, 1) - 1, self._line_end(self._yaml, index))

    def position(self, offset: int) -> types.Position:
        """The LSP position of an offset."""
        offset = min(max(offset, 0), len(self.text))
        index = bisect.bisect_right(self._lsp, offset) - 1
        start = self._lsp[index]
        return types.Position(index, units(self.text[start:offset], self.encoding))

    def from_psc(self, line: int, column: int) -> types.Position:
        return self.position(self.offset(line, column))

    def offset_at(self, position: types.Position) -> int:
        """Offset of an LSP position (past the end of a line: its end)."""
        index = min(max(position.line, 0), len(self._lsp) - 1)
        start = self._lsp[index]
        line = self.text[start:self._line_end(self._lsp, index)]
        return start + code_points(line, position.character, self.encoding)

    def psc_at(self, position: types.Position) -> tuple[int, int]:
        """psc's 1-based (line, column) of an LSP position."""
        offset = self.offset_at(position)
        index = bisect.bisect_right(self._yaml, offset) - 1
        return index + 1, max(offset - self._yaml_start(index), 0) + 1

    def range(self, start: int, end: int) -> types.Range:
        return types.Range(self.position(start), self.position(end))

    def start_of(self, line: int) -> int:
        """Offset of the start of LSP line `line` (0-based); the text's length past its end."""
        return self._lsp[line] if line < len(self._lsp) else len(self.text)

    def line_at(self, offset: int) -> int:
        """The LSP line (0-based) that holds an offset."""
        return bisect.bisect_right(self._lsp, offset) - 1

    def line_start(self, offset: int) -> int:
        """Offset of the start of the LSP line that holds an offset."""
        return self._lsp[bisect.bisect_right(self._lsp, offset) - 1]

    def end_of_line(self, line: int) -> int:
        """Offset of the end of LSP line `line` (0-based), before its line break."""
        return self._line_end(self._lsp, min(max(line, 0), len(self._lsp) - 1))

    def line_text(self, line: int) -> str:
        """LSP line `line` (0-based), without its line break."""
        index = min(max(line, 0), len(self._lsp) - 1)
        return self.text[self._lsp[index]:self._line_end(self._lsp, index)]

    @property
    def line_count(self) -> int:
        return len(self._lsp)
