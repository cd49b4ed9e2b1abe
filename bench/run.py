"""Speed and memory of the installed `psc` against its targets, on generated projects.

    .venv/bin/python bench/run.py [--quick] [--repeat N] [--big] [--keep DIR] [--output FILE]

Projects come from bench/gen_project.py (valid, fixed seed), so every run measures
the same bytes. Each command runs as a fresh subprocess:
wall time is time.perf_counter around it, peak memory is the command's own max
RSS as GNU time (/usr/bin/time) reports it, else os.wait4's (an upper bound: it
includes this script's memory). Commands are interleaved round by round, in a
rotated order, after one untimed warm-up run each (which also fills the bytecode
cache), and the medians are compared. A command that psc does not have yet is
reported as "n/a (command missing)" instead of failing the run.

Only the standard library is used; run it with the venv's Python so that `psc`,
`check-jsonschema` and ruamel.yaml are found beside sys.executable. Nothing outside the
repository is needed: it runs from a fresh clone once psc is installed.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
GENERATOR = REPO / "bench" / "gen_project.py"
SCHEMA_KINDS = ("axes", "governance", "roadmap")

#: What the parser baseline does: ruamel.yaml's C loader on every file, one process.
C_LOADER_SCRIPT = (
    "import sys\n"
    "from ruamel.yaml import YAML\n"
    "yaml = YAML(typ='safe', pure=False)\n"
    "for name in sys.argv[1:]:\n"
    "    with open(name, 'rb') as handle:\n"
    "        yaml.load(handle)\n"
)


# --- running one command ------------------------------------------------------------------


@dataclass(frozen=True)
class Sample:
    """One run: wall seconds, CPU seconds (user + system), the child's peak RSS in KiB, its exit code."""

    wall: float
    cpu: float
    rss_kib: int
    code: int


#: GNU time forks the command from its own small process, so the peak RSS it reports is
#: the command's alone; os.wait4 on our own child would also count this script's memory,
#: which Linux carries over the fork and exec into the child's high-water mark.
GNU_TIME = "/usr/bin/time" if Path("/usr/bin/time").exists() else None


def run_once(argv: list[str], cwd: Path, out: Path, err: Path, env: dict[str, str]) -> Sample:
    """Run argv as a fresh process; stdout and stderr go to files, as with `-o`."""
    rss_file = err.with_suffix(".rss")
    wrapped = [GNU_TIME, "-f", "%M", "-o", str(rss_file), *argv] if GNU_TIME else argv
    with out.open("wb") as stdout, err.open("wb") as stderr:
        start = time.perf_counter()
        proc = subprocess.Popen(wrapped, cwd=cwd, env=env, stdin=subprocess.DEVNULL, stdout=stdout, stderr=stderr)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
    proc.returncode = code = os.waitstatus_to_exitcode(status)
    rss = usage.ru_maxrss
    if GNU_TIME:
        # The last line is %M; GNU time writes "Command exited with non-zero status N" above it.
        rss = int(rss_file.read_text().split()[-1])
    # CPU time of the whole child tree (GNU time's own is negligible): when it is well
    # below the wall time, something else was using the cores during the run.
    return Sample(wall, usage.ru_utime + usage.ru_stime, rss, code)


@dataclass
class Command:
    """A measured thing: one or more argvs run back to back (walls add, peak RSS is the max)."""

    key: str
    label: str
    argvs: list[list[str]]
    ok_codes: tuple[int, ...] = (0,)
    #: Why it can't run ("command missing", ...); None when it can.
    unavailable: str | None = None
    samples: list[Sample] = field(default_factory=list)
    failure: str | None = None

    def run(self, work: Path, env: dict[str, str]) -> Sample:
        walls, cpus, peak, code = 0.0, 0.0, 0, 0
        for i, argv in enumerate(self.argvs):
            sample = run_once(argv, REPO, work / f"{self.key}.{i}.out", work / f"{self.key}.{i}.err", env)
            walls += sample.wall
            cpus += sample.cpu
            peak = max(peak, sample.rss_kib)
            if sample.code not in self.ok_codes:
                tail = (work / f"{self.key}.{i}.err").read_text(errors="replace").strip().splitlines()[-3:]
                self.failure = f"exit {sample.code}: {' | '.join(tail)[:300]}"
                return Sample(walls, cpus, peak, sample.code)
            code = sample.code
        return Sample(walls, cpus, peak, code)

    @property
    def usable(self) -> bool:
        return self.unavailable is None and self.failure is None

    @property
    def why_not(self) -> str:
        if self.unavailable:
            return f"n/a ({self.unavailable})"
        if self.failure:
            return f"n/a (failed: {self.failure})"
        return "n/a (not run)"

    def wall(self) -> float:
        return statistics.median(s.wall for s in self.samples)

    def cpu(self) -> float:
        return statistics.median(s.cpu for s in self.samples)

    def rss_mib(self) -> float:
        return statistics.median(s.rss_kib for s in self.samples) / 1024


