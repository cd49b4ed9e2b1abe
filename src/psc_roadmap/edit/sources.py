"""The data files an edit reads: their names in reading order, and each one's text and BOM."""

from __future__ import annotations

import codecs
import os
from dataclasses import dataclass
from pathlib import Path

from psc_roadmap.errors import Finding, Position, PscError, Severity
from psc_roadmap.loader import MAX_FILE_BYTES, decode
from psc_roadmap.project import AXES_FILE, GOVERNANCE_FILE, ROADMAP_SUFFIX, display_path


@dataclass
class SourceFile:
    """A data file as text (BOM removed, line ends as they are) and how to write it back."""

    path: Path
    name: str
    shown: str
    text: str
    bom: bool

    def encode(self, text: str) -> str:
        return ("\ufeff" if self.bom else "") + text


def data_file_names(folder: Path) -> list[str]:
    """The data files of a project in reading order: axes, governance, then roadmaps by name."""
    try:
        names = set(os.listdir(folder))
    except OSError as exc:
        raise PscError(f"cannot list the folder '{folder}': {exc.strerror or exc}") from None
    roadmaps = sorted(n for n in names if n.endswith(ROADMAP_SUFFIX))
    return [n for n in (AXES_FILE, GOVERNANCE_FILE) if n in names] + roadmaps


def read_source(folder: str, name: str) -> tuple[SourceFile | None, Finding | None]:
    """A data file's text, or the `file-error` finding that says why it can't be read."""
    path = Path(folder) / name
    shown = display_path(folder, name)
    try:
        if not path.is_file():
            return None, Finding(Position(shown), "file-error", Severity.ERROR, "not a regular file")
        if path.stat().st_size > MAX_FILE_BYTES:
            return None, Finding(Position(shown), "file-error", Severity.ERROR, "file too large")
        raw = path.read_bytes()
    except OSError as exc:
        return None, Finding(
            Position(shown), "file-error", Severity.ERROR, f"cannot read the file: {exc.strerror or exc}"
        )
    text, problem = decode(raw, shown)
    if text is None:
        return None, problem
    return SourceFile(path, name, shown, text, raw.startswith(codecs.BOM_UTF8)), None
