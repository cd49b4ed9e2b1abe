"""`psc add`: a new action appended to a roadmap's list in the layout of the ones before it."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from psc_roadmap.edit.lock import project_lock
from psc_roadmap.edit.proof import EditOutcome, prove_and_write
from psc_roadmap.edit.roadmaps import RoadmapFile, actions_pair, project_ids, roadmap_files
from psc_roadmap.edit.scalars import FieldValue, typed_value, yaml_value
from psc_roadmap.edit.spans import (
    Node,
    colon_end,
    content_end,
    is_empty_null,
    is_kind,
    line_break,
    line_end,
    line_number,
    line_start,
    mapping_pair,
    scalar_text,
)
from psc_roadmap.errors import PscError, UsageError
from psc_roadmap.models import ACTION_FIELDS
from psc_roadmap.suggest import did_you_mean
from psc_roadmap.text import terminal_safe


def next_id(ids: list[str], taken: set[str]) -> str | None:
    """The id that continues a list's pattern (prefix + number), or None without one."""
    groups: dict[str, list[str]] = {}
    for item_id in ids:
        match = re.fullmatch(r"(.*?)([0-9]+)", item_id)
        if match and match.group(1):
            groups.setdefault(match.group(1), []).append(match.group(2))
    if not groups:
        return None
    ranked = sorted(groups.items(), key=lambda kv: -len(kv[1]))
    if len(ranked) > 1 and len(ranked[0][1]) == len(ranked[1][1]):
        return None
    prefix, numbers = ranked[0]
    width = max(len(n) for n in numbers)
    used = {int(m.group(1)) for t in taken
            if t.startswith(prefix) and (m := re.fullmatch(r"([0-9]+)", t[len(prefix):]))}
    number = max(int(n) for n in numbers) + 1
    while number in used:
        number += 1
    return f"{prefix}{number:0{width}d}"


def add_action(folder: str, values: dict[str, Any], roadmap_id: str | None = None,
               action_id: str | None = None) -> EditOutcome:
    """Append a new action to a roadmap; write only if it brings no new error."""
    typed = {name: typed_value(name, raw) for name, raw in values.items() if raw is not None}
    fields = {name: value for name, value in typed.items() if value is not None}
    with project_lock(folder):
        roadmaps, broken = roadmap_files(folder)
        roadmap = _pick_roadmap(roadmaps, broken, roadmap_id)
        source = roadmap.source
        pair = actions_pair(roadmap.root)
        if pair is None:
            raise PscError(f"{source.shown} has no `actions:` list; add `actions: []` and try again")
        existing = [
            text for item in (pair[1].value if is_kind(pair[1], "sequence") else [])
            if (id_pair := mapping_pair(item, "id")) and (text := scalar_text(id_pair[1]))
        ]
        if action_id is None:
            action_id = next_id(existing, set(project_ids(folder)))
            if action_id is None:
                raise UsageError(f"the roadmap '{roadmap.roadmap_id}' has no id pattern to continue "
                                 "(ids ending in a number); give the new id with --id")
        action = {"id": action_id, **{n: fields[n] for n in ACTION_FIELDS if n in fields}}
        text, at = _append_action(source.text, pair, action)
        outcome = AddOutcome(action_id, source.shown, line_number(text, at), f"added {action_id}")
        outcome.proposed = _proposed_lines(source.text, text)

        def change(data: Any) -> None:
            if not isinstance(data.get("actions"), list):
                data["actions"] = []
            data["actions"].append(action)

        return prove_and_write(folder, source, text, change, outcome)


@dataclass
class AddOutcome(EditOutcome):
    """What `add` did, and the new action's lines in the text it proposed: the findings of a
    refused addition point into that text, which was never written."""

    proposed: list[tuple[int, str]] = field(default_factory=list)

    def refusal_note(self) -> str:
        """The proposed lines that the refused findings' positions refer to."""
        if not self.proposed or not any(f.position.file == self.file for f in self.verdict.new_errors):
            return ""
        first, last = self.proposed[0][0], self.proposed[-1][0]
        width = len(str(last))
        lines = "".join(f"  {number:>{width}} | {terminal_safe(text)}\n" for number, text in self.proposed)
        return (f"note: the positions in {self.file} are in the text psc proposed, which was not written; "
                f"there, lines {first}-{last} would have been:\n{lines}")


