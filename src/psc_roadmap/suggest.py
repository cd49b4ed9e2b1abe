""""Did you mean": the one way psc proposes a valid value for a mistyped id, field, enum
value, rule name, option value or period.

Spelling finds `AX1` for `AXl`; meaning finds what spelling can't: `finished` means
`done`, `2027-T2` (the French quarter) means `2027-Q2` (`MEANINGS`, `period_meant`).

A `Vocabulary` is built once per set of candidates. A word first meets the candidates
that differ from it only by case, accents, look-alike characters (`l` for `1`, `O` for
`0`) or separators (`SI_01`, `SI01` for `SI-01`), found in one dictionary lookup. Otherwise
it is compared with every candidate of a small vocabulary, or, in a large one, with a
bounded number of neighbours (in sorted order and in the order of the reversed words, so
that a typo at either end still lands near its target): reporting n mistakes against N
candidates costs O(n log N), not O(n N).
"""

from __future__ import annotations

import bisect
import difflib
import re
from collections.abc import Callable, Iterable

from psc_roadmap.text import fold, natural_key

#: Candidates compared on each side of the word, in each of the two orders, in a large vocabulary.
NEIGHBOURS = 8
#: A vocabulary up to this size is searched whole.
SMALL = 64
#: How many valid values a message lists when none is close.
LISTED = 5

_LOOKALIKE = str.maketrans({"l": "1", "I": "1", "i": "1", "O": "0", "o": "0"})
_SEPARATORS = re.compile(r"[-_. ]")


def _normal(word: str) -> str:
    """The form two spellings of one id share: no case, accents, look-alikes or separators."""
    return _SEPARATORS.sub("", fold(word.translate(_LOOKALIKE)).translate(_LOOKALIKE))

#: Words people write for a value of psc's enums, in English and French, folded (lower
#: case, no accents, spaces for `_` and `-`): the value they mean, when it is a candidate.
MEANINGS = {
    **dict.fromkeys(
        ("finished", "complete", "completed", "closed", "over", "ended", "delivered", "achieved",
         "termine", "fini", "fait", "acheve", "livre", "clos"), "done"),
    **dict.fromkeys(
        ("started", "ongoing", "in progress", "inprogress", "progress", "running", "active", "underway",
         "under way", "wip", "en cours", "commence", "demarre"), "in_progress"),
    **dict.fromkeys(("todo", "to do", "not started", "future", "prevu", "a venir", "a faire"), "planned"),
    **dict.fromkeys(
        ("paused", "suspended", "hold", "onhold", "blocked", "waiting", "en pause", "suspendu", "en attente"),
        "on_hold"),
    **dict.fromkeys(("canceled", "abandoned", "dropped", "annule", "abandonne", "stopped"), "cancelled"),
    **dict.fromkeys(("sure", "certain", "certainly", "surement", "certainement"), "surely"),
    **dict.fromkeys(("likely", "probable", "probablement"), "probably"),
    **dict.fromkeys(("possible", "possibly", "maybe", "perhaps", "unlikely", "potentiel", "potentiellement"),
                    "potentially"),
}


