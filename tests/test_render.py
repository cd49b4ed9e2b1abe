"""`psc render`: golden documents, hostile text shown literally in both formats, valid and
unique anchors, Markdown that parses as intended, the CLI's options and exit codes, and
atomic writes.

Golden files (tests/golden/) are regenerated, to be reviewed as a diff, with:

    PSC_UPDATE_GOLDEN=1 .venv/bin/pytest tests/test_render.py
"""

from __future__ import annotations

import html
import os
import re
import stat
import subprocess
import sys
from dataclasses import replace
from html.parser import HTMLParser
from pathlib import Path

import jinja2
import markupsafe
import pytest
from markdown_it import MarkdownIt
from typer.testing import CliRunner

from psc_roadmap.atomic import WriteError, write_atomic
from psc_roadmap.cli import app
from psc_roadmap.errors import PscError
from psc_roadmap.load import load_project
from psc_roadmap.markdown import md_escape
from psc_roadmap.render import (
    TEMPLATE_NAMES,
    Anchors,
    MarkdownSlugs,
    RenderError,
    build_context,
    gantt,
    github_slug,
    md_heading,
    mermaid_escape,
    render,
    toc,
)
from psc_roadmap.render import environment as render_environment
from psc_roadmap.render.views import Chapter
from psc_roadmap.resources import bundled
from tests.conftest import DEMO, REPO, MakeProject

runner = CliRunner()
HOSTILE = REPO / "tests" / "projects" / "render"
DATA = REPO / "data"
GOLDEN = REPO / "tests" / "golden"
PROJECTS = {"demo": DEMO, "hostile": HOSTILE}
LITERALS = ("<script>alert(1)</script>", "{{ 7*7 }}", "a | b")


def run(*args: str) -> tuple[int, str, str]:
    """Run `psc` in process; errors raised as PscError end as `main()` ends them."""
    result = runner.invoke(app, list(args))
    if isinstance(result.exception, PscError):
        return result.exception.exit_code, result.stdout, result.stderr + f"error: {result.exception}\n"
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.stdout, result.stderr


def rendered(folder: Path, fmt: str, lang: str | None = None) -> str:
    project, findings = load_project(folder)
    assert not [f for f in findings if f.is_error]
    return render(project, fmt, lang)


# --- golden files -------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["md", "html"])
@pytest.mark.parametrize("name", sorted(PROJECTS))
def test_golden(name: str, fmt: str) -> None:
    """Same data, same bytes: the render of each test project equals its golden file."""
    code, out, err = run("render", "-d", str(PROJECTS[name]), "--format", fmt)
    assert code == 0, err
    golden = GOLDEN / f"{name}.{fmt}"
    if os.environ.get("PSC_UPDATE_GOLDEN") == "1":
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_bytes(out.encode("utf-8"))
    assert golden.is_file(), f"missing {golden}: run PSC_UPDATE_GOLDEN=1 pytest tests/test_render.py"
    assert out == golden.read_bytes().decode("utf-8"), (
        f"{golden.name} differs: review, then regenerate with PSC_UPDATE_GOLDEN=1 pytest tests/test_render.py"
    )


@pytest.mark.parametrize("fmt", ["md", "html"])
def test_docs_are_up_to_date(fmt: str) -> None:
    """docs/annexe.{md,html} are the render of data/ (as `.ci/run` checks with --check)."""
    target = REPO / "docs" / f"annexe.{fmt}"
    code, out, err = run("render", "-d", str(DATA), "-o", str(target), "--check")
    assert code == 0, f"{target} is stale: run `psc render -d data -o docs/annexe.{fmt}`\n{out}{err}"


def test_same_bytes_in_another_process() -> None:
    """No timestamp, no random id, no dependence on hash seeds."""
    outputs = set()
    for seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        for fmt in ("md", "html"):
            done = subprocess.run(
                [sys.executable, "-m", "psc_roadmap", "render", "-d", str(HOSTILE), "-f", fmt],
                capture_output=True, env=env, check=True,
            )
            outputs.add((fmt, done.stdout))
    assert len(outputs) == 2


# --- hostile text ------------------------------------------------------------------------


