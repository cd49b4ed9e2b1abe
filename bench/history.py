"""Speed of `psc diff` and `psc log` against `psc validate`, on git repositories made here.

    .venv/bin/python bench/history.py [--rounds N] [--actions N] [--commits N] [--keep DIR]

Two figures, each the ratio of two medians of wall time (fresh processes of the installed
`psc`, interleaved round by round after one untimed warm-up run each):

- `psc diff HEAD~1 HEAD` between two commits of a generated project (bench/gen_project.py,
  10,000 actions) where the second commit changes a few hundred actions (statuses, ends
  later and earlier, owners), over `psc validate` of one side; target 2.5.
- `psc log` over 100 commits of the Louvre data (`data/`), each changing one action's
  status, over `psc validate` of that data; target 10.

Only the standard library is used; git must be installed. The repositories are made in
a temporary folder (or DIR with --keep, reused when it is there).
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
GENERATOR = REPO / "bench" / "gen_project.py"
STATUSES = ("planned", "in_progress", "done", "on_hold", "cancelled")
TARGETS = {"diff": 2.5, "log": 10.0}
_ENV = {
    "GIT_AUTHOR_NAME": "Bench", "GIT_AUTHOR_EMAIL": "bench@example.org",
    "GIT_COMMITTER_NAME": "Bench", "GIT_COMMITTER_EMAIL": "bench@example.org",
    "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1",
}


def psc() -> list[str]:
    found = Path(sys.executable).with_name("psc")
    return [str(found)] if found.exists() else [sys.executable, "-m", "psc_roadmap"]


def git(repo: Path, *args: str, day: int = 0) -> None:
    date = f"@{1577836800 + day * 86400} +0000"
    env = {**os.environ, **_ENV, "GIT_AUTHOR_DATE": date, "GIT_COMMITTER_DATE": date}
    subprocess.run(["git", *args], cwd=repo, env=env, check=True, capture_output=True)


def commit(repo: Path, message: str, day: int) -> None:
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", message, day=day)


# --- the 10,000-action repository -----------------------------------------------------------

_ACTION = re.compile(r"^  - id: .*?(?=^  - id: |\Z)", re.M | re.S)


def _horizon(text: str) -> int:
    match = re.search(r"^  horizon: (\d{4})$", text, re.M)
    assert match, "a generated roadmap has a horizon"
    return int(match.group(1))


def _changed(block: str, index: int, horizon: int) -> str:
    """An action changed the way a month of edits changes one: its status, its end (a year
    later or earlier, where the roadmap allows it) or its owner; most stay as they are."""
    if index % 40 == 0:
        return re.sub(r"^    status: \w+$", "    status: done", block, count=1, flags=re.M)
    end = re.search(r"^    end: (\d{4})$", block, re.M)
    start = re.search(r"^    start: \"?(\d{4})", block, re.M)
    if end and start and index % 40 == 7 and int(end.group(1)) < horizon:
        return block.replace(end.group(0), f"    end: {int(end.group(1)) + 1}")
    if end and start and index % 40 == 13 and int(end.group(1)) > int(start.group(1)):
        return block.replace(end.group(0), f"    end: {int(end.group(1)) - 1}")
    if index % 40 == 21:
        return re.sub(r"^    owner: .*$", "    owner: Direction du numérique", block, count=1, flags=re.M)
    return block


def big_repository(folder: Path, actions: int) -> Path:
    repo = folder / f"diff{actions}"
    if (repo / ".git").is_dir():
        return repo
    shutil.rmtree(repo, ignore_errors=True)
    data = repo / "data"
    data.mkdir(parents=True)
    git(repo, "init", "-q")
    subprocess.run([sys.executable, str(GENERATOR), str(data), "--actions", str(actions), "--seed", "1"],
                   check=True, capture_output=True)
    commit(repo, "The plan", 1)
    index = 0
    for path in sorted(data.glob("*_roadmap.yaml")):
        text = path.read_text(encoding="utf-8")
        horizon = _horizon(text)

        def change(match: re.Match[str], horizon: int = horizon) -> str:
            nonlocal index
            index += 1
            return _changed(match.group(0), index, horizon)

        path.write_text(_ACTION.sub(change, text), encoding="utf-8")
    commit(repo, "A month of edits", 30)
    return repo


# --- 100 commits of the Louvre data ----------------------------------------------------------


def louvre_repository(folder: Path, commits: int) -> Path:
    repo = folder / f"log{commits}"
    if (repo / ".git").is_dir():
        return repo
    shutil.rmtree(repo, ignore_errors=True)
    data = repo / "data"
    shutil.copytree(REPO / "data", data)
    git(repo, "init", "-q")
    commit(repo, "The Louvre plan", 1)
    files = sorted(data.glob("*_roadmap.yaml"))
    for n in range(commits - 1):
        path = files[n % len(files)]
        text = path.read_text(encoding="utf-8")
        lines = list(re.finditer(r"^    status: (\w+)$", text, re.M))
        line = lines[(n // len(files)) % len(lines)]
        status = STATUSES[(STATUSES.index(line.group(1)) + 1) % len(STATUSES)]
        path.write_text(text[: line.start()] + f"    status: {status}" + text[line.end():], encoding="utf-8")
        commit(repo, f"Edit {n + 1}", n + 2)
    return repo


# --- timing -----------------------------------------------------------------------------------


def run(argv: list[str], out: Path) -> float:
    with out.open("wb") as stdout:
        start = time.perf_counter()
        done = subprocess.run(argv, stdout=stdout, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL, check=False)
        wall = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(argv)}: exit {done.returncode}: {done.stderr.decode()[-500:]}")
    return wall


def measure(commands: dict[str, list[str]], rounds: int, scratch: Path) -> dict[str, list[float]]:
    names = list(commands)
    for name in names:  # warm-up: bytecode and git's caches
        run(commands[name], scratch / f"{name}.out")
    samples: dict[str, list[float]] = {name: [] for name in names}
    for r in range(rounds):
        for name in names[r % len(names):] + names[: r % len(names)]:
            samples[name].append(run(commands[name], scratch / f"{name}.out"))
    return samples


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--actions", type=int, default=10_000)
    parser.add_argument("--commits", type=int, default=100)
    parser.add_argument("--keep", type=Path, help="make (or reuse) the repositories in DIR")
    args = parser.parse_args()
    if shutil.which("git") is None:
        print("git is not installed", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory(prefix="psc-history-") as tmp:
        folder = args.keep or Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        print("making the repositories ...", file=sys.stderr)
        big = big_repository(folder, args.actions)
        louvre = louvre_repository(folder, args.commits)
        cmd = psc()
        commands = {
            "validate_big": [*cmd, "validate", "-d", str(big / "data")],
            "diff": [*cmd, "diff", "HEAD~1", "HEAD", "-d", str(big / "data"), "--format", "json"],
            "validate_louvre": [*cmd, "validate", "-d", str(louvre / "data")],
            "log": [*cmd, "log", "-d", str(louvre / "data")],
        }
        print(f"timing, {args.rounds} rounds ...", file=sys.stderr)
        samples = measure(commands, args.rounds, Path(tmp))
        changed = (Path(tmp) / "diff.out").read_text(encoding="utf-8").count('"changes":')
        log_lines = (Path(tmp) / "log.out").read_text(encoding="utf-8").splitlines()
        logged = sum(1 for line in log_lines if re.match(r"\d{4}-\d\d-\d\d  ", line))
    median = {name: statistics.median(values) for name, values in samples.items()}
    rows = [
        ("diff", f"`psc diff HEAD~1 HEAD` {args.actions:,} actions ({changed} changed) / `psc validate` one side",
         median["diff"], median["validate_big"]),
        ("log", f"`psc log` {args.commits} commits of the Louvre data ({logged} listed) / `psc validate`",
         median["log"], median["validate_louvre"]),
    ]
    print("| figure | measured (median) | target | result |")
    print("| --- | --- | --- | --- |")
    failed = False
    for key, label, top, bottom in rows:
        ratio = top / bottom
        ok = ratio <= TARGETS[key]
        failed |= not ok
        print(f"| {label} | **{ratio:.3f}** ({top:.3f} s / {bottom:.3f} s) | ≤ {TARGETS[key]:g} | "
              f"{'pass' if ok else '**FAIL**'} |")
    print()
    print("| command | runs | median wall | min to max wall |")
    print("| --- | ---: | ---: | ---: |")
    for name, values in samples.items():
        shown = " ".join(commands[name][len(cmd):]).replace(str(folder), "DIR")
        print(f"| `psc {shown}` | {len(values)} | {median[name]:.3f} s | "
              f"{min(values):.3f} to {max(values):.3f} s |")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
