"""`psc summary --baseline REV`: the project against the plan at REV, per roadmap and per
axis (finished since, later than planned, median and total slips, the largest slips),
in JSON, Markdown and the terminal table."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from tests.conftest import run_psc
from tests.test_history import build_repo, edit, git

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")


@pytest.fixture(scope="module")
def repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The repository of tests/test_history.py, with two more slips on disk."""
    repo = build_repo(tmp_path_factory.mktemp("documents"))
    si = repo / "data" / "si_roadmap.yaml"
    edit(si, "    end: 2022\n    body: comite\n    tags", '    end: "2023-Q3"\n    body: comite\n    tags')
    edit(si, '    end: "2019-Q4"\n', '    end: "2019-12"\n')
    return repo


# --- summary --baseline -----------------------------------------------------------------------


def summary(repo: Path, *args: str) -> tuple[int, str, str]:
    return run_psc("summary", "-d", str(repo / "data"), "--as-of", "2021-01", "--baseline", "adopted", *args)


def counts(actions: int, finished: int, later: int, median: float | None, total: int) -> dict[str, object]:
    return {"actions": actions, "finished": finished, "later": later, "median_months": median,
            "total_months": total}


def test_baseline_json(repo: Path) -> None:
    code, out, err = summary(repo, "--format", "json")
    assert (code, err) == (0, "")
    data = json.loads(out)
    assert data["as_of"] == "2021-01" and "overdue" in data  # the rest of the summary is there
    assert data["baseline"] == {
        "ref": "adopted", "commit": git(repo, "rev-parse", "adopted"), "date": "2020-01-15",
        **counts(6, 1, 2, 7.5, 15),
        "roadmaps": [
            {"id": "si", "title": "Feuille de route des SI", **counts(5, 1, 2, 7.5, 15)},
            {"id": "web", "title": "Feuille de route du web", **counts(1, 0, 0, None, 0)},
        ],
        "axes": [
            {"axis": "AX1", "title": "Collections", **counts(4, 1, 2, 7.5, 15)},
            {"axis": "AX2", "title": "Visiteurs", **counts(2, 0, 1, 6, 6)},
            {"axis": "AX3", "title": "Recherche", **counts(1, 0, 0, None, 0)},
        ],
        "largest_slips": [
            {"id": "SI-06", "title": "Archives", "roadmap": "si", "planned_end": 2022, "end": "2023-Q3",
             "slip_months": 9},
            {"id": "SI-02", "title": "Billetterie", "roadmap": "si", "planned_end": 2021, "end": "2022-Q2",
             "slip_months": 6},
        ],
    }


def test_baseline_md(repo: Path) -> None:
    code, out, _ = summary(repo, "--format", "md")
    assert code == 0
    _, baseline = out.split("## Against the plan at adopted", 1)
    assert baseline == f""" ({git(repo, "rev-parse", "--short=7", "adopted")}, 2020-01-15)

1 finished since, 2 later than planned (15 months in all). Finished: done now, not at the baseline; later: \
ending later than planned, by a median and a total of so many months.

### By roadmap

| roadmap | title | actions | finished | later | median | total |
| --- | --- | ---: | ---: | ---: | ---: | ---: |
| si | Feuille de route des SI | 5 | 1 | 2 | 7\\.5 | 15 |
| web | Feuille de route du web | 1 | 0 | 0 | — | 0 |
|  | all actions | 6 | 1 | 2 | 7\\.5 | 15 |

### By axis

| axis | title | actions | finished | later | median | total |
| --- | --- | ---: | ---: | ---: | ---: | ---: |
| AX1 | Collections | 4 | 1 | 2 | 7\\.5 | 15 |
| AX2 | Visiteurs | 2 | 0 | 1 | 6 | 6 |
| AX3 | Recherche | 1 | 0 | 0 | — | 0 |

### Largest slips (2)

| id | roadmap | title | planned end | end | slip (months) |
| --- | --- | --- | --- | --- | ---: |
| SI-06 | si | Archives | 2022 | 2023-Q3 | \\+9 |
| SI-02 | si | Billetterie | 2021 | 2022-Q2 | \\+6 |
"""


def test_baseline_table(repo: Path) -> None:
    code, out, _ = summary(repo)
    assert code == 0
    _, baseline = out.split("Against the plan at adopted", 1)
    lines = baseline.splitlines()
    assert lines[3:8] == [
        "roadmap title                   actions finished later median total",
        "───────────────────────────────────────────────────────────────────",
        "si      Feuille de route des SI       5        1     2    7.5    15",
        "web     Feuille de route du web       1        0     0      —     0",
        "───────────────────────────────────────────────────────────────────",
    ]
    assert "SI-06 si      Archives    2022        2023-Q3            +9" in lines


def test_baseline_errors_stop_the_summary(repo: Path) -> None:
    code, out, err = run_psc("summary", "-d", str(repo / "data"), "--baseline", "HEAD~3")
    assert (code, out) == (1, "")
    assert err.startswith("HEAD~3:data/si_roadmap.yaml:") and "the plan must be valid" in err
    code, _, err = run_psc("summary", "-d", str(repo / "data"), "--baseline", "nope")
    assert code == 2 and "neither a folder nor a revision" in err


def test_summary_without_baseline_is_unchanged(repo: Path) -> None:
    code, out, _ = run_psc("summary", "-d", str(repo / "data"), "--as-of", "2021-01", "--format", "json")
    assert code == 0 and "baseline" not in json.loads(out)
