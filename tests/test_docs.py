"""The user documentation can't drift from the code: docs/format.md holds every rule of
the registry word for word and every field of the models, docs/cli.md every option of
every command, the rules' examples fail and pass as they say, and every relative link
of README.md, BENCHMARKS.md and docs/*.md resolves inside the repository.

After a change to `rules.py`, rewrite the rules chapter of docs/format.md with
    PSC_UPDATE_DOCS=1 .venv/bin/python -m pytest tests/test_docs.py
and review the diff."""

from __future__ import annotations

import inspect
import itertools
import json
import os
import re
import types
import typing
from enum import Enum
from pathlib import Path

import pytest
import typer.main
from pydantic import BaseModel

from psc_roadmap import models
from psc_roadmap.cli import app
from psc_roadmap.rules import RULES, Rule
from tests.conftest import REPO, run_psc

FORMAT_DOC = REPO / "docs" / "format.md"
CLI_DOC = REPO / "docs" / "cli.md"
README = REPO / "README.md"


# --- the rules chapter of docs/format.md ---------------------------------------------------

RULES_BEGIN = "<!-- rules: generated from src/psc_roadmap/rules.py by tests/test_docs.py -->"
RULES_END = "<!-- rules: end -->"


def rule_section(rule: Rule) -> str:
    """The Markdown of one rule, as docs/format.md must hold it."""
    return (
        f"### `{rule.id}`\n\n"
        f"Severity: **{rule.severity.value}**. {rule.summary}\n\n"
        f"FAIL:\n\n```yaml\n{rule.fail}```\n\n"
        f"PASS:\n\n```yaml\n{rule.passes}```\n"
    )


def rules_chapter() -> str:
    """The index table of the rules, then one section per rule."""
    index = ["| rule | severity |", "| --- | --- |"]
    index += [f"| [`{r.id}`](#{r.id}) | {r.severity.value} |" for r in RULES.values()]
    return "\n".join(index) + "\n\n" + "\n".join(rule_section(rule) for rule in RULES.values())


def generated_chapter(text: str) -> str:
    assert RULES_BEGIN in text and RULES_END in text, "docs/format.md has lost its rules markers"
    return text.split(RULES_BEGIN, 1)[1].split(RULES_END, 1)[0].strip("\n") + "\n"


def documented_rules(text: str) -> dict[str, str]:
    """Each `### \\`rule\\`` section between the markers, by rule id, in document order."""
    parts = re.split(r"^(?=### )", generated_chapter(text), flags=re.M)
    sections: dict[str, str] = {}
    for part in parts[1:]:
        heading = re.match(r"### `([a-z-]+)`\n", part)
        assert heading, f"a section of the rules chapter has no `### \\`rule-id\\`` heading: {part[:60]!r}"
        assert heading.group(1) not in sections, f"rule {heading.group(1)} is documented twice"
        sections[heading.group(1)] = part.rstrip("\n") + "\n"
    return sections


def test_rules_chapter_is_the_registry() -> None:
    text = FORMAT_DOC.read_text(encoding="utf-8")
    if os.environ.get("PSC_UPDATE_DOCS") == "1":
        head, rest = text.split(RULES_BEGIN, 1)
        tail = rest.split(RULES_END, 1)[1]
        text = f"{head}{RULES_BEGIN}\n{rules_chapter()}{RULES_END}{tail}"
        FORMAT_DOC.write_text(text, encoding="utf-8")
    sections = documented_rules(text)
    assert list(sections) == list(RULES), "docs/format.md must have one section per rule, in the registry's order"
    for rule in RULES.values():
        assert sections[rule.id] == rule_section(rule), (
            f"docs/format.md's section of {rule.id} differs from rules.py: "
            "run PSC_UPDATE_DOCS=1 python -m pytest tests/test_docs.py and review the diff"
        )
    assert generated_chapter(text) == rules_chapter(), "the index of the rules in docs/format.md differs from rules.py"


@pytest.mark.parametrize("rule", RULES.values(), ids=list(RULES))
def test_rule_is_documented_for_users(rule: Rule) -> None:
    assert re.fullmatch(r"[A-Z][^\n]*\.", rule.summary), f"{rule.id}: the summary is one sentence"
    for example in (rule.fail, rule.passes):
        assert example.endswith("\n") and "```" not in example
        assert FILE_HEADER.match(example.splitlines()[0]), f"{rule.id}: an example starts with `# file.yaml`"
    assert rule.fail != rule.passes


# --- the rules' examples, run through `psc validate` --------------------------------------

