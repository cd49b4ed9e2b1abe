"""Text helpers shared by every output: comparing text the way people read it (case- and
accent-insensitive, ids in natural order), one-line and terminal-safe forms, control
characters, plurals."""

from __future__ import annotations

import json
import re
import unicodedata
from functools import lru_cache
from typing import Any

_DIGITS = re.compile(r"(\d+)")


@lru_cache(maxsize=65536)
def fold(text: str) -> str:
    """Lower case without accents: `Numérique` and `numerique` fold alike; `Œ` → `oe`."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return stripped.replace("œ", "oe").replace("æ", "ae")


def natural_key(value: str) -> tuple[tuple[int, int | str], ...]:
    """`SI-2` before `SI-10`: digit runs compare as numbers."""
    return tuple((1, int(part)) if part.isdigit() else (0, part) for part in _DIGITS.split(value) if part)


#: C0 controls but tab and line feed, DEL, and C1 controls: no text holds them.
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_CONTROL_CODES = [c for c in (*range(0x20), 0x7F, *range(0x80, 0xA0)) if c not in (0x09, 0x0A)]
_WHITE_SPACE = re.compile(r"\s+")


def one_line(text: object) -> str:
    """The text on one line: runs of white space (newlines, tabs) become one space, and
    control characters (which validation refuses anyway) become U+FFFD."""
    flat = _WHITE_SPACE.sub(" ", str(text)).strip()
    return flat if flat.isprintable() else CONTROL.sub("\ufffd", flat)


def json_text(data: Any) -> str:
    """JSON as psc writes it: UTF-8 characters as they are (not \\u escapes), indented by
    two spaces, one final newline."""
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


_OPENERS = {"\u202a": "\u202c", "\u202b": "\u202c", "\u202d": "\u202c", "\u202e": "\u202c",
            "\u2066": "\u2069", "\u2067": "\u2069", "\u2068": "\u2069"}
_CLOSERS = frozenset(_OPENERS.values())


def unbalanced_bidi(text: str) -> str | None:
    """The first bidirectional control (U+202A-U+202E, U+2066-U+2069) that the text does not
    close (or closes without opening), else None: an open override or isolate reverses
    whatever a document prints after the text."""
    if text.isprintable() and text.isascii():
        return None
    stack: list[str] = []
    for char in text:
        if char in _OPENERS:
            stack.append(char)
        elif char in _CLOSERS:
            if not stack or _OPENERS[stack[-1]] != char:
                return char
            stack.pop()
    return stack[0] if stack else None


_RIGHT_TO_LEFT = frozenset({"R", "AL", "RLE", "RLO", "LRE", "LRO", "PDF", "RLI", "LRI", "FSI", "PDI"})


#: The blocks that hold every character whose direction is in _RIGHT_TO_LEFT (Hebrew to
#: Arabic Extended-A, RLM, the embeddings and isolates, the presentation forms, the
#: right-to-left scripts of the SMP): a superset, so that a text with none of them is
#: known left-to-right by one regex pass (tests/test_untrusted.py holds it a superset).
MAYBE_RIGHT_TO_LEFT = re.compile(
    "[\u0590-\u08ff\u200f\u202a-\u202e\u2066-\u2069\ufb1d-\ufdff\ufe70-\ufeff"
    "\U00010800-\U00010fff\U0001e800-\U0001efff]")


def directional(text: str) -> bool:
    """Whether the text holds right-to-left letters or bidi controls: printed beside other
    text, it should be isolated (`<bdi>`) so that neither reorders the other."""
    return not text.isascii() and any(
        unicodedata.bidirectional(c) in _RIGHT_TO_LEFT for c in MAYBE_RIGHT_TO_LEFT.findall(text))


#: How much of a value a message may quote: a message never prints a whole file.
QUOTE_LIMIT = 60


def quote(value: object, limit: int = QUOTE_LIMIT) -> str:
    """`'value'`, shortened with `…` past `limit` characters and kept on one line (control
    characters stay, for the reporters to show as escapes)."""
    text = _WHITE_SPACE.sub(" ", str(value)).strip()
    return f"'{text if len(text) <= limit else text[: limit - 1] + '…'}'"


def plural(n: int, word: str, many: str | None = None) -> str:
    """`1 error`, `2 errors` (`many` for a plural that is not word + s)."""
    return f"{n} {word if n == 1 else many or word + 's'}"


_INVISIBLE = {
    0x061C, 0x200B, 0x200C, 0x200D, 0x200E, 0x200F, 0x2028, 0x2029,
    0x202A, 0x202B, 0x202C, 0x202D, 0x202E, 0x2060, 0x2066, 0x2067, 0x2068, 0x2069, 0xFEFF,
}
_TERMINAL_TABLE = {
    **{c: f"\\x{c:02x}" for c in _CONTROL_CODES},
    **{c: f"\\u{c:04x}" for c in _INVISIBLE},
}


def terminal_safe(text: str) -> str:
    """Text that can't drive a terminal: control characters (ESC ...), bidi overrides and
    zero-width characters are shown as escapes (`\\x1b`, `\\u202e`) instead of acting."""
    if text.isprintable():  # none of them is printable: the common case costs one scan
        return text
    return text.translate(_TERMINAL_TABLE)
