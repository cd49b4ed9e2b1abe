"""`psc render -o annexe.pdf` (WeasyPrint) against Chromium's `--print-to-pdf` of psc's own
HTML page for the same data, side by side, on the Louvre data and a generated project.

    .venv/bin/python bench/pdf.py [--rounds 3] [--actions 1000] [--keep DIR] [--output FILE]

Each command is a fresh process, timed with time.perf_counter around it: `psc render -o
annexe.pdf`; `psc render -o annexe.html` then Chromium printing that page, timed apart and
added up (what a user runs to get a PDF from a browser). One untimed warm-up of each, then
the rounds, interleaved; the medians are compared. The target: psc's PDF in at most the
time of Chromium's print (ratio ≤ 1). Standard library only; run it with the venv's Python
(psc beside sys.executable, the `pdf` extra installed) and Debian's `chromium`.
"""

from __future__ import annotations

import argparse
import os
import platform
import re
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
CHROMIUM_FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-pdf-header-footer")
TARGET = 1.0


@dataclass
class Timing:
    """The wall times of one command over the rounds, and the pages of what it wrote."""

    walls: list[float] = field(default_factory=list)
    pages: int | None = None
    failed: str | None = None

    @property
    def median(self) -> float:
        return statistics.median(self.walls)


def timed(args: list[str], **kwargs: object) -> tuple[float, subprocess.CompletedProcess[bytes]]:
    start = time.perf_counter()
    done = subprocess.run(args, capture_output=True, check=False, **kwargs)  # type: ignore[call-overload]
    return time.perf_counter() - start, done


def pages(pdf: Path) -> int | None:
    pdfinfo = shutil.which("pdfinfo")
    if pdfinfo is None or not pdf.is_file():
        return None
    found = re.search(r"^Pages:\s+(\d+)", subprocess.run([pdfinfo, str(pdf)], capture_output=True, text=True,
                                                         check=False).stdout, re.M)
    return int(found.group(1)) if found else None


def psc_command() -> list[str]:
    beside = Path(sys.executable).with_name("psc")
    return [str(beside)] if beside.exists() else [sys.executable, "-m", "psc_roadmap"]


def commands(data: Path, out: Path, chromium: str) -> dict[str, Callable[[], tuple[float, Path | None, str | None]]]:
    """The three commands measured for one project: each returns (wall, file written, failure)."""
    psc = psc_command()
    pdf, html, printed = out / "psc.pdf", out / "page.html", out / "chromium.pdf"
    profile = out / "chromium-profile"

    def run(args: list[str], target: Path) -> tuple[float, Path | None, str | None]:
        target.unlink(missing_ok=True)
        wall, done = timed(args)
        if done.returncode != 0 or not target.is_file():
            return wall, None, f"exit {done.returncode}: {done.stderr.decode(errors='replace')[-300:]}"
        return wall, target, None

    def chromium_print() -> tuple[float, Path | None, str | None]:
        shutil.rmtree(profile, ignore_errors=True)
        return run([chromium, *CHROMIUM_FLAGS, f"--user-data-dir={profile}", f"--print-to-pdf={printed}",
                    html.as_uri()], printed)

    return {
        "psc render -o annexe.pdf": lambda: run([*psc, "render", "-d", str(data), "-o", str(pdf)], pdf),
        "psc render -o annexe.html": lambda: run([*psc, "render", "-d", str(data), "-o", str(html)], html),
        "chromium --print-to-pdf": chromium_print,
    }


def measure(data: Path, out: Path, chromium: str, rounds: int) -> dict[str, Timing]:
    out.mkdir(parents=True, exist_ok=True)
    steps = commands(data, out, chromium)
    timings = {name: Timing() for name in steps}
    order = list(steps)
    for round_number in range(rounds + 1):  # round 0 is the warm-up
        # The HTML page must exist before Chromium prints it: keep that pair in order, rotate the PDF.
        sequence = order if round_number % 2 == 0 else [order[1], order[2], order[0]]
        for name in sequence:
            wall, written, failure = steps[name]()
            print(f"  {data.name}: {name}: {wall:.2f} s{' FAILED ' + failure if failure else ''}", file=sys.stderr)
            timing = timings[name]
            if failure:
                timing.failed = failure
            elif round_number:
                timing.walls.append(wall)
                timing.pages = pages(written) if written and written.suffix == ".pdf" else timing.pages
    return timings