#: The project an example is written into: valid, with no finding, small enough that an
#: example shows only the part of a file that matters.
EXAMPLE_BASE = {
    "axes.yaml": """\
document:
  institution: Musée de démonstration
  title: Schéma directeur
axes:
  - id: AX1
    title: Collections
""",
    "si_roadmap.yaml": """\
roadmap:
  id: si
  title: Feuille de route des SI
  start: 2019
  horizon: 2021
actions:
  - id: SI-01
    title: Base des collections
    axes: [AX1]
    start: 2019
    end: 2020
    owner: DSI
""",
}

FILE_HEADER = re.compile(r"# ([\w.-]+\.ya?ml)$")
#: How an example says its file is saved in another encoding than UTF-8.
ENCODINGS = {"# saved as Windows-1252": "cp1252"}


def top_level_blocks(text: str) -> dict[str, str]:
    """A YAML text cut at its top-level keys: key → the lines from that key to the next.
    Comment lines before the first key go with it."""
    blocks: dict[str, str] = {}
    pending: list[str] = []
    key = None
    for line in text.splitlines(keepends=True):
        found = re.match(r"([A-Za-z_][\w-]*):", line)
        if found:
            key = found.group(1)
            blocks[key] = "".join(pending)
            pending = []
        if key is None:
            pending.append(line)
        else:
            blocks[key] += line
    return blocks


def example_project(example: str, folder: Path) -> Path:
    """EXAMPLE_BASE with the example's files laid over it: each top-level key of an example
    file replaces that key of the base file of the same kind (axes, governance or roadmap);
    a roadmap file named otherwise than the base's stands in for it."""
    files = dict(EXAMPLE_BASE)
    encodings: dict[str, str] = {}
    name = ""
    parts: dict[str, list[str]] = {}
    for line in example.splitlines(keepends=True):
        header = FILE_HEADER.match(line.rstrip("\n"))
        if header:
            name = header.group(1)
            parts[name] = []
            continue
        for marker, encoding in ENCODINGS.items():
            if line.startswith(marker):
                encodings[name] = encoding
        parts[name].append(line)
    for name, lines in parts.items():
        base_name = name if name in files else "si_roadmap.yaml"
        blocks = top_level_blocks(files.pop(base_name, ""))
        blocks.update(top_level_blocks("".join(lines)))
        files[name] = "".join(blocks.values())
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (folder / name).write_bytes(text.encode(encodings.get(name, "utf-8")))
    return folder


def findings_of(folder: Path) -> list[tuple[str, str]]:
    _, out, _ = run_psc("validate", "-d", str(folder), "--format", "json")
    return [(d["rule"], d["severity"]) for d in json.loads(out)["diagnostics"]]


def test_example_base_is_clean(tmp_path: Path) -> None:
    assert findings_of(example_project("", tmp_path)) == []


@pytest.mark.parametrize("rule", RULES.values(), ids=list(RULES))
def test_fail_example_fails_with_its_rule_only(rule: Rule, tmp_path: Path) -> None:
    found = findings_of(example_project(rule.fail, tmp_path))
    assert (rule.id, rule.severity.value) in found, found
    assert {r for r, severity in found if severity == "error"} <= {rule.id}, found


@pytest.mark.parametrize("rule", RULES.values(), ids=list(RULES))
def test_pass_example_passes(rule: Rule, tmp_path: Path) -> None:
    found = findings_of(example_project(rule.passes, tmp_path))
    assert not [f for f in found if f[0] == rule.id or f[1] == "error"], found


# --- the field tables of docs/format.md ---------------------------------------------------

MODEL_MARKER = re.compile(r"^<!-- model: (\w+) -->\n((?:\|.*\n)+)", re.M)
FIELD_COLUMNS = ["field", "what it holds", "type", "required", "default", "example"]


def table_rows(table: str) -> list[list[str]]:
    """The cells of a Markdown table, header first, without the separator row."""
    rows = []
    for line in table.splitlines():
        cells = [c.strip() for c in re.split(r"(?<!\\)\|", line.strip())[1:-1]]
        if not all(re.fullmatch(r":?-+:?", c) for c in cells):
            rows.append(cells)
    return rows


def document_models() -> dict[str, type[BaseModel]]:
    """Every model of models.py that has fields: the things a user writes."""
    return {
        name: value
        for name, value in vars(models).items()
        if isinstance(value, type) and issubclass(value, BaseModel)
        and value.__module__ == models.__name__ and value.model_fields
    }


