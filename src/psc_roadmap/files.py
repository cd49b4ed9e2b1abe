"""The files of a project: which ones it has (discovery), reading them safely into text,
and the path each is shown under. Every command reads data files through here, so one
broken file gets one message everywhere."""

from __future__ import annotations

import codecs
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from psc_roadmap.errors import Finding, Position, PscError

AXES_FILE = "axes.yaml"
GOVERNANCE_FILE = "governance.yaml"
ROADMAP_SUFFIX = "_roadmap.yaml"
MAX_FILE_BYTES = 64 * 1024 * 1024


def is_roadmap_name(name: str) -> bool:
    """`si_roadmap.yaml` is a roadmap file; `_roadmap.yaml` alone is not (no name before it)."""
    return name.endswith(ROADMAP_SUFFIX) and len(name) > len(ROADMAP_SUFFIX)


@dataclass(frozen=True, slots=True)
class ProjectFiles:
    """The data files a folder holds, by name, in reading order."""

    folder: str
    has_axes: bool
    has_governance: bool
    roadmaps: tuple[str, ...]

    @property
    def names(self) -> list[str]:
        """Every data file present: axes, governance, then the roadmaps by name."""
        present = [AXES_FILE] if self.has_axes else []
        if self.has_governance:
            present.append(GOVERNANCE_FILE)
        return present + list(self.roadmaps)

    def shown(self, name: str) -> str:
        return display_path(self.folder, name)


def discover(folder: str, extra: Iterable[str] = (), listed: bool = True) -> ProjectFiles:
    """The data files of a project folder (top level only), and the `extra` names that
    stand for files not written yet (the `extra` names alone when not `listed`: a folder
    read from elsewhere, such as git). A name counts as present whatever it is (a folder,
    a broken link): reading it says what is wrong."""
    try:
        names = {*(os.listdir(folder) if listed else ()), *extra}
    except OSError as exc:
        raise PscError(f"cannot list the folder '{folder}': {exc.strerror or exc}") from None
    return ProjectFiles(
        folder=folder,
        has_axes=AXES_FILE in names,
        has_governance=GOVERNANCE_FILE in names,
        roadmaps=tuple(sorted(n for n in names if is_roadmap_name(n))),
    )


_YAML_SUFFIXES = (".yaml", ".yml")


def roadmap_lookalikes(folder: str) -> list[str]:
    """Files of the folder whose name says "roadmap" but that psc does not read as one
    (`roadmap.yaml`, `main-roadmap.yaml`, `si_roadmap.yml`), by name."""
    try:
        names = os.listdir(folder)
    except OSError:
        return []
    return sorted(
        name for name in names
        if name.lower().endswith(_YAML_SUFFIXES) and "roadmap" in name.lower() and not is_roadmap_name(name)
        and name not in (AXES_FILE, GOVERNANCE_FILE)
    )


def roadmap_name(lookalike: str, roadmap_id: str | None = None) -> str:
    """The name a roadmap file should have: `main-roadmap.yaml` → `main_roadmap.yaml`;
    `roadmap.yaml` is named after its roadmap's id, else `main`."""
    stem = lookalike
    for suffix in _YAML_SUFFIXES:
        if stem.lower().endswith(suffix):
            stem = stem[: -len(suffix)]
    at = stem.lower().find("roadmap")
    prefix = (stem[:at] + stem[at + len("roadmap"):]).strip(" _-.")
    prefix = "_".join(prefix.split()) or roadmap_id or "main"
    return prefix + ROADMAP_SUFFIX


def inside(path: str, folder: str) -> bool:
    """Whether `path` is `folder` or under it (both absolute and resolved)."""
    return os.path.commonpath([path, folder]) == folder


def display_path(folder: str, name: str) -> str:
    """A file as the user reaches it: the data folder as given, then the file name."""
    return os.path.join(folder, name) if folder not in ("", ".") else name


@dataclass(frozen=True, slots=True)
class SourceFile:
    """A data file as text (a UTF-8 BOM removed, line ends as they are) and how to write it back."""

    path: Path
    name: str
    shown: str
    text: str
    bom: bool

    def encode(self, text: str) -> str:
        """`text` with the file's BOM again, ready to write back."""
        return ("\ufeff" if self.bom else "") + text


