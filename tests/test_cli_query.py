"""`psc query`, `psc show`, `psc summary` as a user runs them: exit code, stdout, stderr.

Commands run in-process through `psc_roadmap.cli.main` (the `psc` entry point, with its
error guard), on an 80-column non-terminal; a few run as a real subprocess."""

from __future__ import annotations

import csv
import datetime
import io
import json
import re
import shutil
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from ruamel.yaml import YAML

from psc_roadmap.cli import main
from tests.conftest import ROADMAP, MakeProject

PROJECTS = Path(__file__).parent / "projects"
DEMO = str(PROJECTS / "demo")
AWKWARD = str(PROJECTS / "queries")
SHIPPED = str(Path(__file__).parent.parent / "data")
DEMO_ORDER = ["T-1", "T-2", "T-10", "S-01", "S-03", "S-02"]


@dataclass
class Result:
    code: int
    out: str
    err: str

    @property
    def lines(self) -> list[str]:
        return self.out.splitlines()


Psc = Callable[..., Result]


@pytest.fixture
def psc(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> Psc:
    monkeypatch.setenv("COLUMNS", "80")
    for name in ("FORCE_COLOR", "NO_COLOR", "PSC_DATA", "TTY_COMPATIBLE", "TTY_INTERACTIVE"):
        monkeypatch.delenv(name, raising=False)

    def run(*args: str) -> Result:
        monkeypatch.setattr(sys, "argv", ["psc", *args])
        with pytest.raises(SystemExit) as exit_info:
            main()
        out, err = capsys.readouterr()
        code = exit_info.value.code
        return Result(code if isinstance(code, int) else 0, out, err)

    return run


def ids(result: Result) -> list[str]:
    assert result.code == 0, result.err
    return result.lines


# --- filters and order -----------------------------------------------------------------


def test_default_order_is_roadmap_order_then_start_then_natural_id(psc: Psc) -> None:
    assert ids(psc("query", "-d", DEMO, "--format", "ids")) == DEMO_ORDER


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["--axis", "AX1"], ["T-1", "T-10", "S-03"]),
        (["--roadmap", "public"], ["S-01", "S-03", "S-02"]),
        (["--theme", "socle"], ["T-1", "T-2"]),
        (["--body", "hub-public"], ["S-02"]),
        (["--status", "in_progress"], ["T-2", "S-01"]),
        (["--feasibility", "potentially"], ["S-03"]),
        (["--year", "2026"], ["S-02"]),
        (["--owner", "service INFO"], ["T-1"]),
        (["--tag", "Café"], ["S-01"]),
        (["--tag", "cafe"], ["S-01"]),
        (["--text", "numerique"], ["S-01"]),
        (["--text", "ENTREPOT"], ["T-10"]),
        # repeated = OR, different = AND
        (["--axis", "AX1", "--axis", "AX2"], DEMO_ORDER),
        (["--status", "planned", "--status", "done"], ["T-1", "T-10", "S-02"]),
        (["--axis", "AX2", "--year", "2024"], ["T-2", "T-10", "S-01"]),
        (["--roadmap", "public", "--feasibility", "surely", "--feasibility", "probably",
          "--year", "2025"], ["S-01", "S-02"]),
        (["--text", "zzz"], []),
    ],
)
def test_filters(psc: Psc, args: list[str], expected: list[str]) -> None:
    assert ids(psc("query", "-d", DEMO, "-f", "ids", *args)) == expected