def default_text(model: type[BaseModel], name: str) -> str:
    """How the default column says a field's default."""
    field = model.model_fields[name]
    if field.is_required():
        return "—"
    if field.default_factory is list:
        return "`[]`"
    if field.default is None:
        return "none"
    if isinstance(field.default, Enum):
        return f"`{field.default.value}`"
    return f"`{field.default}`"


def test_every_model_has_one_field_table() -> None:
    tables = [m.group(1) for m in MODEL_MARKER.finditer(FORMAT_DOC.read_text(encoding="utf-8"))]
    assert sorted(tables) == sorted(document_models()), "one `<!-- model: Name -->` table per model of models.py"


@pytest.mark.parametrize("name", sorted(document_models()))
def test_field_table_is_the_model(name: str) -> None:
    model = document_models()[name]
    table = next(m.group(2) for m in MODEL_MARKER.finditer(FORMAT_DOC.read_text(encoding="utf-8"))
                 if m.group(1) == name)
    header, *rows = table_rows(table)
    assert header == FIELD_COLUMNS
    assert [row[0] for row in rows] == [f"`{field}`" for field in model.model_fields], (
        f"the table of {name} must list its fields, in the model's order, and nothing else"
    )
    for row in rows:
        field = row[0].strip("`")
        assert all(row), f"{name}.{field}: every cell is filled"
        assert row[3] == ("yes" if model.model_fields[field].is_required() else "no"), f"{name}.{field}: required"
        assert row[4] == default_text(model, field), f"{name}.{field}: default"
        assert row[5].startswith(f"`{field}:"), f"{name}.{field}: the example writes the field"


# --- the rules table of README.md ------------------------------------------------------------


def test_readme_rules_table_is_the_registry() -> None:
    text = README.read_text(encoding="utf-8")
    table = re.search(r"^\| rule \| severity \|\n(?:\|.*\n)+", text, re.M)
    assert table, "README.md has a `| rule | severity |` table"
    rows = table_rows(table.group(0))[1:]
    documented = [(re.sub(r"\[`([a-z-]+)`\]\(.*\)", r"\1", row[0]), row[1]) for row in rows]
    assert documented == [(r.id, r.severity.value) for r in RULES.values()]


# --- docs/cli.md -------------------------------------------------------------------------

OPTION = re.compile(r"(?<![\w-])(--?[A-Za-z][\w-]*)")


def cli_sections() -> dict[str, str]:
    """The `## ...` sections of docs/cli.md by heading (`psc validate`, `Global options`)."""
    text = CLI_DOC.read_text(encoding="utf-8")
    parts = re.split(r"^## ", text, flags=re.M)[1:]
    return {part.split("\n", 1)[0].strip().strip("`"): part for part in parts}


def documented_options(section: str) -> set[str]:
    """The options named in the first column of the section's `| option |` table."""
    table = re.search(r"^\| option \|.*\n(?:\|.*\n)+", section, re.M)
    assert table, "the section has an `| option | what it does |` table"
    return {opt for row in table_rows(table.group(0))[1:] for opt in OPTION.findall(row[0])}


def real_options(command: typing.Any) -> set[str]:
    return {
        opt
        for param in command.params
        if param.param_type_name == "option"
        for opt in (*param.opts, *param.secondary_opts)
    }


COMMANDS = typer.main.get_command(app).commands  # type: ignore[attr-defined]


def test_every_command_has_a_section() -> None:
    documented = {name.removeprefix("psc ") for name in cli_sections() if name.startswith("psc ")}
    assert documented == set(COMMANDS)


def choices(name: str) -> dict[str, list[str]]:
    """The values each parameter of a command accepts, from the enums of its signature."""
    function = inspect.unwrap(COMMANDS[name].callback)
    found = {}
    for param, hint in typing.get_type_hints(function, include_extras=True).items():
        while typing.get_origin(hint) in (typing.Annotated, list, types.UnionType, typing.Union):
            hint = next(a for a in typing.get_args(hint) if a is not type(None))
        if isinstance(hint, type) and issubclass(hint, Enum):
            found[param] = [member.value for member in hint]
    return found


def code_words(section: str) -> set[str]:
    """The words of the section's code spans: `text|json`, `-f`, `--format FORMAT`."""
    spans = re.findall(r"`([^`\n]+)`", section.replace("\\|", "|"))
    return {word for span in spans for word in re.split(r"[|,\s]+", span) if word}


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_command_options_are_documented(name: str) -> None:
    section = cli_sections()[f"psc {name}"]
    assert documented_options(section) == real_options(COMMANDS[name]), f"the options table of `psc {name}`"
    words = code_words(section)
    for param, values in choices(name).items():
        missing = [v for v in values if v not in words]
        assert not missing, f"`psc {name}`: the values {missing} of {param} are not documented"


