"""`psc log`: the commits that changed the data folder, oldest first, each with what it
changed by meaning (a diff against the folder as the previous such commit left it).

Only the commits git lists for the folder's path are read (`git log -- PATH`), along the
first parents of HEAD; each is loaded once, reusing the texts of the files it did not
change, and is compared with the side before it. A commit whose data has errors is
listed with its count of errors and compared with nothing: the next valid commit is
compared with the last valid one."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from psc_roadmap.errors import NotFoundError, PscError, UsageError
from psc_roadmap.history.compare import ProjectDiff, diff_projects, roadmap_of
from psc_roadmap.history.gitrepo import Commit
from psc_roadmap.history.report import Style, change_text, changes_record, diff_lines
from psc_roadmap.history.sides import (
    Side,
    Sides,
    TextCache,
    folder_texts,
    is_data_name,
    load_texts,
    report_errors,
)
from psc_roadmap.project import Project
from psc_roadmap.suggest import Vocabulary
from psc_roadmap.text import plural, quote, terminal_safe

Record = dict[str, Any]
#: The changes of a commit that could not be compared.
_EMPTY = diff_projects(Project(folder="."), Project(folder="."))


@dataclass(frozen=True, slots=True)
class LogEntry:
    """One commit and what it changed; `diff` is None when its data has `errors`."""

    commit: Commit
    diff: ProjectDiff | None
    errors: int


@dataclass(slots=True)
class FolderLog:
    path: str
    since: Side | None
    entries: list[LogEntry]
    #: The project as the last valid commit left it.
    latest: Project
    item: str | None = None


def folder_log(sides: Sides, since: str | None = None) -> FolderLog:
    """Every commit that changed the data folder (after `since`), each compared with the
    folder before it. UsageError for a `since` that names no commit; exit 1 (with its
    errors printed) when the folder at `since` has errors."""
    repository = sides.repository(since)
    base: Side | None = None
    previous = Project(folder=repository.path or ".")
    since_sha = None
    if since is not None:
        since_sha = repository.resolve(since)
        if since_sha is None:
            raise UsageError(f"--since: `git rev-parse` finds no commit {quote(terminal_safe(since))} in "
                             f"{terminal_safe(repository.root)}")
        base = sides.revision(since, since_sha)
        if report_errors([base], "it must be valid to compare the commits after it"):
            raise PscError("no history to show")
        previous = base.project
    entries = []
    texts_cache: TextCache = {}
    last_files: tuple[tuple[str, str, str], ...] | None = None
    for commit in repository.commits(since_sha):
        tree = repository.folder(commit.sha)
        files = tuple((e.name, e.mode, e.sha) for e in tree or () if is_data_name(e.name))
        if files == last_files:
            entries.append(LogEntry(commit, _EMPTY, 0))
            continue
        last_files = files
        if tree is None:
            project, errors = Project(folder=repository.path or "."), 0
        else:
            texts, findings = folder_texts(repository, tree, texts_cache)
            project, findings = load_texts(repository.path, texts, findings)
            errors = sum(1 for f in findings if f.is_error)
        if errors:
            entries.append(LogEntry(commit, None, errors))
            last_files = None  # the next commit is compared with the last valid side, not this one
            continue
        entries.append(LogEntry(commit, diff_projects(previous, project), 0))
        previous = project
    return FolderLog(repository.path or ".", base, entries, previous)


# --- one item -------------------------------------------------------------------------------


def _only(diff: ProjectDiff, ids: set[str]) -> ProjectDiff:
    return dataclasses.replace(
        diff,
        added=tuple(e for e in diff.added if e.id in ids),
        removed=tuple(e for e in diff.removed if e.id in ids),
        renamed=tuple((o, n) for o, n in diff.renamed if o.id in ids or n.id in ids),
        changed=tuple(c for c in diff.changed if c.new.id in ids or c.old.id in ids),
        items_added=tuple(i for i in diff.items_added if i.id in ids),
        items_removed=tuple(i for i in diff.items_removed if i.id in ids),
        items_changed=tuple(i for i in diff.items_changed if i.id in ids),
    )


def about(log: FolderLog, item: str) -> FolderLog:
    """The log with only what concerns `item`, following its renames back (SI-05 was
    SI-5 before it was renamed: the commits before speak of SI-5). NotFoundError when no
    commit concerns it and the project has no such id."""
    names = {item}
    kept: list[LogEntry] = []
    for entry in reversed(log.entries):
        if entry.diff is None:
            continue
        diff = _only(entry.diff, names)
        names.update(o.id for o, n in diff.renamed if n.id in names)
        if not diff.empty:
            kept.append(LogEntry(entry.commit, diff, 0))
    if not kept and item not in log.latest.index:
        raise NotFoundError(f"no commit of '{terminal_safe(log.path)}' concerns {quote(terminal_safe(item))}, "
                            f"and the project has no item of that id{Vocabulary(log.latest.index).hint(item)}")
    return FolderLog(log.path, log.since, kept[::-1], log.latest, item)


# --- JSON and text ------------------------------------------------------------------------------


def log_record(log: FolderLog) -> Record:
    since = log.since
    return {
        "path": log.path,
        "since": None if since is None or since.commit is None else {"ref": since.ref, "commit": since.commit.sha},
        "id": log.item,
        "commits": [
            {
                "commit": e.commit.sha, "short": e.commit.short, "date": e.commit.date,
                "author": e.commit.author, "subject": e.commit.subject, "errors": e.errors,
                **changes_record(e.diff if e.diff is not None else _EMPTY),
            }
            for e in log.entries
        ],
    }


def _commit_line(commit: Commit, paint: Style) -> str:
    return (f"{commit.date}  {paint(commit.short, 'id')}  {terminal_safe(commit.author)}  "
            f"{terminal_safe(commit.subject)}")


def log_text(log: FolderLog, paint: Style) -> str:
    if log.item is not None:
        return "".join(line + "\n" for line in _item_lines(log, paint))
    lines: list[str] = []
    for entry in log.entries:
        lines.append(_commit_line(entry.commit, paint))
        if entry.diff is None:
            lines.append(f"  not compared: the data has {plural(entry.errors, 'error')} at this commit")
        elif entry.diff.empty:
            lines.append(paint("  no change in meaning (layout, comments or other files)", "dim"))
        else:
            lines.extend("  " + line for line in diff_lines(entry.diff, paint))
    return "".join(line + "\n" for line in lines)


def _phrases(diff: ProjectDiff, paint: Style) -> Iterable[tuple[str, str]]:
    """(id, what happened to it) for every change of a diff, in its order."""
    for e in diff.added:
        yield e.id, f"added {terminal_safe(quote(e.model.title))} in {terminal_safe(roadmap_of(e))}"
    for e in diff.removed:
        yield e.id, f"removed from {terminal_safe(roadmap_of(e))}"
    for o, n in diff.renamed:
        yield n.id, f"renamed {o.id} {paint.arrow} {n.id}"
    for c in diff.changed:
        for change in c.changes:
            yield c.new.id, change_text(change, paint, " ")
    for i in diff.items_added:
        yield i.id, f"{i.kind} added {terminal_safe(quote(i.title))}"
    for i in diff.items_removed:
        yield i.id, f"{i.kind} removed"
    for i in diff.items_changed:
        yield i.id, f"{i.kind} changed: {', '.join(i.fields)}"


def _item_lines(log: FolderLog, paint: Style) -> list[str]:
    """`SI-05: end 2020 → 2021-Q2 (+6 months) on 2020-03-02 by Jane (3f2cc80 Subject)`."""
    lines: list[str] = []
    for entry in log.entries:
        assert entry.diff is not None
        c = entry.commit
        when = (f"on {c.date} by {terminal_safe(c.author)} "
                f"({paint(c.short, 'id')} {terminal_safe(c.subject)})")
        lines.extend(f"{paint(item, 'id')}: {text} {when}" for item, text in _phrases(entry.diff, paint))
    return lines


# --- Markdown -------------------------------------------------------------------------------------


def log_markdown(log: FolderLog, lang: str) -> str:
    """The log for the minutes, in the document's language: a section per commit (one list
    for an item)."""
    from psc_roadmap.markdown import md_escape
    from psc_roadmap.render.changes import change_phrase, item_phrase, wording
    from psc_roadmap.render.filters import md_heading

    w = wording(lang)

    def bullets(diff: ProjectDiff) -> list[str]:
        action = w["item.action"]
        found: list[tuple[str, str, str]] = []
        for e in diff.added:
            found.append((action, e.id, f"{w['changes.item_added']}{w['colon']}{w.quoted(e.model.title)}"))
        for e in diff.removed:
            found.append((action, e.id, w["changes.item_removed"]))
        for o, n in diff.renamed:
            found.append((action, n.id, w["changes.renamed"].format(old=o.id)))
        for c in diff.changed:
            found.extend((action, c.new.id, change_phrase(f, w)) for f in c.changes)
        for what, items in (("added", diff.items_added), ("removed", diff.items_removed),
                            ("changed", diff.items_changed)):
            found.extend((w[f"item.{i.kind}"], i.id, item_phrase(i, w, what)) for i in items)
        return [f"{md_escape(kind)} `{item}` — {md_escape(phrase)}" for kind, item, phrase in found]

    title = w["log.heading"].format(name=log.item if log.item is not None else log.path)
    parts = [f"## {md_heading(title)}\n"]
    if not log.entries:
        parts.append(w["log.none"] + "\n")
    if log.item is not None:
        lines: list[str] = []
        for entry in log.entries:
            assert entry.diff is not None
            c = entry.commit
            when = md_escape(f"{c.date} · {c.short} · {c.author} · {c.subject}")
            lines.extend(f"- {when} — {line}\n" for line in bullets(entry.diff))
        return "\n".join([*parts, "".join(lines)] if lines else parts)
    for entry in log.entries:
        c = entry.commit
        parts.append(f"### {md_heading(f'{c.date} · {c.short} · {c.subject}')}\n\n{md_escape(c.author)}\n")
        if entry.diff is None:
            parts.append(md_escape(w["log.errors"].format(n=entry.errors)) + "\n")
        elif entry.diff.empty:
            parts.append(w["log.no_change"] + "\n")
        else:
            parts.append("".join(f"- {line}\n" for line in bullets(entry.diff)))
    return "\n".join(parts)
