"""The lock on a project folder that makes concurrent `set`, `add` and `fmt` queue up."""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from contextlib import contextmanager

from psc_roadmap.errors import PscError

#: Seconds `set`, `add` and `fmt` wait for another psc editing the same project.
LOCK_TIMEOUT = 60.0


@contextmanager
def project_lock(folder: str, timeout: float = LOCK_TIMEOUT) -> Iterator[None]:
    """Hold an exclusive lock on the project folder, so that concurrent edits queue up.

    The lock is taken on the folder itself (flock on a folder descriptor), which leaves no
    lock file behind; where fcntl does not exist (Windows) edits are not serialised.
    """
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows
        yield
        return
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError as exc:
        raise PscError(f"cannot open the folder '{folder}': {exc.strerror or exc}") from None
    try:
        deadline = time.monotonic() + timeout
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() > deadline:
                    raise PscError(
                        f"another psc command has been editing '{folder}' for {timeout:.0f} s; "
                        "try again when it is done"
                    ) from None
                time.sleep(0.02)
            except OSError:
                break  # a file system without locks: carry on unserialised
        yield
    finally:
        os.close(fd)
