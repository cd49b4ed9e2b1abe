"""Comparing text the way people read it: case- and accent-insensitive, ids in natural order."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

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


_INVISIBLE = {
    0x061C, 0x200B, 0x200C, 0x200D, 0x200E, 0x200F, 0x2028, 0x2029,
    0x202A, 0x202B, 0x202C, 0x202D, 0x202E, 0x2060, 0x2066, 0x2067, 0x2068, 0x2069, 0xFEFF,
}
_TERMINAL_TABLE = {
    **{c: f"\\x{c:02x}" for c in range(0x20) if c not in (0x09, 0x0A)},
    0x7F: "\\x7f",
    **{c: f"\\x{c:02x}" for c in range(0x80, 0xA0)},
    **{c: f"\\u{c:04x}" for c in _INVISIBLE},
}


def terminal_safe(text: str) -> str:
    """Text that can't drive a terminal: control characters (ESC ...), bidi overrides and
    zero-width characters are shown as escapes (`\\x1b`, `\\u202e`) instead of acting."""
    if text.isprintable():  # none of them is printable: the common case costs one scan
        return text
    return text.translate(_TERMINAL_TABLE)
