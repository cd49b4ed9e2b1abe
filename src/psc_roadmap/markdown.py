"""Escaping text for GitHub-flavoured Markdown, shared by `psc render` and `psc query --format md`."""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

from psc_roadmap.text import one_line

_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>#|~$])")
_MD_ENTITY = re.compile(r"&(?=#?[A-Za-z0-9]+;)")
_MD_EMOJI = re.compile(r":(?=[A-Za-z0-9_+-]+:)")
_MD_AUTOLINK = re.compile(r"(?i)\b(https?|ftp|mailto):")
_MD_WWW = re.compile(r"(?i)\bwww\.")
_MD_EMAIL = re.compile(r"@(?=[A-Za-z0-9-]+\.)")
_MD_LEADING = re.compile(r"^(?:([-+=])|(\d+)([.)]))")


def md_escape(text: object) -> str:
    """Text that Markdown (GitHub-flavoured) shows as written, on one line, in any inline
    place: a paragraph, a list item, a heading, a table cell, a link text."""
    return _md_escape(str(text))


@lru_cache(maxsize=1 << 16)
def _md_escape(text: str) -> str:
    out = _MD_SPECIAL.sub(r"\\\1", one_line(text))
    if "&" in out:
        out = _MD_ENTITY.sub(r"\\&", out)
    if ":" in out:
        out = _MD_EMOJI.sub(r"\\:", out)
        out = _MD_AUTOLINK.sub(r"\1\\:", out)
    if "." in out:
        out = _MD_WWW.sub(r"www\\.", out)
        if "@" in out:
            out = _MD_EMAIL.sub(r"\\@", out)
    if out and out[0] in "-+=0123456789":
        out = _MD_LEADING.sub(lambda m: "\\" + m[1] if m[1] else m[2] + "\\" + m[3], out, count=1)
    return out


def markdown_table(header: list[str], rows: list[list[str]], right: Iterable[int] = ()) -> str:
    """A GitHub Markdown table; cells are escaped here; `right` columns are right-aligned."""
    aligned = set(right)
    lines = [
        "| " + " | ".join(md_escape(h) for h in header) + " |",
        "| " + " | ".join("---:" if i in aligned else "---" for i in range(len(header))) + " |",
    ]
    lines.extend("| " + " | ".join(md_escape(c) for c in row) + " |" for row in rows)
    return "\n".join(lines) + "\n"
