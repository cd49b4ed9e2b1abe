"""`render_pdf(project, lang, templates) -> bytes`: the HTML document laid out on A4 pages by
WeasyPrint (the optional `pdf` extra), with its print style sheet, as a tagged PDF
(PDF/UA-1) with its metadata, the same bytes for the same data.

The bytes depend on the data, the templates, WeasyPrint's version (pinned by the extra) and
the font files. The fonts are pinned to the files Debian's `fonts-open-sans` and
`fonts-dejavu-core` install (what `.ci/run` installs), under names of their own, so that
no other font of the machine takes their place; where those files are missing, the page's
own font list applies and the PDF is still made, from whatever fonts the machine has. The
PDF holds no time but the data's `document.date` (else `SOURCE_DATE_EPOCH`, else none) and
no path: WeasyPrint reads nothing but the document and those font files."""

from __future__ import annotations

import datetime
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

from psc_roadmap.errors import PscError
from psc_roadmap.render.document import render_paged
from psc_roadmap.render.filters import css_string

if TYPE_CHECKING:
    from psc_roadmap.history.compare import Comparison
    from psc_roadmap.project import Project

INSTALL = "pip install 'psc-roadmap[pdf]'"

#: The PDF's fonts: (family, weight, style, file). Text in Open Sans; DejaVu Sans holds the
#: symbols Open Sans lacks (status marks ✓ ◐ ‖ ✕ ○) and a wide range of other scripts.
_OPEN_SANS = "/usr/share/fonts/truetype/open-sans/OpenSans-"
_DEJAVU = "/usr/share/fonts/truetype/dejavu/DejaVuSans"
FONT_FILES: tuple[tuple[str, int, str, str], ...] = (
    ("psc-text", 400, "normal", f"{_OPEN_SANS}Regular.ttf"),
    ("psc-text", 400, "italic", f"{_OPEN_SANS}Italic.ttf"),
    ("psc-text", 600, "normal", f"{_OPEN_SANS}Semibold.ttf"),
    ("psc-text", 600, "italic", f"{_OPEN_SANS}SemiboldItalic.ttf"),
    ("psc-text", 700, "normal", f"{_OPEN_SANS}Bold.ttf"),
    ("psc-text", 700, "italic", f"{_OPEN_SANS}BoldItalic.ttf"),
    ("psc-symbols", 400, "normal", f"{_DEJAVU}.ttf"),
    ("psc-symbols", 700, "normal", f"{_DEJAVU}-Bold.ttf"),
)
#: The PDF's creator (WeasyPrint names itself, with its version, as the producer).
CREATOR = "psc-roadmap"


class PdfUnavailable(PscError):
    """WeasyPrint is not installed, or can't load its system libraries: a usage error
    (exit 2) that says how to install it."""

    exit_code = 2


def check_available() -> None:
    """PdfUnavailable unless WeasyPrint can be imported, saying what is missing."""
    try:
        import weasyprint  # noqa: F401
    except ModuleNotFoundError as exc:
        if (exc.name or "").split(".")[0] == "weasyprint":
            raise PdfUnavailable(f"PDF output needs WeasyPrint: {INSTALL}") from None
        raise PdfUnavailable(f"WeasyPrint can't be imported ({exc}): reinstall it with {INSTALL}") from None
    except (ImportError, OSError) as exc:
        raise PdfUnavailable(
            f"WeasyPrint is installed but can't load its system libraries ({exc}): install Pango "
            "(Debian: apt-get install libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0)"
        ) from None


def pinned_fonts() -> list[tuple[str, int, str, str]]:
    """The font files of FONT_FILES that this machine has (all of them, or none is used)."""
    present = [face for face in FONT_FILES if os.path.isfile(face[3])]
    return present if len(present) == len(FONT_FILES) else []


