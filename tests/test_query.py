"""psc_roadmap.query: filters, order, records, formats, show links and summary counts."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from ruamel.yaml import YAML

from psc_roadmap import query
from psc_roadmap.errors import NotFoundError, UsageError
from psc_roadmap.load import load_project
from psc_roadmap.markdown import markdown_table, md_escape
from psc_roadmap.periods import parse_month
from psc_roadmap.project import Project
from psc_roadmap.query import Filters
from psc_roadmap.text import json_text

PROJECTS = Path(__file__).parent / "projects"
DEMO_FOLDER = str(PROJECTS / "demo")
REPO_DATA = str(Path(__file__).parent.parent / "data")


@pytest.fixture(scope="module")
def demo() -> Project:
    project, findings = load_project(PROJECTS / "demo")
    assert not [f for f in findings if f.is_error]
    return project


@pytest.fixture(scope="module")
def awkward() -> Project:
    project, _ = load_project(PROJECTS / "queries")
    return project


def ids(project: Project, sort: str = "roadmap", **filters: object) -> list[str]:
    chosen = query.select(project, Filters(**filters))  # type: ignore[arg-type]
    return [e.id for e in query.sort_actions(project, chosen, sort)]


# --- filters ---------------------------------------------------------------------------


def test_no_filter_lists_every_action_in_roadmap_order_then_start_then_natural_id(demo: Project) -> None:
    # tech sets `order: 1`, so it comes before public; T-10 starts after T-2.
    assert ids(demo) == ["T-1", "T-2", "T-10", "S-01", "S-03", "S-02"]


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({"axes": ("AX1",)}, ["T-1", "T-10", "S-03"]),
        ({"roadmaps": ("public",)}, ["S-01", "S-03", "S-02"]),
        ({"themes": ("socle",)}, ["T-1", "T-2"]),
        ({"bodies": ("comite",)}, ["T-2"]),
        ({"statuses": ("planned",)}, ["T-10", "S-02"]),
        ({"feasibilities": ("probably",)}, ["S-02"]),
        ({"years": (2023,)}, ["T-1"]),
        ({"years": (2025,)}, ["T-10", "S-01", "S-02"]),
        ({"owners": ("MEDIATION",)}, ["S-01"]),
        ({"owners": ("donnees",)}, ["T-10"]),
        ({"tags": ("CAFE",)}, ["S-01"]),
        ({"tags": ("porta",)}, []),  # a tag is matched whole, not as a substring
        ({"texts": ("numerique",)}, ["S-01"]),
        ({"texts": ("budget",)}, ["S-03"]),  # in the description
    ],
)
def test_each_filter_alone(demo: Project, filters: dict[str, tuple[object, ...]], expected: list[str]) -> None:
    assert ids(demo, **filters) == expected


def test_same_filter_repeated_is_or_different_filters_are_and(demo: Project) -> None:
    assert ids(demo, statuses=("planned", "done")) == ["T-1", "T-10", "S-02"]
    assert ids(demo, axes=("AX2",), years=(2024,)) == ["T-2", "T-10", "S-01"]
    assert ids(demo, axes=("AX2",), roadmaps=("public",), statuses=("planned",)) == ["S-02"]
    assert ids(demo, years=(2023, 2026)) == ["T-1", "S-02"]


def test_year_compares_months_not_years_as_written(demo: Project) -> None:
    # T-1 ends in 2023-Q4: not under way in 2024; T-2 runs 2024-01..2024-06.
    assert "T-1" not in ids(demo, years=(2024,))
    assert "T-2" in ids(demo, years=(2024,))


@pytest.mark.parametrize(
    ("filters", "message"),
    [
        (Filters(axes=("AX9",)), "--axis: axis 'AX9' does not exist (did you mean"),
        (Filters(axes=("T-1",)), "('T-1' is an action)"),
        (Filters(axes=("ax1",)), "(did you mean 'AX1'?)"),
        (Filters(roadmaps=("tec",)), "--roadmap: roadmap 'tec' does not exist (did you mean 'tech'?)"),
        (Filters(themes=("socles",)), "(did you mean 'socle'?)"),
        (Filters(bodies=("comitee",)), "(did you mean 'comite'?)"),
        (Filters(statuses=("planed",)), "--status: 'planed' is not a status (did you mean 'planned'?)"),
        (Filters(feasibilities=("sure",)), "(did you mean 'surely'?)"),
        (Filters(years=(1800,)), "--year: 1800"),
    ],
)
def test_bad_filter_values_are_usage_errors_with_a_suggestion(
    demo: Project, filters: Filters, message: str
) -> None:
    with pytest.raises(UsageError) as info:
        query.check_filters(demo, filters)
    assert message in str(info.value)
    assert info.value.exit_code == 2


# --- order -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("key", "expected"),
    [
        ("roadmap", ["T-1", "T-2", "T-10", "S-01", "S-03", "S-02"]),
        ("id", ["S-01", "S-02", "S-03", "T-1", "T-2", "T-10"]),
        ("start", ["T-1", "T-2", "S-01", "S-03", "T-10", "S-02"]),
        ("end", ["T-1", "T-2", "S-03", "S-01", "T-10", "S-02"]),
        ("title", ["S-02", "S-03", "T-10", "T-1", "S-01", "T-2"]),
        ("status", ["T-10", "S-02", "T-2", "S-01", "T-1", "S-03"]),
    ],
)
def test_sort_keys(demo: Project, key: str, expected: list[str]) -> None:
    assert ids(demo, key) == expected


def test_unknown_sort_key_is_a_usage_error(demo: Project) -> None:
    with pytest.raises(UsageError, match="did you mean 'title'"):
        query.sort_actions(demo, demo.actions, "titel")


# --- records and formats -----------------------------------------------------------------


def test_record_has_every_field_defaults_filled_lists_and_periods_as_written(awkward: Project) -> None:
    entry = awkward.index["Q-10"]
    record = query.to_record(entry)
    assert list(record) == [
        "id", "roadmap", "title", "axes", "principles", "theme", "start", "end", "status",
        "feasibility", "owner", "body", "depends_on", "description", "tags",
    ]
    assert record["roadmap"] == "q"
    assert record["status"] == "planned"
    assert record["principles"] == [] and record["tags"] == []
    assert record["feasibility"] is None and record["owner"] is None
    q2 = query.to_record(awkward.index["Q-2"])
    assert q2["axes"] == ["AX1"]  # written as a single value
    assert q2["start"] == "2024" and q2["end"] == 2024  # quoted stays text, int stays int
    assert q2["description"] == 'First line, "quoted", with a comma\nsecond line'  # stripped


def test_csv_is_rfc4180_with_the_contract_header(awkward: Project) -> None:
    records = [query.to_record(e) for e in awkward.actions]
    text = query.to_csv(records)
    assert text.startswith(
        "id,roadmap,title,axes,start,end,status,feasibility,owner,body,theme,principles,"
        "depends_on,tags,description\r\n"
    )
    rows = list(csv.DictReader(io.StringIO(text, newline="")))
    assert [r["id"] for r in rows] == ["Q-2", "Q-10", "Q-LONG-IDENTIFIER-2024-XYZ"]
    assert rows[0]["tags"] == "no;on;12:30"
    assert rows[0]["description"] == 'First line, "quoted", with a comma\nsecond line'
    assert rows[1]["owner"] == ""


def test_csv_of_no_record_is_the_header_alone() -> None:
    assert query.to_csv([]).count("\r\n") == 1


def test_yaml_reads_back_the_same_data_and_quotes_yaml11_booleans(awkward: Project) -> None:
    records = [query.to_record(e) for e in awkward.actions]
    text = query.to_yaml(records)
    assert YAML(typ="safe", pure=True).load(text) == records
    assert "- 'no'" in text and "owner: 'yes'" in text and "'12:30'" in text


def test_markdown_escapes_everything_that_could_become_markup() -> None:
    assert md_escape("a | b *c* _d_ #e <f> [g](h) `i` ~j~ $k$ &amp; & \\") == (
        r"a \| b \*c\* \_d\_ \#e \<f\> \[g\](h) \`i\` \~j\~ \$k\$ \&amp; & \\"
    )
    assert md_escape("two\nlines") == "two lines"
    table = markdown_table(["title"], [["a | b"]])
    assert table == "| title |\n| --- |\n| a \\| b |\n"


def test_json_of_no_record_is_an_empty_list() -> None:
    assert json.loads(json_text([])) == []
    assert query.to_markdown([]) == "" and query.to_ids([]) == ""


# --- show ------------------------------------------------------------------------------


def link_ids(links: list[dict[str, object]]) -> list[object]:
    return [link["id"] for link in links]


def test_show_action_links_both_ways(demo: Project) -> None:
    view = query.show(demo, "S-01")
    assert view["kind"] == "action" and view["file"].endswith("public_roadmap.yaml")
    assert view["fields"] == query.to_record(demo.index["S-01"])
    links = view["links"]
    assert links["roadmap"]["id"] == "public"
    assert link_ids(links["axes"]) == ["AX2"] and link_ids(links["principles"]) == ["P1"]
    assert links["theme"] == {"id": "usages", "title": "Nouveaux usages"}
    assert links["body"] is None
    assert link_ids(links["depends_on"]) == ["T-1"]
    assert links["dependents"] == [{
        "id": "S-02", "title": "Application mobile de réservation", "roadmap": "public",
        "start": "2025-Q3", "end": 2026, "status": "planned",
    }]


@pytest.mark.parametrize(
    ("item", "kind", "expected"),
    [
        ("AX1", "axis", {"actions": ["T-1", "T-10", "S-03"], "bodies": []}),
        ("AX2", "axis", {"actions": ["T-2", "T-10", "S-01", "S-02"], "bodies": ["hub-public"]}),
        ("P2", "principle", {"actions": ["T-1", "T-10"]}),
        ("socle", "theme", {"roadmap": "tech", "actions": ["T-1", "T-2"]}),
        ("comite", "body", {"axes": [], "reports_to": "direction", "reported_by": ["hub-public"],
                            "actions": ["T-2"]}),
        ("hub-public", "body", {"axes": ["AX2"], "reports_to": "comite", "reported_by": [],
                                "actions": ["S-02"]}),
        ("tech", "roadmap", {"themes": ["socle", "donnees"], "actions": ["T-1", "T-2", "T-10"]}),
    ],
)
def test_show_links_of_every_kind(demo: Project, item: str, kind: str, expected: dict[str, object]) -> None:
    view = query.show(demo, item)
    assert view["kind"] == kind
    flat = {
        name: link_ids(value) if isinstance(value, list) else value and value["id"]
        for name, value in view["links"].items()
    }
    assert flat == expected


def test_show_roadmap_fields_are_its_header_without_themes(demo: Project) -> None:
    fields = query.show(demo, "tech")["fields"]
    assert fields["horizon"] == 2025 and fields["order"] == 1 and "themes" not in fields


def test_show_unknown_id_suggests_the_closest(demo: Project) -> None:
    with pytest.raises(NotFoundError, match=r"'t-1'.*did you mean 'T-1'"):
        query.show(demo, "t-1")
    with pytest.raises(NotFoundError, match="did you mean 'S-02'"):
        query.show(demo, "S-2")


# --- summary ---------------------------------------------------------------------------


def test_summary_counts(demo: Project) -> None:
    data = query.summary(demo, parse_month("2025-03"))
    assert data["as_of"] == "2025-03" and data["actions"] == 6
    assert [(r["id"], r["actions"]) for r in data["roadmaps"]] == [("tech", 3), ("public", 3)]
    # T-10 serves AX1 and AX2: it counts in both rows.
    assert data["matrix"] == [
        {"axis": "AX1", "title": "Ouvrir les collections", "roadmaps": {"tech": 2, "public": 1}, "total": 3},
        {"axis": "AX2", "title": "Servir le public", "roadmaps": {"tech": 2, "public": 2}, "total": 4},
    ]
    assert data["by_status"] == {"planned": 2, "in_progress": 2, "done": 1, "on_hold": 0, "cancelled": 1}
    assert data["by_feasibility"] == {"surely": 1, "probably": 1, "potentially": 1, "unrated": 3}
    assert data["by_year"] == {"2023": 1, "2024": 4, "2025": 3, "2026": 1}
    assert link_ids(data["overdue"]) == ["T-2"]


@pytest.mark.parametrize(
    ("as_of", "overdue"),
    [
        ("2024-06", []),  # T-2 ends in 2024-06: not overdue during that month
        ("2024-07", ["T-2"]),
        ("2030-01", ["T-2", "S-01", "T-10", "S-02"]),  # longest overdue first; done/cancelled never
    ],
)
def test_overdue(demo: Project, as_of: str, overdue: list[str]) -> None:
    assert link_ids(query.summary(demo, parse_month(as_of))["overdue"]) == overdue


def test_bad_as_of_is_a_usage_error() -> None:
    with pytest.raises(UsageError, match="--as-of: '2025-13' is not a month"):
        query.parse_as_of("2025-13")


def test_summary_markdown_has_every_section(demo: Project) -> None:
    text = query.summary_markdown(query.summary(demo, parse_month("2025-03")))
    for heading in ("Actions by axis and roadmap", "Actions by status", "Actions by feasibility",
                    "Actions by year under way", "Overdue (1)"):
        assert f"### {heading}" in text
    assert "| AX2 | Servir le public | 2 | 2 | 4 |" in text


def test_records_hold_every_field_as_the_model_dumps_it() -> None:
    for folder in (DEMO_FOLDER, REPO_DATA):
        project, _ = load_project(folder)
        for entry in project.actions:
            dumped = entry.model.model_dump(mode="json")
            expected = {"id": dumped.pop("id"), "roadmap": entry.roadmap.id if entry.roadmap else None, **dumped}
            record = query.to_record(entry)
            assert record == expected
            assert list(record) == list(expected)