@pytest.mark.parametrize(
    ("key", "expected"),
    [
        ("id", ["S-01", "S-02", "S-03", "T-1", "T-2", "T-10"]),
        ("start", ["T-1", "T-2", "S-01", "S-03", "T-10", "S-02"]),
        ("end", ["T-1", "T-2", "S-03", "S-01", "T-10", "S-02"]),
        ("title", ["S-02", "S-03", "T-10", "T-1", "S-01", "T-2"]),
        ("status", ["T-10", "S-02", "T-2", "S-01", "T-1", "S-03"]),
        ("roadmap", DEMO_ORDER),
    ],
)
def test_sort(psc: Psc, key: str, expected: list[str]) -> None:
    assert ids(psc("query", "-d", DEMO, "-f", "ids", "--sort", key)) == expected


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--axis", "AX9"], "error: --axis: axis 'AX9' does not exist (did you mean 'AX"),
        (["--axis", "S-01"], "('S-01' is an action)"),
        (["--roadmap", "tec"], "error: --roadmap: roadmap 'tec' does not exist (did you mean 'tech'?)"),
        (["--theme", "socles"], "(did you mean 'socle'?)"),
        (["--body", "hub"], "body 'hub' does not exist"),
        (["--status", "planed"], "error: --status: 'planed' is not a status (did you mean 'planned'?)"),
        (["--status", "xyz"], "(valid: 'cancelled', 'done', 'in_progress', 'on_hold', 'planned')"),
        (["--feasibility", "sure"], "error: --feasibility: 'sure' is not a feasibility (did you mean 'surely'?)"),
        (["--year", "20"], "--year: 20"),
        (["--year", "next"], "'--year'"),
        (["--sort", "size"], "'--sort'"),
        (["--format", "xml"], "'--format'"),
    ],
)
def test_usage_errors_exit_2_with_a_hint(psc: Psc, args: list[str], message: str) -> None:
    result = psc("query", "-d", DEMO, *args)
    assert result.code == 2
    assert message in result.err
    assert result.out == ""
    assert "Traceback" not in result.err


def test_missing_data_folder_is_a_usage_error(psc: Psc, tmp_path: Path) -> None:
    result = psc("query", "-d", str(tmp_path / "nowhere"))
    assert result.code == 2 and "psc init" in result.err


@pytest.fixture
def broken(tmp_path: Path) -> str:
    folder = tmp_path / "broken"
    shutil.copytree(DEMO, folder)
    path = folder / "public_roadmap.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("axes: [AX1]", "axes: [AX9]"), encoding="utf-8")
    return str(folder)


@pytest.mark.parametrize("command", [["query"], ["query", "-f", "json"], ["show", "S-01"], ["summary"]])
def test_a_project_with_errors_is_refused(psc: Psc, broken: str, command: list[str]) -> None:
    result = psc(*command, "-d", broken)
    assert result.code == 1
    assert result.out == ""
    assert "public_roadmap.yaml:" in result.err and "unknown-reference" in result.err
    assert "AX9" in result.err


# --- formats ---------------------------------------------------------------------------


def test_json_lists_every_field(psc: Psc) -> None:
    result = psc("query", "-d", DEMO, "-f", "json")
    assert result.code == 0
    records = json.loads(result.out)
    assert [r["id"] for r in records] == DEMO_ORDER
    t2 = records[1]
    assert t2 == {
        "id": "T-2", "roadmap": "tech", "title": "Wi-Fi public dans les annexes", "axes": ["AX2"],
        "principles": [], "theme": "socle", "start": "2024-01", "end": "2024-06",
        "status": "in_progress", "feasibility": None, "owner": None, "body": "comite",
        "depends_on": ["T-1"], "description": None, "tags": [],
    }
    assert records[0]["start"] == 2023  # a year written as a number stays a number


def test_json_defaults_and_stripped_text(psc: Psc) -> None:
    records = json.loads(psc("query", "-d", AWKWARD, "-f", "json").out)
    by_id = {r["id"]: r for r in records}
    assert by_id["Q-10"]["status"] == "planned"
    assert by_id["Q-2"]["start"] == "2024" and by_id["Q-2"]["end"] == 2024
    assert by_id["Q-2"]["description"].endswith("second line")


def test_csv_parses_back_with_the_csv_module(psc: Psc) -> None:
    result = psc("query", "-d", DEMO, "-f", "csv")
    assert result.code == 0
    assert result.out.split("\r\n", 1)[0] == (
        "id,roadmap,title,axes,start,end,status,feasibility,owner,body,theme,principles,"
        "depends_on,tags,description"
    )
    rows = list(csv.DictReader(io.StringIO(result.out, newline="")))
    assert [r["id"] for r in rows] == DEMO_ORDER
    t10 = rows[2]
    assert t10["axes"] == "AX1;AX2" and t10["depends_on"] == "T-2"
    assert t10["title"] == "Entrepôt de données & tableaux de bord"
    assert rows[3]["tags"] == "portail;café"


def test_csv_quotes_commas_quotes_and_newlines(psc: Psc) -> None:
    out = psc("query", "-d", AWKWARD, "-f", "csv").out
    assert out.endswith("\r\n") and "\r\n\r\n" not in out
    rows = list(csv.DictReader(io.StringIO(out, newline="")))
    assert rows[0]["description"] == 'First line, "quoted", with a comma\nsecond line'
    assert rows[0]["title"].startswith("A | pipe, <b>html</b>")


