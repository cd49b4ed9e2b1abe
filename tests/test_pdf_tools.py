"""The PDFs checked by real tools: poppler's `pdfinfo` (pages, A4, metadata, tagged),
`pdffonts` (every font embedded) and `pdftotext` (every action title whole, the table of
contents' page numbers where the headings are, no page left mostly empty), and
`qpdf --check`, on the Louvre data, an English project with three roadmaps and a
governance, and a minimal one with one roadmap and no governance. The same checks, but for
the page numbers of the table of contents and the metadata a browser can't set, run on
Chromium's `--print-to-pdf` of the same HTML page: one print style sheet serves both.

The tools come from Debian (`poppler-utils`, `qpdf`, `chromium`) and WeasyPrint from the
`pdf` extra; a missing one skips its test with the reason, unless PSC_REQUIRE_TOOLS=1
(CI), where it fails instead.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from psc_roadmap.load import load_project
from psc_roadmap.render import pdf, render
from tests.conftest import REPO
from tests.test_pdf import need_weasyprint
from tests.test_render_tools import CHROMIUM, need

PROJECTS = {
    "data": REPO / "data",
    "print-en": REPO / "tests" / "projects" / "print-en",
    "print-minimal": REPO / "tests" / "projects" / "print-minimal",
}
MAX_PAGES = 24
#: A page with less text than this is mostly empty (a full page of this annex holds 2,000 to 4,000).
FEW_CHARACTERS = 300
A4 = "595.276 x 841.89 pts (A4)"
CHROMIUM_FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync")


def tool(name: str) -> str:
    found = shutil.which(name)
    need(found is not None, f"{name} (apt-get install poppler-utils qpdf)")
    assert found is not None
    return found


def output(*args: str) -> str:
    done = subprocess.run(args, capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 0, f"{args[0]} failed: {done.stderr[-2000:]}"
    return done.stdout


@dataclass
class Printed:
    """One project's PDF as WeasyPrint makes it, or as Chromium prints its HTML page."""

    name: str
    engine: str
    path: Path
    #: Each action's title as written, the title of each chapter (the table of contents), and
    #: the running header.
    titles: list[str]
    chapters: list[str]
    header: str
    institution: str
    title: str
    subtitle: str | None
    lang: str

    def pages(self, mode: str = "-raw") -> list[str]:
        """The text of each page: in the order it is drawn (`-raw`: a table cell's lines
        follow each other), or as it lies on the page (`-layout`: top to bottom)."""
        text = output(tool("pdftotext"), mode, str(self.path), "-")
        return [clean(page) for page in text.split("\f")[:-1]]


def clean(text: str) -> str:
    return unicodedata.normalize("NFC", text.replace("\u00a0", " ").replace("\u202f", " "))


def chapter_titles(project_folder: Path) -> tuple[list[str], str, list[str]]:
    """The chapters of the table of contents, the running header, the action titles."""
    project, findings = load_project(project_folder)
    assert not [f for f in findings if f.is_error]
    from psc_roadmap.render import build_context

    context = build_context(project, None, "html")
    doc = context["doc"]
    chapters = [clean(str(chapter.title)) for chapter in context["chapters"]]
    return chapters, clean(f"{doc.institution} · {doc.title}"), [clean(a.plain_title) for a in context["actions"]]


@pytest.fixture(scope="module")
def printed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[tuple[str, str], Printed]]:
    """Every project's PDF from WeasyPrint, and from Chromium when it is there."""
    need_weasyprint()
    folder = tmp_path_factory.mktemp("printed")
    found: dict[tuple[str, str], Printed] = {}
    for name, data in PROJECTS.items():
        project, _ = load_project(data)
        chapters, header, titles = chapter_titles(data)
        doc = project.document
        assert doc is not None
        common = {"titles": titles, "chapters": chapters, "header": header, "institution": doc.institution,
                  "title": doc.title, "subtitle": doc.subtitle, "lang": doc.language.value}
        path = folder / f"{name}.pdf"
        path.write_bytes(pdf.render_pdf(project))
        found[(name, "weasyprint")] = Printed(name, "weasyprint", path, **common)  # type: ignore[arg-type]
        if CHROMIUM.exists():
            page = folder / f"{name}.html"
            page.write_text(render(project, "html"), encoding="utf-8")
            printed_path = folder / f"{name}-chromium.pdf"
            subprocess.run(
                [str(CHROMIUM), *CHROMIUM_FLAGS, f"--user-data-dir={folder / 'chromium-profile'}",
                 "--no-pdf-header-footer", f"--print-to-pdf={printed_path}", page.as_uri()],
                capture_output=True, timeout=300, check=False,
            )
            if printed_path.is_file():
                found[(name, "chromium")] = Printed(name, "chromium", printed_path, **common)  # type: ignore[arg-type]
    yield found


