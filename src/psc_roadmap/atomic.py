"""Writing a file so that readers see the old content or the new, never a mix:
a temporary file in the same folder, flushed and synced, then renamed over the target."""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from pathlib import Path

from psc_roadmap.errors import PscError


class WriteError(PscError):
    """A file could not be written; the previous content is untouched (exit 1)."""

    exit_code = 1


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def write_atomic(path: str | os.PathLike[str], data: str | bytes) -> None:
    """Replace `path` by `data` (text is written as UTF-8) in one step.

    The new file keeps the permission bits of the file it replaces (a new file gets the
    usual 0666 less the umask); a symbolic link is followed, so the file it points to is
    the one replaced. On any failure the old file is left as it was, the temporary file
    is removed, and WriteError says why."""
    payload = data.encode("utf-8") if isinstance(data, str) else data
    shown = os.fspath(path)
    target = Path(os.path.realpath(shown)) if os.path.islink(shown) else Path(shown)
    folder = target.parent
    try:
        mode: int | None = stat.S_IMODE(os.stat(target).st_mode)
        if os.path.isdir(target):
            raise WriteError(f"can't write {shown}: it is a folder")
    except FileNotFoundError:
        mode = None
    except OSError as exc:
        raise WriteError(f"can't write {shown}: {exc.strerror or exc}") from None
    if not folder.is_dir():
        raise WriteError(f"can't write {shown}: folder '{folder}' does not exist")
    try:
        fd, temp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)
    except OSError as exc:
        raise WriteError(f"can't write {shown}: {exc.strerror or exc} (folder '{folder}')") from None
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(payload)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temp, mode if mode is not None else 0o666 & ~_umask())
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
