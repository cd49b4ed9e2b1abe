"""The Markdown table of contents' links: each chapter's fragment is taken from the headings
actually rendered (GitHub's slugs, in document order), put where the context left a placeholder.

Any template can add, drop or repeat headings (`--templates`): the links follow. Headings
are read as GitHub reads ATX headings (`#` to `######`, outside fenced code), with backslash
escapes, character references, code spans and link texts; setext headings (underlined
with `===`) and emphasis or raw HTML inside a heading are taken as written.
"""

from __future__ import annotations

import html
import re
import secrets
from collections.abc import Sequence
from dataclasses import dataclass

from psc_roadmap.render.filters import MarkdownSlugs, github_slug
from psc_roadmap.render.views import Chapter
from psc_roadmap.text import one_line

#: A code fence line or a heading line (up to 3 spaces before either). It starts with its
#: newline rather than `^` (MULTILINE): a literal first character lets `re` skip ahead.
_BLOCK = re.compile(
    r"\n {0,3}(?:(?P<fence>`{3,}|~{3,})(?P<info>[^\n]*)"
    r"|(?P<hashes>#{1,6})(?:[ \t]+(?P<content>[^\n]*?))??(?:[ \t]+#+)?[ \t]*)(?=\n|\Z)"
)
_INLINE = re.compile(
    r"\\(?P<escaped>[!-/:-@\[-`{-~])"
    r"|(?P<entity>&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});)"
    r"|(?P<ticks>`+)(?P<code>.+?)(?<!`)(?P=ticks)(?!`)"
    r"|!?\[(?P<text>(?:\\.|[^\]\\])*)\]\([^)\s]*(?:\s+\"[^\"]*\")?\)"
)


@dataclass(slots=True, frozen=True)
class Heading:
    level: int
    #: GitHub's slug of the heading's text, before `-1`, `-2` numbering.
    slug: str
    #: The fragment that links to it: the slug, numbered if an earlier heading has it.
    fragment: str


def placeholders(count: int) -> list[str]:
    """Fragments to render the table of contents with, one per chapter, that no data text
    can hold (a fresh random part each render)."""
    nonce = secrets.token_hex(8)
    return [f"psc-toc-{nonce}-{number}" for number in range(count)]


def link_chapters(text: str, chapters: Sequence[Chapter]) -> str:
    """`text` with each chapter's placeholder replaced by the fragment of its heading: the
    first heading after the previous chapter's whose slug is the chapter title's (a level 2
    one first, as the built-in templates write them)."""
    found = headings(text)
    fragments: dict[str, str] = {}
    start = 0
    for chapter in chapters:
        if not chapter.md_anchor:
            continue
        slug = github_slug(one_line(chapter.title))
        candidates = [i for i in range(start, len(found)) if found[i].slug == slug]
        preferred = [i for i in candidates if found[i].level == 2] or candidates
        if preferred:
            start = preferred[0] + 1
            fragments[chapter.md_anchor] = found[preferred[0]].fragment
        else:  # no such heading (an override dropped it): the plain slug, as GitHub would make it
            fragments[chapter.md_anchor] = slug
    if not fragments:
        return text
    pattern = "|".join(re.escape(p) for p in sorted(fragments, key=len, reverse=True))
    return re.sub(pattern, lambda m: fragments[m[0]], text)


def headings(text: str) -> list[Heading]:
    """The ATX headings of a Markdown document outside fenced code, in order, with the
    fragments GitHub gives them."""
    slugs = MarkdownSlugs()
    found: list[Heading] = []
    fence = ""
    for m in _BLOCK.finditer("\n" + text):
        if fence:
            if m["fence"] and m["fence"][0] == fence[0] and len(m["fence"]) >= len(fence) and not m["info"].strip():
                fence = ""
        elif m["fence"]:
            if not (m["fence"][0] == "`" and "`" in m["info"]):  # a backtick fence's info has no backtick
                fence = m["fence"]
        else:
            plain = heading_text(m["content"] or "")
            found.append(Heading(len(m["hashes"]), github_slug(one_line(plain)), slugs.add(plain)))
    return found


def heading_text(content: str) -> str:
    """The text of a heading's Markdown content, as GitHub shows it (and slugs it)."""
    return _INLINE.sub(_inline_text, content)


def _inline_text(m: re.Match[str]) -> str:
    if m["escaped"] is not None:
        return m["escaped"]
    if m["entity"] is not None:
        return html.unescape(m["entity"])
    if m["code"] is not None:
        code = m["code"]
        return code[1:-1] if len(code) > 2 and code[0] == code[-1] == " " and code.strip() else code
    return heading_text(m["text"])