def test_global_options_are_documented() -> None:
    group = typer.main.get_command(app)
    assert documented_options(cli_sections()["Global options"]) == real_options(group) | {"-h", "--help"}


def test_built_in_templates_are_listed() -> None:
    listed = set(re.findall(r"`((?:html|md)/[\w.-]+\.j2)`", cli_sections()["psc render"]))
    shipped = {p.relative_to(REPO / "templates").as_posix() for p in (REPO / "templates").glob("*/*.j2")}
    assert listed == shipped


def json_keys(value: object, skip: frozenset[str] = frozenset({"by_year", "fields"})) -> set[str]:
    """The keys of the JSON objects in value, but not those that are data (years, roadmap
    ids) nor an item's own fields (docs/format.md lists those)."""
    keys: set[str] = set()
    if isinstance(value, dict):
        for key, inner in value.items():
            keys.add(key)
            if key not in skip and not (key == "roadmaps" and isinstance(inner, dict)):
                keys |= json_keys(inner)
    elif isinstance(value, list):
        for inner in value:
            keys |= json_keys(inner)
    return keys


@pytest.mark.parametrize(
    ("command", "args"),
    [
        ("validate", ["--format", "json"]),
        ("query", ["--format", "json"]),
        ("summary", ["--format", "json", "--as-of", "2021-06"]),
        ("show", ["SI-01", "--format", "json"]),
        ("show", ["AX1", "--format", "json"]),
        ("show", ["drc", "--format", "json"]),
        ("show", ["si", "--format", "json"]),
    ],
)
def test_json_shapes_are_documented(command: str, args: list[str]) -> None:
    code, out, _ = run_psc(command, "-d", str(REPO / "data"), *args)
    assert code == 0
    section = cli_sections()[f"psc {command}"]
    missing = {key for key in json_keys(json.loads(out)) if f'"{key}"' not in section and key not in section}
    assert not missing, f"`psc {command} {' '.join(args)}` prints keys that docs/cli.md does not show"


# --- links ---------------------------------------------------------------------------------

