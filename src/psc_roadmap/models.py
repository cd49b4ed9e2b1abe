"""Pydantic models of the data files (FORMAT.md, version 1): the one source of truth
for field names, types, enums, patterns and the JSON Schema. No I/O, no positions."""

from __future__ import annotations

import datetime
import re
from typing import Annotated, Any

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PlainValidator,
    StringConstraints,
    WithJsonSchema,
    model_validator,
)

from psc_roadmap.enums import BodyKind, Feasibility, Language, PrincipleKind, Status
from psc_roadmap.periods import PERIOD_PATTERN, PeriodError, check_period, is_date
from psc_roadmap.text import quote

ID_PATTERN = r"^[A-Za-z][A-Za-z0-9_.-]{0,39}$"


def _as_list(value: Any) -> Any:
    """One item written without brackets is a list of one; null is no item."""
    if value is None:
        return []
    if isinstance(value, list):
        return value
    return [value]


def _period(value: Any) -> int | str:
    if is_date(value):
        text = str(value).strip()
        raise ValueError(f"'{text}' is a date; write \"{text[:7]}\" or {text[:4]}")
    try:
        return check_period(value)
    except PeriodError as exc:
        raise ValueError(
            f"{exc}; write a year (2020), a quarter (\"2020-Q3\") or a month (\"2020-09\")"
        ) from None


def _year(value: Any) -> int | str:
    if is_date(value):
        raise ValueError(f"'{str(value).strip()}' is a date; write the year, {str(value).strip()[:4]}")
    period = _period(value)
    if len(str(period)) != 4:
        raise ValueError(f"{quote(value)} is not a year; write a year such as 2021")
    return period


def _calendar_date(value: Any) -> str:
    """A day, `YYYY-MM-DD` (a YAML date is read as its text)."""
    text = str(value).strip() if isinstance(value, str) else None
    if text is None or not re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", text):
        raise ValueError(f"{quote(value)} is not a date; write a day as 2018-11-16")
    try:
        datetime.date.fromisoformat(text)
    except ValueError:
        raise ValueError(f"{quote(value)} is not a day of the calendar") from None
    return text


Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
Day = Annotated[
    str,
    PlainValidator(_calendar_date),
    WithJsonSchema({"type": "string", "pattern": r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$",
                    "description": "A day, YYYY-MM-DD"}),
]
Id = Annotated[str, StringConstraints(pattern=ID_PATTERN), Field(description="An id, unique across the project")]
Ref = Annotated[str, StringConstraints(pattern=ID_PATTERN)]
Period = Annotated[
    int | str,
    PlainValidator(_period),
    WithJsonSchema({
        "anyOf": [
            {"type": "integer", "minimum": 1900, "maximum": 2999},
            {"type": "string", "pattern": PERIOD_PATTERN},
        ],
        "description": 'A year (2020 or "2020"), a quarter ("2020-Q3") or a month ("2020-09")',
    }),
]
Year = Annotated[
    int | str,
    PlainValidator(_year),
    WithJsonSchema({
        "anyOf": [
            {"type": "integer", "minimum": 1900, "maximum": 2999},
            {"type": "string", "pattern": r"^(19|2[0-9])[0-9]{2}$"},
        ],
        "description": "A year, 1900 to 2999",
    }),
]


def _list_schema(item: dict[str, Any], description: str) -> dict[str, Any]:
    return {"anyOf": [{"type": "array", "items": item}, item, {"type": "null"}], "description": description}


_TEXT_SCHEMA: dict[str, Any] = {"anyOf": [{"type": "string", "pattern": r"\S"}, {"type": "number"}]}
_REF_SCHEMA: dict[str, Any] = {"type": "string", "pattern": ID_PATTERN}

TextList = Annotated[
    list[Text], BeforeValidator(_as_list), WithJsonSchema(_list_schema(_TEXT_SCHEMA, "A list of text, or one text"))
]
RefList = Annotated[
    list[Ref], BeforeValidator(_as_list), WithJsonSchema(_list_schema(_REF_SCHEMA, "A list of ids, or one id"))
]
RequiredRefList = Annotated[
    list[Ref],
    BeforeValidator(_as_list),
    Field(min_length=1),
    WithJsonSchema({
        "anyOf": [{"type": "array", "items": _REF_SCHEMA, "minItems": 1}, _REF_SCHEMA],
        "description": "One or more ids",
    }),
]


class Strict(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        coerce_numbers_to_str=True,
        frozen=True,
        use_enum_values=False,
        str_strip_whitespace=True,
    )

    @model_validator(mode="before")
    @classmethod
    def _null_is_absent(cls, data: Any) -> Any:
        """An optional field set to null (`description:` with nothing after it) is left out."""
        if isinstance(data, dict) and None in data.values():
            fields = cls.model_fields
            return {
                key: value
                for key, value in data.items()
                if value is not None or key not in fields or fields[key].is_required()
            }
        return data


class Source(Strict):
    title: Text = Field(description="Name of the source (an audit, a seminar, workshops ...)")
    period: Text | None = Field(None, description="When, as free text (\"2016-2017\")")
    description: Text | None = Field(None, description="What it contributed")


