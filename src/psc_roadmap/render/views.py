"""What the templates are given: one small view class per thing they show (an action, a
roadmap and its Gantt chart, an axis, a body, a chapter ...), computed by `context`."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(slots=True)
class Ref:
    """A link to an item: its id, its HTML anchor, and the text that names it."""

    id: str
    anchor: str
    label: str
    title: str


@dataclass(slots=True)
class ActionView:
    id: str
    anchor: str
    title: str
    #: The title as written (`title` is already escaped in an HTML context).
    plain_title: str
    description: str | None
    roadmap: Ref
    axes: tuple[Ref, ...]
    principles: tuple[Ref, ...]
    theme: Ref | None
    start: str
    end: str
    period: str
    end_label: str
    start_label: str
    first_month: int
    last_month: int
    start_year: int
    end_year: int
    start_date: str
    end_date: str
    status: str
    status_label: str
    status_symbol: str
    feasibility: str
    feasibility_label: str
    owner: str | None
    body: Ref | None
    responsible: str | None
    depends_on: tuple[Ref, ...]
    tags: tuple[str, ...]
    mermaid_id: str
    mermaid_tag: str
    summary: str
    id_key: tuple[tuple[int, int | str], ...]
    #: Changed since the revision of `psc render --since` (added, renamed or changed).
    changed: bool = False


@dataclass(slots=True)
class YearGroup:
    year: int
    actions: tuple[ActionView, ...]


@dataclass(slots=True)
class GanttBar:
    action: ActionView
    row_y: str
    x: str
    x2: str
    width: str
    end_x: str
    label: str
    stripe: bool


@dataclass(slots=True)
class GanttSection:
    title: str | None
    text_y: str
    bars: tuple[GanttBar, ...]


@dataclass(slots=True)
class GanttTick:
    x: str
    mid: str
    label: str
    strong: bool


@dataclass(slots=True)
class Gantt:
    """Geometry of one roadmap's SVG Gantt chart, in viewBox units."""

    prefix: str
    width: int
    height: int
    chart_left: int
    chart_right: int
    header: int
    row: int
    years: tuple[GanttTick, ...]
    quarters: tuple[GanttTick, ...]
    sections: tuple[GanttSection, ...]
    first_year: int
    last_year: int


@dataclass(slots=True)
class ThemeView:
    id: str
    anchor: str
    title: str
    description: str | None


@dataclass(slots=True)
class LegendItem:
    key: str
    label: str
    symbol: str


@dataclass(slots=True)
class RoadmapView:
    id: str
    anchor: str
    number: int
    title: str
    heading: str
    description: str | None
    themes: tuple[ThemeView, ...]
    actions: tuple[ActionView, ...]
    by_start_year: tuple[YearGroup, ...]
    sections: tuple[tuple[str, tuple[ActionView, ...]], ...]
    gantt: Gantt
    first_year: int
    last_year: int
    rated: bool
    feasibility_legend: tuple[LegendItem, ...]


@dataclass(slots=True)
class AxisView:
    id: str
    anchor: str
    index_anchor: str
    number: int
    label: str
    title: str
    heading: str
    goal: str | None
    description: str | None
    actions: tuple[ActionView, ...]
    by_roadmap: tuple[tuple[Ref, tuple[ActionView, ...]], ...]
    bodies: tuple[Ref, ...]


@dataclass(slots=True)
class PrincipleView:
    id: str
    anchor: str
    title: str
    kind: str
    kind_label: str
    description: str | None


@dataclass(slots=True)
class BodyView:
    id: str
    anchor: str
    name: str
    kind: str
    kind_label: str
    description: str | None
    mission: tuple[str, ...]
    activities: tuple[str, ...]
    axes: tuple[Ref, ...]
    reports_to: Ref | None
    reported_by: tuple[Ref, ...]
    members: tuple[str, ...]
    actions: tuple[ActionView, ...]
    mermaid_id: str


@dataclass(slots=True)
class TreeNode:
    body: BodyView
    children: tuple[TreeNode, ...]


@dataclass(slots=True)
class Chapter:
    key: str
    title: str
    anchor: str
    md_anchor: str


@dataclass(slots=True)
class StatusColumn:
    status: str
    label: str
    symbol: str
    actions: tuple[ActionView, ...]


@dataclass(slots=True)
class ChangeRow:
    """One row of a table of changes: its cells as text, and the anchor of its action
    when the document holds it."""

    cells: tuple[str, ...]
    anchor: str | None


@dataclass(slots=True)
class ChangeTable:
    key: str
    title: str
    columns: tuple[str, ...]
    rows: tuple[ChangeRow, ...]
    #: The column that holds the id.
    id_column: int = 0


@dataclass(slots=True)
class ChangesView:
    """The chapter of `psc render --since` (and `psc diff --format md`)."""

    heading: str
    anchor: str
    md_anchor: str
    summary: str
    tables: tuple[ChangeTable, ...]


#: Every view class: what the templates read, data only.
VIEW_TYPES: frozenset[type] = frozenset({
    Ref, ActionView, YearGroup, GanttBar, GanttSection, GanttTick, Gantt, ThemeView, LegendItem,
    RoadmapView, AxisView, PrincipleView, BodyView, TreeNode, Chapter, StatusColumn, ChangeRow, ChangeTable,
    ChangesView,
})