def test_yaml_parses_back_to_the_json_records(psc: Psc) -> None:
    for project in (DEMO, AWKWARD):
        as_yaml = YAML(typ="safe", pure=True).load(psc("query", "-d", project, "-f", "yaml").out)
        assert as_yaml == json.loads(psc("query", "-d", project, "-f", "json").out)


def test_markdown_table_keeps_text_as_text(psc: Psc) -> None:
    result = psc("query", "-d", AWKWARD, "-f", "md")
    assert result.code == 0
    lines = result.lines
    assert lines[0] == "| id | roadmap | title | axes | period | status | feasibility | owner |"
    assert lines[1] == "| --- | --- | --- | --- | --- | --- | --- | --- |"
    assert len(lines) == 2 + 3
    row = lines[2]
    assert r"A \| pipe, \<b\>html\</b\>, \*stars\*, \_under\_, \#hash, \[link\](x)" in row
    # every row has exactly the 9 unescaped pipes of 8 cells
    for line in lines:
        assert line.replace("\\|", "").count("|") == 9


def test_table_reads_in_80_columns(psc: Psc) -> None:
    result = psc("query", "-d", AWKWARD)
    assert result.code == 0
    lines = result.lines
    assert all(len(line) <= 80 for line in lines)
    assert "\x1b[" not in result.out  # no colour when not on a terminal
    # ids are never cut, even a long one in a narrow table
    assert any(line.startswith("Q-LONG-IDENTIFIER-2024-XYZ ") for line in lines)
    # titles wrap: the long title is not on one line, but all its words are there
    assert "Une action dont le titre est assez long pour devoir passer" not in result.out
    words = " ".join(result.out.split())
    assert "Une action" in words and "colonnes" in words


def test_table_columns_and_data_are_text_not_markup(psc: Psc, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "250")
    out = psc("query", "-d", AWKWARD).out
    header = out.splitlines()[0].split()
    assert header == ["id", "roadmap", "title", "axes", "period", "status", "feasibility", "owner"]
    assert "[bold]markup[/bold] :smile:" in out  # neither rich markup nor emoji codes


def test_table_of_the_demo(psc: Psc) -> None:
    result = psc("query", "-d", DEMO)
    assert all(len(line) <= 80 for line in result.lines)
    first_cells = [line.split()[0] for line in result.lines[2:] if line and not line.startswith(" ")]
    assert [cell for cell in first_cells if cell in DEMO_ORDER] == DEMO_ORDER
    # the rows stand together by roadmap: the roadmap is a heading over them, not a column
    assert "tech: Feuille de route technique" in result.lines
    assert "2024-01 →" in result.out and "in_progress" in result.out


def test_timeline(psc: Psc) -> None:
    result = psc("query", "-d", DEMO, "-f", "timeline")
    assert result.code == 0
    lines = result.lines
    assert all(len(line) <= 80 for line in lines)
    assert lines[0].split()[:2] == ["id", "title"] and "2023" in lines[0] and "2026" in lines[0]
    rows = {line.split()[0]: line for line in lines if line.split() and line.split()[0] in DEMO_ORDER}
    assert set(rows) == set(DEMO_ORDER)
    # one mark per status, so that it reads without colour
    assert "█" in rows["T-1"] and "▓" in rows["T-2"] and "░" in rows["T-10"] and "×" in rows["S-03"]
    assert "tech: Feuille de route technique" in result.out
    assert "░ planned" in lines[-2] and "× cancelled" in lines[-2]
    # T-2 runs 2024-01..2024-06: two quarters, each two characters wide at 80 columns
    assert rows["T-2"].count("▓") == 4


def test_timeline_follows_the_sort_and_ids_stay_whole(psc: Psc) -> None:
    result = psc("query", "-d", AWKWARD, "-f", "timeline", "--sort", "id")
    assert all(len(line) <= 80 for line in result.lines)
    assert any(line.startswith("Q-LONG-IDENTIFIER-2024-XYZ ") for line in result.lines)
    assert "╌" in result.out  # on hold