class TextAndTags(HTMLParser):
    """Every start tag, the page's text (entities decoded), ids, links and heading levels."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.text: list[str] = []
        self.ids: list[str] = []
        self.hrefs: list[str] = []
        self.headings: list[int] = []
        self.attrs: list[tuple[str, str, str | None]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        for name, value in attrs:
            self.attrs.append((tag, name, value))
            if name == "id" and value is not None:
                self.ids.append(value)
            if name == "href" and value is not None:
                self.hrefs.append(value)
        if re.fullmatch(r"h[1-6]", tag):
            self.headings.append(int(tag[1]))

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def parse_html(text: str) -> TextAndTags:
    parser = TextAndTags()
    parser.feed(text)
    parser.close()
    return parser


def markdown_to_html(text: str) -> str:
    return MarkdownIt("commonmark").enable("table").enable("strikethrough").render(text)


def test_hostile_text_is_literal_in_html() -> None:
    page = rendered(HOSTILE, "html")
    parsed = parse_html(page)
    assert "script" not in parsed.tags
    assert parsed.tags.count("em") == 0 and "b" not in parsed.tags and "i" not in parsed.tags
    text = " ".join("".join(parsed.text).split())
    for literal in (*LITERALS, "{% raw %}", "{{ config }}", "<Propose>", "&amp;", "\\ backslash"):
        assert literal in text, literal
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    # Attribute values carry no data-made quotes or markup either.
    for _, _, value in parsed.attrs:
        assert value is None or "<" not in value


def test_hostile_text_is_literal_in_markdown() -> None:
    doc = rendered(HOSTILE, "md")
    assert "{{ 7\\*7 }}" in doc and "a \\| b" in doc and "\\<script\\>alert(1)\\</script\\>" in doc
    page = markdown_to_html(doc)
    parsed = parse_html(page)
    assert "script" not in parsed.tags
    assert not {"em", "del", "s", "img", "b", "i"} & set(parsed.tags)
    assert parsed.tags.count("h1") == 1
    # Only the table of contents makes links, all to fragments.
    assert all(href.startswith("#") for href in parsed.hrefs)
    text = " ".join("".join(parsed.text).split())
    for literal in (
        *LITERALS, "*not bold* _not italic_ `not code` [not a link](https://example.com) ~~not struck~~",
        "# not a heading", "1. not a list item", "- not a bullet either", "=== not a setext underline",
        "Dollars $x$ and :smile: and <b>bold</b> &amp; &lt;tag&gt; \\ backslash",
        "A line break inside; then --> an arrow %% and a comment {#", "Visitors: \"quoted\" and 'single'.",
    ):
        assert literal in text, literal


def test_markdown_tables_keep_their_columns() -> None:
    """An escaped `|` never splits a cell: every row has the header's number of cells."""
    for folder in (HOSTILE, DATA):
        page = markdown_to_html(rendered(folder, "md"))
        for table in re.findall(r"<table>.*?</table>", page, re.S):
            widths = {len(re.findall(r"<t[hd]>", row)) for row in re.findall(r"<tr>.*?</tr>", table, re.S)}
            assert len(widths) == 1, table[:300]


def test_mermaid_blocks_hold_no_reserved_character() -> None:
    doc = rendered(HOSTILE, "md")
    blocks = re.findall(r"```mermaid\n(.*?)```", doc, re.S)
    assert len(blocks) == 3  # alpha and beta timelines (gamma is empty), governance
    task = re.compile(r"^    (?P<name>[^:]+) :(?:(?:done|active|crit), )?a\d+, \d{4}-\d\d-01, \d{4}-\d\d-01$")
    for block in blocks:
        for line in block.splitlines()[1:]:
            if block.startswith("gantt") and line.startswith("    ") and not line.startswith(
                ("    title ", "    dateFormat ", "    axisFormat ", "    todayMarker ", "    section ")
            ):
                match = task.match(line)
                assert match, line
                plain = re.sub(r"#(\d+|quot|lt|gt|amp);", "", match["name"])
                assert not set(plain) & set("#:;\"<>`%|"), line
            elif block.startswith("flowchart") and "[" in line:
                label = line.split('["', 1)[1].rsplit('"]', 1)[0]
                assert '"' not in label and "<" not in label, line
    assert "#lt;script#gt;alert(1)#lt;/script#gt;" in doc
    assert "{{ 7*7 }}" not in doc.replace("{{ 7\\*7 }}", "")  # Markdown text escapes it too


