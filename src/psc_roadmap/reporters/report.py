"""What a report of `psc validate` is made from: the findings, the files read, the rules
checked, and the repository root that CI platforms name files from; the fingerprints
that pair a finding across runs."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property

from psc_roadmap.errors import Finding


def text_safe(text: str) -> str:
    """Text that UTF-8 can hold: a byte of a file name that is not UTF-8 (kept by Python as
    a lone surrogate) is shown as `\\xff`, any other lone surrogate as `\\udc00`."""
    try:
        text.encode("utf-8")
        return text
    except UnicodeEncodeError:
        pass
    try:
        return text.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    except UnicodeEncodeError:
        return text.encode("utf-8", "backslashreplace").decode("utf-8")


def repository_root(folder: str) -> str:
    """The absolute folder that CI platforms name files from: the nearest folder at or
    above the data folder that holds a `.git` (a folder, or the file of a git worktree),
    else the current folder."""
    start = here = os.path.abspath(folder)
    while True:
        if os.path.lexists(os.path.join(here, ".git")):
            return here
        parent = os.path.dirname(here)
        if parent == here:
            try:
                return os.getcwd()
            except OSError:  # the current folder was removed: name files from the data folder's
                return os.path.dirname(start)
        here = parent


@dataclass(frozen=True, eq=False)
class Report:
    """The findings of one run (sorted, with `--ignore`d rules left out), the data files in
    reading order as shown (`data/si_roadmap.yaml`), how many could be read, the rules that
    were checked, the repository root (absolute), and whether text is in colour."""

    findings: list[Finding]
    shown_files: list[str]
    files_read: int
    checked: tuple[str, ...]
    root: str
    colour: bool = False
    _paths: dict[str, str | None] = field(default_factory=dict, repr=False)

    @classmethod
    def build(
        cls, folder: str, files: Iterable[str], files_read: int, findings: list[Finding],
        checked: Iterable[str], colour: bool = False,
    ) -> Report:
        return cls(findings, list(files), files_read, tuple(checked), repository_root(folder), colour)

    @cached_property
    def files(self) -> list[str]:
        """Every file the report names, in reading order: the data files, then those that only
        a finding names (`data/*_roadmap.yaml` when there is none)."""
        names = dict.fromkeys(self.shown_files)
        names.update(dict.fromkeys(f.position.file for f in self.findings))
        return list(names)

    def relative(self, shown: str) -> str | None:
        """A file as the repository names it, with forward slashes (`data/si_roadmap.yaml`);
        None for a file outside the repository root."""
        if shown not in self._paths:
            path = os.path.relpath(os.path.abspath(shown), self.root)
            inside = path != os.pardir and not path.startswith(os.pardir + os.sep)
            self._paths[shown] = path.replace(os.sep, "/") if inside else None
        return self._paths[shown]

    def path(self, shown: str) -> str:
        """The file relative to the repository root, else (outside it) its absolute path, as
        text that UTF-8 can hold."""
        relative = self.relative(shown)
        return text_safe(relative if relative is not None else os.path.abspath(shown))

    @cached_property
    def fingerprints(self) -> list[str]:
        """One fingerprint per finding, in order: a hash of what the finding is about (rule,
        file relative to the repository root, the item, field and value), never of its line
        or wording, so that it stays the same when unrelated lines move. Findings about the
        same thing are told apart by their rank in reading order."""
        seen: dict[tuple[str, ...], int] = {}
        prints = []
        for finding in self.findings:
            rule, shown, *about = finding.identity
            identity = (rule, self.path(shown), *about)
            rank = seen[identity] = seen.get(identity, 0) + 1
            parts = [*identity, str(rank)] if rank > 1 else list(identity)
            text = "\x1f".join(parts).encode("utf-8", "surrogatepass")
            prints.append(hashlib.sha256(text).hexdigest())
        return prints
