"""`render(project, fmt, lang, templates) -> str`: the context given to the document's
template, a failing template reported as a `RenderError` naming its file and line, and
the Markdown table of contents linked to the headings rendered.

Rendering is bounded whatever the templates do: it stops with a `RenderError` past a
time budget and an output size that grow with the project (a user template is code, and
`{% for i in range(10**5) %}{% for j in range(10**5) %}` would otherwise run for hours)."""

from __future__ import annotations

import re
import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from jinja2 import Environment, TemplateError, TemplateNotFound, TemplateSyntaxError

from psc_roadmap.history.compare import Comparison
from psc_roadmap.project import Project
from psc_roadmap.render.changes import changes_view, wording
from psc_roadmap.render.context import build_context
from psc_roadmap.render.environment import FORMATS, RenderError, environment
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
    parts: list[str] = []
    size = 0
    for chunk in chunks:
        size += len(chunk)
        if size > limit:
            raise RenderError(f"the templates write more than {limit:,} characters: stopped "
                              "(a template that loops too much?)")
        parts.append(chunk)
    return "".join(parts)


def render(project: Project, fmt: str = "md", lang: str | None = None, templates: str | Path | None = None,
           since: Comparison | None = None) -> str:
    """The whole strategy document as Markdown (`md`) or one self-contained HTML page;
    with `since`, a chapter of what changed since that revision."""
    if fmt not in FORMATS:
        raise RenderError(f"unknown format '{fmt}' (valid: {', '.join(FORMATS)})")
    context = build_context(project, lang, fmt, since)
    env = environment(None if templates is None else str(templates))
    text = _render_template(env, FORMATS[fmt], context, len(project.actions))
    if fmt == "md":
        text = re.sub(r"\n{3,}", "\n\n", text).strip("\n") + "\n"
        text = link_chapters(text, context["chapters"])
    return text


def render_changes(since: Comparison, lang: str) -> str:
    """The chapter of what changed, alone, in Markdown: `psc diff --format md`."""
    w = wording(lang)
    context = {"lang": lang, "labels": w.labels, "changes": changes_view(since, w)}
    text = _render_template(environment(None), CHANGES_TEMPLATE, context, 0)
    return re.sub(r"\n{3,}", "\n\n", text).strip("\n") + "\n"


def _render_template(env: Environment, name: str, context: dict[str, Any], actions: int) -> str:
    """One template rendered within the budgets of a project of `actions` actions."""
    budget = SECONDS + SECONDS_PER_ACTION * actions
    try:
        with _deadline(budget):
            text = _bounded(env.get_template(name).generate(context), OUTPUT + OUTPUT_PER_ACTION * actions)
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
    return text


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