# --- structure ------------------------------------------------------------------------------


@pytest.mark.parametrize("folder", [DATA, HOSTILE, DEMO], ids=["data", "hostile", "demo"])
def test_html_anchors_headings_and_landmarks(folder: Path) -> None:
    page = rendered(folder, "html")
    parsed = parse_html(page)
    assert len(parsed.ids) == len(set(parsed.ids)), "duplicate ids"
    assert all(re.fullmatch(r"[A-Za-z][A-Za-z0-9_-]*", i) for i in parsed.ids), parsed.ids
    targets = set(parsed.ids)
    for href in parsed.hrefs:
        assert href.startswith("#") and href[1:] in targets, href
    assert parsed.headings[0] == 1 and parsed.headings.count(1) == 1
    for before, after in zip(parsed.headings, parsed.headings[1:], strict=False):
        assert after <= before + 1, (before, after)
    for landmark in ("header", "nav", "main", "footer"):
        assert parsed.tags.count(landmark) == 1, landmark
    for tag, name, value in parsed.attrs:
        if tag == "th" and name == "scope":
            assert value in ("col", "row")
    assert parsed.tags.count("th") == sum(1 for t, n, _ in parsed.attrs if t == "th" and n == "scope")
    assert "<link" not in page and "<script" not in page and "@import" not in page
    assert not re.search(r"""(?:src|href)=["']?(?:https?:)?//""", page)


def test_html_lang_follows_labels() -> None:
    assert '<html lang="fr">' in rendered(DATA, "html")
    assert '<html lang="en">' in rendered(HOSTILE, "html")
    english = rendered(DATA, "html", "en")
    assert '<html lang="en">' in english and "Strategic axes" in english and "Axes stratégiques" not in english
    assert "## Strategic axes" in rendered(DATA, "md", "en")


def test_svg_gantt_is_accessible_and_shows_feasibility_without_colour() -> None:
    page = rendered(HOSTILE, "html")
    svgs = re.findall(r"<svg.*?</svg>", page, re.S)
    assert len(svgs) == 2  # the empty roadmap has no chart
    for svg in svgs:
        head = svg.split(">", 1)[0]
        assert 'role="img"' in head
        title_id, desc_id = re.search(r'aria-labelledby="([^" ]+) ([^" ]+)"', head).groups()  # type: ignore[union-attr]
        assert f'<title id="{title_id}">' in svg and f'<desc id="{desc_id}">' in svg
        assert "<pattern" in svg
    alpha = svgs[0]
    # One bar per action; each feasibility has its own fill (a pattern except "surely").
    bar = r'<rect x="[\d.]+" y="4" width="[\d.]+" height="12" rx="2" class="g-bar fe-(\w+)" fill="([^"]+)"'
    bars = re.findall(bar, alpha)
    assert [b[0] for b in bars].count("potentially") == 2 and len(bars) == 5
    fills = {feasibility: fill for feasibility, fill in bars}
    assert len(set(fills.values())) == len(fills)
    assert fills["probably"].startswith("url(#") and fills["potentially"].startswith("url(#")
    for symbol in ("✓", "◐", "‖", "✕", "○"):
        assert f'class="g-sym">{symbol}</text>' in alpha
    # The same data as a table, and a legend in words.
    assert "<details" in page and "Timeline data" in page
    assert "Potentially achievable" in page.split('<figcaption', 1)[1].split("</figcaption>", 1)[0]


def markdown_headings(doc: str) -> dict[str, tuple[int, str]]:
    """Fragment -> (level, text) of every heading outside code fences, numbered in
    document order as GitHub does (read here independently of render/toc.py)."""
    slugs = MarkdownSlugs()
    found = {}
    in_code = False
    for line in doc.splitlines():
        if line.startswith("```"):
            in_code = not in_code
        elif not in_code and (m := re.match(r"^(#{1,6}) (.*)$", line)):
            plain = html.unescape(re.sub(r"\\(.)", r"\1", m[2]))
            found[slugs.add(plain)] = (len(m[1]), plain)
    return found


