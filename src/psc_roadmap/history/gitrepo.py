"""A data folder's history as git holds it: which repository a folder is in, what a
revision names, the files of the folder at a commit, the commits that changed it.

Git runs from an argument list (never a shell), with a timeout, and only reads:
nothing is checked out, and the work tree and the index are never touched (optional
locks off). A revision given by a user is never read as an option: one that starts
with `-` is refused, and every other is passed after `--end-of-options`."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterable
from dataclasses import dataclass

from psc_roadmap.errors import PscError, UsageError
from psc_roadmap.text import quote, terminal_safe

#: Seconds any one git call may take before psc gives up on it.
GIT_TIMEOUT = 120
#: What git may say on stderr that psc repeats, at most.
_REASON_LIMIT = 200
#: A commit as `git log` writes it for psc: fields one per line, commits ended by NUL (-z).
_COMMIT_FORMAT = "--format=%H%n%h%n%as%n%an%n%s"
GIT_MISSING_HINT = (
    "git is not installed (or not on PATH): install git to compare revisions, "
    "or compare two folders (psc diff OLD_DIR NEW_DIR)"
)


class GitError(PscError):
    """Git failed on a repository it could read (exit 1), with git's own reason."""


@dataclass(frozen=True, slots=True)
class Commit:
    """One commit: full and short id, author date (YYYY-MM-DD), author and subject."""

    sha: str
    short: str
    date: str
    author: str
    subject: str


@dataclass(frozen=True, slots=True)
class TreeEntry:
    """One file of a folder at a commit, as `git ls-tree -l` lists it."""

    name: str
    mode: str
    kind: str
    sha: str
    size: int | None

    @property
    def regular(self) -> bool:
        return self.kind == "blob" and self.mode in ("100644", "100755")


def check_revision(text: str) -> None:
    """UsageError for a revision psc will not pass to git: one that git would read as an
    option (`--output=x`), or that holds a control character."""
    if text.startswith("-"):
        raise UsageError(
            f"{quote(terminal_safe(text))} starts with '-': psc never passes that to git as a revision "
            "(it would be read as an option); for a folder of that name write ./" + terminal_safe(text)
        )
    if not text or any(ord(c) < 0x20 or ord(c) == 0x7F for c in text):
        raise UsageError(f"{quote(terminal_safe(text))} is not a revision: it is empty or holds a control character")


def _environment() -> dict[str, str]:
    env = dict(os.environ)
    env.update({
        "GIT_OPTIONAL_LOCKS": "0",  # never refresh (write) the index, even where git may
        "GIT_TERMINAL_PROMPT": "0",
        "GIT_PAGER": "cat",
        "LC_ALL": "C",
    })
    return env


def run_git(args: list[str], cwd: str, stdin: bytes | None = None) -> subprocess.CompletedProcess[bytes]:
    """Git with these arguments in `cwd`, bounded in time; UsageError (exit 2) with the
    hint when git is missing, GitError when it can't finish in time."""
    argv = ["git", "--no-pager", "--literal-pathspecs", *args]
    try:
        return subprocess.run(
            argv, cwd=cwd, input=stdin, capture_output=True, timeout=GIT_TIMEOUT, check=False,
            env=_environment(), stdin=None if stdin is not None else subprocess.DEVNULL,
        )
    except FileNotFoundError:
        raise UsageError(GIT_MISSING_HINT) from None
    except subprocess.TimeoutExpired:
        raise GitError(f"git {args[0]} took more than {GIT_TIMEOUT} s; gave up") from None
    except OSError as exc:
        raise UsageError(f"cannot run git: {exc.strerror or exc}") from None


def reason(done: subprocess.CompletedProcess[bytes]) -> str:
    """Git's first line of complaint, short and safe for a terminal."""
    text = done.stderr.decode("utf-8", "replace").strip().splitlines()
    line = text[0].removeprefix("fatal: ").removeprefix("error: ") if text else f"exit {done.returncode}"
    line = terminal_safe(line)
    return line if len(line) <= _REASON_LIMIT else line[: _REASON_LIMIT - 1] + "…"


