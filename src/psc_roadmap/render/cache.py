"""Compiled templates kept between runs in the user's cache folder, which is private to
that user: a cache folder or file that another user could have written is ignored, no
entry is larger than a few MiB, and the folder keeps the most recent entries only."""

from __future__ import annotations

import contextlib
import io
import os
import stat
import sys
import tempfile

from jinja2.bccache import Bucket, BytecodeCache

#: The largest compiled template kept (ours are tens of KiB).
MAX_ENTRY_BYTES = 4 * 1024 * 1024
#: How many compiled templates the folder keeps; the oldest go first.
MAX_ENTRIES = 200


def _private_folder(path: str) -> bool:
    """Whether path is a real folder owned by this user that nobody else may write."""
    try:
        info = os.lstat(path)
    except OSError:
        return False
    owner_ok = not hasattr(os, "geteuid") or info.st_uid == os.geteuid()
    return stat.S_ISDIR(info.st_mode) and owner_ok and not info.st_mode & (stat.S_IWGRP | stat.S_IWOTH)


class PrivateBytecodeCache(BytecodeCache):
    """Jinja2's file cache of compiled templates, keyed by each template's name and source
    checksum (so never stale), refusing anything another user could have planted."""

    def __init__(self, directory: str) -> None:
        self.directory = directory

    def _path(self, bucket: Bucket) -> str:
        return os.path.join(self.directory, f"{bucket.key}.cache")

    def load_bytecode(self, bucket: Bucket) -> None:
        path = self._path(bucket)
        try:
            fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
        except OSError:
            return
        with os.fdopen(fd, "rb") as handle:
            info = os.fstat(handle.fileno())
            mine = not hasattr(os, "geteuid") or info.st_uid == os.geteuid()
            private = not info.st_mode & (stat.S_IWGRP | stat.S_IWOTH)
            if stat.S_ISREG(info.st_mode) and mine and private and info.st_size <= MAX_ENTRY_BYTES:
                bucket.load_bytecode(handle)

    def dump_bytecode(self, bucket: Bucket) -> None:
        out = io.BytesIO()
        bucket.write_bytecode(out)
        data = out.getvalue()
        if len(data) > MAX_ENTRY_BYTES:
            return
        try:
            fd, temp = tempfile.mkstemp(dir=self.directory, suffix=".tmp")
        except OSError:
            return
        try:
            with os.fdopen(fd, "wb") as handle:  # mkstemp makes it 0600
                handle.write(data)
            os.replace(temp, self._path(bucket))
        except OSError:
            with contextlib.suppress(OSError):
                os.unlink(temp)
            return
        self._prune()

    def _prune(self) -> None:
        try:
            entries = [e for e in os.scandir(self.directory) if e.name.endswith(".cache")]
        except OSError:
            return
        if len(entries) <= MAX_ENTRIES:
            return
        entries.sort(key=lambda e: e.stat(follow_symlinks=False).st_mtime)
        for entry in entries[: len(entries) - MAX_ENTRIES]:
            with contextlib.suppress(OSError):
                os.unlink(entry.path)


def bytecode_cache(kind: str) -> PrivateBytecodeCache | None:
    """The cache in `$XDG_CACHE_HOME/psc-roadmap` (else `~/.cache/psc-roadmap`), made
    private to this user, one folder per kind of environment (the same template compiles
    differently in the sandbox); none where such a folder can't be had."""
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    top = os.path.join(base, "psc-roadmap")
    folder = os.path.join(top, f"jinja-{sys.version_info[0]}.{sys.version_info[1]}-{kind}")
    try:
        os.makedirs(folder, mode=0o700, exist_ok=True)
    except OSError:
        return None
    if not (_private_folder(top) and _private_folder(folder)):
        return None
    return PrivateBytecodeCache(folder)
