"""The server's analysis of a project, reusing what did not change since the last one:
the text of a file on disk that was not modified, and the line index of a text that is
the same. The findings are always those of `validate_folder` on the current texts."""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from lsprotocol import types

from psc_roadmap.errors import Finding
from psc_roadmap.files import discover, display_path, read_source
from psc_roadmap.lsp.analysis import Analysis
from psc_roadmap.lsp.positions import TextLines
from psc_roadmap.lsp.sites import build_index

#: What identifies a file's content on disk without reading it.
Stamp = tuple[int, int, int, int]


def _stamp(path: str) -> Stamp | None:
    try:
        info = os.stat(path)
    except OSError:
        return None
    return info.st_ino, info.st_size, info.st_mtime_ns, info.st_ctime_ns


@dataclass
class ParseCache:
    """What one project's analyses keep between runs: disk texts by their stamp, line
    indexes by text. Used from the worker thread only."""

    disk: dict[str, tuple[Stamp, str]] = field(default_factory=dict)
    lines: dict[str, TextLines] = field(default_factory=dict)

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

    def text_lines(self, path: str, text: str, encoding: str) -> TextLines:
        kept = self.lines.get(path)
        if kept is not None and kept.encoding == encoding and (kept.text is text or kept.text == text):
            return kept
        made = self.lines[path] = TextLines(text, encoding)
        return made


def analyse_cached(
    folder: str,
    buffers: Mapping[str, str],
    encoding: str,
    cache: ParseCache,
    stale: Callable[[], bool] = lambda: False,
    findings_known: Callable[[Analysis], None] = lambda analysis: None,
) -> Analysis | None:
    """Validate the folder with the editor's buffers standing for their files, then
    index its ids. `findings_known` is called as soon as the findings are (to publish
    them before the indexing); None when `stale()` says a newer edit made the work moot."""
    from psc_roadmap.checks import validate_folder

    texts = cache.texts(folder, buffers)
    project, findings = validate_folder(folder, texts)
    if stale():
        return None
    names = discover(folder, extra=texts).names
    lines = {
        display_path(folder, name): cache.text_lines(display_path(folder, name), texts[name], encoding)
        for name in names
        if name in texts
    }
    analysis = Analysis(folder, project, findings, names, lines)
    findings_known(analysis)
    if stale():
        return None
    analysis.index = build_index(project, lines)
    return analysis


def analyse(folder: str, buffers: Mapping[str, str] | None = None,
            encoding: str = types.PositionEncodingKind.Utf16) -> Analysis:
    """One analysis from scratch (no cache, never stale)."""
    analysis = analyse_cached(folder, buffers or {}, encoding, ParseCache())
    assert analysis is not None
    return analysis
