"""The strategy document: `render(project, fmt, lang, templates) -> str`, Markdown or one
self-contained HTML page.

Everything the templates show is computed once (`context` builds the `views`, `gantt` the
chart geometry); the templates only lay it out. Data text is never a template: it is
passed as values and escaped on output (HTML autoescape; in Markdown the `md`,
`md_heading` and `mermaid` filters). `environment` is the one Jinja2 environment, with
those filters; `document` renders, and `toc` links the Markdown table of contents to the
headings rendered.

Built-in templates (``templates/``); ``--templates DIR`` overrides any of them by name:

- ``html/document.html.j2``: the HTML page (head, landmarks), including the parts below
- ``html/style.css.j2``: the inline style sheet (screen, phone, print A4)
- ``html/macros.html.j2``: small macros (status, feasibility, action links)
- ``html/cover.html.j2``, ``html/toc.html.j2``, ``html/objectives.html.j2``,
  ``html/axes.html.j2``, ``html/principles.html.j2``, ``html/roadmap.html.j2``,
  ``html/timeline.html.j2`` (the inline SVG Gantt chart and its data table),
  ``html/governance.html.j2``, ``html/index.html.j2``, ``html/progress.html.j2``
- ``md/document.md.j2``: the Markdown document, including the parts below
- ``md/macros.md.j2``
- ``md/cover.md.j2``, ``md/toc.md.j2``, ``md/objectives.md.j2``, ``md/axes.md.j2``,
  ``md/principles.md.j2``, ``md/roadmap.md.j2``, ``md/timeline.md.j2`` (the mermaid
  ``gantt`` block), ``md/governance.md.j2`` (with a mermaid ``flowchart``),
  ``md/index.md.j2``, ``md/progress.md.j2``
"""

from psc_roadmap.render.context import build_context
from psc_roadmap.render.document import render
from psc_roadmap.render.environment import FORMATS, SUFFIXES, TEMPLATE_NAMES, RenderError
from psc_roadmap.render.filters import Anchors, MarkdownSlugs, github_slug, md_heading, mermaid_escape

__all__ = [
    "FORMATS",
    "SUFFIXES",
    "TEMPLATE_NAMES",
    "Anchors",
    "MarkdownSlugs",
    "RenderError",
    "build_context",
    "github_slug",
    "md_heading",
    "mermaid_escape",
    "render",
]
