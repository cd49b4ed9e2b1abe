"""`psc render --since REV`: the chapter of what changed (the same as `psc diff --format
md`), the status board's marks, the real tools on the HTML; and the committee
secretary's walkthrough on the Louvre data."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.conftest import REPO, run_psc
from tests.test_history import EXPECTED_MD, build_repo, commit, git

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")


# --- render --since ---------------------------------------------------------------------------


def rendered(repo: Path, *args: str) -> str:
    code, out, err = run_psc("render", "-d", str(repo / "data"), *args)
    assert code == 0, err
    return out


@pytest.fixture(scope="module")
def committed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_repo(tmp_path_factory.mktemp("committed"))


def test_md_chapter_is_the_diff(committed: Path) -> None:
    text = rendered(committed, "--since", "adopted")
    chapter = text.split("## Évolutions depuis adopted (2020-01-15)\n", 1)[1].split("\n---\n", 1)[0]
    assert "## Évolutions depuis adopted (2020-01-15)\n" + chapter == EXPECTED_MD
    # listed in the table of contents, and the status board links to it
    assert "- [Évolutions depuis adopted (2020-01-15)](#évolutions-depuis-adopted-2020-01-15)\n" in text
    assert "| `SI-01` | Base collections ([modifiée](#évolutions-depuis-adopted-2020-01-15)) |" in text
    assert "| `SI-06` | Archives ([modifiée](#évolutions-depuis-adopted-2020-01-15)) |" in text  # renamed
    assert "| `SI-07` | Entrepôt de données ([modifiée]" in text  # added


def test_without_since_nothing_is_marked(committed: Path) -> None:
    text = rendered(committed)
    assert "modifiée" not in text and "Évolutions depuis" not in text


def test_html_chapter_and_marks(committed: Path) -> None:
    text = rendered(committed, "--since", "adopted", "--format", "html")
    assert '<li><a href="#changes">Évolutions depuis adopted (2020-01-15)</a></li>' in text
    assert '<h2 id="changes">Évolutions depuis adopted (2020-01-15)</h2>' in text
    assert ('<tr><th scope="row"><a href="#action-si-02">SI-02</a></th><td>Billetterie</td><td>Fin</td>'
            "<td>2021</td><td>T2 2022</td><td>+6 mois</td></tr>") in text
    assert '<tr><th scope="row">W-01</th><td>Site</td><td>Feuille de route du web</td></tr>' in text  # removed
    assert "Portail | des *publics* (<a href=\"#changes\">modifiée</a>)" in text
    assert text.count('(<a href="#changes">modifiée</a>)') == 6  # SI-01, 02, 03, 04, 06, 07


def test_since_a_broken_revision(committed: Path) -> None:
    code, out, err = run_psc("render", "-d", str(committed / "data"), "--since", "HEAD~3")
    assert (code, out) == (1, "")
    assert err.startswith("HEAD~3:data/si_roadmap.yaml:")


def test_html_with_since_passes_the_checkers(committed: Path, tmp_path: Path) -> None:
    """The W3C Nu HTML Checker and axe-core (tests/test_render_tools.py runs them on the
    documents without --since)."""
    from tests.test_render_tools import CHECKS, CHROMIUM, MODULES, VNU, need, node

    page = tmp_path / "since.html"
    page.write_text(rendered(committed, "--since", "adopted", "--format", "html"), encoding="utf-8")
    java = shutil.which("java")
    need(java is not None and VNU.is_file(), "java and vnu.jar")
    assert java is not None
    done = subprocess.run([java, "-jar", str(VNU), "--errors-only", str(page)], capture_output=True, text=True,
                          timeout=300, check=False)
    assert done.returncode == 0 and not done.stdout.strip() and not done.stderr.strip(), done.stdout + done.stderr
    node_path = node()
    need(CHROMIUM.exists() and (MODULES / "axe-core").is_dir() and (MODULES / "playwright-core").is_dir(),
         "Chromium, axe-core and playwright-core")
    job = {"chromium": str(CHROMIUM), "html": [{"path": str(page), "screenshot": None}], "mermaid": []}
    done = subprocess.run([node_path, str(CHECKS)], input=json.dumps(job), capture_output=True, text=True,
                          timeout=300, check=False)
    assert done.returncode == 0, done.stderr[-3000:]
    result = json.loads(done.stdout)["html"][0]
    assert not [v for v in result["violations"] if v["impact"] in ("serious", "critical")], result["violations"]
    assert result["requests"] == [] and result["errors"] == []


# --- the committee secretary's walkthrough ------------------------------------------------------

MINUTES = """\
## Évolutions depuis adopted (2021-01-12)

