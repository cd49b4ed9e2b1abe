"""`psc diff` on git repositories built here, commit by commit, with known changes:
status changes, slips both ways, an action moved between roadmaps, a renamed id, added
and removed items, a broken side. The JSON, text and Markdown outputs are pinned.

`build_repo` is shared with the other tests/test_history_*.py modules."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from psc_roadmap.project import Project
from tests.conftest import GOVERNANCE, MakeProject, run_psc

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")

AXES = """\
document:
  institution: Musée test
  title: Schéma directeur
  language: {lang}
axes:
  - id: AX1
    title: Collections
  - id: AX2
    title: Visiteurs
principles:
  - id: P1
    title: Usagers au centre
  - id: P2
    title: Sobriété
"""

SI = """\
roadmap:
  id: si
  title: Feuille de route des SI
  start: 2019
  horizon: 2024
  order: 1
actions:
  - id: SI-01
    title: Base collections
    axes: [AX1]
    principles: [P1]
    start: 2019
    end: "2019-Q4"
    owner: DSI
  - id: SI-02
    title: Billetterie
    axes: AX2
    start: "2020-01"
    end: 2021
    status: in_progress
    body: hub
  - id: SI-03
    title: Portail
    axes: [AX2]
    start: 2020
    end: "2021-Q2"
    body: comite
  - id: SI-04
    title: Réseau
    axes: [AX1]
    start: 2020
    end: 2020
    body: comite
  - id: SI-05
    title: Archives
    axes: [AX1]
    start: 2021
    end: 2022
    body: comite
"""

WEB = """\
roadmap:
  id: web
  title: Feuille de route du web
  start: 2019
  horizon: 2024
  order: 2
actions:
  - id: W-01
    title: Site
    axes: [AX2]
    start: 2020
    end: 2021
    body: hub
