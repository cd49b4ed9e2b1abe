"""The one Jinja2 environment (per `--templates` folder): where templates are found, how
they are compiled and cached, the filters they may use; the template names and formats."""

from __future__ import annotations

import os
import sys
from collections.abc import MutableMapping
from functools import lru_cache
from typing import Any

from jinja2 import (
    BaseLoader,
    BytecodeCache,
    ChoiceLoader,
    Environment,
    FileSystemBytecodeCache,
    FileSystemLoader,
    StrictUndefined,
    Template,
)
from markupsafe import Markup, escape

from psc_roadmap.errors import PscError
from psc_roadmap.markdown import md_escape
from psc_roadmap.render.filters import links, md_heading, mermaid_escape, num
from psc_roadmap.resources import bundled

FORMATS: dict[str, str] = {"md": "md/document.md.j2", "html": "html/document.html.j2"}
SUFFIXES: dict[str, str] = {".md": "md", ".markdown": "md", ".html": "html", ".htm": "html"}

TEMPLATE_NAMES: tuple[str, ...] = (*(
    f"{fmt}/{part}.{fmt}.j2"
    for fmt in ("html", "md")
    for part in (
        "document", "macros", "cover", "toc", "objectives", "axes", "principles",
        "roadmap", "timeline", "governance", "index", "progress", "changes",
    )
), "html/style.css.j2")


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


def _bytecode_cache() -> BytecodeCache | None:
    """Compiled templates kept in the user's cache folder between runs (keyed by each
    template's source checksum, so never stale); none where that folder can't be made."""
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    folder = os.path.join(base, "psc-roadmap", f"jinja-{sys.version_info[0]}.{sys.version_info[1]}")
    try:
        os.makedirs(folder, exist_ok=True)
    except OSError:
        return None
    if not os.access(folder, os.W_OK):
        return None
    return FileSystemBytecodeCache(folder)


@lru_cache(maxsize=16)
def environment(templates: str | None = None) -> Environment:
    """The one Jinja2 environment (per override folder): HTML autoescaped, undefined names
    are errors, templates compiled once and kept."""
    loaders: list[BaseLoader] = []
    if templates is not None:
        loaders.append(FileSystemLoader(templates))
    loaders.append(FileSystemLoader(str(bundled("templates"))))
    env = Environment(
        loader=ChoiceLoader(loaders),
        autoescape=_autoescape,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=templates is not None,
        bytecode_cache=_bytecode_cache(),
    )
    env.template_class = _Template
    env.filters["md"] = md_escape
    env.filters["md_heading"] = md_heading
    env.filters["mermaid"] = mermaid_escape
    env.filters["num"] = num
    env.filters["links"] = links
    return env