LINKED_DOCS = [README, REPO / "BENCHMARKS.md", *sorted((REPO / "docs").glob("*.md"))]
LINK = re.compile(r"!?\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
REFERENCE = re.compile(r"^\s*\[[^\]]+\]:\s*<?(\S+?)>?(?:\s|$)", re.M)
HTML_LINK = re.compile(r"""<(?:a|img)\s[^>]*?(?:href|src)=["']([^"']+)["']""")


def without_code(text: str) -> str:
    """The text without fenced blocks and inline code, where brackets are not links."""
    text = re.sub(r"^(```|~~~).*?^\1[^\n]*$", "", text, flags=re.M | re.S)
    return re.sub(r"`[^`\n]*`", "", text)


def github_slug(heading: str) -> str:
    """The anchor GitHub gives a heading: lower case, links and punctuation dropped
    (but `-` and `_`), spaces to `-`."""
    text = re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", heading.strip()).lower()
    text = re.sub(r"[^\w\- ]", "", text)
    return text.replace(" ", "-")


def anchors(path: Path) -> set[str]:
    """Every anchor of a Markdown file: its headings' slugs (repeated ones get -1, -2 ...)
    and explicit `id`/`name` attributes."""
    text = path.read_text(encoding="utf-8")
    seen: dict[str, int] = {}
    found = set(re.findall(r"""<[^>]+\s(?:id|name)=["']([^"']+)["']""", text))
    for line in re.sub(r"^(```|~~~).*?^\1[^\n]*$", "", text, flags=re.M | re.S).splitlines():
        heading = re.match(r"#{1,6}\s+(.*?)\s*#*\s*$", line)
        if not heading:
            continue
        slug = github_slug(heading.group(1))
        count = seen.get(slug, 0)
        seen[slug] = count + 1
        found.add(slug if count == 0 else f"{slug}-{count}")
    return found


def relative_links(path: Path) -> list[str]:
    text = without_code(path.read_text(encoding="utf-8"))
    targets = LINK.findall(text) + REFERENCE.findall(text) + HTML_LINK.findall(text)
    return [t for t in targets if not re.match(r"[a-z][a-z0-9+.-]*:", t, re.I)]


def test_slugs_follow_github() -> None:
    assert github_slug("`psc validate`") == "psc-validate"
    assert github_slug("Roadmap files (`*_roadmap.yaml`)") == "roadmap-files-_roadmapyaml"
    assert github_slug("Output, colour and environment") == "output-colour-and-environment"
    assert github_slug("Périodes et « dates »") == "périodes-et--dates-"


@pytest.mark.parametrize("doc", LINKED_DOCS, ids=[p.relative_to(REPO).as_posix() for p in LINKED_DOCS])
def test_relative_links_resolve_inside_the_repository(doc: Path) -> None:
    root = REPO.resolve()
    broken = []
    for target in relative_links(doc):
        path_part, _, fragment = target.partition("#")
        resolved = (doc.parent / path_part).resolve() if path_part else doc.resolve()
        if not resolved.is_relative_to(root):
            broken.append(f"{target}: outside the repository")
        elif not resolved.exists():
            broken.append(f"{target}: no such file")
        elif fragment and (resolved.suffix != ".md" or fragment not in anchors(resolved)):
            broken.append(f"{target}: no heading #{fragment} in {resolved.relative_to(root)}")
    assert not broken, f"{doc.relative_to(REPO)}: " + "; ".join(broken)


def test_documentation_needs_nothing_outside_the_repository() -> None:
    for path in [*LINKED_DOCS, *sorted((REPO / "bench").glob("*.py"))]:
        assert "../shared" not in path.read_text(encoding="utf-8"), path


# --- the help of each command ----------------------------------------------------------------


def help_text(*command: str, columns: int = 100) -> str:
    from typer.testing import CliRunner

    result = CliRunner().invoke(app, [*command, "--help"], env={"COLUMNS": str(columns), "TERM": "xterm"})
    assert result.exit_code == 0, result.output
    return result.output


def help_examples(name: str) -> list[str]:
    epilog = COMMANDS[name].epilog or ""
    assert epilog.startswith("Examples:\n\n"), f"`psc {name} --help` ends with its examples"
    return epilog.split("\n\n", 1)[1].splitlines()


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_help_shows_no_placeholder_on_a_flag_and_each_default_once(name: str) -> None:
    text = help_text(name)
    assert "<bool>" not in text
    flags = [p for p in COMMANDS[name].params if getattr(p, "is_flag", False)]
    for flag in flags:
        row = next(line for line in text.splitlines() if f" {flag.opts[0]} " in line)
        assert re.search(re.escape(flag.opts[0]) + r"\s+(-\w\s+)?[A-Z]", row), row  # straight to its help
    rows = re.split(r"\n│ (?=-)", text)
    for row in rows:
        assert not ("(default" in row and "[default:" in row), f"a default stated twice: {row}"


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_help_never_breaks_a_choice_mid_word(name: str) -> None:
    text = help_text(name)
    lines = [line.strip("│ ").rstrip() for line in text.splitlines()]
    for param, values in choices(name).items():
        for value in values:
            assert re.search(rf"(?<![\w-]){re.escape(value)}(?![\w-])", text), (param, value)
        for line, following in itertools.pairwise(lines):
            if line and following:
                joined = line.split()[-1] + following.split()[0]
                assert joined.strip(",.()<>|") not in values, (line, following)


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_help_ends_with_real_examples(name: str) -> None:
    examples = help_examples(name)
    assert 2 <= len(examples) <= 3
    text = help_text(name)
    assert text.rstrip().endswith(examples[-1])
    section = cli_sections()[f"psc {name}"]
    readme = README.read_text(encoding="utf-8")
    readme_lines = [line.split("  #")[0].strip() for line in readme.splitlines() if line.startswith(f"psc {name} ")]
    for example in examples:
        assert example.startswith(f"psc {name} ")
        assert f"\n{example}\n" in section, f"docs/cli.md's `psc {name}` section shows `{example}`"
    if readme_lines:
        assert set(readme_lines) & set(examples), f"`psc {name} --help` shows one of the README's examples"


def test_every_example_runs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import shlex
    import shutil

    for folder in ("data", "demo"):
        shutil.copytree(REPO / "data", tmp_path / folder)
    (tmp_path / "docs").mkdir()
    (tmp_path / "schemas").mkdir()
    monkeypatch.chdir(tmp_path)
    ran = []
    # diff and log need a git history: tests/test_history*.py run them on one.
    names = ("init", "schema", "validate", "query", "show", "summary", "render", "set", "add", "fmt")
    for name in names:
        for example in help_examples(name):
            if example == "psc init demo":
                continue  # demo is there already: init refuses to overwrite it (exit 1)
            code, out, err = run_psc(*shlex.split(example)[1:])
            assert code == 0 or (code == 1 and "--check" in example), (example, out, err)
            ran.append(example)
    assert len(ran) >= 2 * len(names) - 1
