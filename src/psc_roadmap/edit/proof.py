"""The proof of an edit (its new text holds exactly the intended change), the judging of the
findings it brings to the whole project, and writing it only when both allow."""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from psc_roadmap.atomic import write_atomic
from psc_roadmap.errors import Finding, PscError
from psc_roadmap.files import SourceFile
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


def judge(folder: str, name: str, candidate: str) -> Verdict:
    """Check the project as it is and as it would be with `candidate` as the text of file
    `name`. Findings are paired by what they are about (`Finding.identity`: rule, file,
    item, field, value), never by their wording or line, so that a finding that only moved
    with the edit is not new."""
    from psc_roadmap.checks import validate_folder

    _, before = validate_folder(folder)
    _, after = validate_folder(folder, overlay={name: candidate})
    counts = Counter(f.identity for f in before)
    verdict = Verdict()
    for finding in after:
        key = finding.identity
        if counts[key] > 0:
            counts[key] -= 1
            if finding.is_error:
                verdict.old_errors.append(finding)
        elif finding.is_error:
            verdict.new_errors.append(finding)
        else:
            verdict.new_warnings.append(finding)
    return verdict


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
    outcome.verdict = judge(folder, source.name, text)
    if not outcome.verdict.new_errors:
        write_atomic(Path(os.path.realpath(source.path)), source.encode(text))
        outcome.written = True
    return outcome