@dataclass(frozen=True, slots=True)
class Repository:
    """The git work tree that holds a data folder, and the folder's path inside it
    (`data`; empty when the folder is the top of the work tree)."""

    root: str
    path: str

    def _git(self, *args: str, stdin: bytes | None = None) -> bytes:
        done = run_git(list(args), self.root, stdin)
        if done.returncode != 0:
            raise GitError(f"git {args[0]} failed in {terminal_safe(self.root)}: {reason(done)}")
        return done.stdout

    @property
    def pathspec(self) -> str:
        return self.path or "."

    def resolve(self, revision: str) -> str | None:
        """The full id of the commit a revision names (anything `git rev-parse` takes),
        or None when it names none."""
        check_revision(revision)
        done = run_git(["rev-parse", "--verify", "--quiet", "--end-of-options", revision + "^{commit}"],
                       self.root)
        if done.returncode != 0:
            return None
        return done.stdout.decode("ascii", "replace").strip() or None

    def commit(self, sha: str) -> Commit:
        out = self._git("log", "-1", "-z", "--no-show-signature", _COMMIT_FORMAT, sha, "--")
        commits = _commits(out)
        if not commits:
            raise GitError(f"git log shows no commit {sha}")
        return commits[0]

    def commits(self, since: str | None = None) -> list[Commit]:
        """The commits that changed the folder, oldest first, along the first parents of
        HEAD (a merge counts with what it brought); after `since` when given."""
        if self.resolve("HEAD") is None:
            return []
        span = f"{since}..HEAD" if since else "HEAD"
        out = self._git("log", "--first-parent", "--reverse", "-z", "--no-show-signature", _COMMIT_FORMAT,
                        span, "--", self.pathspec)
        return _commits(out)

    def folder(self, sha: str) -> list[TreeEntry] | None:
        """The files directly in the folder at a commit, or None when it was no folder then."""
        args = ["ls-tree", "-z", "-l", "--full-tree", sha]
        if self.path:
            args += ["--", self.path + "/"]
        out = self._git(*args)
        entries = []
        for record in out.split(b"\0"):
            if not record:
                continue
            meta, _, name = record.partition(b"\t")
            fields = meta.split(None, 3)
            if len(fields) != 4:
                raise GitError(f"git ls-tree wrote a line psc can't read: {terminal_safe(repr(record[:80]))}")
            mode, kind, oid, size = fields
            entries.append(TreeEntry(
                os.path.basename(os.fsdecode(name)), mode.decode(), kind.decode(), oid.decode(),
                int(size) if size.strip().isdigit() else None,
            ))
        return entries or None

    def read_blobs(self, shas: Iterable[str]) -> dict[str, bytes]:
        """The contents of these blobs, in one `git cat-file --batch`."""
        wanted = list(dict.fromkeys(shas))
        if not wanted:
            return {}
        out = self._git("cat-file", "--batch", stdin="".join(s + "\n" for s in wanted).encode("ascii"))
        blobs: dict[str, bytes] = {}
        at = 0
        for sha in wanted:
            end = out.find(b"\n", at)
            header = out[at:end].split() if end >= 0 else []
            if len(header) != 3 or not header[2].isdigit() or end + 1 + int(header[2]) > len(out):
                raise GitError(f"git cat-file can't read the object {sha}")
            size = int(header[2])
            blobs[sha] = out[end + 1: end + 1 + size]
            at = end + 1 + size + 1
        return blobs


def find_repository(folder: str) -> Repository | str:
    """The repository whose work tree holds `folder`, or why there is none (git's reason)."""
    done = run_git(["rev-parse", "--show-toplevel", "--show-prefix"], folder)
    lines = done.stdout.decode("utf-8", "surrogateescape").split("\n")
    if done.returncode != 0 or len(lines) < 2:
        return reason(done)
    return Repository(root=lines[0], path=lines[1].rstrip("/"))


def _commits(out: bytes) -> list[Commit]:
    commits = []
    for record in out.split(b"\0"):
        fields = record.decode("utf-8", "replace").lstrip("\n").split("\n")
        if len(fields) >= 5:
            sha, short, date, author = fields[:4]
            commits.append(Commit(sha, short, date, author, "\n".join(fields[4:])))
    return commits
