"""Positions, findings and the few exceptions that cross module boundaries."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum


class Severity(str, Enum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, order=True, slots=True)
class Position:
    """A place in a data file; line and column are 1-based."""

    file: str
    line: int = 1
    column: int = 1


#: The longest message a finding carries.
MESSAGE_LIMIT = 1000


@dataclass(frozen=True, slots=True)
class Finding:
    """One problem found in the data: where, which rule, and what to do about it.

    Its severity is the rule's, from the registry (`psc_roadmap.rules`); `about` names
    what it is about beyond its file (the item's id, the field, the value it names), so
    that edits and CI reports pair findings by what they are about, never by the wording
    of the message or by their line."""

    position: Position
    rule: str
    message: str
    about: tuple[str, ...] = ()
    severity: Severity = field(init=False, compare=False)

    def __post_init__(self) -> None:
        from psc_roadmap.rules import severity_of

        object.__setattr__(self, "severity", severity_of(self.rule))
        if len(self.message) > MESSAGE_LIMIT:  # no finding floods a CI log, whatever its input
            object.__setattr__(self, "message", self.message[: MESSAGE_LIMIT - 1] + "…")

    @property
    def identity(self) -> tuple[str, ...]:
        """What the finding is about, whatever its line or wording: rule, file, `about`."""
        return (self.rule, self.position.file, *self.about)

    def sort_key(self, file_rank: dict[str, int]) -> tuple[int, str, int, int, str, str]:
        p = self.position
        return (file_rank.get(p.file, len(file_rank)), p.file, p.line, p.column, self.rule, self.message)

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR


class PscError(Exception):
    """Base of the errors that the CLI turns into a message and an exit code."""

    exit_code = 1


class UsageError(PscError):
    """The command line asks for something impossible: exit 2 with a hint."""

    exit_code = 2


class NotFoundError(PscError):
    """An id that the project does not hold: exit 1 with suggestions."""

    exit_code = 1