class Document(Strict):
    institution: Text = Field(description="The institution whose strategy this is")
    title: Text = Field(description="Title of the document")
    subtitle: Text | None = Field(None, description="Subtitle shown on the cover")
    language: Language = Field(Language.fr, description="Language of rendered labels: fr or en")
    period: Text | None = Field(None, description="Period covered, free text shown on the cover")
    date: Day | None = Field(None, description="The document's date, YYYY-MM-DD: the PDF's creation date")
    objectives: TextList = Field(default_factory=list, description="What the document is for")
    sources: list[Source] = Field(default_factory=list, description="How the strategy was drawn up")
    overview_title: Text | None = Field(
        None, description="Heading of the opening chapter (objectives and sources); default: Objectifs / Objectives")
    sources_title: Text | None = Field(
        None, description="Heading of the sources; default: Élaboration de la stratégie / How the strategy was "
                          "drawn up")


class Axis(Strict):
    id: Id
    title: Text = Field(description="Title of the strategic axis")
    goal: Text | None = Field(None, description="The axis's goal in one sentence")
    description: Text | None = Field(None, description="Longer text")


class Principle(Strict):
    id: Id
    title: Text = Field(description="The guiding principle")
    kind: PrincipleKind = Field(PrincipleKind.guideline, description="guideline or attention (point of attention)")
    description: Text | None = Field(None, description="Longer text")


class AxesFile(Strict):
    document: Document = Field(description="The document's metadata")
    axes: list[Axis] = Field(min_length=1, description="The strategic axes, at least one")
    principles: list[Principle] = Field(default_factory=list, description="Guiding principles and points of attention")


class Body(Strict):
    id: Id
    name: Text = Field(description="Name of the body")
    kind: BodyKind = Field(description="committee, hub, department or team")
    description: Text | None = Field(None, description="What the body is")
    mission: TextList = Field(default_factory=list, description="Its missions")
    activities: TextList = Field(default_factory=list, description="Its activities (verbs)")
    axes: RefList = Field(default_factory=list, description="Axes (pillars) it serves")
    reports_to: Ref | None = Field(None, description="Id of the body it reports to")
    members: TextList = Field(default_factory=list, description="Its members, as text")


class GovernanceFile(Strict):
    title: Text | None = Field(None, description="Heading of the governance chapter; default: Gouvernance / "
                                                 "Governance")
    short_title: Text | None = Field(None, description="Short title, on the cover and in page footers; default: "
                                                       "the heading")
    subtitle: Text | None = Field(None, description="A line under the chapter's heading")
    description: Text | None = Field(None, description="Introduction to the organisation")
    bodies: list[Body] = Field(default_factory=list, description="Committees, hubs, departments, teams")


class Theme(Strict):
    id: Id
    title: Text = Field(description="Title of the theme")
    description: Text | None = Field(None, description="Longer text")


class RoadmapHeader(Strict):
    id: Id
    title: Text = Field(description="Title of the roadmap")
    short_title: Text | None = Field(None, description="Short title, on the cover, in page footers and over the "
                                                       "timeline; default: the title")
    start: Year | None = Field(None, description="First year; no action may start before it")
    horizon: Year = Field(description="Last year; no action may end after it")
    order: int | None = Field(None, strict=True, description="Chapter order in the document")
    description: Text | None = Field(None, description="What the roadmap covers")
    themes: list[Theme] = Field(default_factory=list, description="The roadmap's chapters or concerns")


class Action(Strict):
    id: Id
    title: Text = Field(description="Title of the action")
    axes: RequiredRefList = Field(description="Ids of the axes it serves, at least one")
    principles: RefList = Field(default_factory=list, description="Ids of the principles it applies")
    theme: Ref | None = Field(None, description="Id of a theme of this roadmap")
    start: Period = Field(description="When it starts")
    end: Period = Field(description="When it ends, not before start")
    status: Status = Field(Status.planned, description="planned, in_progress, done, on_hold or cancelled")
    feasibility: Feasibility | None = Field(None, description="surely, probably or potentially achievable")
    owner: Text | None = Field(None, description="Who owns it, as free text")
    body: Ref | None = Field(None, description="Id of the governance body that steers it")
    depends_on: RefList = Field(default_factory=list, description="Ids of the actions it waits for")
    description: Text | None = Field(None, description="Longer text")
    tags: TextList = Field(default_factory=list, description="Free tags")


class RoadmapFile(Strict):
    roadmap: RoadmapHeader = Field(description="The roadmap's header")
    actions: list[Action] = Field(description="The actions (may be empty)")


FILE_MODELS: dict[str, type[Strict]] = {
    "axes": AxesFile,
    "governance": GovernanceFile,
    "roadmap": RoadmapFile,
}

#: Fields of an action that `psc set` may change, in file order.
ACTION_FIELDS = tuple(name for name in Action.model_fields if name != "id")
LIST_FIELDS = frozenset({"axes", "principles", "depends_on", "tags"})