"""


def git(cwd: Path, *args: str, date: str = "2020-01-15T10:00:00", author: str = "Alice Martin") -> str:
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": author, "GIT_AUTHOR_EMAIL": "a@example.org",
        "GIT_COMMITTER_NAME": author, "GIT_COMMITTER_EMAIL": "a@example.org",
        "GIT_AUTHOR_DATE": f"{date} +0000", "GIT_COMMITTER_DATE": f"{date} +0000",
        "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1",
    }
    done = subprocess.run(["git", *args], cwd=cwd, env=env, capture_output=True, text=True, check=True)
    return done.stdout.strip()


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path.name}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def commit(repo: Path, message: str, date: str, author: str = "Alice Martin") -> None:
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", message, date=date, author=author)


def build_repo(root: Path, lang: str = "fr") -> Path:
    """A repository whose `data/` goes through known changes, one commit each (the tag
    `adopted` on the first): returns the repository's folder."""
    repo = root / "repo"
    data = repo / "data"
    data.mkdir(parents=True)
    git(repo, "init", "-q", "-b", "main")
    (data / "axes.yaml").write_text(AXES.format(lang=lang), encoding="utf-8")
    (data / "governance.yaml").write_text(GOVERNANCE, encoding="utf-8")
    (data / "si_roadmap.yaml").write_text(SI, encoding="utf-8")
    (data / "web_roadmap.yaml").write_text(WEB, encoding="utf-8")
    (repo / "README.md").write_text("Le plan\n", encoding="utf-8")
    commit(repo, "Plan adopted by the committee", "2020-01-15T10:00:00")
    git(repo, "tag", "adopted")

    si, web, axes, gov = (data / n for n in ("si_roadmap.yaml", "web_roadmap.yaml", "axes.yaml", "governance.yaml"))
    # Statuses and slips both ways.
    edit(si, '    end: "2019-Q4"\n    owner: DSI\n', '    end: "2019-Q4"\n    owner: DSI\n    status: done\n')
    edit(si, '    end: 2021\n    status: in_progress', '    end: "2022-Q2"\n    status: in_progress')
    edit(si, '    start: 2020\n    end: "2021-Q2"\n    body: comite',
         '    start: "2020-04"\n    end: "2021-Q1"\n    body: comite')
    commit(repo, "Statuses and slips", "2020-03-02T09:00:00")

    # SI-04 moves to the web roadmap; SI-05 is renamed SI-06 and gets a tag.
    block = "  - id: SI-04\n    title: Réseau\n    axes: [AX1]\n    start: 2020\n    end: 2020\n    body: comite\n"
    edit(si, block, "")
    web.write_text(web.read_text(encoding="utf-8") + block, encoding="utf-8")
    edit(si, "  - id: SI-05\n    title: Archives\n", "  - id: SI-06\n    title: Archives\n")
    edit(si, "    end: 2022\n    body: comite\n", "    end: 2022\n    body: comite\n    tags: [patrimoine]\n")
    commit(repo, "Move SI-04, rename SI-05", "2020-04-15T09:00:00", author="Bruno Roy")

    # Added and removed items.
    edit(axes, "principles:", "  - id: AX3\n    title: Recherche\nprinciples:")
    edit(gov, "name: Hub visiteurs", "name: Hub des publics")
    edit(si, "    axes: AX2\n", "    axes: [AX2, AX1]\n")
    si.write_text(si.read_text(encoding="utf-8") + (
        "  - id: SI-07\n    title: Entrepôt de données\n    axes: [AX3]\n    start: 2022\n    end: 2023\n"
        "    body: comite\n"
    ), encoding="utf-8")
    edit(web, "  - id: W-01\n    title: Site\n    axes: [AX2]\n    start: 2020\n    end: 2021\n    body: hub\n", "")
    edit(axes, "  - id: P2\n    title: Sobriété\n", "")
    edit(si, "  order: 1\n", "  order: 1\n  themes:\n    - id: socles\n      title: Socles\n")
    edit(si, "    title: Portail\n", "    title: Portail | des *publics*\n    description: Un portail\n")
    commit(repo, "Add SI-07, AX3 and a theme, drop W-01 and P2", "2020-05-01T09:00:00")

    # A broken commit, then its fix.
    edit(si, "    axes: [AX3]\n", "    axes: [AX9]\n")
    commit(repo, "Typo in an axis", "2020-06-01T09:00:00")
    edit(si, "    axes: [AX9]\n", "    axes: [AX3]\n    status: in_progress\n")
    commit(repo, "Fix the axis, start SI-07", "2020-06-02T09:00:00")

    # A comment only, then a change outside the data folder.
    edit(si, "actions:\n", "# Revue de juin\nactions:\n")
    commit(repo, "A comment", "2020-06-10T09:00:00")
    (repo / "README.md").write_text("Le plan, revu\n", encoding="utf-8")
    commit(repo, "README only", "2020-06-11T09:00:00")
    return repo


@pytest.fixture(scope="module")
def repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_repo(tmp_path_factory.mktemp("history"))



def diff(repo: Path, *args: str) -> tuple[int, str, str]:
    return run_psc("diff", "-d", str(repo / "data"), *args)


def short(repo: Path, rev: str) -> str:
    return git(repo, "rev-parse", "--short", rev)


# --- the three formats, pinned ----------------------------------------------------------------