@pytest.mark.parametrize(
    ("fmt", "expected"),
    [("json", "[]\n"), ("yaml", "[]\n"), ("ids", ""), ("md", ""), ("table", ""), ("timeline", "")],
)
def test_no_match_is_empty_output_and_exit_0(psc: Psc, fmt: str, expected: str) -> None:
    result = psc("query", "-d", DEMO, "--text", "nothing like this", "-f", fmt)
    assert result.code == 0
    assert result.out == expected


def test_no_match_in_csv_is_the_header_alone(psc: Psc) -> None:
    result = psc("query", "-d", DEMO, "--year", "2000", "-f", "csv")
    assert result.code == 0 and result.out.count("\r\n") == 1 and result.out.startswith("id,roadmap,")


# --- show ------------------------------------------------------------------------------


def test_show_action_text(psc: Psc) -> None:
    result = psc("show", "-d", DEMO, "T-1")
    assert result.code == 0
    out = result.out
    assert out.startswith("action T-1  Nouveau système intégré de gestion de bibliothèque\n")
    assert "tech_roadmap.yaml:" in out
    assert "tech Feuille de route technique" in out
    assert "AX1 Ouvrir les collections" in out
    assert "P2 Données fiables" in out
    assert "socle Socle technique" in out
    # the actions that depend on it, from another roadmap too
    dependents = out.split("dependents", 1)[1]
    assert "T-2" in dependents and "S-01" in dependents
    assert all(len(line) <= 80 for line in result.lines)


@pytest.mark.parametrize(
    ("item", "kind", "present"),
    [
        ("AX2", "axis", ["T-2", "T-10", "S-01", "S-02", "hub-public Hub public"]),
        ("P1", "principle", ["S-01"]),
        ("usages", "theme", ["public Feuille de route des services au public", "S-01"]),
        ("comite", "body", ["direction Direction du réseau", "hub-public Hub public", "T-2",
                            "Arbitrer les priorités"]),
        ("public", "roadmap", ["usages Nouveaux usages", "S-01", "S-02", "S-03", "horizon"]),
    ],
)
def test_show_every_kind_as_text(psc: Psc, item: str, kind: str, present: list[str]) -> None:
    result = psc("show", "-d", DEMO, item)
    assert result.code == 0
    assert result.lines[0].startswith(f"{kind} {item}")
    for text in present:
        assert text in result.out


@pytest.mark.parametrize("item", ["S-02", "AX1", "P2", "socle", "hub-public", "tech"])
def test_show_json(psc: Psc, item: str) -> None:
    result = psc("show", "-d", DEMO, item, "--format", "json")
    assert result.code == 0
    view = json.loads(result.out)
    assert set(view) == {"kind", "id", "file", "line", "fields", "links"}
    assert view["id"] == item and view["fields"]["id"] == item


def test_show_json_action_links(psc: Psc) -> None:
    view = json.loads(psc("show", "-d", DEMO, "S-02", "-f", "json").out)
    links = view["links"]
    assert links["body"] == {"id": "hub-public", "title": "Hub public"}
    assert [d["id"] for d in links["depends_on"]] == ["S-01"]
    assert links["dependents"] == []


@pytest.mark.parametrize(
    ("item", "hint"), [("t-1", "(did you mean 'T-1'"), ("S-1", "'S-01'"), ("AX", "'AX1'"), ("AX", "'AX2'")]
)
def test_show_unknown_id_exits_1_with_the_closest(psc: Psc, item: str, hint: str) -> None:
    result = psc("show", "-d", DEMO, item)
    assert result.code == 1
    assert result.out == ""
    assert f"error: no item has the id '{item}'" in result.err and hint in result.err


# --- summary ---------------------------------------------------------------------------


def test_summary_table(psc: Psc) -> None:
    result = psc("summary", "-d", DEMO, "--as-of", "2025-03")
    assert result.code == 0
    out = result.out
    assert out.startswith("Summary as of 2025-03: 6 actions")
    assert all(len(line) <= 80 for line in result.lines)
    matrix_row = next(line for line in result.lines if line.startswith("AX2"))
    assert matrix_row.split()[-3:] == ["2", "2", "4"]
    assert "all actions" in out
    assert "in_progress" in out and "unrated" in out and "2026" in out
    overdue = out.split("Overdue as of 2025-03: 1", 1)[1]
    assert "T-2" in overdue and "Wi-Fi public dans les annexes" in overdue