def machine(chromium: str) -> str:
    cpu = "unknown CPU"
    try:
        found = re.search(r"^model name\s*:\s*(.+)$", Path("/proc/cpuinfo").read_text(), re.M)
        cpu = found.group(1).strip() if found else cpu
    except OSError:
        pass
    memory = ""
    try:
        kib = int(re.search(r"MemTotal:\s+(\d+)", Path("/proc/meminfo").read_text()).group(1))  # type: ignore[union-attr]
        memory = f", {kib / 1024 / 1024:.1f} GiB"
    except (OSError, AttributeError):
        pass
    versions = []
    for package in ("psc-roadmap", "weasyprint", "pydyf", "fonttools"):
        try:
            versions.append(f"{package} {metadata.version(package)}")
        except metadata.PackageNotFoundError:
            versions.append(f"{package} (not installed)")
    browser = subprocess.run([chromium, "--version"], capture_output=True, text=True, check=False).stdout.strip()
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    return (f"{cpu}, {os.cpu_count()} cores{memory}, CPython {platform.python_version()}, {platform.system()}; "
            f"{', '.join(versions)}; {browser or chromium}; load average {load:.1f} at the end (a shared machine).")


def report(results: dict[str, dict[str, Timing]], rounds: int, chromium: str) -> str:
    lines = [
        f"{rounds} rounds after one warm-up; medians of wall time, each command a fresh process.",
        "",
        "| project | `psc render -o annexe.pdf` | Chromium `--print-to-pdf` | `psc render -o annexe.html` + Chromium "
        "| psc / Chromium | psc / (html + Chromium) | pages (psc, Chromium) |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    verdicts = []
    for project, timings in results.items():
        pdf, html, browser = (timings[name] for name in ("psc render -o annexe.pdf", "psc render -o annexe.html",
                                                          "chromium --print-to-pdf"))
        failed = [f"{name}: {t.failed}" for name, t in timings.items() if t.failed or not t.walls]
        if failed:
            lines.append(f"| {project} | n/a ({'; '.join(failed)[:200]}) | | | | | |")
            continue
        both = html.median + browser.median
        ratio, ratio_both = pdf.median / browser.median, pdf.median / both
        lines.append(f"| {project} | {pdf.median:.2f} s | {browser.median:.2f} s | {both:.2f} s | **{ratio:.2f}** "
                     f"| {ratio_both:.2f} | {pdf.pages}, {browser.pages} |")
        verdicts.append(f"{project}: {'pass' if ratio <= TARGET else 'FAIL'} ({ratio:.2f} against ≤ {TARGET:g})")
    lines += ["", "Target: psc's PDF in at most Chromium's time (psc / Chromium ≤ 1). " + "; ".join(verdicts) + ".",
              "", f"Machine: {machine(chromium)}"]
    return "\n".join(lines) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", 1)[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--actions", type=int, default=1000, help="size of the generated project (default 1000)")
    parser.add_argument("--keep", type=Path, help="generate the project and write the documents here, and keep them")
    parser.add_argument("--output", type=Path, help="also write the report to this file")
    parser.add_argument("--chromium", default=os.environ.get("PSC_CHROMIUM", "/usr/bin/chromium"))
    args = parser.parse_args()
    if not Path(args.chromium).exists():
        print(f"Chromium not found at {args.chromium} (apt-get install chromium, or --chromium PATH)", file=sys.stderr)
        return 2
    scratch = args.keep or Path(tempfile.mkdtemp(prefix="psc-bench-pdf-"))
    try:
        generated = scratch / f"p{args.actions}"
        if not (generated / "axes.yaml").is_file():
            subprocess.run([sys.executable, str(GENERATOR), str(generated), "--actions", str(args.actions),
                            "--seed", "1"], check=True, capture_output=True)
        projects = {"Louvre (`data/`)": REPO / "data", f"generated, {args.actions:,} actions": generated}
        results = {name: measure(data, scratch / f"out-{index}", args.chromium, args.rounds)
                   for index, (name, data) in enumerate(projects.items())}
        text = report(results, args.rounds, args.chromium)
    finally:
        if args.keep is None:
            shutil.rmtree(scratch, ignore_errors=True)
    sys.stdout.write(text)
    if args.output:
        args.output.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
