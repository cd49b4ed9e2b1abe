"""Write a valid roadmap project (docs/format.md) of any size, the same bytes for the same
arguments: the workload of bench/run.py.

    python bench/gen_project.py OUT --actions 10000 [--roadmaps 2] [--seed 1] [--broken 0]

Standard library only, so that it runs before psc is installed. With --broken 0 (the
default) `psc validate` finds nothing at all once every axis, principle and body has an
action (from about 10 actions): every reference exists, periods stay inside their
roadmap, and an action depends only on actions that end before it starts. --broken N
spoils N actions, in turn with an unknown axis, an end before the start, and a
`depends_on` loop with the next action, for a workload with many findings.

An action is about 520 bytes of YAML, written as people write them: block mappings,
flow lists, periods as years, quarters or months.
"""

from __future__ import annotations

import argparse
import random
from dataclasses import dataclass
from pathlib import Path

AXES = 3
PRINCIPLES = 4
BODIES = 6
THEMES = 8
OWNERS = 12
FIRST_YEAR = 2018
#: Roadmap r (from 0) ends in LAST_YEAR + r, so the roadmaps differ in length.
LAST_YEAR = 2022
STATUSES = ("planned", "in_progress", "done", "on_hold", "cancelled")
FEASIBILITIES = ("surely", "probably", "potentially")
#: How often an action waits for an earlier one.
DEPENDENCY_RATE = 0.3
WORDS = (
    "collections", "numérique", "visiteurs", "données", "billetterie", "portail", "archives",
    "médiation", "réseau", "sécurité", "mobilité", "recherche", "diffusion", "accueil", "outils",
    "plateforme", "référentiel", "infrastructure", "formation", "partenaires", "open-data",
)
BROKEN_KINDS = ("unknown-reference", "period-order", "dependency-cycle")


