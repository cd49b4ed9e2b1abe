"""`render(project, fmt, lang, templates) -> str`: the context given to the document's
template, a failing template reported as a `RenderError` naming its file and line, the
Markdown table of contents linked to the headings rendered, and in a French HTML page the
no-break spaces of French typography.

Rendering is bounded whatever the templates do: it stops with a `RenderError` past a
time budget and an output size that grow with the project (a user template is code, and
`{% for i in range(10**5) %}{% for j in range(10**5) %}` would otherwise run for hours)."""

from __future__ import annotations

import re
import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from itertools import islice
from pathlib import Path
from typing import Any

from jinja2 import Environment, TemplateError, TemplateNotFound, TemplateSyntaxError

from psc_roadmap.history.compare import Comparison
from psc_roadmap.project import Project
from psc_roadmap.render.changes import changes_view, wording
from psc_roadmap.render.context import build_context
from psc_roadmap.render.environment import FORMATS, PAGED_CSS, RenderError, environment
from psc_roadmap.render.toc import link_chapters

CHANGES_TEMPLATE = "md/changes.md.j2"


#: Seconds a render may take, and characters it may write: a base, and so much per action.
SECONDS, SECONDS_PER_ACTION = 120.0, 0.002
OUTPUT, OUTPUT_PER_ACTION = 64 * 1024 * 1024, 32 * 1024


class _TooLong(Exception):
    """The render went past its time budget."""


@contextmanager
def _deadline(seconds: float) -> Iterator[None]:
    """Raise _TooLong in the render once `seconds` have passed (where the system has
    interval timers and this is the main thread; elsewhere there is no deadline)."""
    if not hasattr(signal, "setitimer") or threading.current_thread() is not threading.main_thread():
        yield
        return

    def expired(signum: int, frame: object) -> None:
        raise _TooLong

    previous = signal.signal(signal.SIGALRM, expired)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def _bounded(chunks: Iterator[str], limit: int) -> str:
    """The chunks joined, stopped once they pass `limit` characters. Jinja2 yields about
    two million small chunks for a 10,000-action page: they are joined 64 at a time (in C);
    a chunk is at most a value's bound (MAX_VALUE_LENGTH), so a batch overshoots the limit
    by 64 of them at the most."""
    parts: list[str] = []
    size = 0
    while batch := "".join(islice(chunks, 64)):
        size += len(batch)
        if size > limit:
            raise RenderError(f"the templates write more than {limit:,} characters: stopped "
                              "(a template that loops too much?)")
        parts.append(batch)
    return "".join(parts)


def render(project: Project, fmt: str = "md", lang: str | None = None, templates: str | Path | None = None,
           since: Comparison | None = None) -> str:
    """The whole strategy document as Markdown (`md`) or one self-contained HTML page;
    with `since`, a chapter of what changed since that revision."""
    if fmt not in FORMATS:
        raise RenderError(f"unknown format '{fmt}' (valid: {', '.join(FORMATS)})")
    context = build_context(project, lang, fmt, since)
    env = environment(None if templates is None else str(templates))
    return _document(env, fmt, context, len(project.actions))


def render_changes(since: Comparison, lang: str) -> str:
    """The chapter of what changed, alone, in Markdown: `psc diff --format md`."""
    w = wording(lang)
    context = {"lang": lang, "labels": w.labels, "changes": changes_view(since, w)}
    return _tidy_markdown(_generate(environment(None), CHANGES_TEMPLATE, context, 0))


def render_paged(project: Project, lang: str | None = None, templates: str | Path | None = None,
                 since: Comparison | None = None) -> tuple[str, str]:
    """The HTML page and the style sheet that a paged-media engine adds to it
    (`html/paged.css.j2`: running chapter titles, bookmarks, page numbers in the table of
    contents), from one context."""
    context = build_context(project, lang, "html", since)
    env = environment(None if templates is None else str(templates))
    page = _document(env, "html", context, len(project.actions))
    return page, _generate(env, PAGED_CSS, context, len(project.actions))


def _document(env: Environment, fmt: str, context: dict[str, Any], actions: int) -> str:
    """The document in `fmt` from its context: Markdown tidied with its contents linked to
    the headings rendered, a French HTML page with its no-break spaces."""
    text = _generate(env, FORMATS[fmt], context, actions)
    if fmt == "md":
        return link_chapters(_tidy_markdown(text), context["chapters"])
    return french_spaces(text) if context["lang"] == "fr" else text


def _tidy_markdown(text: str) -> str:
    """At most one blank line in a row, and one line break at the end."""
    return re.sub(r"\n{3,}", "\n\n", text).strip("\n") + "\n"


def _generate(env: Environment, name: str, context: dict[str, Any], actions: int) -> str:
    """Template `name` rendered within the budget, every failure as a RenderError."""
    budget = SECONDS + SECONDS_PER_ACTION * actions
    try:
        with _deadline(budget):
            return _bounded(env.get_template(name).generate(context), OUTPUT + OUTPUT_PER_ACTION * actions)
    except _TooLong:
        raise RenderError(f"the templates took more than {budget:.0f} s: stopped (a template that loops "
                          "too much?)") from None
    except RenderError:
        raise
    except TemplateNotFound as exc:
        raise RenderError(f"template '{exc.name}' not found") from None
    except TemplateSyntaxError as exc:
        raise RenderError(f"template {exc.name or exc.filename}:{exc.lineno}: {exc.message}") from None
    except TemplateError as exc:
        raise RenderError(f"template {_failing_template(exc, name)}: {exc}") from None
    except Exception as exc:  # a user template can fail in any way ({{ 1/0 }}): exit 1, not a crash
        raise RenderError(f"template {_failing_template(exc, name)}: {type(exc).__name__}: {exc}") from None


#: The spaces French typography keeps on the line: inside « », before : ; ! ?, in 482 000
#: and before € and %.
_UNBREAKABLE = re.compile(r" (?:(?=[»:;!?€%])|(?<=« )|(?<=\d )(?=\d{3}(?!\d)))")  # a space first: quick
#: Style sheets and SVG charts (coordinates): left as they are.
_LEFT_AS_IS = re.compile(r"(<style>.*?</style>|<svg\b.*?</svg>)", re.S)


def french_spaces(page: str) -> str:
    """An HTML page with those spaces made no-break (U+00A0), outside its style sheets and
    charts: a line never starts with » or :, and a printed page never breaks 300 000 in
    two. Tags keep their spaces too: the built-in templates write none of these patterns
    in an attribute but data text, where a no-break space is what it should hold."""
    parts = _LEFT_AS_IS.split(page)
    return "".join(part if i % 2 else _UNBREAKABLE.sub("\u00a0", part) for i, part in enumerate(parts))


def _failing_template(exc: BaseException, default: str) -> str:
    """`name:line` of the template frame where the error was raised (Jinja2 rewrites
    tracebacks so that a template's frames carry its file and line)."""
    where = default
    tb = exc.__traceback__
    while tb is not None:
        filename = tb.tb_frame.f_code.co_filename
        if filename.endswith(".j2"):
            parts = Path(filename).parts
            where = f"{'/'.join(parts[-2:])}:{tb.tb_lineno}"
        tb = tb.tb_next
    return where