def _proposed_lines(before: str, after: str) -> list[tuple[int, str]]:
    """The lines that `after` has and `before` does not (the new action), numbered as in
    `after`: what lies between their common first lines and their common last lines."""
    old, new = before.splitlines(), after.splitlines()
    first = 0
    while first < len(old) and first < len(new) and old[first] == new[first]:
        first += 1
    last, old_last = len(new), len(old)
    while last > first and old_last > first and old[old_last - 1] == new[last - 1]:
        last, old_last = last - 1, old_last - 1
    while first < last and not new[first].strip():
        first += 1
    while last > first and not new[last - 1].strip():
        last -= 1
    return [(n + 1, new[n]) for n in range(first, min(last, first + _SHOWN_LINES))]


#: How many lines of a refused addition are shown.
_SHOWN_LINES = 30


def _pick_roadmap(roadmaps: list[RoadmapFile], broken: list[str], roadmap_id: str | None) -> RoadmapFile:
    listed = ", ".join(f"{r.roadmap_id} ({r.source.name})" for r in roadmaps if r.roadmap_id)
    if roadmap_id is None:
        if len(roadmaps) == 1:
            return roadmaps[0]
        if not roadmaps:
            note = "".join(f"\nnote: {b}" for b in broken)
            raise PscError(f"no roadmap file can be read; create one (`psc init`) or fix it first{note}")
        raise UsageError(f"the project has {len(roadmaps)} roadmaps; choose one with --roadmap: {listed}")
    for roadmap in roadmaps:
        if roadmap.roadmap_id == roadmap_id:
            return roadmap
    ids = [r.roadmap_id for r in roadmaps if r.roadmap_id]
    raise UsageError(f"--roadmap: no roadmap '{roadmap_id}'{did_you_mean(roadmap_id, ids)}; roadmaps: {listed}")


def _append_action(text: str, pair: tuple[Node, Node], action: dict[str, FieldValue]) -> tuple[str, int]:
    """The text with the action appended to the actions list, and the index where it starts."""
    key, seq = pair
    nl = line_break(text)
    if is_kind(seq, "sequence") and seq.flow_style and seq.value:
        flow = ", ".join(f"{k}: {yaml_value(k, v)}" for k, v in action.items())
        at = content_end(text, seq.value[-1])
        return text[:at] + ", {" + flow + "}" + text[at:], at
    if is_kind(seq, "sequence") and seq.value:
        last = seq.value[-1]
        # Indentation as in the last action written as a block mapping, else two spaces.
        model = next((i for i in reversed(seq.value) if is_kind(i, "mapping") and not i.flow_style and i.value), last)
        before = text[line_start(text, model.start_mark.index):model.start_mark.index]
        dash = before.rfind("-")
        dash_column = dash if dash >= 0 else int(key.start_mark.column) + 2
        key_column = int(model.start_mark.column) if model is not last or not last.flow_style else dash_column + 2
        if key_column <= dash_column:
            key_column = dash_column + 2
        at = line_end(text, content_end(text, last))
        # Comment lines indented under the last action belong to it: the new one goes after them.
        while at < len(text):
            following = text[at:line_end(text, at + len(nl))].lstrip("\r\n")
            if not following.lstrip().startswith("#") or len(following) - len(following.lstrip()) <= dash_column:
                break
            at = line_end(text, at + len(nl))
        # Keep the list's rhythm: a blank line before the new action if one precedes the last.
        last_line = line_start(text, last.start_mark.index)
        gap = nl if last_line > 0 and not text[line_start(text, last_line - 1):last_line].strip() else ""
        block = gap + nl + _block(action, dash_column, key_column, nl)
        return text[:at] + block + text[at:], at + len(gap) + len(nl)
    # An empty list (`actions: []`) or nothing at all (`actions:`): a block list under the key.
    dash_column = key.start_mark.column + 2
    if is_kind(seq, "sequence") or not is_empty_null(seq):
        start = colon_end(text, key)
        text = text[:start] + text[seq.end_mark.index:]
    at = line_end(text, colon_end(text, key))
    return text[:at] + nl + _block(action, dash_column, dash_column + 2, nl) + text[at:], at + len(nl)


def _block(action: dict[str, FieldValue], dash_column: int, key_column: int, nl: str) -> str:
    lines = []
    for i, (name, value) in enumerate(action.items()):
        entry = f"{name}: {yaml_value(name, value)}"
        if i == 0:
            lines.append(" " * dash_column + "-" + " " * max(key_column - dash_column - 1, 1) + entry)
        else:
            lines.append(" " * key_column + entry)
    return nl.join(lines)