def toc_entries(doc: str) -> list[tuple[str, str]]:
    """(text, fragment) of each link of the table of contents."""
    toc = doc.split("\n## ", 2)[1]
    return [(html.unescape(re.sub(r"\\(.)", r"\1", m[1])), m[2])
            for m in re.finditer(r"^- \[(.*)\]\(#([^)]+)\)$", toc, re.MULTILINE)]


def test_markdown_toc_links_match_headings() -> None:
    """The table of contents points at the fragments GitHub gives the chapter headings,
    counting every heading before them (a repeated heading gets `-1`, `-2`)."""
    for folder in (DATA, HOSTILE, DEMO):
        doc = rendered(folder, "md")
        fragments = markdown_headings(doc)
        links = re.findall(r"\]\(#([^)]+)\)", doc)
        assert links and set(links) <= set(fragments), set(links) - set(fragments)
        for text, fragment in toc_entries(doc):
            assert fragments[fragment] == (2, text)


def test_markdown_toc_follows_headings_added_by_a_template(tmp_path: Path) -> None:
    """An override that adds headings, one of them reading like a later chapter's, moves
    GitHub's numbering: the table of contents still links each chapter to its heading."""
    built_in = (bundled("templates") / "md" / "objectives.md.j2").read_text(encoding="utf-8")
    (tmp_path / "md").mkdir()
    (tmp_path / "md" / "objectives.md.j2").write_text(
        "## Note\n\nRead this first.\n\n### {{ labels.axes }}\n\nNot the chapter.\n\n" + built_in,
        encoding="utf-8",
    )
    for folder, lang in ((DEMO, "en"), (DATA, "fr"), (HOSTILE, "en")):
        code, doc, err = run("render", "-d", str(folder), "--lang", lang, "--templates", str(tmp_path))
        assert code == 0, err
        fragments = markdown_headings(doc)
        entries = toc_entries(doc)
        assert "## Note" in doc and len(entries) >= 7
        links = re.findall(r"\]\(#([^)]+)\)", doc)
        assert set(links) <= set(fragments), set(links) - set(fragments)
        for text, fragment in entries:
            assert fragments[fragment] == (2, text), (text, fragment)
        axes = next(fragment for text, fragment in entries if fragment.startswith(github_slug(text)) and
                    text in ("Strategic axes", "Axes stratégiques"))
        assert axes.endswith("-1")  # the added "### Strategic axes" came first
        assert "psc-toc-" not in doc


def test_markdown_toc_with_a_chapter_heading_dropped(tmp_path: Path) -> None:
    """A chapter whose heading an override leaves out links to the slug of its title; the
    others still find theirs."""
    (tmp_path / "md").mkdir()
    (tmp_path / "md" / "principles.md.j2").write_text("Principles left out.\n", encoding="utf-8")
    code, doc, err = run("render", "-d", str(DEMO), "--lang", "en", "--templates", str(tmp_path))
    assert code == 0, err
    fragments = markdown_headings(doc)
    entries = dict(toc_entries(doc))
    dropped = entries.pop("Guiding principles and points of attention")
    assert dropped == "guiding-principles-and-points-of-attention" and dropped not in fragments
    assert all(fragments[fragment] == (2, text) for text, fragment in entries.items())


@pytest.mark.parametrize(("content", "text"), [
    ("1\\. Feuille de route", "1. Feuille de route"),
    ("Done&#46;", "Done."),
    ("R&D \\&amp; co", "R&D &amp; co"),  # an escaped `&` starts no character reference
    ("a \\\\ b", "a \\ b"),
    ("`a\\_b` and `` ` ``", "a\\_b and `"),
    ("[the text](https://x.org \"t\") ![alt](i.png)", "the text alt"),
    ("&copy; &nosuch;", "© &nosuch;"),
])
def test_heading_text(content: str, text: str) -> None:
    assert toc.heading_text(content) == text


def test_headings_skip_fenced_code_and_number_repeats() -> None:
    doc = "\n".join([
        "# Title", "## Notes ##", "```mermaid", "# not a heading", "~~~", "````", "~~~~", "## no", "~~~",
        "``` not closing", "~~~~~", "   ### Notes", "#hashtag", "####### seven", "## Notes \\#", "##",
        "    ## indented code",
    ]) + "\n"
    found = [(h.level, h.slug, h.fragment) for h in toc.headings(doc)]
    assert found == [
        (1, "title", "title"), (2, "notes", "notes"), (3, "notes", "notes-1"), (2, "notes-", "notes-"), (2, "", ""),
    ]


