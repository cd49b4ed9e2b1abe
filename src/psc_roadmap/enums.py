"""The enumerations of the data format (FORMAT.md): statuses, feasibility, kinds, languages.

Standard library only, so that the command line can offer them as choices without
loading Pydantic."""

from __future__ import annotations

from enum import Enum


class Status(str, Enum):
    planned = "planned"
    in_progress = "in_progress"
    done = "done"
    on_hold = "on_hold"
    cancelled = "cancelled"


class Feasibility(str, Enum):
    surely = "surely"
    probably = "probably"
    potentially = "potentially"


class BodyKind(str, Enum):
    committee = "committee"
    hub = "hub"
    department = "department"
    team = "team"


class PrincipleKind(str, Enum):
    guideline = "guideline"
    attention = "attention"


class Language(str, Enum):
    fr = "fr"
    en = "en"