def test_summary_json(psc: Psc) -> None:
    result = psc("summary", "-d", DEMO, "-f", "json", "--as-of", "2030-01")
    data = json.loads(result.out)
    assert data["as_of"] == "2030-01"
    assert [o["id"] for o in data["overdue"]] == ["T-2", "S-01", "T-10", "S-02"]
    assert data["by_status"]["cancelled"] == 1
    assert sum(row["total"] for row in data["matrix"]) == 7  # T-10 counts for AX1 and AX2


def test_summary_markdown(psc: Psc) -> None:
    out = psc("summary", "-d", DEMO, "-f", "md", "--as-of", "2024-06").out
    assert "### Actions by axis and roadmap" in out
    assert "| axis | title | tech | public | total |" in out
    assert "No action is overdue." in out


def test_summary_as_of_defaults_to_this_month(psc: Psc) -> None:
    today = datetime.date.today()
    data = json.loads(psc("summary", "-d", DEMO, "-f", "json").out)
    assert data["as_of"] == f"{today.year:04d}-{today.month:02d}"


@pytest.mark.parametrize("as_of", ["2025-13", "2025", "March", "2025-3"])
def test_summary_bad_as_of_is_a_usage_error(psc: Psc, as_of: str) -> None:
    result = psc("summary", "-d", DEMO, "--as-of", as_of)
    assert result.code == 2
    assert "--as-of" in result.err and "YYYY-MM" in result.err
    assert result.out == ""


# --- questions a committee asks: what is overdue, who owns it -----------------------------------


@pytest.mark.parametrize(
    ("fmt", "expected"),
    [
        ("ids", "T-2\nT-10\nS-01\nS-02\n"),
        ("json", None), ("yaml", None), ("csv", None), ("md", None), ("table", None), ("timeline", None),
    ],
)
def test_query_overdue_is_the_summarys_overdue_in_every_format(psc: Psc, fmt: str, expected: str | None) -> None:
    summary = json.loads(psc("summary", "-d", DEMO, "-f", "json", "--as-of", "2030-01").out)
    late = {o["id"] for o in summary["overdue"]}
    result = psc("query", "-d", DEMO, "--overdue", "--as-of", "2030-01", "-f", fmt)
    assert result.code == 0, result.err
    if expected is not None:
        assert result.out == expected
    if fmt in ("json", "yaml"):
        shown = {r["id"] for r in YAML(typ="safe").load(result.out)}
    elif fmt == "csv":
        shown = {row[0] for row in list(csv.reader(io.StringIO(result.out)))[1:]}
    else:  # the first cell of a row: `T-2 ...` or `| T-2 |`
        shown = set(re.findall(r"^\|? ?([TS]-[0-9]+)\b", result.out, re.M))
    assert shown == late, result.out


def test_query_overdue_by_default_is_judged_at_this_month(psc: Psc) -> None:
    summary = json.loads(psc("summary", "-d", DEMO, "-f", "json").out)
    result = psc("query", "-d", DEMO, "--overdue", "-f", "ids")
    assert result.lines == [o["id"] for o in sorted(summary["overdue"], key=lambda o: DEMO_ORDER.index(o["id"]))]


def test_query_overdue_at_a_month_when_nothing_is_late(psc: Psc) -> None:
    result = psc("query", "-d", DEMO, "--overdue", "--as-of", "2024-06")
    assert (result.code, result.out, result.err) == (0, "", "no action matches\n")


def test_as_of_without_overdue_is_a_usage_error(psc: Psc) -> None:
    result = psc("query", "-d", DEMO, "--as-of", "2024-06")
    assert result.code == 2
    assert "--as-of is the month --overdue is judged at: give --overdue too" in result.err
    assert psc("query", "-d", DEMO, "--overdue", "--as-of", "2024-6").code == 2


