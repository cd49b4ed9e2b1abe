"""The server's analysis of a project, reusing what did not change since the last one:
the text of a file on disk that was not modified, the reading of a file whose text is the
same, and of an edited roadmap the actions the edit did not touch (`reparse`). The
findings are always those of `validate_folder` on the current texts."""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from lsprotocol import types

from psc_roadmap.errors import Finding
from psc_roadmap.files import discover, display_path, is_roadmap_name, read_source, text_refusal
from psc_roadmap.load import load_text, unread
from psc_roadmap.loader import LoadedFile
from psc_roadmap.lsp.analysis import Analysis
from psc_roadmap.lsp.diagnostics import diagnostics_by_file
from psc_roadmap.lsp.positions import TextLines
from psc_roadmap.lsp.reparse import common_ends, plain, reparse

#: What identifies a file's content on disk without reading it.
Stamp = tuple[int, int, int, int]


def _stamp(path: str) -> Stamp | None:
    try:
        info = os.stat(path)
    except OSError:
        return None
    return info.st_ino, info.st_size, info.st_mtime_ns, info.st_ctime_ns


@dataclass
class Reading:
    """A file's text, its line index and how the loader read it."""

    lines: TextLines
    loaded: LoadedFile
    #: What `reparse.plain` says of the text, once known.
    plain: bool | None = None


@dataclass
class ParseCache:
    """What one project's analyses keep between runs: disk texts by their stamp, the
    reading of each file by name. Used from the worker thread only."""

    disk: dict[str, tuple[Stamp, str]] = field(default_factory=dict)
    readings: dict[str, Reading] = field(default_factory=dict)
    #: How many files were read whole and how many partially, for the benchmark's curiosity.
    whole: int = 0
    partial: int = 0

    def texts(self, folder: str, buffers: Mapping[str, str]) -> dict[str, str]:
        """Every data file's text, by name: the buffer where the file is open, else the
        disk's (read again only when its stamp changed). A file that can't be read is
        left out: validation reads it itself and reports why."""
        texts = dict(buffers)
        for name in discover(folder, extra=buffers).names:
            if name in texts:
                continue
            path = os.path.join(folder, name)
            stamp = _stamp(path)
            kept = self.disk.get(name)
            if stamp is not None and kept is not None and kept[0] == stamp:
                texts[name] = kept[1]
                continue
            source = read_source(folder, name)
            if isinstance(source, Finding):
                self.disk.pop(name, None)
                continue
            texts[name] = source.text
            if stamp is not None:
                self.disk[name] = (stamp, source.text)
        return texts

    def reading(self, folder: str, name: str, text: str, encoding: str) -> Reading:
        """How the loader reads `text` for file `name`: kept when the text is the same,
        else read again, partially where `reparse` can."""
        kept = self.readings.get(name)
        if kept is not None and kept.lines.encoding == encoding and (
                kept.lines.text is text or kept.lines.text == text):
            return kept
        # A text that validate would refuse as the file's gets its file-error, read from nothing.
        refusal = text_refusal(folder, name, text)
        loaded = None
        if refusal is None and kept is not None and kept.lines.encoding == encoding:
            ends = common_ends(kept.lines.text, text)
            lines = kept.lines.edited(text, *ends)
            if is_roadmap_name(name):
                if kept.plain is None:
                    kept.plain = plain(kept.lines.text)
                loaded = reparse(kept.lines.text, kept.loaded, kept.lines, text, kept.plain, ends)
        else:
            lines = TextLines(text, encoding)
        if loaded is not None:
            self.partial += 1
            made = Reading(lines, loaded, plain=True)
        else:
            self.whole += 1
            made = Reading(lines, unread(refusal) if refusal is not None else load_text(folder, name, text))
        self.readings[name] = made
        return made

    def forget(self, names: set[str]) -> None:
        for name in set(self.readings) - names:
            del self.readings[name]


def analyse_cached(
    folder: str,
    buffers: Mapping[str, str],
    encoding: str,
    cache: ParseCache,
    stale: Callable[[], bool] = lambda: False,
) -> Analysis | None:
    """Validate the folder with the editor's buffers standing for their files, and turn
    the findings into diagnostics; None when `stale()` says a newer edit made it moot.
    The ids are indexed later, when a request needs them (`Analysis.index`)."""
    from psc_roadmap.checks import validate_folder

    texts = cache.texts(folder, buffers)
    readings = {name: cache.reading(folder, name, text, encoding) for name, text in texts.items()}
    cache.forget(set(readings))
    project, findings = validate_folder(folder, texts, parsed={name: r.loaded for name, r in readings.items()})
    if stale():
        return None
    names = discover(folder, extra=texts).names
    lines = {display_path(folder, name): readings[name].lines for name in names if name in readings}
    analysis = Analysis(folder, project, findings, names, lines)
    analysis.diagnostics = diagnostics_by_file(analysis)
    return analysis


def analyse(folder: str, buffers: Mapping[str, str] | None = None,
            encoding: str = types.PositionEncodingKind.Utf16) -> Analysis:
    """One analysis from scratch (no cache, never stale)."""
    analysis = analyse_cached(folder, buffers or {}, encoding, ParseCache())
    assert analysis is not None
    return analysis