def test_link_chapters_puts_each_heading_fragment_in_place() -> None:
    marks = toc.placeholders(3)
    assert len(set(marks)) == 3 and marks != toc.placeholders(3)
    chapters = [Chapter("a", "Notes", "a", marks[0]), Chapter("b", "Notes", "b", marks[1]),
                Chapter("c", "Gone", "c", marks[2])]
    links = f"- [x](#{marks[0]})\n- [y](#{marks[1]})\n- [z](#{marks[2]})\n"
    doc = f"# Notes\n\n{links}\n## Notes\n\n### Notes\n\n## Notes\n"
    assert toc.link_chapters(doc, chapters) == doc.replace(marks[0], "notes-1").replace(
        marks[1], "notes-3").replace(marks[2], "gone")


def test_empty_roadmap_and_missing_parts() -> None:
    doc = rendered(HOSTILE, "md")
    gamma = doc.split("## 3\\. Gamma (empty)", 1)[1].split("\n## ", 1)[0]
    assert "No action." in gamma and "```" not in gamma


def test_lists_every_part_in_order() -> None:
    doc = rendered(DATA, "md")
    order = [
        "# Annexe au Projet", "## Sommaire", "## Objectifs", "## Axes stratégiques",
        "## Lignes directrices", "## 1\\. Feuille de route des systèmes", "## 2\\. Feuille de route du numérique",
        "## 3\\. Gouvernance", "## Index des actions par axe", "## Suivi de l'avancement",
    ]
    positions = [doc.index(heading) for heading in order]
    assert positions == sorted(positions)
    for part in ("#### 2018", "```mermaid\ngantt", "```mermaid\nflowchart TD", "Sûrement atteignable",
                 "#### ✓ Réalisé", "Actions dont l'échéance tombe en 2022", "Explore", "Rend compte à"):
        assert part in doc, part


# --- escaping helpers -----------------------------------------------------------------------


@pytest.mark.parametrize(("text", "expected"), [
    ("a | b", "a \\| b"),
    ("*x* _y_ `z` [l](u) <b> # h ~s~ $m$", "\\*x\\* \\_y\\_ \\`z\\` \\[l\\](u) \\<b\\> \\# h \\~s\\~ \\$m\\$"),
    ("1. item", "1\\. item"),
    ("- item", "\\- item"),
    ("R&D &amp;", "R&D \\&amp;"),
    ("line\nbreak\t tab", "line break tab"),
    (":smile: 10:30", "\\:smile: 10:30"),
    ("see https://x.org and www.y.org", "see https\\://x.org and www\\.y.org"),
    ("back\\slash", "back\\\\slash"),
])
def test_md_escape(text: str, expected: str) -> None:
    assert md_escape(text) == expected


def test_md_heading_defuses_trailing_punctuation() -> None:
    assert md_heading("Done.") == "Done&#46;"
    assert md_heading("Why?") == "Why?"
    assert md_heading("a \\") == "a \\\\"


def test_mermaid_escape() -> None:
    assert mermaid_escape('a: "b"; #c <d> & `e` %f') == "a#58; #quot;b#quot;#59; #35;c #lt;d#gt; #amp; #96;e#96; #37;f"
    assert mermaid_escape("section x").startswith("#115;ection")
    assert mermaid_escape("line\nbreak") == "line break"


def test_anchors_are_unique_and_deterministic() -> None:
    anchors = Anchors(["axes"])
    made = [anchors.make("axis", i) for i in ("AX1", "ax1", "ax.1", "AX-1", "AX-1-2", "-")]
    assert made == ["axis-ax1", "axis-ax1-2", "axis-ax-1", "axis-ax-1-2", "axis-ax-1-2-2", "axis-x"]


def test_github_slug() -> None:
    assert github_slug("1. Feuille de route des SI") == "1-feuille-de-route-des-si"
    assert github_slug("Axe 1 : L'été — <b>") == "axe-1--lété--b"
    slugs = MarkdownSlugs()
    assert [slugs.add(t) for t in ("2018", "2018", "!!", "2018")] == ["2018", "2018-1", "", "2018-2"]


# --- Gantt geometry -----------------------------------------------------------------------------


