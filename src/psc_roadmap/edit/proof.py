"""The proof of an edit (its new text holds exactly the intended change), the judging of the
findings it brings to the whole project, and writing it only when both allow."""

from __future__ import annotations

import os
import re
import tempfile
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from psc_roadmap.atomic import write_atomic
from psc_roadmap.edit.sources import SourceFile, data_file_names
from psc_roadmap.errors import Finding, Position, PscError
from psc_roadmap.loader import parse_text

#: The intended change of an edit, applied in place to a file's plain data.
Change = Callable[[Any], None]


def canonical(value: Any) -> Any:
    """A comparable form of plain data that tells 1, 1.0, True and '1' apart."""
    if isinstance(value, dict):
        return ("map", tuple(sorted(((str(k), canonical(v)) for k, v in value.items()), key=lambda kv: kv[0])))
    if isinstance(value, list):
        return ("seq", tuple(canonical(v) for v in value))
    if isinstance(value, float) and value != value:
        return ("float", "nan")
    return (type(value).__name__, value)


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def parsed(text: str, shown: str) -> tuple[Any, list[Finding]]:
    """A text's plain data and the findings met while parsing it."""
    findings: list[Finding] = []
    return parse_text(text, shown, findings), findings


def prove(before: str, after: str, shown: str, change: Change) -> None:
    """PscError unless `after` holds exactly `before`'s data changed by `change(data)`."""
    old, _ = parsed(before, shown)
    new, findings = parsed(after, shown)
    expected = _plain(old)
    change(expected)
    # Other findings (a duplicate key elsewhere ...) may be there before and after: the
    # data comparison decides; only a text that no longer parses is refused outright.
    broken = any(f.rule == "yaml-syntax" for f in findings)
    if broken or canonical(new) != canonical(expected):
        raise PscError(
            f"{shown}: psc could not make this change in place without touching other data "
            "(an alias, a duplicate key or an unusual layout?); edit the file by hand"
        )


# --- checking a change against the whole project -------------------------------------------


@dataclass
class Verdict:
    """The project's findings with a candidate file, split by whether the change brought them."""

    new_errors: list[Finding] = field(default_factory=list)
    old_errors: list[Finding] = field(default_factory=list)
    new_warnings: list[Finding] = field(default_factory=list)


_POSITIONS = [
    (re.compile(r":[0-9]+:[0-9]+"), ":?:?"),
    (re.compile(r"\bline [0-9]+"), "line ?"),
    (re.compile(r"\bcolumn [0-9]+"), "column ?"),
]


def _key(finding: Finding) -> tuple[str, str]:
    message = finding.message
    for pattern, repl in _POSITIONS:
        message = pattern.sub(repl, message)
    return finding.rule, message


def judge(folder: str, name: str, candidate: str) -> Verdict:
    """Check the project as it is and as it would be with `candidate` as file `name`."""
    from psc_roadmap.checks import validate_folder

    real = Path(folder).resolve()
    with tempfile.TemporaryDirectory(prefix="psc-check-") as tmp:
        shadow = Path(tmp) / "project"
        shadow.mkdir()
        for entry in data_file_names(real) + ([name] if name not in data_file_names(real) else []):
            if (real / entry).exists() or (real / entry).is_symlink():
                _mirror(real / entry, shadow / entry)
        _, before = validate_folder(str(shadow))
        target = shadow / name
        if target.exists() or target.is_symlink():
            target.unlink()
        target.write_bytes(candidate.encode("utf-8"))
        _, after = validate_folder(str(shadow))
        before = [_relocated(f, str(shadow), folder) for f in before]
        after = [_relocated(f, str(shadow), folder) for f in after]
    counts = Counter(_key(f) for f in before)
    verdict = Verdict()
    for finding in after:
        k = _key(finding)
        if counts[k] > 0:
            counts[k] -= 1
            if finding.is_error:
                verdict.old_errors.append(finding)
        elif finding.is_error:
            verdict.new_errors.append(finding)
        else:
            verdict.new_warnings.append(finding)
    return verdict


def _mirror(source: Path, link: Path) -> None:
    try:
        os.symlink(source, link)
    except OSError:  # pragma: no cover - systems without symbolic links
        import shutil

        shutil.copyfile(source, link)


def _relocated(finding: Finding, shadow: str, folder: str) -> Finding:
    """The finding as if the real folder had been checked: its paths point there."""
    real_prefix = os.path.join(folder, "") if folder not in ("", ".") else ""
    shadow_prefix = os.path.join(shadow, "")
    p = finding.position
    file = real_prefix + p.file[len(shadow_prefix):] if p.file.startswith(shadow_prefix) else p.file
    message = finding.message.replace(shadow_prefix, real_prefix)
    return Finding(Position(file, p.line, p.column), finding.rule, finding.severity, message)


# --- writing a proved and judged edit ------------------------------------------------------


@dataclass
class EditOutcome:
    """What `set` or `add` did (or would have done) and the findings that decided it."""

    action_id: str
    file: str
    line: int
    summary: str
    written: bool = False
    unchanged: bool = False
    verdict: Verdict = field(default_factory=Verdict)


def prove_and_write(folder: str, source: SourceFile, text: str, change: Change, outcome: EditOutcome) -> EditOutcome:
    """Prove the new text holds exactly the change, judge the whole project with it, and
    write it (atomically) unless it brings a new error."""
    prove(source.text, text, source.shown, change)
    outcome.verdict = judge(folder, source.name, source.encode(text))
    if not outcome.verdict.new_errors:
        write_atomic(Path(os.path.realpath(source.path)), source.encode(text))
        outcome.written = True
    return outcome