def _file_error(shown: str, message: str) -> Finding:
    return Finding(Position(shown), "file-error", message)


def _link_refusal(path: Path, folder: str, shown: str) -> Finding | None:
    """The file-error of a symbolic link that psc does not follow: broken, or out of the folder."""
    if not path.is_symlink():
        return None
    if not path.exists():
        return _file_error(shown, "broken symbolic link; point it at a file or remove it")
    if not inside(os.path.realpath(path), os.path.realpath(folder)):
        return _file_error(
            shown,
            f"symbolic link to '{os.readlink(path)}', outside the project folder: psc does not "
            "read it; put the file itself in the folder",
        )
    return None


def _too_large(shown: str, size: int) -> Finding:
    return _file_error(
        shown,
        f"file is {size:,} bytes, over the {MAX_FILE_BYTES // (1024 * 1024)} MiB limit; "
        "split it (a project may have several *_roadmap.yaml files)",
    )


_NUL_BYTES = "the file holds NUL bytes: it is binary or UTF-16, not UTF-8 text; save it as UTF-8"


def read_source(folder: str, name: str) -> SourceFile | Finding:
    """The file's text, or the `file-error` finding that says why it can't be read."""
    path = Path(folder) / name
    shown = display_path(folder, name)
    try:
        link = _link_refusal(path, folder, shown)
        if link is not None:
            return link
        if not path.exists():
            return _file_error(shown, "no such file")
        if not path.is_file():
            return _file_error(shown, "not a regular file (a folder?); data files must be files")
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            return _too_large(shown, size)
        raw = path.read_bytes()
    except OSError as exc:
        return _file_error(shown, f"cannot read the file: {exc.strerror or exc}")
    text = decode(raw, shown)
    if isinstance(text, Finding):
        return text
    return SourceFile(path, name, shown, text, raw.startswith(codecs.BOM_UTF8))


def text_refusal(folder: str, name: str, text: str) -> Finding | None:
    """For a text that stands for a data file (an editor's unsaved buffer), the file-error
    that `read_source` would give the file holding it: the file is a link psc does not
    follow, or the text is too large, holds NUL characters, or is not Unicode text (a lone
    surrogate, which no UTF-8 file can hold). None when the text can be read."""
    shown = display_path(folder, name)
    try:
        link = _link_refusal(Path(folder) / name, folder, shown)
    except OSError as exc:
        return _file_error(shown, f"cannot read the file: {exc.strerror or exc}")
    if link is not None:
        return link
    if len(text) * 4 > MAX_FILE_BYTES:
        size = len(text.encode("utf-8", "surrogatepass"))
        if size > MAX_FILE_BYTES:
            return _too_large(shown, size)
    if "\x00" in text:
        return _file_error(shown, _NUL_BYTES)
    if not text.isascii() and (lone := _SURROGATE.search(text)) is not None:
        before = text[: lone.start()]
        line = before.count("\n") + 1
        column = lone.start() - (before.rfind("\n") + 1) + 1
        return _file_error(shown, f"not Unicode text: a lone surrogate U+{ord(lone.group()):04X} at line {line}, "
                                  f"column {column}, which no UTF-8 file can hold; remove it")
    return None


_SURROGATE = re.compile("[\ud800-\udfff]")


def decode(raw: bytes, shown: str) -> str | Finding:
    """UTF-8 text without its BOM, or the `file-error` finding that names the bad bytes."""
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE, codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)):
        return _file_error(shown, "the file is UTF-16 or UTF-32 encoded; save it as UTF-8")
    if raw.startswith(codecs.BOM_UTF8):
        raw = raw[len(codecs.BOM_UTF8):]
    if b"\x00" in raw:
        return _file_error(shown, _NUL_BYTES)
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        before = raw[: exc.start]
        line = before.count(b"\n") + 1
        column = exc.start - (before.rfind(b"\n") + 1) + 1
        return _file_error(
            shown,
            f"not UTF-8: byte 0x{raw[exc.start]:02x} at line {line}, column {column} "
            "(Latin-1 or Windows-1252?); save the file as UTF-8",
        )