1 action ajoutée, 0 retirée, 1 réalisée, 1 retardée (+4 mois au total).

### Actions ajoutées

| Id | Intitulé | Feuille de route | Période | Statut |
| --- | --- | --- | --- | --- |
| `SI-18` | Nouveau SIRH | Feuille de route des systèmes d'information | 2021 | Prévu |

### Changements de statut

| Id | Intitulé | Avant | Après |
| --- | --- | --- | --- |
| `SI-10` | Mettre en œuvre le plan d'action de sécurité issu de l'audit de l'ANSSI | En cours | Réalisé |
| `N-07` | Mesurer et développer l'audience du site internet | En cours | Suspendu |

### Changements de calendrier

| Id | Intitulé | Champ | Avant | Après | Décalage |
| --- | --- | --- | --- | --- | --- |
| `N-02` | Ouvrir et rendre réutilisables les données des collections | Début | T2 2021 | T3 2021 | \\+3 mois |
| `N-13` | {n13} | Fin | févr. 2021 | juin 2021 | \\+4 mois |

### Autres changements

| Type | Id | Intitulé | Changement |
| --- | --- | --- | --- |
| Action | `N-02` | Ouvrir et rendre réutilisables les données des collections | Responsable : Direction de la \
recherche et des collections → Direction de la médiation |
"""


def test_committee_secretary(tmp_path: Path) -> None:
    """Tag the plan as adopted, a month of edits with `psc set` (and one `psc add`), each
    committed; then the minutes' "what changed" section, and the annex that shows it."""
    repo = tmp_path / "plan"
    shutil.copytree(REPO / "data", repo / "data")
    git(repo, "init", "-q", "-b", "main")
    commit(repo, "Schéma directeur adopté", "2021-01-12T17:00:00", author="Claire Secrétaire")
    git(repo, "tag", "adopted")
    data = str(repo / "data")
    edits = [
        (("set", "SI-10", "status", "done"), "Comité du 3 février : SI-10 réalisée"),
        (("set", "N-13", "end", "2021-06"), "N-13 reportée à juin"),
        (("set", "N-02", "start", "2021-Q3"), "N-02 décalée"),
        (("set", "N-02", "owner", "Direction de la médiation"), "N-02 : nouveau responsable"),
        (("add", "--roadmap", "si", "--title", "Nouveau SIRH", "--axis", "AX3", "--start", "2021", "--end", "2021",
          "--owner", "DRH"), "SIRH"),
        (("set", "N-07", "status", "on_hold"), "N-07 suspendue"),
    ]
    for day, (args, subject) in enumerate(edits, 1):
        code, _, err = run_psc(*args[:1], "-d", data, *args[1:])
        assert code == 0, err
        commit(repo, subject, f"2021-02-{day:02d}T10:00:00", author="Claire Secrétaire")
    n13 = json.loads(run_psc("show", "N-13", "-d", data, "--format", "json")[1])["fields"]["title"]

    code, out, err = run_psc("diff", "adopted", "HEAD", "-d", data, "--format", "md")
    assert (code, err) == (0, "")
    assert out == MINUTES.format(n13=n13.replace("|", "\\|"))

    annexe = tmp_path / "annexe.html"
    code, _, err = run_psc("render", "-d", data, "--since", "adopted", "-o", str(annexe))
    assert code == 0, err
    page = annexe.read_text(encoding="utf-8")
    assert '<h2 id="changes">Évolutions depuis adopted (2021-01-12)</h2>' in page
    assert "<p>1 action ajoutée, 0 retirée, 1 réalisée, 1 retardée (+4 mois au total).</p>" in page
    assert '<a href="#action-si-10">SI-10</a></th>' in page

    code, out, _ = run_psc("log", "N-02", "-d", data, "--since", "adopted")
    assert out.splitlines() == [
        f"N-02: start 2021-Q2 → 2021-Q3 (+3 months) on 2021-02-03 by Claire Secrétaire "
        f"({git(repo, 'rev-parse', '--short', 'HEAD~3')} N-02 décalée)",
        f"N-02: owner Direction de la recherche et des collections → Direction de la médiation on 2021-02-04 by "
        f"Claire Secrétaire ({git(repo, 'rev-parse', '--short', 'HEAD~2')} N-02 : nouveau responsable)",
    ]