CASES = [(name, engine) for name in PROJECTS for engine in ("weasyprint", "chromium")]


def case(printed: dict[tuple[str, str], Printed], name: str, engine: str) -> Printed:
    if engine == "chromium":
        need(CHROMIUM.exists(), f"Chromium ({CHROMIUM})")
        assert (name, engine) in printed, f"Chromium printed no PDF of {name}"
    return printed[(name, engine)]


def info(path: Path) -> dict[str, str]:
    lines = output(tool("pdfinfo"), str(path)).splitlines()
    return {key.strip(): value.strip() for key, _, value in (line.partition(":") for line in lines)}


@pytest.mark.parametrize(("name", "engine"), CASES)
def test_pdfinfo_pages_size_metadata_tagged(printed: dict[tuple[str, str], Printed], name: str, engine: str) -> None:
    doc = case(printed, name, engine)
    found = info(doc.path)
    assert 1 < int(found["Pages"]) <= MAX_PAGES, found["Pages"]
    assert found["Tagged"] == "yes"
    assert doc.title in found["Title"]
    if engine == "chromium":
        assert found["Page size"].endswith("(A4)"), found["Page size"]
        return  # a browser sets no author, subject or language from the page
    assert found["Page size"] == A4
    assert found["Title"] == doc.title
    assert found["Author"] == doc.institution
    assert found.get("Subject") == doc.subtitle if doc.subtitle else "Subject" not in found
    catalog = pdf_catalog(doc.path)
    assert catalog["/Lang"] == f"u:{doc.lang}"
    assert "/StructTreeRoot" in catalog and "/Outlines" in catalog


def pdf_catalog(path: Path) -> dict[str, object]:
    objects = json.loads(output(tool("qpdf"), "--json", "--json-key=qpdf", str(path)))["qpdf"][1]
    for value in objects.values():
        body = value.get("value") if isinstance(value, dict) else None
        if isinstance(body, dict) and body.get("/Type") == "/Catalog":
            return body
    raise AssertionError("no catalog")


def test_bookmarks_are_the_chapters_and_their_sections(printed: dict[tuple[str, str], Printed]) -> None:
    doc = printed[("data", "weasyprint")]
    objects = json.loads(output(tool("qpdf"), "--json", "--json-key=qpdf", str(doc.path)))["qpdf"][1]

    def item(reference: str) -> dict[str, object]:
        value: dict[str, object] = objects[f"obj:{reference}"]["value"]
        return value

    def titles(first: object, depth: int) -> list[tuple[int, str]]:
        found = []
        reference = first
        while isinstance(reference, str):
            node = item(reference)
            title = str(node["/Title"])
            found.append((depth, title[2:] if title.startswith("u:") else title))
            found += titles(node.get("/First"), depth + 1)
            reference = node.get("/Next")
        return found

    outline = item(str(pdf_catalog(doc.path)["/Outlines"]))
    marks = titles(outline["/First"], 1)
    top = [clean(title) for depth, title in marks if depth == 1]
    assert top[0] == doc.title and top[1:] == ["Sommaire", *doc.chapters]
    assert any(depth == 2 and title == "Calendrier" for depth, title in marks)
    assert not any(depth > 2 for depth, _ in marks)


