"""Writing a file safely: only where the user meant, and so that readers see the old
content or the new, never a mix.

A target must be a regular file or a new name: a folder, a device, a FIFO or a socket is
refused, and so is a symbolic link that leads out of its own folder (a pull request could
commit `docs/annexe.md` as a link into the CI's virtual environment), a read-only file (as
git refuses), a file with other hard links (replacing it would silently split them) and
any file the caller protects (the project's own data files). The data goes to a temporary
file in the same folder, flushed and synced, then renamed over the target, which keeps its
permission bits and, where the process may set them, its owner."""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path

from psc_roadmap.errors import PscError
from psc_roadmap.files import inside


class WriteError(PscError):
    """A file could not, or may not, be written; nothing on disk changed (exit 1)."""

    exit_code = 1


_KINDS = (
    (stat.S_ISDIR, "a folder"),
    (stat.S_ISFIFO, "a named pipe (FIFO)"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
)


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _status(path: str, shown: str, how: Callable[[str], os.stat_result]) -> os.stat_result | None:
    """What `how` (stat or lstat) says of path; None when there is nothing there."""
    try:
        return how(path)
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise WriteError(f"can't write {shown}: {exc.strerror or exc}") from None


def check_target(path: str | os.PathLike[str], protected: Iterable[str | os.PathLike[str]] = ()) -> Path:
    """The file that writing to `path` would replace (the path itself, or where a symbolic
    link inside its own folder tree leads), or WriteError saying why psc won't write there."""
    shown = os.fspath(path)
    target = shown
    info = _status(shown, shown, os.lstat)
    if info is not None and stat.S_ISLNK(info.st_mode):
        resolved = os.path.realpath(shown)
        home = os.path.realpath(os.path.dirname(os.path.abspath(shown)))
        if not inside(resolved, home):
            hint = " (for standard output, write -o -)" if shown.startswith("/dev/") else ""
            raise WriteError(
                f"won't write {shown}: it is a symbolic link to '{os.readlink(shown)}', outside its "
                f"folder; psc never writes through such a link: remove it or write elsewhere{hint}"
            )
        target = resolved
        info = _status(target, shown, os.stat)
    if info is not None:
        for test, kind in _KINDS:
            if test(info.st_mode):
                hint = "; for standard output, write -o -" if shown.startswith("/dev/") else ""
                raise WriteError(f"won't write {shown}: it is {kind}, not a regular file{hint}")
        if not info.st_mode & stat.S_IWUSR:
            raise WriteError(
                f"won't write {shown}: the file is read-only (mode {stat.S_IMODE(info.st_mode):04o}); "
                "make it writable first (chmod u+w) if it should change"
            )
        if info.st_nlink > 1:
            raise WriteError(
                f"won't write {shown}: the file has {info.st_nlink - 1} other hard link(s), which an "
                "atomic replace would leave with the old content; remove the other links first"
            )
        for other in protected:
            with contextlib.suppress(OSError):
                if os.path.samefile(target, other):
                    raise WriteError(
                        f"won't write {shown}: it is the project's data file {os.fspath(other)}; "
                        "write the output somewhere else"
                    )
    folder = os.path.dirname(os.path.abspath(target))
    if not os.path.isdir(folder):
        raise WriteError(f"can't write {shown}: folder '{os.path.dirname(target) or '.'}' does not exist")
    return Path(target)


def read_target(path: str | os.PathLike[str], limit: int) -> bytes | None:
    """What a target holds now (None: nothing yet), read with `check_target`'s refusals
    and never more than `limit` bytes (WriteError beyond: it can't be an output of psc)."""
    shown = os.fspath(path)
    target = check_target(path)
    try:
        with open(target, "rb") as handle:
            data = handle.read(limit + 1)
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise WriteError(f"can't read {shown}: {exc.strerror or exc}") from None
    if len(data) > limit:
        raise WriteError(f"{shown} is over {limit // (1024 * 1024)} MiB: not a document psc wrote")
    return data


def write_atomic(
    path: str | os.PathLike[str], data: str | bytes, protected: Iterable[str | os.PathLike[str]] = ()
) -> None:
    """Replace `path` by `data` (text is written as UTF-8) in one step, after `check_target`.

    The new file keeps the permission bits and owner of the file it replaces (a new file
    gets the usual 0666 less the umask). On any failure the old file is left as it was, the
    temporary file is removed, and WriteError says why."""
    payload = data.encode("utf-8") if isinstance(data, str) else data
    shown = os.fspath(path)
    target = check_target(path, protected)
    folder = target.parent
    old = _status(str(target), shown, os.stat)
    try:
        fd, temp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)
    except OSError as exc:
        raise WriteError(f"can't write {shown}: {exc.strerror or exc} (folder '{folder}')") from None
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(payload)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temp, stat.S_IMODE(old.st_mode) if old is not None else 0o666 & ~_umask())
        if old is not None and hasattr(os, "chown"):
            mine = os.stat(temp)
            if (mine.st_uid, mine.st_gid) != (old.st_uid, old.st_gid):
                try:
                    os.chown(temp, old.st_uid, old.st_gid)
                except PermissionError:
                    raise WriteError(
                        f"won't write {shown}: it belongs to another user (uid {old.st_uid}), and "
                        "replacing it would change its owner"
                    ) from None
        os.replace(temp, target)
    except BaseException as exc:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        if isinstance(exc, OSError):
            raise WriteError(f"can't write {shown}: {exc.strerror or exc}") from None
        raise
    _sync_folder(folder)


def _sync_folder(folder: Path) -> None:
    """Make the rename itself durable where the system allows it (not on Windows)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