def test_summary_csv_holds_every_table_neutralised(psc: Psc, tmp_path: Path) -> None:
    result = psc("summary", "-d", DEMO, "-f", "csv", "--as-of", "2030-01")
    assert result.code == 0
    assert "\r\n" in result.out
    rows = list(csv.reader(io.StringIO(result.out)))
    assert len({len(row) for row in rows}) == 1  # rectangular: any CSV reader takes it
    cells = [[c for c in row if c] for row in rows]
    assert cells[0] == ["Summary as of 2030-01", "6 actions"]
    headings = [row[0] for row, before in zip(cells[1:], cells, strict=False) if len(row) == 1 and not before]
    assert headings == ["Actions by axis and roadmap", "Actions by status", "Actions by feasibility",
                        "Actions by year under way", "Overdue as of 2030-01"]
    assert ["axis", "title", "tech", "public", "total"] in cells
    assert ["in_progress", "2"] in cells
    assert ["T-2", "tech", "Wi-Fi public dans les annexes", "2024-06", "in_progress"] in cells
    # a title a spreadsheet would run as a formula gets a leading ', as in `query --format csv`
    folder = tmp_path / "formula"
    shutil.copytree(DEMO, folder)
    path = folder / "tech_roadmap.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace(
        "title: Wi-Fi public dans les annexes", "title: '=HYPERLINK(\"http://x\")'"), encoding="utf-8")
    out = psc("summary", "-d", str(folder), "-f", "csv", "--as-of", "2030-01").out
    assert "'=HYPERLINK" in out and ",=HYPERLINK" not in out


def test_the_owner_column_shows_a_bodys_name(psc: Psc, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "160")
    table = psc("query", "-d", DEMO, "--roadmap", "tech").out
    row = next(line for line in table.splitlines() if line.startswith("T-2 "))
    assert row.endswith("Comité numérique")
    assert "comite" not in table
    md = psc("query", "-d", DEMO, "--roadmap", "tech", "-f", "md").out
    assert "| Comité numérique |" in md
    # the machine formats keep the body's id in its own field
    assert json.loads(psc("query", "-d", DEMO, "--roadmap", "tech", "-f", "json").out)[1]["body"] == "comite"


@pytest.mark.parametrize(("owner", "expected"), [
    ("comite numerique", ["T-2"]),  # the body's name, without its accents
    ("Hub", ["S-02"]),
    ("donnees", ["T-10"]),  # the owner as written
    ("service", ["T-1"]),
])
def test_owner_matches_the_owner_or_the_bodys_name(psc: Psc, owner: str, expected: list[str]) -> None:
    assert ids(psc("query", "-d", DEMO, "--owner", owner, "-f", "ids")) == expected


# --- the shipped Louvre data -------------------------------------------------------------


def test_shipped_data_axis_and_year(psc: Psc) -> None:
    records = json.loads(psc("query", "-d", SHIPPED, "--axis", "AX2", "--year", "2020", "-f", "json").out)
    assert records
    for record in records:
        assert "AX2" in record["axes"]
        assert int(str(record["start"])[:4]) <= 2020 <= int(str(record["end"])[:4])


def test_shipped_data_show_what_depends_on_the_collections_database(psc: Psc) -> None:
    view = json.loads(psc("show", "-d", SHIPPED, "SI-01", "-f", "json").out)
    assert view["links"]["dependents"]
    text = psc("show", "-d", SHIPPED, "SI-01").out
    for dependent in view["links"]["dependents"]:
        assert dependent["id"] in text


def test_shipped_data_timeline_fits_80_columns(psc: Psc) -> None:
    result = psc("query", "-d", SHIPPED, "-f", "timeline")
    assert result.code == 0
    assert all(len(line) <= 80 for line in result.lines)


def test_installed_command_never_shows_a_traceback(broken: str) -> None:
    runs = [
        ["query", "-d", broken],
        ["query", "-d", DEMO, "--axis", "nope"],
        ["show", "-d", DEMO, "nope"],
        ["summary", "-d", DEMO, "--as-of", "soon"],
        ["query", "-d", DEMO, "-f", "csv"],
    ]
    codes = []
    for args in runs:
        done = subprocess.run(
            [sys.executable, "-m", "psc_roadmap", *args], capture_output=True, timeout=60, check=False,
        )
        assert b"Traceback" not in done.stderr
        codes.append(done.returncode)
        if args[-1] == "csv":
            assert done.stdout.startswith(b"id,roadmap,") and b"\r\n" in done.stdout
            assert "Entrepôt".encode() in done.stdout  # UTF-8 bytes
    assert codes == [1, 2, 1, 2, 0]


# --- colour ----------------------------------------------------------------------------


