"""The one Jinja2 environment (per `--templates` folder): where templates are found, how
they are compiled and cached, the filters they may use; the template names and formats.

With a `--templates` folder, every template runs in Jinja2's immutable sandbox, the
user's and the built-in ones it includes or extends: a template can read the context it is
given and nothing else (no attribute that leads to Python's internals, no method that
changes data), a template file is read only from inside its folder, and arithmetic that
would build a huge value at once is refused. The built-in templates alone are this
package's code, not input (the data reaches them as values only): they run without the
sandbox's checks, a fifth of the time of a large page. Rendering time and output size are
bounded by `psc_roadmap.render.document` either way."""

from __future__ import annotations

import os
from collections.abc import MutableMapping
from functools import lru_cache
from typing import Any

from jinja2 import (
    BaseLoader,
    ChoiceLoader,
    Environment,
    FileSystemLoader,
    StrictUndefined,
    Template,
)
from jinja2.exceptions import SecurityError
from jinja2.loaders import split_template_path
from jinja2.runtime import Context
from jinja2.sandbox import ImmutableSandboxedEnvironment
from markupsafe import Markup, escape

from psc_roadmap.errors import PscError
from psc_roadmap.files import inside
from psc_roadmap.markdown import md_escape
from psc_roadmap.render.cache import bytecode_cache
from psc_roadmap.render.filters import css_string, links, md_heading, mermaid_escape, num
from psc_roadmap.render.views import VIEW_TYPES
from psc_roadmap.resources import bundled

#: The largest template file read, and the longest text or list one operation may build.
MAX_TEMPLATE_BYTES = 1024 * 1024
MAX_VALUE_LENGTH = 1_000_000

FORMATS: dict[str, str] = {"md": "md/document.md.j2", "html": "html/document.html.j2"}
#: The style sheet a paged-media engine adds to the HTML page (the PDF's).
PAGED_CSS = "html/paged.css.j2"
#: The formats of `psc render` by the suffix of -o: the template formats, and the PDF
#: (the HTML document laid out by WeasyPrint, `render/pdf.py`).
SUFFIXES: dict[str, str] = {".md": "md", ".markdown": "md", ".html": "html", ".htm": "html", ".pdf": "pdf"}

TEMPLATE_NAMES: tuple[str, ...] = (*(
    f"{fmt}/{part}.{fmt}.j2"
    for fmt in ("html", "md")
    for part in (
        "document", "macros", "cover", "toc", "objectives", "axes", "principles",
        "roadmap", "timeline", "governance", "index", "progress", "changes",
    )
), "html/style.css.j2", PAGED_CSS)


class RenderError(PscError):
    """A document that can't be rendered (exit 1): no valid document in the project, an
    unknown format, or a template that can't be found, parsed or rendered."""


def _escape(value: Any) -> Markup:
    """markupsafe's escape, without copying what is already Markup (most of what the
    templates print: ids, anchors, labels, numbers are marked safe in the context)."""
    if value.__class__ is Markup:
        return value
    return escape(value)


class _Template(Template):
    """Jinja2's compiled templates print through the name `escape` of their module; ours
    use `_escape`, which skips the copy of values already marked safe (same output, and
    `psc render` of HTML about 15 % quicker at 10,000 actions: no public hook reaches that
    call, `finalize` runs inside it).

    `_from_namespace` is private to Jinja2 (unchanged from 3.0 to 3.1.6): pyproject.toml
    pins the tested range, and tests/test_render.py fails if compiled templates stop
    getting `_escape`. Should Jinja2 change it anyway, the output stays the same, only
    slower: the namespace is only touched where `escape` is markupsafe's, and any other
    arguments are passed on as they came."""

    @classmethod
    def _from_namespace(cls, environment: Environment, namespace: MutableMapping[str, Any],
                        *args: Any, **kwargs: Any) -> Template:
        if namespace.get("escape") is escape:
            namespace["escape"] = _escape
        return super()._from_namespace(environment, namespace, *args, **kwargs)


def _autoescape(name: str | None) -> bool:
    return name is not None and name.startswith("html/")


class _ContainedLoader(FileSystemLoader):
    """Templates of one folder, read only from inside it: a template that is a symbolic
    link out of the folder is refused without reading what it points to."""

    def get_source(self, environment: Environment, template: str) -> tuple[str, str, Any]:
        pieces = split_template_path(template)
        for folder in self.searchpath:
            path = os.path.join(folder, *pieces)
            if not os.path.lexists(path):
                continue
            if not inside(os.path.realpath(path), os.path.realpath(folder)):
                target = os.readlink(path) if os.path.islink(path) else os.path.realpath(path)
                raise RenderError(f"template {template}: symbolic link to '{target}', outside the templates "
                                  "folder: psc does not read it; put the template itself in the folder")
            if os.path.isfile(path) and os.path.getsize(path) > MAX_TEMPLATE_BYTES:
                raise RenderError(f"template {template} is over {MAX_TEMPLATE_BYTES // 1024} KiB")
        return super().get_source(environment, template)


_DICT_NAMES = frozenset(dir(dict))


class _Sandbox(ImmutableSandboxedEnvironment):
    """Jinja2's immutable sandbox, where `*` and `**` can't build a huge value at once
    (`{{ "x" * 10**9 }}`), which also keeps the compiler from folding one into a template's
    bytecode."""

    intercepted_binops = frozenset({"*", "**"})

    def getattr(self, obj: Any, attribute: str) -> Any:
        # The context's own views hold data only (slotted dataclasses, no methods), and a
        # dict's keys are data: reading them skips the sandbox's checks, which cost more than
        # half the render. Everything else, and anything private, goes through the sandbox.
        kind = type(obj)
        if attribute[:1] != "_":
            if kind in VIEW_TYPES:
                try:
                    return getattr(obj, attribute)
                except AttributeError:
                    pass
            elif kind is dict and attribute not in _DICT_NAMES and attribute in obj:
                return obj[attribute]
        return super().getattr(obj, attribute)

    def call_binop(self, context: Context, operator: str, left: Any, right: Any) -> Any:
        if operator == "**" and isinstance(right, int | float) and abs(right) > 64:
            raise SecurityError(f"the exponent {right} is too large for a template")
        if operator == "*":
            for seq, times in ((left, right), (right, left)):
                long = isinstance(seq, str | list | tuple) and isinstance(times, int) and len(seq) * times
                if long and long > MAX_VALUE_LENGTH:
                    raise SecurityError("a template may not build a value that long")
        return super().call_binop(context, operator, left, right)


@lru_cache(maxsize=16)
def environment(templates: str | None = None) -> Environment:
    """The one Jinja2 environment (per override folder): sandboxed with an override
    folder, HTML autoescaped, undefined names are errors, templates compiled once and kept
    (the sandbox's apart: it compiles `*` and `**` to checked calls)."""
    loaders: list[BaseLoader] = []
    if templates is not None:
        loaders.append(_ContainedLoader(templates))
    loaders.append(_ContainedLoader(str(bundled("templates"))))
    sandboxed = templates is not None
    env = (_Sandbox if sandboxed else Environment)(
        loader=ChoiceLoader(loaders),
        autoescape=_autoescape,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=templates is not None,
        bytecode_cache=bytecode_cache("sandbox" if sandboxed else "trusted"),
    )
    env.template_class = _Template
    env.filters["md"] = md_escape
    env.filters["md_heading"] = md_heading
    env.filters["mermaid"] = mermaid_escape
    env.filters["css_string"] = css_string
    env.filters["num"] = num
    env.filters["links"] = links
    return env
