"""One side of a comparison: the project as it stands at a git revision or in a folder,
loaded and checked as `psc validate` would, with where it came from.

A revision is read from git at the data folder's path inside its repository: the data
files are listed with `git ls-tree`, read with `git cat-file --batch` (each within the
64 MiB limit of a data file) and loaded as the overlay of a folder made of those texts
alone; nothing is written anywhere."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from dataclasses import dataclass, field

from psc_roadmap.errors import Finding, NotFoundError, Position, UsageError
from psc_roadmap.files import AXES_FILE, GOVERNANCE_FILE, MAX_FILE_BYTES, ROADMAP_SUFFIX, decode, is_roadmap_name
from psc_roadmap.history.gitrepo import Commit, Repository, TreeEntry, check_revision, find_repository
from psc_roadmap.output import message
from psc_roadmap.project import Project
from psc_roadmap.reporters import finding_line, use_colour
from psc_roadmap.text import plural, quote, terminal_safe

#: The ref of the data folder as it is on disk, when no NEW side is given.
WORK_TREE = "work tree"


@dataclass(slots=True)
class Side:
    """A loaded, checked project and where it came from: `ref` as the user wrote it (or
    "work tree"), the commit it names (None for a folder), and the text its findings are
    shown after (`HEAD:` for a revision: `HEAD:data/si_roadmap.yaml` as git names it)."""

    ref: str
    commit: Commit | None
    project: Project
    findings: list[Finding] = field(default_factory=list)

    @property
    def prefix(self) -> str:
        return f"{self.ref}:" if self.commit is not None else ""

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.is_error]

    @property
    def date(self) -> str | None:
        return self.commit.date if self.commit is not None else None


def is_data_name(name: str) -> bool:
    return name in (AXES_FILE, GOVERNANCE_FILE) or is_roadmap_name(name)


def _file_error(shown: str, message: str) -> Finding:
    return Finding(Position(shown), "file-error", message)


def _shown(path: str, name: str) -> str:
    return f"{path}/{name}" if path else name


#: What a data file of a commit reads as, by (blob id, name): its text, or why it has none.
TextCache = dict[tuple[str, str], str | Finding]


def folder_texts(repository: Repository, entries: list[TreeEntry],
                 cache: TextCache | None = None) -> tuple[dict[str, str], list[Finding]]:
    """The texts of the data files among a folder's entries at a commit, and the
    file-error findings of those psc won't read (a link, a folder, over the size limit,
    not UTF-8). `cache` keeps what was read, for the next commit."""
    known = cache if cache is not None else {}
    texts: dict[str, str] = {}
    findings: list[Finding] = []
    wanted = []
    for entry in entries:
        if not is_data_name(entry.name):
            continue
        shown = _shown(repository.path, entry.name)
        if entry.mode == "120000":
            findings.append(_file_error(shown, "a symbolic link in git: psc does not follow it in a revision; "
                                               "commit the file itself"))
        elif not entry.regular:
            findings.append(_file_error(shown, "not a regular file (a folder?); data files must be files"))
        elif entry.size is not None and entry.size > MAX_FILE_BYTES:
            findings.append(_file_error(
                shown, f"file is {entry.size:,} bytes, over the {MAX_FILE_BYTES // (1024 * 1024)} MiB limit; "
                       f"split it (a project may have several *{ROADMAP_SUFFIX} files)",
            ))
        elif (entry.sha, entry.name) not in known:
            wanted.append(entry)
    blobs = repository.read_blobs(e.sha for e in wanted)
    for entry in wanted:
        known[entry.sha, entry.name] = decode(blobs[entry.sha], _shown(repository.path, entry.name))
    for entry in entries:
        value = known.get((entry.sha, entry.name)) if is_data_name(entry.name) and entry.regular else None
        if isinstance(value, str):
            texts[entry.name] = value
        elif isinstance(value, Finding):
            findings.append(value)
    return texts, findings


def load_texts(path: str, texts: dict[str, str], findings: list[Finding]) -> tuple[Project, list[Finding]]:
    """The checked project of these texts alone, as if they were the files of `path`."""
    from psc_roadmap.checks import validate_folder

    project, found = validate_folder(path or ".", texts, overlay_only=True)
    found = findings + found
    rank = project.file_rank
    found.sort(key=lambda f: f.sort_key(rank))
    return project, found


class Sides:
    """Turns what the user wrote (a revision or a folder) into loaded sides, relative to
    the data folder: its repository is looked for only when a revision is asked for."""

    def __init__(self, data_folder: Callable[[], str]) -> None:
        self._data_folder = data_folder
        self._repository: Repository | None = None

    @property
    def folder(self) -> str:
        return self._data_folder()

    def repository(self, wanted: str | None = None) -> Repository:
        """The repository of the data folder; UsageError "pass two folders" when it has none
        (`wanted`: the revision asked for; None for the history of the folder)."""
        if self._repository is None:
            folder = terminal_safe(self.folder)
            found = find_repository(self.folder)
            if isinstance(found, str):
                # git's own reason when it is not the plain "not a git repository" (dubious ownership ...)
                why = "" if found.startswith("not a git repository") else f" ({found})"
                if wanted is None:
                    raise UsageError(f"the data folder '{folder}' is not inside a git repository{why}: "
                                     "it has no history to read")
                raise UsageError(
                    f"{quote(terminal_safe(wanted))} is not a folder, and the data folder '{folder}' is not "
                    f"inside a git repository{why}, so it can't be read as a revision: pass two folders "
                    "(psc diff OLD_DIR NEW_DIR)"
                )
            self._repository = found
        return self._repository

    def work_tree(self) -> Side:
        return self._folder_side(self.folder, WORK_TREE)

    def side(self, spec: str, folder: bool = True) -> Side:
        """The side `spec` names: a folder when there is one of that name (and `folder`),
        else a revision of the data folder's repository; UsageError (exit 2) saying what
        was tried."""
        check_revision(spec)
        if folder and os.path.isdir(spec):
            return self._folder_side(spec, spec)
        repository = self.repository(spec)
        sha = repository.resolve(spec)
        if sha is None:
            raise UsageError(
                f"{quote(terminal_safe(spec))} is neither a folder nor a revision: there is no folder of that "
                f"name, and `git rev-parse` finds no commit by that name in {terminal_safe(repository.root)}"
            )
        return self.revision(spec, sha)

    def revision(self, ref: str, sha: str) -> Side:
        """The data folder as it was at a commit; NotFoundError (exit 1) if it did not exist."""
        repository = self.repository(ref)
        commit = repository.commit(sha)
        entries = repository.folder(sha)
        if entries is None:
            where = repository.path or "the top of the repository"
            raise NotFoundError(
                f"the data folder '{terminal_safe(where)}' did not exist at {quote(terminal_safe(ref))} "
                f"(commit {commit.short})"
            )
        texts, findings = folder_texts(repository, entries)
        project, findings = load_texts(repository.path, texts, findings)
        return Side(ref, commit, project, findings)

    @staticmethod
    def _folder_side(folder: str, ref: str) -> Side:
        from psc_roadmap.checks import validate_folder

        project, findings = validate_folder(folder)
        return Side(ref, None, project, findings)


def report_errors(sides: list[Side], why: str = "both sides must be valid to be compared") -> bool:
    """Print the errors of each side (prefixed with the side) on stderr, and `why` they
    stop the command; True if any."""
    colour = use_colour(sys.stderr)
    failed = False
    for side in sides:
        errors = side.errors
        if not errors:
            continue
        failed = True
        prefix = terminal_safe(side.prefix)
        message("".join(f"{prefix}{finding_line(f, colour)}\n" for f in errors))
        where = f"at {quote(terminal_safe(side.ref))}" if side.commit is not None else \
            f"in '{terminal_safe(side.project.folder)}'"
        message(f"error: the project {where} has {plural(len(errors), 'error')}; {why}\n")
    return failed