EXPECTED_JSON = {
    "old": {"ref": "adopted", "commit": "{adopted}", "actions": 6},
    "new": {"ref": "HEAD", "commit": "{head}", "actions": 6},
    "actions": {
        "added": [{"id": "SI-07", "title": "Entrepôt de données", "roadmap": "si"}],
        "removed": [{"id": "W-01", "title": "Site", "roadmap": "web"}],
        "renamed": [{"old_id": "SI-05", "new_id": "SI-06", "title": "Archives", "roadmap": "si"}],
        "changed": [
            {"id": "SI-01", "title": "Base collections", "roadmap": "si",
             "changes": [{"field": "status", "old": "planned", "new": "done"}]},
            {"id": "SI-02", "title": "Billetterie", "roadmap": "si",
             "changes": [{"field": "end", "old": 2021, "new": "2022-Q2", "slip_months": 6},
                         {"field": "axes", "added": ["AX1"], "removed": []}]},
            {"id": "SI-03", "title": "Portail | des *publics*", "roadmap": "si",
             "changes": [{"field": "start", "old": 2020, "new": "2020-04", "slip_months": 3},
                         {"field": "end", "old": "2021-Q2", "new": "2021-Q1", "slip_months": -3},
                         {"field": "title", "old": "Portail", "new": "Portail | des *publics*"},
                         {"field": "description", "old": None, "new": "Un portail"}]},
            {"id": "SI-06", "title": "Archives", "roadmap": "si",
             "changes": [{"field": "tags", "added": ["patrimoine"], "removed": []}]},
            {"id": "SI-04", "title": "Réseau", "roadmap": "web",
             "changes": [{"field": "roadmap", "old": "si", "new": "web"}]},
        ],
    },
    "items": {
        "added": [{"kind": "axis", "id": "AX3", "title": "Recherche"},
                  {"kind": "theme", "id": "socles", "title": "Socles"}],
        "removed": [{"kind": "principle", "id": "P2", "title": "Sobriété"}],
        "changed": [{"kind": "body", "id": "hub", "fields": ["name"]}],
    },
    "slip": {"later": 1, "earlier": 1, "months": 3},
}

EXPECTED_TEXT = """\
changes from adopted ({adopted}, 2020-01-15) to HEAD ({head}, 2020-06-11)
si: Feuille de route des SI
  SI-01  status  planned → done
  SI-02  end  2021 → 2022-Q2  (+6 months)
  SI-02  axes  +AX1
  SI-03  start  2020 → 2020-04  (+3 months)
  SI-03  end  2021-Q2 → 2021-Q1  (-3 months)
  SI-03  title  'Portail' → 'Portail | des *publics*'
  SI-03  description  none → 'Un portail'
  SI-06  renamed  SI-05 → SI-06
  SI-06  tags  +patrimoine
  SI-07  added  'Entrepôt de données'
web: Feuille de route du web
  SI-04  roadmap  si → web
  W-01  removed  'Site'
other items
  axis AX3  added  'Recherche'
  theme socles  added  'Socles'
  principle P2  removed  'Sobriété'
  body hub  changed  name
1 action added, 1 removed, 1 renamed, 5 changed, 1 finished; end: 1 later, 1 earlier, +3 months in all; \
4 other items changed
"""

EXPECTED_MD = """\
## Évolutions depuis adopted (2020-01-15)

1 action ajoutée, 1 retirée, 1 réalisée, 1 retardée et 1 avancée (+3 mois au total).

### Actions ajoutées

| Id | Intitulé | Feuille de route | Période | Statut |
| --- | --- | --- | --- | --- |
| `SI-07` | Entrepôt de données | Feuille de route des SI | 2022 – 2023 | En cours |

### Actions retirées

| Id | Intitulé | Feuille de route |
| --- | --- | --- |
| `W-01` | Site | Feuille de route du web |

### Changements de statut

| Id | Intitulé | Avant | Après |
| --- | --- | --- | --- |
| `SI-01` | Base collections | Prévu | Réalisé |

### Changements de calendrier

| Id | Intitulé | Champ | Avant | Après | Décalage |
| --- | --- | --- | --- | --- | --- |
| `SI-02` | Billetterie | Fin | 2021 | T2 2022 | \\+6 mois |
| `SI-03` | Portail \\| des \\*publics\\* | Début | 2020 | avr. 2020 | \\+3 mois |
| `SI-03` | Portail \\| des \\*publics\\* | Fin | T2 2021 | T1 2021 | −3 mois |

### Autres changements

| Type | Id | Intitulé | Changement |
| --- | --- | --- | --- |
| Action | `SI-02` | Billetterie | Axes : +AX1 |
| Action | `SI-03` | Portail \\| des \\*publics\\* | Intitulé : « Portail » → « Portail \\| des \\*publics\\* » |
| Action | `SI-03` | Portail \\| des \\*publics\\* | Description : nouveau texte |
| Action | `SI-06` | Archives | Renommée (anciennement SI-05) |
| Action | `SI-06` | Archives | Étiquettes : +patrimoine |
| Action | `SI-04` | Réseau | Feuille de route : si → web |
| Axe | `AX3` | Recherche | Ajout |
| Thème | `socles` | Socles | Ajout |
| Principe | `P2` | Sobriété | Retrait |
| Instance | `hub` | Hub des publics | Champs modifiés : Nom |
"""