def test_colour_only_when_forced_and_never_with_no_color(psc: Psc, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FORCE_COLOR", "1")
    coloured = psc("query", "-d", DEMO, "--roadmap", "tech").out
    assert "\x1b[32mdone" in coloured  # green, as a terminal would show it
    for args in (["--no-color", "query", "-d", DEMO], ["--no-color", "query", "-d", DEMO, "-f", "timeline"]):
        out = psc(*args).out
        assert "\x1b[3" not in out and "\x1b[9" not in out  # no foreground colour
        assert "T-10" in out


@pytest.mark.parametrize("flag", ["--no-color", "--version", "-V"])
def test_global_options_work_after_the_command(psc: Psc, monkeypatch: pytest.MonkeyPatch, flag: str) -> None:
    monkeypatch.setenv("FORCE_COLOR", "1")
    after, before = psc("query", "-d", DEMO, flag), psc(flag, "query", "-d", DEMO)
    assert (after.code, after.out, after.err) == (before.code, before.out, before.err)
    assert after.code == 0
    if flag == "--no-color":
        assert "T-10" in after.out and "\x1b[3" not in after.out
    else:
        assert after.out == "psc 0.1.0\n"
    # after `--`, an argument is an argument
    assert psc("show", "-d", DEMO, "--", "--no-color").code == 1


def test_narrow_terminal_keeps_ids_whole(psc: Psc, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "40")
    for fmt in ("table", "timeline"):
        result = psc("query", "-d", AWKWARD, "-f", fmt)
        assert result.code == 0
        assert any(line.startswith("Q-LONG-IDENTIFIER-2024-XYZ") for line in result.lines)


def test_control_characters_in_the_data_never_reach_the_terminal(psc: Psc, tmp_path: Path) -> None:
    folder = tmp_path / "escape"
    shutil.copytree(DEMO, folder)
    path = folder / "public_roadmap.yaml"
    text = path.read_text(encoding="utf-8")
    # "\e" is ESC in a double-quoted YAML string: the data is refused, and the finding is inert.
    path.write_text(text.replace("title: Casques de réalité virtuelle", r'title: "Casques \e[31m rouges"'),
                    encoding="utf-8")
    result = psc("query", "-d", str(folder))
    assert result.code == 1
    assert "control character U+001B" in result.err
    assert "\x1b" not in result.out + result.err
    # Balanced bidi overrides and zero-width characters are valid text, shown as escapes in a terminal.
    path.write_text(text.replace("title: Casques de réalité virtuelle", "title: Casques \u202erouges\u202c\u200b"),
                    encoding="utf-8")
    for args in (["query"], ["query", "-f", "timeline"], ["show", "S-03"]):
        result = psc(*args, "-d", str(folder))
        assert result.code == 0, result.err
        assert "\u202e" not in result.out and "\u200b" not in result.out
        assert "Casques" in result.out
        assert "\\u202e" in result.out


# --- terminal tables that read at 80 and 120 columns ----------------------------------------


def shipped_words() -> set[str]:
    """Every word the query table of the shipped data may show whole."""
    from psc_roadmap.load import load_project
    from psc_roadmap.query import period_text

    project, _ = load_project(SHIPPED)
    texts = [b.model.name for b in project.bodies]
    texts += [f"{r.id}: {r.header.title}" for r in project.roadmaps]
    for entry in project.actions:
        a = entry.model
        texts += [a.id, a.title, a.owner or "", ", ".join(a.axes), period_text(a.start, a.end), a.status.value]
    texts += ["id title axes period status feas owner: ●●● ●●○ ●○○ feas: feasibility, surely, probably,",
              "potentially achievable"]
    return {word for text in texts for word in text.split()}


@pytest.mark.parametrize("columns", [80, 120])
def test_shipped_table_breaks_no_word(psc: Psc, monkeypatch: pytest.MonkeyPatch, columns: int) -> None:
    monkeypatch.setenv("COLUMNS", str(columns))
    result = psc("query", "-d", SHIPPED)
    assert result.code == 0
    lines = result.lines
    assert all(len(line) <= columns for line in lines)
    words = shipped_words()
    for line in lines[2:]:
        for token in line.split():
            assert token in words or (token.endswith("…") and any(w.startswith(token[:-1]) for w in words)), (
                token, line)
    # the period is on one line: every row's period is whole on the row's first line
    for record in json.loads(psc("query", "-d", SHIPPED, "-f", "json").out):
        first = next(line for line in lines if line.startswith(record["id"] + " "))
        period = str(record["start"]) if record["start"] == record["end"] else f"{record['start']} → {record['end']}"
        assert f" {period} " in first + " ", (period, first)


def row_heights(lines: list[str]) -> dict[str, int]:
    """The lines each row takes: from a line that starts with an id to the next row, heading or blank."""
    heights: dict[str, int] = {}
    current = None
    for line in lines[2:]:
        if line.startswith(" ") and current is not None:
            heights[current] += 1
        elif re.match(r"(SI|N)-[0-9]+ ", line):
            current = line.split()[0]
            heights[current] = 1
        else:
            current = None
    return heights


def test_shipped_table_at_120_columns_has_no_row_taller_than_three_lines(psc: Psc,
                                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "120")
    heights = row_heights(psc("query", "-d", SHIPPED).lines)
    assert len(heights) == 32
    assert max(heights.values()) <= 3, heights


def test_shipped_table_at_80_columns(psc: Psc) -> None:
    lines = psc("query", "-d", SHIPPED).lines
    assert lines[0].split() == ["id", "title", "axes", "period", "status", "feas"]
    # the title gets the room: feasibility is a mark, the roadmap a heading, the owner under the title
    assert "si: Feuille de route des systèmes d'information" in lines
    assert "      owner: Direction de la recherche et des collections" in lines
    assert lines[-1] == "feas: feasibility, ●●● surely, ●●○ probably, ●○○ potentially achievable"
    assert "N-07  Mesurer et développer l'audience   AX2  2018 → 2022       in_progress ●●●" in lines
    assert max(row_heights(lines).values()) <= 4


def test_a_60_character_title_fits_on_one_line_at_120_columns(make_project: MakeProject, psc: Psc,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    title = "Refondre le portail des collections et ouvrir ses données !!"
    assert len(title) == 60
    folder = make_project({"si_roadmap.yaml": ROADMAP.replace("title: Base collections", f"title: {title}")})
    monkeypatch.setenv("COLUMNS", "120")
    lines = psc("query", "-d", str(folder)).lines
    assert any(title in line for line in lines), lines
    assert all(len(line) <= 120 for line in lines)


def test_a_word_longer_than_its_column_is_cut_with_an_ellipsis() -> None:
    from psc_roadmap.terminal import _wrap

    assert _wrap("Sous-direction des systèmes d'information", 10) == ["Sous-dire…", "des", "systèmes", "d'informa…"]
    assert _wrap("voir https://example.org/a/b", 12, cut=None) == ["voir", "https://", "example.org/", "a/b"]


def test_timeline_legend_says_what_a_character_is(psc: Psc, monkeypatch: pytest.MonkeyPatch) -> None:
    assert psc("query", "-d", DEMO, "-f", "timeline").lines[-1] == "(a quarter is two characters, │ between years)"
    monkeypatch.setenv("COLUMNS", "120")
    lines = psc("query", "-d", DEMO, "-f", "timeline").lines
    assert lines[-1].endswith("× cancelled  (a quarter is two characters, │ between years)")
    monkeypatch.setenv("COLUMNS", "40")
    assert psc("query", "-d", SHIPPED, "-f", "timeline").lines[-1] == "(a character is a year)"


def test_timeline_fits_a_span_of_eleven_centuries(make_project: MakeProject, psc: Psc) -> None:
    roadmap = ROADMAP.replace("start: 2019\n  horizon: 2021", "start: 1900\n  horizon: 2999").replace(
        "end: 2021", "end: 2999").replace('start: "2020-01"', "start: 2990").replace(
        '    start: 2019\n    end: "2019-Q4"', "    start: 1900\n    end: 1905")
    lines = psc("query", "-d", str(make_project({"si_roadmap.yaml": roadmap})), "-f", "timeline").lines
    assert all(len(line) <= 80 for line in lines)
    assert lines[0].split()[2:] == [str(year) for year in range(1900, 3000, 100)]
    first, last = (next(line for line in lines if line.startswith(i)) for i in ("SI-01", "SI-02"))
    assert first.rstrip().endswith("░") and first.count("░") == 1  # 1900-1905: the first character
    assert last.rstrip().endswith("▓") and len(last.rstrip()) == lines[0].index("1900") + 55  # 2980-2999
    assert lines[-1] == "(a character is 20 years)"


def test_a_feasibility_column_with_nothing_rated_goes_first(psc: Psc) -> None:
    lines = psc("query", "-d", DEMO, "--roadmap", "tech").lines
    assert lines[0].split() == ["id", "title", "axes", "period", "status"]
    assert not [line for line in lines if "feasibility" in line or "●" in line]
