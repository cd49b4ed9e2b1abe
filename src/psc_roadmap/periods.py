"""Years, quarters and months: parsing, and comparing them month by month.

A period is kept as written (``2020``, ``"2020-Q3"``, ``"2020-09"``); its span is
``(first_month, last_month)`` counted as ``year * 12 + month - 1``.
"""

from __future__ import annotations

import datetime
import re
from functools import lru_cache

from psc_roadmap.text import quote

PERIOD_PATTERN = r"^(19|2[0-9])[0-9]{2}(-Q[1-4]|-(0[1-9]|1[0-2]))?$"
_PERIOD_RE = re.compile(PERIOD_PATTERN)
YEAR_MIN, YEAR_MAX = 1900, 2999

PeriodValue = int | str


class PeriodError(ValueError):
    """A value that is not a year, a quarter or a month."""


class DateText(str):
    """A scalar that YAML reads as a date (``2020-09-01``): kept as its text, flagged."""

    __slots__ = ()


_DATE = re.compile(r"[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}([Tt ].*)?$")


def is_date(value: object) -> bool:
    """A date (YAML's or written as text) where a period is expected."""
    if isinstance(value, DateText | datetime.date):
        return True
    return isinstance(value, str) and _DATE.match(value.strip()) is not None


def check_period(value: object) -> PeriodValue:
    """The value itself if it is a period as FORMAT.md writes them, else PeriodError."""
    if isinstance(value, bool):
        raise PeriodError(f"{str(value).lower()} is not a period")
    if isinstance(value, int):
        if YEAR_MIN <= value <= YEAR_MAX:
            return int(value)  # a plain int, whatever way the YAML wrote it (0x7E5)
        raise PeriodError(f"year {quote(value)[1:-1]} is outside {YEAR_MIN}..{YEAR_MAX}")
    if isinstance(value, str):
        text = value.strip()
        if _PERIOD_RE.match(text):
            return text
        raise PeriodError(f"{quote(value)} is not a period")
    if isinstance(value, float):
        if value != value:
            raise PeriodError(".nan is not a number")
        if value in (float("inf"), float("-inf")):
            raise PeriodError(f"{'-' if value < 0 else ''}.inf (infinity) is not a number")
        raise PeriodError(f"{value!r} is a decimal number, not a year")
    raise PeriodError(f"a {type(value).__name__} is not a period")


@lru_cache(maxsize=4096)
def span(value: PeriodValue) -> tuple[int, int]:
    """First and last month of a valid period."""
    text = str(value)
    year = int(text[:4])
    if len(text) == 4:
        return year * 12, year * 12 + 11
    if text[5] == "Q":
        q = int(text[6])
        first = year * 12 + (q - 1) * 3
        return first, first + 2
    month = year * 12 + int(text[5:7]) - 1
    return month, month


def first_month(value: PeriodValue) -> int:
    return span(value)[0]


def last_month(value: PeriodValue) -> int:
    return span(value)[1]


def month_label(month: int) -> str:
    """``2020-09`` for an absolute month index."""
    return f"{month // 12:04d}-{month % 12 + 1:02d}"


def parse_month(text: str) -> int:
    """An absolute month index from ``YYYY-MM``; PeriodError otherwise."""
    m = re.fullmatch(r"([0-9]{4})-(0[1-9]|1[0-2])", text.strip())
    if not m:
        raise PeriodError(f"{quote(text)} is not a month; write it as YYYY-MM, e.g. 2020-09")
    return int(m.group(1)) * 12 + int(m.group(2)) - 1


def years_of(value_start: PeriodValue, value_end: PeriodValue) -> range:
    """The calendar years an action from start to end is under way in."""
    return range(first_month(value_start) // 12, last_month(value_end) // 12 + 1)
