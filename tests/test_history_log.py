"""`psc log`: the commits of the repository of tests/test_history.py, by meaning; one
item's history across its rename; each commit loaded once, the others not at all."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from tests.conftest import REPO, MakeProject, run_psc
from tests.test_history import build_repo, commit, edit, git, in_git

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")


@pytest.fixture(scope="module")
def repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_repo(tmp_path_factory.mktemp("log"))


def log(repo: Path, *args: str) -> tuple[int, str, str]:
    return run_psc("log", "-d", str(repo / "data"), *args)


def shorts(repo: Path) -> list[str]:
    return git(repo, "log", "--reverse", "--format=%h").split()


EXPECTED_SINCE = """\
2020-03-02  {1}  Alice Martin  Statuses and slips
  si: Feuille de route des SI
    SI-01  status  planned → done
    SI-02  end  2021 → 2022-Q2  (+6 months)
    SI-03  start  2020 → 2020-04  (+3 months)
    SI-03  end  2021-Q2 → 2021-Q1  (-3 months)
2020-04-15  {2}  Bruno Roy  Move SI-04, rename SI-05
  si: Feuille de route des SI
    SI-06  renamed  SI-05 → SI-06
    SI-06  tags  +patrimoine
  web: Feuille de route du web
    SI-04  roadmap  si → web
2020-05-01  {3}  Alice Martin  Add SI-07, AX3 and a theme, drop W-01 and P2
  si: Feuille de route des SI
    SI-02  axes  +AX1
    SI-03  title  'Portail' → 'Portail | des *publics*'
    SI-03  description  none → 'Un portail'
    SI-07  added  'Entrepôt de données'
  web: Feuille de route du web
    W-01  removed  'Site'
  other items
    axis AX3  added  'Recherche'
    theme socles  added  'Socles'
    principle P2  removed  'Sobriété'
    body hub  changed  name
2020-06-01  {4}  Alice Martin  Typo in an axis
  not compared: the data has 1 error at this commit
2020-06-02  {5}  Alice Martin  Fix the axis, start SI-07
  si: Feuille de route des SI
    SI-07  status  planned → in_progress
2020-06-10  {6}  Alice Martin  A comment
  no change in meaning (layout, comments or other files)
