"""The enumerations of the data format (statuses, feasibility, kinds, languages) and the
choices of the command line (formats, sort keys, file kinds): the one list of each.

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


#: Statuses in the order of listings and counts; feasibility from the most to the least certain.
STATUS_ORDER: tuple[str, ...] = tuple(s.value for s in Status)
FEASIBILITY_ORDER: tuple[str, ...] = tuple(f.value for f in Feasibility)


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


# --- choices of the command line -----------------------------------------------------------


class ReportFormat(str, Enum):
    """`psc validate --format`: for people, psc's JSON, GitHub annotations, SARIF, GitLab
    Code Quality, JUnit XML."""

    text = "text"
    json = "json"
    github = "github"
    sarif = "sarif"
    gitlab = "gitlab"
    junit = "junit"


class QueryFormat(str, Enum):
    """`psc query --format`: the terminal ones (table, timeline) and the machine ones."""

    table = "table"
    json = "json"
    csv = "csv"
    yaml = "yaml"
    md = "md"
    ids = "ids"
    timeline = "timeline"


class SortKey(Enum):  # not a str: `title` would shadow str.title
    """`psc query --sort`."""

    roadmap = "roadmap"
    id = "id"
    start = "start"
    end = "end"
    title = "title"
    status = "status"


class ShowFormat(str, Enum):
    """`psc show --format`."""

    text = "text"
    json = "json"


class SummaryFormat(str, Enum):
    """`psc summary --format`."""

    table = "table"
    json = "json"
    csv = "csv"
    md = "md"


class RulesFormat(str, Enum):
    """`psc rules --format`."""

    text = "text"
    json = "json"
    md = "md"


class HistoryFormat(str, Enum):
    """`psc diff --format` and `psc log --format`."""

    text = "text"
    md = "md"
    json = "json"


class DocumentFormat(str, Enum):
    """`psc render --format`."""

    md = "md"
    html = "html"


class FileKind(str, Enum):
    """`psc schema KIND`: the kinds of data file."""

    axes = "axes"
    governance = "governance"
    roadmap = "roadmap"