@pytest.mark.parametrize(("name", "engine"), CASES)
def test_pdffonts_every_font_embedded(printed: dict[tuple[str, str], Printed], name: str, engine: str) -> None:
    doc = case(printed, name, engine)
    rows = output(tool("pdffonts"), str(doc.path)).splitlines()[2:]
    assert rows
    for row in rows:
        # name type encoding emb sub uni object ID: "emb" is the fourth column from the right.
        assert row.split()[-5] == "yes", row
    if engine == "weasyprint":
        assert all(row.split()[0].split("+", 1)[1].startswith(("psc-text", "psc-symbols")) for row in rows), rows


@pytest.mark.parametrize(("name", "engine"), CASES)
def test_qpdf_finds_no_error(printed: dict[tuple[str, str], Printed], name: str, engine: str) -> None:
    doc = case(printed, name, engine)
    done = subprocess.run([tool("qpdf"), "--check", str(doc.path)], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "No syntax or stream encoding errors found" in done.stdout


def whole(title: str) -> re.Pattern[str]:
    """A title as it may be printed: its words, with any line break between them, and a
    word cut at a line end only with a hyphen (`dévelop-` / `per`)."""
    pattern = []
    for char in title:
        if char.isspace():
            pattern.append(r"\s+")
        else:
            pattern.append(re.escape(char) + (r"\s?" if char == "-" else r"(?:-\s)?"))
    return re.compile("".join(pattern))


@pytest.mark.parametrize(("name", "engine"), CASES)
def test_every_action_title_is_printed_whole(printed: dict[tuple[str, str], Printed], name: str, engine: str) -> None:
    doc = case(printed, name, engine)
    text = " ".join(" ".join(doc.pages()).split())
    missing = [title for title in doc.titles if not whole(" ".join(title.split())).search(text)]
    assert not missing, missing
    # And no word is cut without a hyphen: no action title's word is printed in two pieces.
    for title in doc.titles:
        for word in re.findall(r"\w{6,}", title):
            cut = re.compile(rf"(?<!\w){re.escape(word[:3])}\w*\s(?!-)\w*{re.escape(word[-3:])}(?!\w)")
            pieces = [m.group(0) for m in cut.finditer(text) if m.group(0).replace(" ", "") == word]
            assert not pieces, (word, pieces)


def content_lines(doc: Printed, page: str) -> list[str]:
    """A page's lines without the running header and footer."""
    lines = [" ".join(line.split()) for line in page.splitlines()]
    return [line for line in lines if line and line != doc.header and not re.search(r"page \d+ / \d+$", line)]


@pytest.mark.parametrize(("name", "engine"), CASES)
def test_no_page_is_mostly_empty_unless_it_ends_a_chapter(printed: dict[tuple[str, str], Printed], name: str,
                                                         engine: str) -> None:
    doc = case(printed, name, engine)
    pages = doc.pages("-layout")
    starts = {*doc.chapters, "Sommaire", "Contents"}
    thin = []
    for number, page in enumerate(pages[1:-1], 2):  # the cover, and the end of the document, may be short
        characters = sum(len(line.replace(" ", "")) for line in content_lines(doc, page))
        following = content_lines(doc, pages[number])
        ends_a_chapter = bool(following) and following[0] in starts
        if characters < FEW_CHARACTERS and not ends_a_chapter:
            thin.append((number, characters, content_lines(doc, page)[:3]))
    assert not thin, thin


def test_toc_page_numbers_are_the_pages_of_the_headings(printed: dict[tuple[str, str], Printed]) -> None:
    for name in PROJECTS:
        doc = printed[(name, "weasyprint")]
        layout = output(tool("pdftotext"), "-layout", "-f", "2", "-l", "2", str(doc.path), "-")
        entries = {clean(" ".join(m[1].split())): int(m[2])
                   for m in re.finditer(r"^\s*(\S.*?)\s*\.{3,}\s*(\d+)\s*$", layout, re.M)}
        assert list(entries) == doc.chapters, (name, entries)
        pages = doc.pages("-layout")
        for title, number in entries.items():
            found = next(n for n, page in enumerate(pages[1:], 2) if title in content_lines(doc, page))
            assert found == number, (name, title, number, found)