def font_css(faces: list[tuple[str, int, str, str]]) -> str:
    """The pinned fonts as the families psc-text and psc-symbols, which the print style
    sheet and the charts name first."""
    if not faces:
        return ""
    rules = [
        f"@font-face{{font-family:{family};font-weight:{weight};font-style:{style};"
        f"src:url({css_string(Path(path).as_uri())})}}"
        for family, weight, style, path in faces
    ]
    return "\n".join(rules)


def creation_date(date: str | None) -> str | None:
    """The PDF's creation date (W3C format): the data's date, else SOURCE_DATE_EPOCH, else none."""
    if date:
        return date
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        moment = datetime.datetime.fromtimestamp(int(epoch), datetime.UTC)
        return moment.strftime("%Y-%m-%dT%H:%M:%SZ")
    return None


def render_pdf(project: Project, lang: str | None = None, templates: str | Path | None = None,
               since: Comparison | None = None) -> bytes:
    """The whole strategy document as a PDF (the `pdf` extra must be installed); with
    `since`, its chapter of what changed since that revision."""
    check_available()
    from weasyprint import CSS, HTML
    from weasyprint.text.fonts import FontConfiguration

    _page_references_once()

    html, paged_css = render_paged(project, lang, templates, since)
    doc = project.document
    assert doc is not None  # render has checked it
    faces = pinned_fonts()
    fetcher = _fetcher({Path(path).as_uri(): path for *_, path in faces})
    fonts = FontConfiguration()
    page = HTML(string=html, base_url="about:blank", url_fetcher=fetcher)
    stylesheets = [CSS(string=css, font_config=fonts, url_fetcher=fetcher) for css in (font_css(faces), paged_css)
                   if css]
    document = page.render(stylesheets=stylesheets, font_config=fonts)
    meta = document.metadata
    meta.title = doc.title
    meta.authors = [doc.institution]
    meta.description = doc.subtitle
    meta.lang = lang or doc.language.value
    meta.generator = CREATOR
    meta.created = creation_date(doc.date)
    meta.modified = None
    meta.keywords = []
    pdf: bytes = document.write_pdf(pdf_variant="pdf/ua-1", pdf_identifier=False, finisher=_viewer_preferences)
    return pdf


def _page_references_once() -> None:
    """pydyf builds the tuple of every page's reference each time it is asked for one, and
    WeasyPrint asks once per tag and link of the tagged PDF: a time that grows with the
    square of the document (a third of writing a 300-page PDF). Keep the tuple until a page
    is added; the references are the same."""
    import pydyf

    original = pydyf.PDF.__dict__.get("page_references")
    if not isinstance(original, property) or original.fget is None or getattr(original.fget, "_psc", False):
        return
    build = original.fget

    def page_references(self: Any) -> tuple[bytes, ...]:
        kids = self.pages["Kids"]
        cached = self.__dict__.get("_psc_page_references")
        if cached is None or cached[0] != len(kids):
            cached = (len(kids), build(self))
            self.__dict__["_psc_page_references"] = cached
        references: tuple[bytes, ...] = cached[1]
        return references

    page_references._psc = True  # type: ignore[attr-defined]
    pydyf.PDF.page_references = property(page_references)


def _viewer_preferences(document: Any, pdf: Any) -> None:
    """A viewer shows the document's title, not the file's name (PDF/UA asks for it)."""
    import pydyf

    viewer = pdf.catalog.get("ViewerPreferences") or pydyf.Dictionary()
    viewer["DisplayDocTitle"] = "true"
    pdf.catalog["ViewerPreferences"] = viewer


def _fetcher(allowed: dict[str, str]) -> Any:
    """WeasyPrint's URL fetcher, limited to the pinned font files: the document is one
    self-contained page, and a template that names any other URL gets nothing."""
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class PinnedFiles(URLFetcher):  # type: ignore[misc]
        def fetch(self, url: str, headers: Any = None) -> URLFetcherResponse:
            path = allowed.get(url)
            if path is None:
                raise ValueError(f"psc renders a self-contained document: '{url[:60]}' is not fetched")
            return URLFetcherResponse(url, Path(path).read_bytes())

    return PinnedFiles()