class Vocabulary:
    """The valid values of one kind (ids of axes, fields of an action ...), indexed once."""

    def __init__(self, candidates: Iterable[str]) -> None:
        self.words: list[str] = sorted(set(candidates), key=natural_key)
        self._forward = sorted(self.words)
        self._backward = sorted(w[::-1] for w in self.words)
        self._normal: dict[str, list[str]] = {}
        for word in self.words:
            self._normal.setdefault(_normal(word), []).append(word)

    def _pool(self, word: str) -> list[str]:
        if len(self.words) <= SMALL:
            return self._forward
        pool: set[str] = set()
        for ordered, key, flip in ((self._forward, word, False), (self._backward, word[::-1], True)):
            at = bisect.bisect_left(ordered, key)
            for candidate in ordered[max(0, at - NEIGHBOURS): at + NEIGHBOURS]:
                pool.add(candidate[::-1] if flip else candidate)
        return sorted(pool)

    def closest(self, word: str, n: int = 1) -> list[str]:
        """Up to n close candidates, best first: the same id written another way (case,
        accents, look-alikes, separators), then the value the word means (`finished` for
        `done`, see MEANINGS), then as difflib judges, ties broken by look-alike
        characters (`AXl` means `AX1`)."""
        best = [c for c in self._normal.get(_normal(word), ()) if c != word]
        meant = MEANINGS.get(" ".join(fold(word).replace("_", " ").replace("-", " ").split()))
        if meant is not None and meant in self._normal.get(_normal(meant), ()) and meant not in best:
            best.append(meant)
        if len(best) >= n:
            return best[:n]
        close = [c for c in difflib.get_close_matches(word, self._pool(word), n=max(5, n)) if c not in best]
        if len(close) > 1:
            folded = word.casefold().translate(_LOOKALIKE)

            def rank(candidate: str) -> tuple[float, float]:
                plain = difflib.SequenceMatcher(None, word, candidate).ratio()
                alike = difflib.SequenceMatcher(None, folded, candidate.casefold().translate(_LOOKALIKE)).ratio()
                return (-plain - alike, -alike)

            close.sort(key=rank)
        return (best + close)[:n]

    def hint(self, word: str, many: int = 1, listed: int = LISTED) -> str:
        """` (did you mean 'X'?)` (or `'A', 'B' or 'C'` with many > 1) when a candidate is
        close, else ` (valid: 'a', 'b', ...)` listing up to `listed` of them (none: nothing)."""
        close = self.closest(word, many)
        if close:
            names = [f"'{c}'" for c in close]
            listing = names[0] if len(names) == 1 else ", ".join(names[:-1]) + f" or {names[-1]}"
            return f" (did you mean {listing}?)"
        if not self.words or listed <= 0:
            return ""
        shown = ", ".join(f"'{c}'" for c in self.words[:listed])
        more = ", ..." if len(self.words) > listed else ""
        return f" (valid: {shown}{more})"


def did_you_mean(word: str, candidates: Iterable[str], listed: int = LISTED) -> str:
    """`Vocabulary(candidates).hint(word)`, for a one-off suggestion."""
    return Vocabulary(candidates).hint(word, listed=listed)


def free_id(taken_id: str, taken: Iterable[str]) -> str | None:
    """An id like `taken_id` that no item has: its number raised until free, as wide as it
    was (`A-01` → `A-02`), else None for an id without a number at its end."""
    match = re.fullmatch(r"(.*?)([0-9]+)", taken_id)
    if match is None:
        return None
    prefix, digits = match.groups()
    used = set(taken)
    number = int(digits) + 1
    while f"{prefix}{number:0{len(digits)}d}" in used:
        number += 1
    return f"{prefix}{number:0{len(digits)}d}"


def _quarter(year: str, quarter: str) -> str:
    return f"{year}-Q{quarter}"


_YEAR = r"((?:19|2[0-9])[0-9]{2})"
_PERIOD_FIXES: tuple[tuple[re.Pattern[str], Callable[[re.Match[str]], str]], ...] = (
    # 2027-T2, 2027 T2, 2027T2 (T for trimestre), 2027-q2, 2027Q2
    (re.compile(_YEAR + r"[-/ ]?[TtQq]([1-4])"), lambda m: _quarter(m.group(1), m.group(2))),
    # T2 2027 (as psc writes quarters in French), Q2 2027, T2-2027
    (re.compile(r"[TtQq]([1-4])[-/ ]?" + _YEAR), lambda m: _quarter(m.group(2), m.group(1))),
    # 2027-9: a month on one digit; 09/2027 and 9/2027: the month first
    (re.compile(_YEAR + r"-([1-9])"), lambda m: f"{m.group(1)}-0{m.group(2)}"),
    (re.compile(r"(0?[1-9]|1[0-2])/" + _YEAR), lambda m: f"{m.group(2)}-{int(m.group(1)):02d}"),
)


def period_meant(text: str) -> str | None:
    """The period a text that is not one was meant to be (`2027-T2` → `2027-Q2`, `T2 2027`
    → `2027-Q2`, `2027-9` → `2027-09`), or None."""
    for pattern, meant in _PERIOD_FIXES:
        match = pattern.fullmatch(text.strip())
        if match:
            return meant(match)
    return None