def test_gantt_bars_are_placed_by_month() -> None:
    """Two years over the chart's 598 units: a bar starts at its first month and is as wide
    as its months; a titled section takes a row; rows alternate stripes."""
    project, _ = load_project(DEMO)
    context = build_context(project, "en")
    some = context["actions"][0]
    whole_2024 = replace(some, id="A", plain_title="A year", first_month=2024 * 12, last_month=2024 * 12 + 11)
    q2_2025 = replace(some, id="B", plain_title="x" * 80, first_month=2025 * 12 + 3, last_month=2025 * 12 + 5)
    chart = gantt.gantt_chart("t", [("Theme", (whole_2024, q2_2025))], 2024, 2025, context["labels"], titled=True)

    left, right = gantt.LABELS + 8, gantt.WIDTH - gantt.RIGHT
    unit = (right - left) / 24
    assert (chart.chart_left, chart.chart_right) == (378, 976)
    first, second = chart.sections[0].bars
    assert (first.x, first.width, first.x2) == ("378", "299", "677")
    assert float(second.x) == pytest.approx(left + 15 * unit, abs=0.05)
    assert float(second.width) == pytest.approx(3 * unit, abs=0.05)
    assert chart.sections[0].title == "Theme"
    assert (first.row_y, second.row_y) == ("60", "80")  # below the header and the section's row
    assert (first.stripe, second.stripe) == (False, True)
    assert chart.height == 40 + 3 * 20 + 6
    assert [t.label for t in chart.years] == ["2024", "2025"] and [t.x for t in chart.years] == ["378", "677"]
    assert [t.label for t in chart.quarters][:5] == ["Q1", "Q2", "Q3", "Q4", "Q1"]
    assert second.label == "x" * (gantt.LABEL_CHARS - 2) + "…"  # clipped, room left for the id


def test_gantt_untitled_sections_take_no_row() -> None:
    project, _ = load_project(DEMO)
    context = build_context(project, "en")
    one = replace(context["actions"][0], first_month=2024 * 12, last_month=2024 * 12)
    chart = gantt.gantt_chart("t", [("Actions", (one,))], 2024, 2024, context["labels"], titled=False)
    assert chart.sections[0].title is None and chart.sections[0].bars[0].row_y == "40"
    assert chart.height == 40 + 20 + 6


def test_version_does_not_import_the_renderer() -> None:
    """`psc --version` stays quick: neither Jinja2 nor the render package is imported."""
    done = subprocess.run([sys.executable, "-X", "importtime", "-m", "psc_roadmap", "--version"],
                          capture_output=True, text=True, check=False)
    assert done.returncode == 0 and "psc_roadmap" in done.stderr
    imported = {line.rsplit("|", 1)[-1].strip() for line in done.stderr.splitlines()}
    assert not {name for name in imported if name.split(".")[0] in ("jinja2", "markupsafe")}
    assert "psc_roadmap.render" not in imported


# --- templates ------------------------------------------------------------------------------


def test_template_names_are_the_built_in_files() -> None:
    folder = bundled("templates")
    files = sorted(str(p.relative_to(folder)) for p in folder.rglob("*.j2"))
    assert files == sorted(TEMPLATE_NAMES)


def test_templates_override_by_name(tmp_path: Path) -> None:
    (tmp_path / "md").mkdir()
    (tmp_path / "md" / "cover.md.j2").write_text("# Custom {{ doc.title|md }}\n", encoding="utf-8")
    code, out, err = run("render", "-d", str(HOSTILE), "--templates", str(tmp_path))
    assert code == 0, err
    assert out.startswith("# Custom {{ 7\\*7 }} a \\| b")
    assert "## Contents" in out  # the other templates are the built-in ones