def test_json_is_pinned(repo: Path) -> None:
    code, out, err = diff(repo, "adopted", "HEAD", "--format", "json")
    assert (code, err) == (0, "")
    expected = json.loads(json.dumps(EXPECTED_JSON).replace("{adopted}", git(repo, "rev-parse", "adopted"))
                          .replace("{head}", git(repo, "rev-parse", "HEAD")))
    assert json.loads(out) == expected
    assert out == json.dumps(expected, ensure_ascii=False, indent=2) + "\n"  # key order too


def test_text_is_pinned(repo: Path) -> None:
    code, out, err = diff(repo, "adopted", "HEAD")
    assert (code, err) == (0, "")
    assert out == EXPECTED_TEXT.format(adopted=short(repo, "adopted"), head=short(repo, "HEAD"))
    assert "\x1b" not in out  # no colour off a terminal


def test_md_is_pinned(repo: Path) -> None:
    code, out, err = diff(repo, "adopted", "HEAD", "--format", "md")
    assert (code, err) == (0, "")
    assert out == EXPECTED_MD


def test_md_in_english(tmp_path: Path) -> None:
    repo = build_repo(tmp_path, lang="en")
    code, out, _ = diff(repo, "adopted", "HEAD", "--format", "md")
    assert code == 0
    assert out.startswith(
        "## Changes since adopted (2020-01-15)\n\n"
        "1 action added, 1 removed, 1 finished, 1 later than planned and 1 earlier (+3 months in all).\n"
    )
    assert "| `SI-02` | Billetterie | End | 2021 | Q2 2022 | \\+6 months |" in out
    assert "| `SI-03` | Portail \\| des \\*publics\\* | End | Q2 2021 | Q1 2021 | −3 months |" in out
    assert "| Action | `SI-06` | Archives | Renamed (formerly SI-05) |" in out
    assert "| Body | `hub` | Hub des publics | Fields changed: Name |" in out


# --- sides: revisions, folders, the work tree ------------------------------------------------


def test_defaults_are_head_and_the_work_tree(tmp_path: Path) -> None:
    repo = build_repo(tmp_path)
    code, out, _ = diff(repo)
    assert (code, out) == (0, f"changes from HEAD ({short(repo, 'HEAD')}, 2020-06-11) to the work tree\nno change\n")
    edit(repo / "data" / "si_roadmap.yaml", "    status: done\n", "    status: cancelled\n")
    code, out, _ = diff(repo, "--format", "json")
    data = json.loads(out)
    assert data["new"] == {"ref": "work tree", "commit": None, "actions": 6}
    assert data["actions"]["changed"] == [{"id": "SI-01", "title": "Base collections", "roadmap": "si", "changes": [
        {"field": "status", "old": "done", "new": "cancelled"}]}]


def test_exit_code(repo: Path) -> None:
    assert diff(repo, "adopted", "HEAD", "--exit-code")[0] == 1
    assert diff(repo, "HEAD~1", "HEAD", "--exit-code")[0] == 0  # README only
    assert diff(repo, "HEAD~2", "HEAD~1", "--exit-code")[0] == 0  # a comment: no change in meaning
    assert diff(repo, "adopted", "HEAD")[0] == 0