def quoted(text: str) -> str:
    """A double-quoted YAML scalar."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def sentence(rng: random.Random, words: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(words)).capitalize()


@dataclass(frozen=True)
class Period:
    """A period as written in the file, and its first and last month (year * 12 + month - 1)."""

    text: str
    first: int
    last: int


def year(y: int) -> Period:
    return Period(str(y), y * 12, y * 12 + 11)


def quarter(y: int, q: int) -> Period:
    return Period(quoted(f"{y}-Q{q}"), y * 12 + (q - 1) * 3, y * 12 + q * 3 - 1)


def month(y: int, m: int) -> Period:
    return Period(quoted(f"{y}-{m:02d}"), y * 12 + m - 1, y * 12 + m - 1)


def periods(rng: random.Random, first_year: int, last_year: int) -> tuple[Period, Period]:
    """A start and an end inside the years given, the end never before the start: half as
    years, the rest as quarters or months."""
    start_year = rng.randint(first_year, last_year)
    end_year = rng.randint(start_year, last_year)
    kind = rng.random()
    if kind < 0.5:
        return year(start_year), year(end_year)
    same_year = start_year == end_year
    if kind < 0.8:
        q = rng.randint(1, 4)
        return quarter(start_year, q), quarter(end_year, rng.randint(q if same_year else 1, 4))
    m = rng.randint(1, 12)
    return month(start_year, m), month(end_year, rng.randint(m if same_year else 1, 12))


def axes_file() -> str:
    lines = [
        "# A generated project: the workload of bench/run.py",
        "document:",
        "  institution: Musée de démonstration",
        "  title: Schéma directeur généré",
        "  language: fr",
        '  period: "2018-2030"',
        "  objectives:",
        "    - Mesurer psc sur un grand projet",
        "axes:",
    ]
    for a in range(1, AXES + 1):
        lines += [f"  - id: AX{a}", f"    title: Axe {a}", f"    goal: Objectif de l'axe {a}"]
    lines.append("principles:")
    for p in range(1, PRINCIPLES + 1):
        lines += [f"  - id: P{p}", f"    title: Principe {p}"]
    return "\n".join(lines) + "\n"


def governance_file() -> str:
    lines = ["bodies:"]
    for b in range(1, BODIES + 1):
        lines += [
            f"  - id: body-{b}",
            f"    name: Instance {b}",
            f"    kind: {'committee' if b == 1 else 'hub'}",
            f"    axes: [AX{(b - 1) % AXES + 1}]",
        ]
        if b > 1:
            lines.append("    reports_to: body-1")
    return "\n".join(lines) + "\n"


def roadmap_file(
    number: int, actions: int, broken: dict[int, str], first_index: int, rng: random.Random, unknown: bool = False
) -> str:
    """Roadmap `r{number}` with `actions` actions. The project-wide indexes of its actions
    start at first_index; `broken` maps the index of an action to spoil to how; with
    `unknown`, every action also depends on an id that exists nowhere (a typo of its own)."""
    roadmap_id = f"r{number}"
    prefix = roadmap_id.upper()
    last_year = LAST_YEAR + number - 1
    width = max(5, len(str(actions)))
    lines = [
        f"# Roadmap {number}",
        "roadmap:",
        f"  id: {roadmap_id}",
        f"  title: Feuille de route {number}",
        f"  start: {FIRST_YEAR}",
        f"  horizon: {last_year}",
        "  themes:",
    ]
    for t in range(1, THEMES + 1):
        lines += [f"    - id: {roadmap_id}-t{t}", f"      title: Thème {t}"]
    if not actions:
        return "\n".join([*lines, "actions: []"]) + "\n"
    lines.append("actions:")
    ends: list[int] = []  # last month of each action written so far
    loop_back: str | None = None  # the action that the next one must depend on (a loop)
    for i in range(actions):
        action_id = f"{prefix}-{i + 1:0{width}d}"
        start, end = periods(rng, FIRST_YEAR, last_year)
        # Every axis, principle, theme and body is used once there are enough actions.
        axes = sorted({i % AXES + 1, rng.randint(1, AXES)})
        axes_text = ", ".join(f"AX{a}" for a in axes)
        depends_on = []
        if i and rng.random() < DEPENDENCY_RATE:
            earlier = rng.randrange(i)
            if ends[earlier] < start.first:  # ends before this one starts: no warning
                depends_on.append(f"{prefix}-{earlier + 1:0{width}d}")
        if loop_back is not None:
            depends_on.append(loop_back)
            loop_back = None
        if unknown:
            depends_on.append(f"{prefix}_{i + 1:0{width}d}")
        kind = broken.get(first_index + i)
        if kind is not None:
            if kind == "unknown-reference":
                axes_text = f"AX{AXES + 96}"
            elif kind == "period-order":
                start, end = year(last_year), year(FIRST_YEAR)
            elif i + 1 < actions:
                depends_on.append(f"{prefix}-{i + 2:0{width}d}")
                loop_back = action_id
            else:
                depends_on.append(action_id)  # the last action of its roadmap: a loop of one
        ends.append(end.last)
        lines += [
            f"  - id: {action_id}",
            f"    title: {quoted(sentence(rng, 5))}",
            f"    axes: [{axes_text}]",
            f"    principles: [P{i % PRINCIPLES + 1}]",
            f"    theme: {roadmap_id}-t{i % THEMES + 1}",
            f"    start: {start.text}",
            f"    end: {end.text}",
            f"    status: {rng.choice(STATUSES)}",
            f"    feasibility: {rng.choice(FEASIBILITIES)}",
            f"    owner: Direction {rng.randint(1, OWNERS)}",
            f"    body: body-{i % BODIES + 1}",
        ]
        if depends_on:
            lines.append(f"    depends_on: [{', '.join(depends_on)}]")
        lines += [
            f"    description: {quoted(sentence(rng, 20))}",
            f"    tags: [{rng.choice(WORDS)}, {rng.choice(WORDS)}]",
        ]
    return "\n".join(lines) + "\n"


def write_project(
    folder: Path, actions: int, roadmaps: int = 2, seed: int = 1, broken: int = 0, unknown: bool = False
) -> None:
    """Write axes.yaml, governance.yaml and r1_roadmap.yaml ... into folder."""
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "axes.yaml").write_text(axes_file(), encoding="utf-8")
    (folder / "governance.yaml").write_text(governance_file(), encoding="utf-8")
    spoiled = sorted(rng.sample(range(actions), min(broken, actions)))
    kinds = {index: BROKEN_KINDS[n % len(BROKEN_KINDS)] for n, index in enumerate(spoiled)}
    first_index = 0
    for r in range(roadmaps):
        count = actions // roadmaps + (1 if r < actions % roadmaps else 0)
        text = roadmap_file(r + 1, count, kinds, first_index, rng, unknown)
        (folder / f"r{r + 1}_roadmap.yaml").write_text(text, encoding="utf-8")
        first_index += count


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("out", type=Path, help="the project folder to write (created if needed)")
    parser.add_argument("--actions", type=int, default=1000, help="actions in all (default 1000)")
    parser.add_argument("--roadmaps", type=int, default=2, help="roadmap files (default 2)")
    parser.add_argument("--seed", type=int, default=1, help="the random seed (default 1)")
    parser.add_argument("--broken", type=int, default=0, help="actions to spoil (default 0: a valid project)")
    parser.add_argument("--unknown-references", action="store_true",
                        help="every action also depends on an id that exists nowhere (the worst case of suggestions)")
    args = parser.parse_args()
    if args.actions < 0 or args.roadmaps < 1 or args.broken < 0:
        parser.error("--actions and --broken can't be negative, and a project needs a roadmap")
    write_project(args.out, args.actions, args.roadmaps, args.seed, args.broken, args.unknown_references)


if __name__ == "__main__":
    main()
