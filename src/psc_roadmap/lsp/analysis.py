"""One validation of a project folder with the texts it read: what every feature of the
server answers from. The folder is the one that holds the opened file; the editor's
unsaved buffers stand for their files, the disk for the others."""

from __future__ import annotations

import os
import threading
from dataclasses import dataclass, field
from pathlib import Path

from lsprotocol import types

from psc_roadmap.errors import Finding
from psc_roadmap.files import AXES_FILE, GOVERNANCE_FILE, display_path, is_roadmap_name
from psc_roadmap.lsp.positions import TextLines
from psc_roadmap.lsp.sites import SiteIndex, build_index
from psc_roadmap.project import Project, Roadmap


def is_data_file(name: str) -> bool:
    """Whether a file name is one that `psc validate` reads in its folder."""
    return name in (AXES_FILE, GOVERNANCE_FILE) or is_roadmap_name(name)


def file_kind(path: str) -> str | None:
    """The kind of data file a path is (`axes`, `governance`, `roadmap`), else None."""
    name = os.path.basename(path)
    if name == AXES_FILE:
        return "axes"
    if name == GOVERNANCE_FILE:
        return "governance"
    return "roadmap" if is_roadmap_name(name) else None


@dataclass
class Analysis:
    """A project as `validate_folder` loaded it, its findings, and the texts it read."""

    folder: str
    project: Project
    findings: list[Finding]
    #: Every data file name of the folder (readable or not), in reading order.
    names: list[str]
    #: The text of each readable data file, by the path findings name it with.
    lines: dict[str, TextLines]
    #: The diagnostics of every data file, by path (`diagnostics.diagnostics_by_file`).
    diagnostics: dict[str, list[types.Diagnostic]] = field(default_factory=dict)
    #: The URI the editor gave each open file, by path; other files get `Path.as_uri`.
    uris: dict[str, str] = field(default_factory=dict)
    #: The version of each open file's buffer that was analysed, by path.
    versions: dict[str, int] = field(default_factory=dict)
    #: The server's count of changes when the texts were taken.
    generation: int = 0

    #: How many holders keep it (the session, requests in flight); at 0 it is released.
    holds: int = field(default=0, init=False, repr=False)
    _index: SiteIndex | None = field(default=None, init=False, repr=False)
    _indexing: threading.Lock = field(default_factory=threading.Lock, init=False, repr=False)

    @property
    def index(self) -> SiteIndex:
        """The sites of the project's ids, built on first use: on a large project it
        takes a while, and diagnostics don't need it (the server builds it off the loop)."""
        with self._indexing:
            if self._index is None:
                self._index = build_index(self.project, self.lines)
            return self._index

    def release(self) -> None:
        """Break the project's cycles (each roadmap refers to its entries, which refer to
        it), so that reference counting frees the project as soon as nothing else refers
        to it, instead of the cyclic collector, which would walk every object alive.
        Only once nothing uses the analysis any more."""
        for roadmap in self.project.roadmaps:
            roadmap.actions = []
            roadmap.themes = []
            roadmap.__dict__.pop("entry", None)

    def shown(self, name: str) -> str:
        return display_path(self.folder, name)

    def uri(self, path: str) -> str:
        return self.uris.get(path) or Path(path).as_uri()

    def roadmap_of(self, file: str) -> Roadmap | None:
        return next((r for r in self.project.roadmaps if r.file == file), None)

    def has_syntax_error(self, file: str | None = None) -> bool:
        return any(f.rule == "yaml-syntax" and (file is None or f.position.file == file) for f in self.findings)


def folder_of(path: str) -> tuple[str, str] | None:
    """(project folder, file name) of a data file's path; None for any other file."""
    folder, name = os.path.split(os.path.abspath(path))
    return (folder, name) if is_data_file(name) else None
