"""Property tests: random mutations of a valid project never crash `validate`, `query`
or `render`, and every finding's line and column lie inside its file.

CI runs a few hundred examples; the README's contributing section has the command
for a long run (PSC_HYPOTHESIS_EXAMPLES=20000)."""

from __future__ import annotations

import io
import os
import shutil
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from psc_roadmap import query, render, terminal
from psc_roadmap.checks import validate_folder
from psc_roadmap.project import Project
from psc_roadmap.text import json_text
from tests.conftest import BASE, DEMO

EXAMPLES = int(os.environ.get("PSC_HYPOTHESIS_EXAMPLES", "300"))
HOSTILE = [
    "", " ", "\t", "\n", ":", "- ", "[", "]", "{", "}", ",", "#", "&a ", "*a", "!", "!!python/object ", "|", ">",
    "'", '"', "%", "@", "`", "?", "---", "...", "\ufeff", "\u202e", "\u200b", "é", "«", "»", "\x00", "\r",
    "null", "~", "true", "yes", "1e3", "0x1F", ".nan", "2020-01-01", "<script>", "{{ 7*7 }}", "a | b",
]
FILES = sorted(BASE)


@st.composite
def mutated(draw: st.DrawFn) -> dict[str, str]:
    """The minimal project, or the demo project, with a few random edits to its text."""
    source = draw(st.sampled_from(["base", "demo"]))
    files = dict(BASE) if source == "base" else {p.name: p.read_text(encoding="utf-8") for p in DEMO.glob("*.yaml")}
    for _ in range(draw(st.integers(1, 4))):
        name = draw(st.sampled_from(sorted(files)))
        lines = files[name].split("\n")
        index = draw(st.integers(0, max(0, len(lines) - 1)))
        operation = draw(st.sampled_from(["delete", "duplicate", "insert", "replace", "swap", "indent"]))
        line = lines[index]
        if operation == "delete":
            del lines[index]
        elif operation == "duplicate":
            lines.insert(index, line)
        elif operation == "insert":
            at = draw(st.integers(0, len(line)))
            token = draw(st.sampled_from(HOSTILE) | st.text(max_size=5))
            lines[index] = line[:at] + token + line[at:]
        elif operation == "replace" and ":" in line:
            key = line.split(":", 1)[0]
            value = draw(st.sampled_from(HOSTILE) | st.integers(-5, 3000).map(str) | st.text(max_size=8))
            lines[index] = f"{key}: {value}"
        elif operation == "swap" and len(lines) > 1:
            other = draw(st.integers(0, len(lines) - 1))
            lines[index], lines[other] = lines[other], lines[index]
        elif operation == "indent":
            lines[index] = draw(st.sampled_from(["", "  ", "    ", " "])) + line.lstrip()
        files[name] = "\n".join(lines)
    return files


def _inside(text: str, line: int, column: int) -> bool:
    lines = text.splitlines() or [""]
    return 1 <= line <= len(lines) and 1 <= column <= len(lines[line - 1]) + 1


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))
@given(mutated())
def test_mutations_never_crash_and_positions_lie_inside(files: dict[str, str]) -> None:
    folder = Path(tempfile.mkdtemp(prefix="psc-prop-"))
    try:
        for name, text in files.items():
            (folder / name).write_bytes(text.encode("utf-8", "surrogatepass"))
        project, findings = validate_folder(str(folder))
        for finding in findings:
            p = finding.position
            path = Path(p.file)
            if path.is_file():
                try:
                    text = path.read_bytes().decode("utf-8").removeprefix("\ufeff")
                except UnicodeDecodeError:
                    assert (p.line, p.column) == (1, 1)
                    continue
                assert _inside(text, p.line, p.column), (finding, text)
            assert finding.message.strip()
        if not any(f.is_error for f in findings):
            _exercise_outputs(project)
    finally:
        shutil.rmtree(folder)


def _exercise_outputs(project: Project) -> None:
    """Every output of a project that validated: query formats, show, summary, render."""
    actions = query.sort_actions(project, query.select(project, query.Filters()))
    records = [query.to_record(a) for a in actions]
    for produce in (json_text, query.to_csv, query.to_markdown, query.to_ids):
        assert isinstance(produce(records), str)
    console = terminal.make_console(io.StringIO())
    terminal.print_actions(records, console)
    terminal.print_timeline(records, console)
    query.summary_markdown(query.summary(project, 2024 * 12))
    for item_id in list(project.index)[:5]:
        query.show(project, item_id)
    for fmt in ("md", "html"):
        assert render.render(project, fmt)
