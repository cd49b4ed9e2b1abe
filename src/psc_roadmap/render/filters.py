"""Escaping for the templates and the names they link by: the `md_heading`, `mermaid`,
`num` and `links` filters, `trusted` text, HTML anchors and GitHub's heading slugs."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from functools import lru_cache

from markupsafe import Markup, escape

from psc_roadmap.markdown import md_escape
from psc_roadmap.render.views import Ref
from psc_roadmap.text import one_line


def trusted(text: str) -> Markup:
    """Text that we made (ids, anchors, labels, numbers) and that holds nothing to escape:
    marked so that HTML autoescape passes it through. Quicker than `Markup(text)`."""
    return str.__new__(Markup, text)


# --- escaping -----------------------------------------------------------------------------

_MD_TRAILING = re.compile(r"[.,;:!。，；：！]$")


def md_heading(text: object) -> str:
    """`md_escape`, and a final `.,;:!` written as a character reference, which reads the
    same and is not taken for a heading's trailing punctuation (markdownlint MD026)."""
    out = md_escape(text)
    if _MD_TRAILING.search(out) and not out.endswith("\\" + out[-1:]):
        out = out[:-1] + f"&#{ord(out[-1])};"
    return out


_MERMAID_ESCAPES = str.maketrans({
    c: f"#{ord(c)};" for c in "#;:\"<>&`%\\{}|[]"
} | {'"': "#quot;", "<": "#lt;", ">": "#gt;", "&": "#amp;"})
_MERMAID_KEYWORD = re.compile(
    r"(?i)^(gantt|dateformat|inclusiveenddates|topaxis|axisformat|tickinterval|includes|excludes"
    r"|todaymarker|weekday|weekend|title|acctitle|accdescr|section|href|call|click|\d{4}-\d\d-\d\d)"
)


def mermaid_escape(text: object) -> Markup:
    """Text inside a mermaid diagram: reserved characters as mermaid entity codes (`#35;`),
    one line, and a first word that mermaid would read as a keyword defused."""
    return _mermaid_escape(str(text))


@lru_cache(maxsize=1 << 16)
def _mermaid_escape(text: str) -> Markup:
    plain = one_line(text)
    out = plain.translate(_MERMAID_ESCAPES)
    if _MERMAID_KEYWORD.match(out):
        out = f"#{ord(out[0])};" + out[1:]
    return Markup(out)


@lru_cache(maxsize=1 << 16)
def num(value: float) -> str:
    """A coordinate with at most one decimal, written the same way every time."""
    text = f"{value:.1f}"
    return trusted(text[:-2] if text.endswith(".0") else text)


def links(refs: Iterable[Ref], text: str = "label") -> Markup:
    """`<a href="#anchor">label</a>, ...` for the `links` filter: one Python call per list,
    where a template loop would make a loop context per action."""
    return trusted(", ".join(f'<a href="#{escape(r.anchor)}">{escape(getattr(r, text))}</a>' for r in refs))


# --- ids and anchors ---------------------------------------------------------------------

_SLUG_DROP = re.compile(r"[^a-z0-9]+")


class Anchors:
    """Unique, valid HTML ids for items, made from their ids the same way every time."""

    def __init__(self, reserved: Iterable[str] = ()) -> None:
        self.used: set[str] = set(reserved)

    def make(self, prefix: str, item_id: str) -> str:
        base = f"{prefix}-{_SLUG_DROP.sub('-', item_id.lower()).strip('-') or 'x'}"
        candidate, n = base, 2
        while candidate in self.used:
            candidate, n = f"{base}-{n}", n + 1
        self.used.add(candidate)
        return trusted(candidate)  # letters, digits and '-' only: nothing to escape


def github_slug(text: str) -> str:
    """The fragment GitHub (and markdownlint's MD051) gives a Markdown heading's text."""
    kept = "".join(
        c for c in text.lower()
        if c in "- " or unicodedata.category(c)[0] in "LMN" or unicodedata.category(c) == "Pc"
    )
    return kept.replace(" ", "-")


class MarkdownSlugs:
    """Heading fragments in document order, repeated ones numbered `-1`, `-2` as GitHub does."""

    def __init__(self) -> None:
        self.counts: dict[str, int] = {}

    def add(self, text: str) -> str:
        slug = github_slug(one_line(text))
        if not slug:
            return ""
        count = self.counts.get(slug, 0)
        self.counts[slug] = count + 1
        if count:
            numbered = f"{slug}-{count}"
            self.counts.setdefault(numbered, 1)
            return numbered
        return slug