# --- the environment ------------------------------------------------------------------------


def psc_argv() -> list[str]:
    script = Path(sys.executable).parent / "psc"
    return [str(script)] if script.exists() else [sys.executable, "-m", "psc_roadmap"]


def has_command(psc: list[str], name: str) -> bool:
    """Whether `psc NAME --help` is known (Typer says "No such command" with exit 2 otherwise)."""
    proc = subprocess.run([*psc, name, "--help"], cwd=REPO, capture_output=True, text=True, check=False)
    return proc.returncode == 0


def child_env(scratch: Path) -> dict[str, str]:
    """The environment of every measured command: bytecode cached, as on a user's machine.

    This workplace sets PYTHONDONTWRITEBYTECODE, which would make every run compile psc's
    own (editable) modules again; the cache goes to a scratch prefix instead of src/.
    """
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPYCACHEPREFIX"] = str(scratch / "pycache")
    env["NO_COLOR"] = "1"
    return env


def generate(generator: Path, folder: Path, actions: int, *extra: str) -> Path:
    """The project of that size in folder, generated unless a kept one came from the same
    generator and arguments."""
    out = folder / f"p{actions // 1000}k{''.join(extra).replace('-', '')}"
    argv = [sys.executable, str(generator), str(out), "--actions", str(actions), "--seed", "1", *extra]
    stamp = out / "generated-by.txt"  # psc reads only its own files: this one is ignored
    made_by = f"{hashlib.sha256(generator.read_bytes()).hexdigest()} {' '.join(argv[2:])}\n"
    if not stamp.exists() or stamp.read_text(encoding="utf-8") != made_by:
        if out.exists():
            shutil.rmtree(out)
        subprocess.run(argv, check=True)
        stamp.write_text(made_by, encoding="utf-8")
    return out


def data_files(project: Path) -> list[str]:
    return sorted(str(p) for p in project.glob("*.yaml"))


def schemas(psc: list[str], folder: Path) -> tuple[dict[str, Path], str]:
    """psc's JSON Schemas: the repository's schemas/, else `psc schema KIND`, else the models."""
    kept = {k: REPO / "schemas" / f"{k}.schema.json" for k in SCHEMA_KINDS}
    if all(p.exists() for p in kept.values()):
        return kept, "schemas/*.schema.json of the repository"
    made = {k: folder / f"{k}.schema.json" for k in SCHEMA_KINDS}
    if has_command(psc, "schema"):
        for kind, path in made.items():
            proc = subprocess.run([*psc, "schema", kind], cwd=REPO, capture_output=True, check=False)
            if proc.returncode != 0:
                break
            path.write_bytes(proc.stdout)
        else:
            return made, "`psc schema KIND`"
    # Before `psc schema` exists: the same Pydantic models it will print from, in a child
    # process so that this one stays small (see GNU_TIME).
    script = (
        "import json, sys\n"
        "from psc_roadmap.models import FILE_MODELS\n"
        "schema = FILE_MODELS[sys.argv[1]].model_json_schema()\n"
        "schema['$schema'] = 'https://json-schema.org/draft/2020-12/schema'\n"
        "sys.stdout.write(json.dumps(schema, indent=2))\n"
    )
    for kind, path in made.items():
        proc = subprocess.run([sys.executable, "-c", script, kind], capture_output=True, check=True)
        path.write_bytes(proc.stdout)
    return made, "psc_roadmap.models `model_json_schema()` (no `psc schema` yet)"