def test_compiled_templates_print_through_the_escape_shortcut(tmp_path: Path) -> None:
    """render/environment.py swaps markupsafe's `escape` for its own in every compiled
    template through Jinja2's private `Template._from_namespace` (pinned in pyproject.toml).
    If a Jinja2 release renames that method or stops printing through the module's
    `escape`, this fails: the HTML would stay right but `psc render` would be slower."""
    assert "_from_namespace" in vars(jinja2.Template), "Jinja2 no longer has Template._from_namespace"
    template = render_environment.environment().get_template("html/roadmap.html.j2")
    printing = template.root_render_func
    assert "escape" in printing.__code__.co_names, "compiled templates no longer print through `escape`"
    assert printing.__globals__["escape"] is render_environment._escape
    # The shortcut changes nothing but speed: the same bytes as Jinja2's own Template.
    plain = render_environment.environment(str(tmp_path))  # no override in tmp_path: the built-in templates
    plain.template_class = jinja2.Template
    project, _ = load_project(HOSTILE)
    assert render(project, "html", templates=tmp_path) == render(project, "html")
    assert plain.get_template("html/roadmap.html.j2").root_render_func.__globals__["escape"] is markupsafe.escape


def test_template_errors_are_reported(tmp_path: Path) -> None:
    (tmp_path / "html").mkdir()
    (tmp_path / "html" / "toc.html.j2").write_text("{% for x in %}", encoding="utf-8")
    code, _, err = run("render", "-d", str(DEMO), "-f", "html", "--templates", str(tmp_path))
    assert code == 1 and "toc.html.j2" in err
    (tmp_path / "html" / "toc.html.j2").write_text("{{ no_such_name }}", encoding="utf-8")
    code, _, err = run("render", "-d", str(DEMO), "-f", "html", "--templates", str(tmp_path))
    assert code == 1 and "no_such_name" in err


def test_render_rejects_unknown_format() -> None:
    project, _ = load_project(DEMO)
    with pytest.raises(RenderError):
        render(project, "pdf")


# --- the command line --------------------------------------------------------------------------


@pytest.mark.parametrize(("name", "fmt"), [
    ("out.md", "md"), ("out.markdown", "md"), ("out.html", "html"), ("OUT.HTM", "html"),
])
def test_format_follows_the_output_suffix(tmp_path: Path, name: str, fmt: str) -> None:
    target = tmp_path / name
    code, out, err = run("render", "-d", str(DEMO), "-o", str(target))
    assert code == 0, err
    assert out == ""
    assert target.read_text(encoding="utf-8") == rendered(DEMO, fmt)


def test_format_option_wins_over_suffix(tmp_path: Path) -> None:
    target = tmp_path / "out.md"
    assert run("render", "-d", str(DEMO), "-o", str(target), "-f", "html")[0] == 0
    assert target.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


def test_check(tmp_path: Path) -> None:
    target = tmp_path / "annexe.html"
    code, out, err = run("render", "-d", str(DEMO), "-o", str(target), "--check")
    assert code == 1 and not target.exists() and "does not exist" in err
    assert run("render", "-d", str(DEMO), "-o", str(target))[0] == 0
    before = target.read_bytes()
    code, out, err = run("render", "-d", str(DEMO), "-o", str(target), "--check")
    assert (code, out) == (0, "")
    target.write_bytes(before.replace(b"Cit", b"Kit", 1))
    code, out, err = run("render", "-d", str(DEMO), "-o", str(target), "--check")
    assert code == 1
    assert out.startswith(f"--- {target} (on disk)\n+++ {target} (rendered)\n@@")
    assert "-" in out and "Kit" in out and len(out.splitlines()) <= 41
    assert target.read_bytes() == before.replace(b"Cit", b"Kit", 1)  # --check wrote nothing


def test_check_diff_is_short(tmp_path: Path) -> None:
    target = tmp_path / "annexe.md"
    target.write_text("something else\n" * 200, encoding="utf-8")
    code, out, _ = run("render", "-d", str(DEMO), "-o", str(target), "--check")
    assert code == 1 and out.endswith("more diff lines)\n") and len(out.splitlines()) == 41


@pytest.mark.parametrize(("args", "message"), [
    (["--check"], "--check needs -o"),
    (["--lang", "de"], "de"),
    (["--templates", "/nonexistent/templates"], "not a folder"),
    (["-f", "pdf"], "pdf"),
])
def test_usage_errors(args: list[str], message: str) -> None:
    code, out, err = run("render", "-d", str(DEMO), *args)
    assert code == 2 and out == ""
    assert message in err


