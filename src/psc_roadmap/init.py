"""`psc init`: a new project from the bundled example or the blank skeleton, with the JSON
Schemas its files point at."""

from __future__ import annotations

import datetime
import re
from pathlib import Path

from psc_roadmap.atomic import write_atomic
from psc_roadmap.errors import PscError, UsageError
from psc_roadmap.files import discover

SCHEMA_FOLDER = "schemas"
_SCHEMA_LINE = re.compile(r"^(# yaml-language-server: \$schema=)\.\./schemas/", re.MULTILINE)


def project_files(blank: bool, year: int | None = None) -> dict[str, str]:
    """The files `psc init` writes, by path inside the new project.

    The data files' `$schema` comment points at `schemas/<kind>.schema.json`, written into
    the project too, so that editors find the schema wherever the project lives.
    """
    from psc_roadmap.schema import KINDS, schema_text

    files: dict[str, str] = {}
    if blank:
        start = year or datetime.date.today().year
        folder = Path(__file__).resolve().parent / "skeleton"
        for path in sorted(folder.glob("*.yaml")):
            text = path.read_text(encoding="utf-8")
            for token, number in (("START", start), ("END", start + 1), ("HORIZON", start + 3)):
                text = text.replace("{{" + token + "}}", str(number))
            files[path.name] = text
    else:
        from psc_roadmap.resources import bundled

        folder = bundled("data")
        for name in discover(str(folder)).names:
            raw = (folder / name).read_bytes()
            files[name] = _SCHEMA_LINE.sub(r"\g<1>schemas/", raw.decode("utf-8"), count=1)
    for kind in KINDS:
        files[f"{SCHEMA_FOLDER}/{kind}.schema.json"] = schema_text(kind)
    return files


def init_project(destination: Path, blank: bool, force: bool) -> list[Path]:
    """Write a new project into destination; refuse to replace a file unless force."""
    if destination.exists() and not destination.is_dir():
        raise UsageError(f"'{destination}' is a file, not a folder; give `psc init` a folder to create")
    files = project_files(blank)
    targets = [destination / name for name in files]
    present = [t for t in targets if t.exists() or t.is_symlink()]
    if present and not force:
        shown = ", ".join(str(t) for t in present)
        raise PscError(f"not overwriting {shown}; use --force to replace the files psc init writes "
                       "(no other file is touched)")
    try:
        (destination / SCHEMA_FOLDER).mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise PscError(f"cannot create the folder '{destination}': {exc.strerror or exc}") from None
    for target, text in zip(targets, files.values(), strict=True):
        if target.is_dir() and not target.is_symlink():
            raise PscError(f"'{target}' is a folder; move it away first")
        if target.is_symlink():
            target.unlink()  # --force replaces the link itself, never the file it points to
        write_atomic(target, text)
    return targets