def test_two_folders_need_no_git(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    repo = build_repo(tmp_path)
    old = tmp_path / "old"
    shutil.copytree(repo / "data", old)
    edit(old / "si_roadmap.yaml", "    status: done\n", "")
    monkeypatch.setenv("PATH", str(tmp_path / "no-git-here"))
    code, out, err = run_psc("diff", str(old), str(repo / "data"), "--format", "json")
    assert code == 0, err
    data = json.loads(out)
    assert data["old"] == {"ref": str(old), "commit": None, "actions": 6}
    assert data["actions"]["changed"][0]["changes"] == [{"field": "status", "old": "planned", "new": "done"}]


def test_a_revision_reads_git_not_the_folder(tmp_path: Path) -> None:
    """The side of a revision is made of git's files alone: a file only on disk, or one
    changed on disk, is not in it; and neither the work tree nor the index is touched."""
    repo = build_repo(tmp_path)
    data = repo / "data"
    (data / "extra_roadmap.yaml").write_text("not: [valid\n", encoding="utf-8")
    edit(data / "si_roadmap.yaml", "roadmap:", "roadmap: [")
    index = repo / ".git" / "index"
    status = git(repo, "status", "--porcelain")  # (git status itself may rewrite the index)
    before = (index.read_bytes(), index.stat().st_mtime_ns, (data / "si_roadmap.yaml").read_bytes())
    code, out, err = diff(repo, "adopted", "HEAD", "--format", "json")
    assert (code, err) == (0, "")
    assert json.loads(out)["new"]["actions"] == 6
    assert (index.read_bytes(), index.stat().st_mtime_ns, (data / "si_roadmap.yaml").read_bytes()) == before
    assert git(repo, "status", "--porcelain") == status


def test_data_folder_at_the_top_of_the_repository(tmp_path: Path) -> None:
    top = tmp_path / "top"
    shutil.copytree(build_repo(tmp_path) / "data", top)
    git(top, "init", "-q", "-b", "main")
    commit(top, "one", "2021-01-01T00:00:00")
    edit(top / "si_roadmap.yaml", "    status: done\n", "")
    code, out, err = run_psc("diff", "-d", str(top))
    assert code == 0, err
    assert "SI-01  status  done → planned" in out


def in_git(folder: Path) -> bool:
    return subprocess.run(["git", "rev-parse", "--git-dir"], cwd=folder, capture_output=True,
                          check=False).returncode == 0


def test_the_repository_history_of_data() -> None:
    """psc's own repository: `data/` at HEAD against the files on disk, and its first commit."""
    from tests.conftest import REPO

    if not in_git(REPO):
        pytest.skip("not run from a git clone")
    code, out, err = run_psc("diff", "-d", str(REPO / "data"), "--format", "json")
    assert code == 0, err
    assert json.loads(out)["old"]["ref"] == "HEAD"
    first = subprocess.run(["git", "log", "--format=%H", "--reverse", "--", "data"], cwd=REPO, capture_output=True,
                           text=True, check=True).stdout.split()[0]
    code, out, err = run_psc("diff", first, "HEAD", "-d", str(REPO / "data"), "--format", "json")
    assert code == 0, err
    assert json.loads(out)["old"]["commit"] == first


# --- bad input ------------------------------------------------------------------------------------


def test_neither_a_revision_nor_a_folder(repo: Path) -> None:
    code, out, err = diff(repo, "no-such-thing")
    assert (code, out) == (2, "")
    assert "'no-such-thing' is neither a folder nor a revision" in err
    assert "no folder of that name" in err and "`git rev-parse` finds no commit" in err


def test_an_option_is_never_a_revision(repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    for args in (["--", "--output=x"], ["adopted", "--", "--output=x"], ["--", "-p"]):
        code, out, err = diff(repo, *args)
        assert (code, out) == (2, ""), args
        assert "starts with '-'" in err and "never passes that to git" in err
    code, _, err = diff(repo, "--output=x")
    assert code == 2 and "No such option" in err
    assert not (tmp_path / "x").exists() and not (repo / "x").exists() and not (repo / "data" / "x").exists()


def test_a_revision_with_a_control_character(repo: Path) -> None:
    code, _, err = diff(repo, "HEAD\n--output=x")
    assert code == 2 and "control character" in err


def test_no_repository_says_pass_two_folders(make_project: MakeProject) -> None:
    folder = make_project()
    code, out, err = run_psc("diff", "-d", str(folder))
    assert (code, out) == (2, "")
    assert "'HEAD' is not a folder" in err and "not inside a git repository" in err and "pass two folders" in err


def test_git_missing(repo: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    code, out, err = diff(repo, "adopted")
    assert (code, out) == (2, "")
    assert "git is not installed" in err and "compare two folders" in err


def test_folder_absent_at_a_revision(tmp_path: Path) -> None:
    repo = tmp_path / "late"
    repo.mkdir()
    git(repo, "init", "-q", "-b", "main")
    (repo / "README.md").write_text("x\n", encoding="utf-8")
    commit(repo, "before the data", "2019-01-01T00:00:00")
    shutil.copytree(build_repo(tmp_path) / "data", repo / "data")
    commit(repo, "the data", "2019-02-01T00:00:00")
    code, out, err = diff(repo, "HEAD~1")
    assert (code, out) == (1, "")
    assert "the data folder 'data' did not exist at 'HEAD~1'" in err and short(repo, "HEAD~1") in err


def test_a_broken_side_prints_its_findings_prefixed(repo: Path) -> None:
    code, out, err = diff(repo, "HEAD~3", "HEAD~2")  # the typo, then its fix
    assert (code, out) == (1, "")
    assert err.startswith("HEAD~3:data/si_roadmap.yaml:")
    assert "error unknown-reference: axis 'AX9' does not exist" in err
    assert "error: the project at 'HEAD~3' has 1 error; both sides must be valid to be compared" in err


def test_both_broken_sides_are_reported(tmp_path: Path) -> None:
    repo = build_repo(tmp_path)
    edit(repo / "data" / "si_roadmap.yaml", "    axes: [AX3]\n", "    axes: [AX8]\n")
    code, _, err = diff(repo, "HEAD~3")
    assert code == 1
    assert "HEAD~3:data/si_roadmap.yaml:" in err
    assert f"{repo / 'data' / 'si_roadmap.yaml'}:" in err and "'AX8'" in err


def test_files_git_holds_that_psc_does_not_read(tmp_path: Path) -> None:
    repo = build_repo(tmp_path)
    data = repo / "data"
    (data / "web_roadmap.yaml").unlink()
    os.symlink("si_roadmap.yaml", data / "web_roadmap.yaml")
    (data / "bad_roadmap.yaml").write_bytes(b"roadmap: \xff\n")
    commit(repo, "links and bytes", "2020-07-01T00:00:00")
    code, _, err = diff(repo, "HEAD", "HEAD")
    assert code == 1
    assert "HEAD:data/web_roadmap.yaml:1:1: error file-error: a symbolic link in git" in err
    assert "HEAD:data/bad_roadmap.yaml:1:1: error file-error: not UTF-8: byte 0xff" in err


# --- matching, by unit ------------------------------------------------------------------------------


def project_of(make_project: MakeProject, name: str, roadmap: str) -> Project:
    from psc_roadmap.checks import validate_folder

    project, findings = validate_folder(str(make_project({"si_roadmap.yaml": roadmap}, name=name)))
    assert not [f for f in findings if f.is_error], findings
    return project


ONE = """\
roadmap:
  id: si
  title: SI
  start: 2018
  horizon: 2025
actions:
{actions}
"""


def action(action_id: str, title: str, start: str = "2020", end: str = "2020") -> str:
    return f"  - id: {action_id}\n    title: {title}\n    axes: [AX1]\n    start: {start}\n    end: {end}\n" \
           "    owner: DSI\n"


def test_slips_by_first_and_last_months(make_project: MakeProject) -> None:
    from psc_roadmap.history.compare import diff_projects

    old = project_of(make_project, "a", ONE.format(actions=action("A", "a", "2020", "2020")
                                                    + action("B", "b", '"2020-Q3"', '"2021-Q2"')))
    new = project_of(make_project, "b", ONE.format(actions=action("A", "a", '"2020-Q2"', '"2021-Q2"')
                                                    + action("B", "b", '"2020-09"', "2021")))
    changed = {c.new.id: {f.field: f.slip for f in c.changes} for c in diff_projects(old, new).changed}
    assert changed == {"A": {"start": 3, "end": 6}, "B": {"start": 2, "end": 6}}


def test_same_period_written_otherwise_is_no_change(make_project: MakeProject) -> None:
    from psc_roadmap.history.compare import diff_projects

    old = project_of(make_project, "a", ONE.format(actions=action("A", "a", "2020", "2021")))
    new = project_of(make_project, "b", ONE.format(actions=action("A", "a", '"2020"', '"2021"')))
    assert diff_projects(old, new).empty


def test_a_rename_needs_one_candidate_each_side(make_project: MakeProject) -> None:
    from psc_roadmap.history.compare import diff_projects

    old = project_of(make_project, "a", ONE.format(actions=action("A", "same") + action("B", "same")
                                                    + action("C", "alone")))
    new = project_of(make_project, "b", ONE.format(actions=action("X", "same") + action("Y", "same")
                                                    + action("Z", "alone")))
    d = diff_projects(old, new)
    assert [(o.id, n.id) for o, n in d.renamed] == [("C", "Z")]
    assert [e.id for e in d.added] == ["X", "Y"] and [e.id for e in d.removed] == ["A", "B"]


def test_natural_id_order(make_project: MakeProject) -> None:
    from psc_roadmap.history.compare import diff_projects

    old = project_of(make_project, "a", ONE.format(actions=action("A-1", "x")))
    new = project_of(make_project, "b", ONE.format(actions="".join(action(f"A-{n}", f"t{n}")
                                                                   for n in (1, 10, 2, 9))))
    assert [e.id for e in diff_projects(old, new).added] == ["A-2", "A-9", "A-10"]


def test_json_keys_are_documented(repo: Path) -> None:
    from tests.test_docs import cli_sections, json_keys

    section = cli_sections()["psc diff"]
    _, out, _ = diff(repo, "adopted", "HEAD", "--format", "json")
    missing = {key for key in json_keys(json.loads(out)) if f'"{key}"' not in section}
    assert not missing


def test_colour_on_a_terminal_only(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from psc_roadmap.history.compare import diff_projects
    from psc_roadmap.history.report import Style, diff_text
    from psc_roadmap.history.sides import Sides

    sides = Sides(lambda: str(repo / "data"))
    old, new = sides.side("adopted"), sides.side("HEAD")
    d = diff_projects(old.project, new.project)
    painted = diff_text(old, new, d, Style(colour=True))
    assert "\x1b[1mSI-02\x1b[0m  end  2021 → 2022-Q2  \x1b[33m(+6 months)\x1b[0m" in painted
    assert "\x1b[32m(-3 months)\x1b[0m" in painted
    assert "\x1b" not in diff_text(old, new, d, Style(colour=False))
    assert "2021 -> 2022-Q2" in diff_text(old, new, d, Style(colour=False, ascii_only=True))


def test_a_git_call_that_hangs_is_cut_short(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from psc_roadmap.history import gitrepo

    real = subprocess.run

    def slow(argv: list[str], **kwargs: object) -> object:
        if argv[:1] == ["git"]:
            assert kwargs.get("timeout") == gitrepo.GIT_TIMEOUT  # every git call has one
            raise subprocess.TimeoutExpired(argv, 1)
        return real(argv, **kwargs)  # type: ignore[call-overload]

    monkeypatch.setattr(gitrepo.subprocess, "run", slow)
    code, out, err = diff(repo, "adopted")
    assert (code, out) == (1, "")
    assert err == f"error: git rev-parse took more than {gitrepo.GIT_TIMEOUT} s; gave up\n"