"""


def test_text_since_adopted(repo: Path) -> None:
    code, out, err = log(repo, "--since", "adopted")
    assert (code, err) == (0, "")
    assert out == EXPECTED_SINCE.format(*shorts(repo))  # the README-only commit is not listed


def test_from_the_first_commit_everything_is_added(repo: Path) -> None:
    code, out, _ = log(repo)
    assert code == 0
    first = out.split("\n2020-03-02")[0] + "\n"
    assert first.startswith(f"2020-01-15  {shorts(repo)[0]}  Alice Martin  Plan adopted by the committee\n")
    assert "    SI-05  added  'Archives'\n" in first and "    roadmap web  added  'Feuille de route du web'\n" in first
    assert out.endswith(EXPECTED_SINCE.format(*shorts(repo)))


def test_one_item_across_its_rename(repo: Path) -> None:
    s = shorts(repo)
    code, out, _ = log(repo, "SI-06")
    assert code == 0
    assert out == (
        f"SI-05: added 'Archives' in si on 2020-01-15 by Alice Martin ({s[0]} Plan adopted by the committee)\n"
        f"SI-06: renamed SI-05 → SI-06 on 2020-04-15 by Bruno Roy ({s[2]} Move SI-04, rename SI-05)\n"
        f"SI-06: tags +patrimoine on 2020-04-15 by Bruno Roy ({s[2]} Move SI-04, rename SI-05)\n"
    )


def test_one_item_since(repo: Path) -> None:
    s = shorts(repo)
    code, out, _ = log(repo, "SI-02", "--since", "adopted")
    assert code == 0
    assert out == (
        f"SI-02: end 2021 → 2022-Q2 (+6 months) on 2020-03-02 by Alice Martin ({s[1]} Statuses and slips)\n"
        f"SI-02: axes +AX1 on 2020-05-01 by Alice Martin ({s[3]} Add SI-07, AX3 and a theme, drop W-01 and P2)\n"
    )


def test_an_item_nobody_changed_and_an_unknown_one(repo: Path) -> None:
    code, out, err = log(repo, "comite", "--since", "adopted")
    assert (code, out, err) == (0, "", "no commit changed it\n")
    code, out, err = log(repo, "SI-99")
    assert (code, out) == (1, "")
    assert "concerns 'SI-99'" in err and "no item of that id" in err


def test_md(repo: Path) -> None:
    s = shorts(repo)
    code, out, _ = log(repo, "--since", "adopted", "--format", "md")
    assert code == 0
    assert out.startswith(
        "## Historique de data\n\n"
        f"### 2020-03-02 · {s[1]} · Statuses and slips\n\nAlice Martin\n\n"
        "- Action `SI-01` — Statut : Prévu → Réalisé\n"
        "- Action `SI-02` — Fin : 2021 → T2 2022 (+6 mois)\n"
    )
    assert "- Action `SI-03` — Intitulé : « Portail » → « Portail \\| des \\*publics\\* »\n" in out
    assert "Non comparé : les données ont 1 erreur(s) à ce commit.\n" in out
    assert out.endswith(f"### 2020-06-10 · {s[6]} · A comment\n\nAlice Martin\n\n"
                        "Aucune évolution de sens (mise en forme, commentaires ou autres fichiers).\n")
    code, out, _ = log(repo, "SI-06", "--format", "md")
    moved = f"- 2020-04-15 · {s[2]} · Bruno Roy · Move SI-04, rename SI-05 — Action `SI-06` — "
    assert out == (
        "## Historique de SI-06\n\n"
        f"- 2020-01-15 · {s[0]} · Alice Martin · Plan adopted by the committee — Action `SI-05` — "
        "Ajout : « Archives »\n"
        f"{moved}Renommée (anciennement SI-05)\n"
        f"{moved}Étiquettes : +patrimoine\n"
    )


def test_json(repo: Path) -> None:
    code, out, _ = log(repo, "--since", "adopted", "--format", "json")
    assert code == 0
    data = json.loads(out)
    assert data["path"] == "data" and data["id"] is None
    assert data["since"] == {"ref": "adopted", "commit": git(repo, "rev-parse", "adopted")}
    commits = data["commits"]
    assert [c["subject"] for c in commits] == [
        "Statuses and slips", "Move SI-04, rename SI-05", "Add SI-07, AX3 and a theme, drop W-01 and P2",
        "Typo in an axis", "Fix the axis, start SI-07", "A comment",
    ]
    first = commits[0]
    assert {k: first[k] for k in ("commit", "short", "date", "author", "errors")} == {
        "commit": git(repo, "log", "--reverse", "--format=%H").split()[1],
        "short": shorts(repo)[1], "date": "2020-03-02", "author": "Alice Martin", "errors": 0,
    }
    assert first["slip"] == {"later": 1, "earlier": 1, "months": 3}
    assert first["actions"]["changed"][0] == {"id": "SI-01", "title": "Base collections", "roadmap": "si",
                                              "changes": [{"field": "status", "old": "planned", "new": "done"}]}
    assert commits[3]["errors"] == 1 and commits[3]["actions"]["changed"] == []
    assert commits[5]["actions"] == {"added": [], "removed": [], "renamed": [], "changed": []}
    code, out, _ = log(repo, "SI-06", "--format", "json")
    data = json.loads(out)
    assert data["id"] == "SI-06" and [c["actions"]["renamed"] for c in data["commits"]][1] == [
        {"old_id": "SI-05", "new_id": "SI-06", "title": "Archives", "roadmap": "si"}]


def test_each_commit_is_loaded_once_and_the_others_not_at_all(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from psc_roadmap.history import log as log_module
    from psc_roadmap.history.gitrepo import Repository

    loads: list[list[str]] = []
    blobs: list[str] = []
    real_load, real_read = log_module.load_texts, Repository.read_blobs

    def load(path: str, texts: dict[str, str], findings: list[object]) -> object:
        loads.append(sorted(texts))
        return real_load(path, texts, findings)  # type: ignore[arg-type]

    def read(self: Repository, shas: object) -> dict[str, bytes]:
        wanted = list(shas)  # type: ignore[call-overload]
        blobs.extend(wanted)
        return real_read(self, wanted)

    monkeypatch.setattr(log_module, "load_texts", load)
    monkeypatch.setattr(Repository, "read_blobs", read)
    code, _, _ = log(repo)
    assert code == 0
    assert len(loads) == 7  # the seven commits that changed data/, not the README one
    assert len(blobs) == len(set(blobs))  # a file's text is read once, whatever the commits that keep it
    distinct = set(git(repo, "log", "--format=", "--raw", "--no-abbrev", "--", "data").split())
    assert len(blobs) <= len(distinct)


def test_since_must_be_a_commit_and_valid(repo: Path) -> None:
    code, _, err = log(repo, "--since", "no-such-tag")
    assert code == 2 and "--since: `git rev-parse` finds no commit 'no-such-tag'" in err
    code, _, err = log(repo, "--since", "--output=x")
    assert code == 2
    code, out, err = log(repo, "--since", "HEAD~3")  # the broken commit
    assert (code, out) == (1, "")
    assert err.startswith("HEAD~3:data/si_roadmap.yaml:")
    assert "it must be valid to compare the commits after it" in err


def test_not_a_repository(make_project: MakeProject) -> None:
    code, out, err = run_psc("log", "-d", str(make_project()))
    assert (code, out) == (2, "")
    assert "is not inside a git repository" in err and "no history" in err


def test_an_empty_repository(tmp_path: Path) -> None:
    shutil.copytree(REPO / "data", tmp_path / "data")
    git(tmp_path, "init", "-q", "-b", "main")
    code, out, err = run_psc("log", "-d", str(tmp_path / "data"))
    assert (code, out, err) == (0, "", "no commit changed the data folder\n")


def test_a_deleted_folder_removes_everything(tmp_path: Path) -> None:
    repo = build_repo(tmp_path)
    shutil.rmtree(repo / "data")
    commit(repo, "Drop the data", "2020-07-01T00:00:00")
    (repo / "data").mkdir()  # the folder psc is pointed at, empty on disk
    code, out, _ = log(repo, "--since", "HEAD~1", "--format", "json")
    assert code == 0
    removed = json.loads(out)["commits"][0]["actions"]["removed"]
    assert sorted(a["id"] for a in removed) == ["SI-01", "SI-02", "SI-03", "SI-04", "SI-06", "SI-07"]


def test_a_merge_counts_with_what_it_brought(tmp_path: Path) -> None:
    repo = build_repo(tmp_path)
    git(repo, "checkout", "-q", "-b", "side")
    edit(repo / "data" / "si_roadmap.yaml", "    owner: DSI\n", "    owner: DSI adjointe\n")
    commit(repo, "On a branch", "2020-07-01T00:00:00", author="Bruno Roy")
    git(repo, "checkout", "-q", "main")
    (repo / "README.md").write_text("main moves on\n", encoding="utf-8")
    commit(repo, "Main moves on", "2020-07-02T00:00:00")
    git(repo, "merge", "-q", "--no-ff", "-m", "Merge side", "side", date="2020-07-03T00:00:00")
    code, out, _ = log(repo, "--since", "HEAD~2")
    assert code == 0
    assert out.splitlines()[1:] == ["  si: Feuille de route des SI", "    SI-01  owner  DSI → DSI adjointe"]
    assert "Merge side" in out.splitlines()[0]


def test_the_repository_history_of_data() -> None:
    """psc's own `data/`: `psc log -d data` lists its commits, the first adds every action."""
    if not in_git(REPO):
        pytest.skip("not run from a git clone")
    code, out, err = run_psc("log", "-d", str(REPO / "data"), "--format", "json")
    assert code == 0, err
    commits = json.loads(out)["commits"]
    assert commits and commits[0]["errors"] == 0
    assert len(commits[0]["actions"]["added"]) >= 30
    code, out, err = run_psc("log", "SI-01", "-d", str(REPO / "data"))
    assert code == 0 and out.startswith("SI-01: added "), err