def test_project_with_errors_is_refused(make_project: MakeProject, tmp_path: Path) -> None:
    folder = make_project({"si_roadmap.yaml": "roadmap:\n  id: si\n  title: SI\n  horizon: 2021\nactions:\n"
                                              "  - id: A\n    title: T\n    axes: [AX9]\n    start: 2020\n"
                                              "    end: 2020\n"})
    target = tmp_path / "out.md"
    code, out, err = run("render", "-d", str(folder), "-o", str(target))
    assert code == 1 and out == "" and "unknown-reference" in err and not target.exists()


def test_write_error_exits_1_and_keeps_the_old_file(tmp_path: Path) -> None:
    code, _, err = run("render", "-d", str(DEMO), "-o", str(tmp_path / "missing" / "out.md"))
    assert code == 1 and "does not exist" in err


def test_installed_command_renders() -> None:
    psc = Path(sys.executable).with_name("psc")
    if not psc.exists():
        pytest.skip("the psc script is not installed next to this Python")
    done = subprocess.run([str(psc), "render", "-d", str(DEMO), "--lang", "en"], capture_output=True, check=False)
    assert done.returncode == 0 and done.stdout.decode().startswith("# Schéma directeur numérique\n")
    bad = subprocess.run([str(psc), "render", "-d", str(DEMO), "--check"], capture_output=True, check=False)
    assert bad.returncode == 2 and b"Traceback" not in bad.stderr


# --- atomic writes ------------------------------------------------------------------------------


def test_write_atomic_keeps_mode_and_replaces(tmp_path: Path) -> None:
    target = tmp_path / "doc.md"
    target.write_text("old", encoding="utf-8")
    target.chmod(0o640)
    write_atomic(target, "new ✓")
    assert target.read_text(encoding="utf-8") == "new ✓"
    assert stat.S_IMODE(target.stat().st_mode) == 0o640
    assert [p.name for p in tmp_path.iterdir()] == ["doc.md"]


def test_write_atomic_new_file_gets_umask_mode(tmp_path: Path) -> None:
    target = tmp_path / "new.html"
    old = os.umask(0o027)
    try:
        write_atomic(target, b"<p>x</p>")
    finally:
        os.umask(old)
    assert stat.S_IMODE(target.stat().st_mode) == 0o640


def test_write_atomic_follows_symlinks(tmp_path: Path) -> None:
    real = tmp_path / "real.md"
    real.write_text("old", encoding="utf-8")
    link = tmp_path / "link.md"
    link.symlink_to(real)
    write_atomic(link, "new")
    assert link.is_symlink() and real.read_text(encoding="utf-8") == "new"


def test_write_atomic_failure_leaves_old_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "doc.md"
    target.write_text("old", encoding="utf-8")

    def refuse(src: str, dst: str) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(os, "replace", refuse)
    with pytest.raises(WriteError, match="Permission denied"):
        write_atomic(target, "new")
    assert target.read_text(encoding="utf-8") == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["doc.md"]


def test_write_atomic_read_only_folder(tmp_path: Path) -> None:
    if os.geteuid() == 0:
        pytest.skip("root writes into read-only folders; the failure path is tested with a refused rename")
    folder = tmp_path / "ro"
    folder.mkdir()
    (folder / "doc.md").write_text("old", encoding="utf-8")
    folder.chmod(0o555)
    try:
        with pytest.raises(WriteError, match=r"doc\.md"):
            write_atomic(folder / "doc.md", "new")
        assert (folder / "doc.md").read_text(encoding="utf-8") == "old"
    finally:
        folder.chmod(0o755)


def test_write_atomic_refuses_a_folder(tmp_path: Path) -> None:
    with pytest.raises(WriteError, match="folder"):
        write_atomic(tmp_path, "x")
    code, _, err = run("render", "-d", str(DEMO), "-o", str(tmp_path))
    assert code == 1 and "is a folder" in err


def test_a_failing_user_template_is_exit_1_naming_template_and_line(tmp_path: Path) -> None:
    from tests.conftest import DEMO, run_psc

    (tmp_path / "html").mkdir()
    (tmp_path / "html" / "cover.html.j2").write_text("<header>\n{{ 1/0 }}\n</header>\n", encoding="utf-8")
    out = tmp_path / "out.html"
    code, stdout, err = run_psc("render", "-d", str(DEMO), "--templates", str(tmp_path), "-o", str(out))
    assert code == 1
    assert "template html/cover.html.j2:2: ZeroDivisionError" in err
    assert stdout == ""
    assert not out.exists()
