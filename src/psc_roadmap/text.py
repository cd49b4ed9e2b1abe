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