def check_jsonschema_argvs(project: Path, schema_files: dict[str, Path]) -> list[list[str]]:
    """One check-jsonschema run per file kind, each with its schema: the files psc validate reads."""
    tool = Path(sys.executable).parent / "check-jsonschema"
    exe = str(tool) if tool.exists() else shutil.which("check-jsonschema") or ""
    roadmaps = sorted(str(p) for p in project.glob("*_roadmap.yaml"))
    return [
        [exe, "--schemafile", str(schema_files["axes"]), str(project / "axes.yaml")],
        [exe, "--schemafile", str(schema_files["governance"]), str(project / "governance.yaml")],
        [exe, "--schemafile", str(schema_files["roadmap"]), *roadmaps],
    ]


def code_fingerprint() -> str:
    """Names, sizes and times of psc's sources and templates: other people may edit them
    while a run is in progress, and then its figures mix two versions."""
    digest = hashlib.sha256()
    for folder in ("src", "templates"):
        for path in sorted((REPO / folder).rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts:
                stat = path.stat()
                digest.update(f"{path}:{stat.st_size}:{stat.st_mtime_ns}\n".encode())
    return digest.hexdigest()


def machine() -> dict[str, str]:
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = "unknown"
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                memory = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
    except OSError:
        pass
    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    versions = []
    for dist in ("psc-roadmap", "typer", "pydantic", "ruamel.yaml", "ruamel.yaml.clib", "jinja2", "check-jsonschema"):
        try:
            versions.append(f"{dist} {metadata.version(dist)}")
        except metadata.PackageNotFoundError:
            versions.append(f"{dist} (not installed)")
    git = subprocess.run(
        ["git", "describe", "--always", "--dirty"],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=False,
    ).stdout.strip()
    return {
        "cpu": cpu,
        "cores": f"{os.cpu_count()} logical, {usable} usable",
        "memory": memory,
        "python": f"{platform.python_implementation()} {platform.python_version()}",
        "os": f"{platform.system()} {platform.release()}",
        "packages": ", ".join(versions),
        "psc revision": git or "unknown",
    }


# --- measuring ---------------------------------------------------------------------------


def measure(
    commands: list[Command],
    repeat: int,
    work: Path,
    env: dict[str, str],
    log: Callable[[str], None],
    warm_up: bool = True,
) -> None:
    """One warm-up each, then `repeat` rounds, each running every command once, order rotated."""
    live = [c for c in commands if c.unavailable is None]
    for command in live if warm_up else []:
        log(f"warm-up {command.key}")
        sample = command.run(work, env)
        if sample.code not in command.ok_codes:
            log(f"  {command.key} failed: {command.failure}")
    live = [c for c in live if c.usable]
    for round_ in range(repeat):
        shift = round_ % len(live) if live else 0
        for command in live[shift:] + live[:shift]:
            sample = command.run(work, env)
            if sample.code not in command.ok_codes:
                log(f"  {command.key} failed in round {round_ + 1}: {command.failure}")
                continue
            command.samples.append(sample)
        log(f"round {round_ + 1}/{repeat} done")
        live = [c for c in live if c.usable]


@dataclass
class Figure:
    name: str
    target: float
    numerator: Command
    denominator: Command
    memory: bool = False

    def cells(self) -> tuple[str, str, str]:
        """(measured, target, result) for the Markdown table."""
        target = f"≤ {self.target:g}"
        for command in (self.numerator, self.denominator):
            if not command.usable or not command.samples:
                return f"{command.why_not} — {command.label}", target, "n/a"
        if self.memory:
            top, bottom, unit = self.numerator.rss_mib(), self.denominator.rss_mib(), "MiB"
            detail = f"{top:.0f} {unit} / {bottom:.0f} {unit}"
        else:
            top, bottom = self.numerator.wall(), self.denominator.wall()
            detail = f"{top:.3f} s / {bottom:.3f} s"
        ratio = top / bottom
        over = (ratio / self.target - 1) * 100
        verdict = "pass" if ratio <= self.target else f"**FAIL** ({over:+.1f} % over)"
        return f"**{ratio:.3f}** ({detail})", target, verdict


def detail_table(commands: list[Command]) -> list[str]:
    lines = [
        "| command | runs | median wall | min to max wall | median CPU | median peak RSS |",
        "| --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    for c in commands:
        if not c.usable or not c.samples:
            lines.append(f"| {c.label} | 0 | {c.why_not} | | | |")
            continue
        walls = [s.wall for s in c.samples]
        lines.append(
            f"| {c.label} | {len(walls)} | {c.wall():.3f} s | {min(walls):.3f} to {max(walls):.3f} s "
            f"| {c.cpu():.3f} s | {c.rss_mib():.0f} MiB |"
        )
    return lines


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="3 rounds instead of 5")
    parser.add_argument("--repeat", type=int, help="rounds of interleaved runs (default 5, 3 with --quick)")
    parser.add_argument("--big", action="store_true", help="also 100,000 actions end to end (several minutes)")
    parser.add_argument("--big-repeat", type=int, default=1, help="runs of each 100k command (default 1)")
    parser.add_argument("--keep", type=Path, help="generate (or reuse) the projects in this folder")
    parser.add_argument("--generator", type=Path, default=GENERATOR, help=f"default: {GENERATOR}")
    parser.add_argument("--output", type=Path, help="also write the Markdown report to this file")
    parser.add_argument("--json", type=Path, help="also write every sample as JSON to this file")
    args = parser.parse_args()
    repeat = args.repeat or (3 if args.quick else 5)
    if repeat < 1:
        parser.error("--repeat must be at least 1")
    if not args.generator.exists():
        parser.error(f"generator not found: {args.generator} (pass --generator)")

    def log(message: str) -> None:
        sys.stderr.write(f"[bench {time.strftime('%H:%M:%S')}] {message}\n")
        sys.stderr.flush()

    started = time.perf_counter()
    load_at_start = os.getloadavg()[0]
    code_at_start = code_fingerprint()
    with tempfile.TemporaryDirectory(prefix="psc-bench-") as scratch:
        folder = args.keep.resolve() if args.keep else Path(scratch)
        folder.mkdir(parents=True, exist_ok=True)
        work = Path(scratch) / "out"
        work.mkdir()
        sizes = [2_000, 10_000, 20_000] + ([100_000] if args.big else [])
        projects = {}
        for n in sizes:
            log(f"generating {n:,} actions")
            projects[n] = generate(args.generator, folder, n)

        log("generating 5,000 actions, each with an unknown reference")
        p5_unknown = generate(args.generator, folder, 5_000, "--unknown-references")
        p5 = generate(args.generator, folder, 5_000)

        psc = psc_argv()
        env = child_env(Path(scratch))
        missing = {name: not has_command(psc, name) for name in ("validate", "query", "render", "schema")}
        schema_files, schema_source = schemas(psc, Path(scratch))
        p2, p10, p20 = projects[2_000], projects[10_000], projects[20_000]

        def psc_command(key: str, label: str, name: str, *rest: str, ok: tuple[int, ...] = (0,)) -> Command:
            return Command(key, label, [[*psc, name, *rest]], ok, "command missing" if missing[name] else None)

        validate2 = psc_command("validate-2k", "`psc validate` 2k", "validate", "-d", str(p2))
        validate10 = psc_command("validate-10k", "`psc validate` 10k", "validate", "-d", str(p10))
        validate20 = psc_command("validate-20k", "`psc validate` 20k", "validate", "-d", str(p20))
        loader10 = Command(
            "c-loader-10k",
            "ruamel.yaml C loader, 10k files",
            [[sys.executable, "-c", C_LOADER_SCRIPT, *data_files(p10)]],
        )
        render10 = psc_command(
            "render-10k",
            "`psc render --format html` 10k",
            "render",
            "--format",
            "html",
            "-d",
            str(p10),
        )
        validate5 = psc_command("validate-5k", "`psc validate` 5k", "validate", "-d", str(p5))
        unknown5 = psc_command(
            "validate-5k-unknown", "`psc validate` 5k, each action with an unknown reference", "validate",
            "-d", str(p5_unknown), ok=(1,),
        )
        query10 = psc_command("query-10k", "`psc query --axis AX1` 10k", "query", "--axis", "AX1", "-d", str(p10))
        version = Command("version", "`psc --version`", [[*psc, "--version"]])
        typer_import = Command("import-typer", '`python -c "import typer"`', [[sys.executable, "-c", "import typer"]])
        cjs_argvs = check_jsonschema_argvs(p10, schema_files)
        cjs10 = Command(
            "check-jsonschema-10k",
            "check-jsonschema 10k (3 runs: axes, governance, roadmaps)",
            cjs_argvs,
            unavailable=None if cjs_argvs[0][0] else "check-jsonschema not installed",
        )
        commands = [validate2, validate5, unknown5, validate10, validate20, loader10, render10, query10, version,
                    typer_import, cjs10]
        log(f"{repeat} interleaved rounds of {sum(c.unavailable is None for c in commands)} commands")
        measure(commands, repeat, work, env, log)

        figures = [
            Figure("`psc validate` 10k / ruamel.yaml C loader, same files", 1.5, validate10, loader10),
            Figure("peak RSS: `psc validate` 10k / C loader", 2, validate10, loader10, memory=True),
            Figure("`psc validate` 20k / 2k", 11, validate20, validate2),
            Figure("`psc validate` 5k, each with an unknown reference / 5k valid", 2, unknown5, validate5),
            Figure("`psc render --format html` 10k / `psc validate` 10k", 2, render10, validate10),
            Figure("`psc query --axis AX1` 10k / `psc validate` 10k", 1.2, query10, validate10),
            Figure('`psc --version` / `python -c "import typer"`', 1.3, version, typer_import),
            Figure("`psc validate` 10k / check-jsonschema with psc's schemas, same files", 0.75, validate10, cjs10),
        ]

        big: list[Command] = []
        if args.big:
            p100 = projects[100_000]
            big = [
                psc_command("validate-100k", "`psc validate` 100k", "validate", "-d", str(p100)),
                psc_command("query-100k", "`psc query --axis AX1` 100k", "query", "--axis", "AX1", "-d", str(p100)),
                psc_command(
                    "render-100k",
                    "`psc render --format html` 100k",
                    "render",
                    "--format",
                    "html",
                    "-d",
                    str(p100),
                ),
                Command(
                    "c-loader-100k",
                    "ruamel.yaml C loader, 100k files (reference)",
                    [[sys.executable, "-c", C_LOADER_SCRIPT, *data_files(p100)]],
                ),
            ]
            log(f"100k: {args.big_repeat} run(s) each")
            # No warm-up here: the rounds above filled the bytecode cache, and a 100k run is long.
            measure(big, args.big_repeat, work, env, log, warm_up=False)

    elapsed = time.perf_counter() - started
    load = f"{load_at_start:.2f} at start, {os.getloadavg()[0]:.2f} at the end"
    changed = code_fingerprint() != code_at_start
    if changed:
        log("WARNING: src/ or templates/ changed during the run; run it again")
    report = markdown(figures, commands, big, repeat, schema_source, elapsed, load, changed)
    sys.stdout.write(report)
    if args.output:
        args.output.write_text(report, encoding="utf-8")
    if args.json:
        args.json.write_text(
            json.dumps(
                {
                    c.key: {
                        "label": c.label,
                        "argvs": c.argvs,
                        "unavailable": c.unavailable,
                        "failure": c.failure,
                        "samples": [s.__dict__ for s in c.samples],
                    }
                    for c in commands + big
                },
                indent=2,
            ),
            encoding="utf-8",
        )
    return 0


def markdown(
    figures: list[Figure],
    commands: list[Command],
    big: list[Command],
    repeat: int,
    schema_source: str,
    elapsed: float,
    load: str,
    changed: bool,
) -> str:
    argv = " ".join(["bench/run.py", *sys.argv[1:]])
    lines = [
        f"Command: `.venv/bin/python {argv}` — {repeat} interleaved rounds after one warm-up, "
        f"medians; whole run {elapsed:.0f} s.",
        "",
        *(
            ["**Warning: src/ or templates/ changed during this run; its figures mix versions.**", ""]
            if changed
            else []
        ),
        "| figure | measured (median) | target | result |",
        "| --- | --- | --- | --- |",
    ]
    lines += [f"| {f.name} | {' | '.join(f.cells())} |" for f in figures]
    lines += ["", "Every command measured (fresh process each run):", "", *detail_table(commands)]
    if big:
        lines += ["", "100,000 actions, end to end:", "", *detail_table(big)]
    rss = "GNU time's %M" if GNU_TIME else "os.wait4 (an upper bound: includes the bench's own RSS)"
    lines += [
        "",
        f"Wall: time.perf_counter around each subprocess. Peak RSS: {rss}. Bytecode cached "
        "(PYTHONPYCACHEPREFIX in the scratch folder, filled by the warm-up). "
        f"JSON Schemas for check-jsonschema: {schema_source}.",
        "",
        "Machine:",
        "",
    ]
    lines += [f"- {k}: {v}" for k, v in machine().items()]
    lines.append(
        f"- load average (1 min): {load}; the bench keeps about one core busy itself, so well above 1 "
        "means other processes shared the cores (the wall column then runs ahead of the CPU column)"
    )
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    sys.exit(main())
