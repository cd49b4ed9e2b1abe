"""Round-trip edits of data files: `fmt` (one canonical layout), `set` and `add` (text
splices that leave every other byte alone), each checked before an atomic write made
under a lock on the project folder; and `init` (a new project from the bundled example
or the blank skeleton).

Edits never re-dump a file: `set` and `add` find the exact span of a value with
ruamel.yaml's pure-Python composer (its marks are character offsets) and splice new text
into the original. Every edit is then proved: the new text is parsed again and its data
must equal the old data with exactly the intended change, else nothing is written.
"""

from __future__ import annotations

import datetime
import os
import re
import tempfile
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from psc_roadmap import files
from psc_roadmap.atomic import write_atomic
from psc_roadmap.errors import Finding, NotFoundError, Position, PscError, UsageError
from psc_roadmap.files import ROADMAP_SUFFIX, SourceFile, discover, display_path
from psc_roadmap.loader import YAML11_BOOLEANS, YAML_KEYWORDS, parse_text
from psc_roadmap.models import ACTION_FIELDS, LIST_FIELDS
from psc_roadmap.suggest import did_you_mean

#: Seconds `set`, `add` and `fmt` wait for another psc editing the same project.
LOCK_TIMEOUT = 60.0
PERIOD_FIELDS = frozenset({"start", "end"})
_WIDTH = 1_000_000_000


# --- files -------------------------------------------------------------------------------


def data_file_names(folder: Path) -> list[str]:
    """The data files of a project in reading order: axes, governance, then roadmaps by name."""
    return discover(str(folder)).names


def read_source(folder: str, name: str) -> tuple[SourceFile | None, Finding | None]:
    """A data file's text, or the `file-error` finding that says why it can't be read."""
    source = files.read_source(folder, name)
    if isinstance(source, Finding):
        return None, source
    return source, None


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


# --- YAML nodes and text positions ---------------------------------------------------------


def compose(text: str, shown: str) -> Any:
    """The node tree of a text, with character offsets; PscError if it is not YAML."""
    from ruamel.yaml import YAML
    from ruamel.yaml.error import MarkedYAMLError, YAMLError

    try:
        return YAML(typ="safe", pure=True).compose(text)
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f":{mark.line + 1}:{mark.column + 1}" if mark is not None else ""
        raise PscError(f"{shown}{where}: the file is not valid YAML ({exc.problem or exc.context}); "
                       "fix it first") from None
    except (YAMLError, RecursionError, ValueError) as exc:
        raise PscError(f"{shown}: the file is not valid YAML ({exc}); fix it first") from None


def _is(node: Any, kind: str) -> bool:
    return node is not None and getattr(node, "id", None) == kind


def _get(mapping: Any, key: str) -> tuple[Any, Any] | None:
    """The first (key node, value node) pair of a mapping node whose key is `key`."""
    if not _is(mapping, "mapping"):
        return None
    for key_node, value_node in mapping.value:
        if _is(key_node, "scalar") and key_node.value == key:
            return key_node, value_node
    return None


def _scalar_text(node: Any) -> str | None:
    if _is(node, "scalar") and isinstance(node.value, str):
        return str(node.value).strip()
    return None


def _is_empty_null(node: Any) -> bool:
    return _is(node, "scalar") and node.start_mark.index == node.end_mark.index


def _colon_end(text: str, key: Any) -> int:
    """Index just after the `:` that follows a key."""
    index = int(key.end_mark.index)
    while index < len(text) and text[index] in " \t":
        index += 1
    return index + 1 if index < len(text) and text[index] == ":" else int(key.end_mark.index)


def _content_end(text: str, node: Any, key: Any = None) -> int:
    """Index just after the last character that belongs to a node's value.

    Block collections and block scalars end where the next token starts, past blank lines
    and comments; this walks down to their last real character instead.
    """
    if _is_empty_null(node):
        return _colon_end(text, key) if key is not None else int(node.start_mark.index)
    if _is(node, "scalar"):
        end = int(node.end_mark.index)
        if node.style in ("|", ">"):
            while end > node.start_mark.index + 1 and text[end - 1] in " \t\r\n":
                end -= 1
        return end
    if node.flow_style:
        return int(node.end_mark.index)
    if _is(node, "sequence"):
        return _content_end(text, node.value[-1]) if node.value else int(node.end_mark.index)
    if node.value:
        last_key, last_value = node.value[-1]
        return _content_end(text, last_value, last_key)
    return int(node.end_mark.index)


def _line_start(text: str, index: int) -> int:
    return text.rfind("\n", 0, index) + 1


def _line_end(text: str, index: int) -> int:
    """Index of the line break that ends the line holding index (before a `\\r\\n`)."""
    end = text.find("\n", index)
    if end == -1:
        return len(text)
    return end - 1 if end > 0 and text[end - 1] == "\r" else end


def _newline(text: str) -> str:
    first = text.find("\n")
    return "\r\n" if first > 0 and text[first - 1] == "\r" else "\n"


def _line_of(text: str, index: int) -> int:
    return text.count("\n", 0, index) + 1


# --- rendering values as YAML text --------------------------------------------------------

_YAML11_WORDS = YAML11_BOOLEANS | YAML_KEYWORDS


def _plain_ok(text: str, in_flow: bool) -> bool:
    """Whether text can be written without quotes and still read back as the same text."""
    if not text or text != text.strip() or text.lower() in _YAML11_WORDS:
        return False
    if any(ch < " " or ch in "\x7f\x85\u2028\u2029\ufeff" for ch in text):
        return False
    if in_flow and any(ch in ",[]{}" for ch in text):
        return False
    findings: list[Finding] = []
    probe = f"k: [{text}]\n" if in_flow else f"k: {text}\n"
    data = parse_text(probe, "<value>", findings)
    if findings or not isinstance(data, dict):
        return False
    value = data.get("k")
    if in_flow:
        return isinstance(value, list) and len(value) == 1 and type(value[0]) is str and value[0] == text
    return type(value) is str and value == text


def _double_quoted(text: str) -> str:
    out = []
    for ch in text:
        if ch == "\\":
            out.append("\\\\")
        elif ch == '"':
            out.append('\\"')
        elif ch == "\n":
            out.append("\\n")
        elif ch == "\t":
            out.append("\\t")
        elif ch < " " or ch in "\x7f\x85\u2028\u2029\ufeff":
            out.append(f"\\u{ord(ch):04x}")
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'


def _quoted(text: str, style: str | None) -> str:
    if style == "'" and not any(ch < " " or ch in "\x7f\x85\u2028\u2029\ufeff" for ch in text):
        return "'" + text.replace("'", "''") + "'"
    return _double_quoted(text)


def _render_text(text: str, style: str | None = None, in_flow: bool = False, force: bool = False) -> str:
    """A string as a YAML scalar: plain when safe, else quoted in the old value's quote style."""
    if style in ("'", '"') or force:
        return _quoted(text, style)
    if _plain_ok(text, in_flow):
        return text
    return _double_quoted(text)


def _render_scalar(value: int | str, name: str, style: str | None, in_flow: bool = False) -> str:
    if isinstance(value, int):
        return str(value)
    if name in PERIOD_FIELDS:
        # Quarters and months are written quoted, as FORMAT.md shows them.
        return _render_text(value, style if style in ("'", '"') else '"', in_flow, force=True)
    return _render_text(value, style, in_flow)


def _render_flow_list(values: list[str], name: str) -> str:
    return "[" + ", ".join(_render_scalar(v, name, None, in_flow=True) for v in values) + "]"


def typed_value(name: str, raw: str | list[str]) -> Any:
    """The value of an action field as the data will hold it; None removes the field."""
    if name in LIST_FIELDS:
        parts = raw if isinstance(raw, list) else [raw]
        items = [item.strip() for part in parts for item in part.split(",")]
        kept = [item for item in items if item]
        return kept or None
    text = (raw if isinstance(raw, str) else ",".join(raw)).strip()
    if not text:
        return None
    if name in PERIOD_FIELDS and re.fullmatch(r"[0-9]{4}", text):
        return int(text)
    return text


# --- proving an edit ----------------------------------------------------------------------


def _canonical(value: Any) -> Any:
    """A comparable form of plain data that tells 1, 1.0, True and '1' apart."""
    if isinstance(value, dict):
        return ("map", tuple(sorted(((str(k), _canonical(v)) for k, v in value.items()), key=lambda kv: kv[0])))
    if isinstance(value, list):
        return ("seq", tuple(_canonical(v) for v in value))
    if isinstance(value, float) and value != value:
        return ("float", "nan")
    return (type(value).__name__, value)


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def _parsed(text: str, shown: str) -> tuple[Any, list[Finding]]:
    findings: list[Finding] = []
    return parse_text(text, shown, findings), findings


def _prove(before: str, after: str, shown: str, change: Any) -> None:
    """PscError unless `after` holds exactly `before`'s data changed by `change(data)`."""
    old, _ = _parsed(before, shown)
    new, findings = _parsed(after, shown)
    expected = _plain(old)
    change(expected)
    # Other findings (a duplicate key elsewhere ...) may be there before and after: the
    # data comparison decides; only a text that no longer parses is refused outright.
    broken = any(f.rule == "yaml-syntax" for f in findings)
    if broken or _canonical(new) != _canonical(expected):
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
    return Finding(Position(file, p.line, p.column), finding.rule, message, finding.about)


# --- set ----------------------------------------------------------------------------------


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


@dataclass
class _Roadmap:
    source: SourceFile
    root: Any
    roadmap_id: str | None


def _roadmaps(folder: str) -> tuple[list[_Roadmap], list[str]]:
    """Every roadmap file that parses, and a note for each one that does not."""
    found: list[_Roadmap] = []
    broken: list[str] = []
    for name in data_file_names(Path(folder)):
        if not name.endswith(ROADMAP_SUFFIX):
            continue
        source, problem = read_source(folder, name)
        if source is None:
            broken.append(f"{display_path(folder, name)}: {problem.message if problem else 'unreadable'}")
            continue
        try:
            root = compose(source.text, source.shown)
        except PscError as exc:
            broken.append(str(exc))
            continue
        header = _get(root, "roadmap")
        id_pair = _get(header[1], "id") if header else None
        roadmap_id = _scalar_text(id_pair[1]) if id_pair else None
        found.append(_Roadmap(source, root, roadmap_id))
    return found, broken


def _actions_node(root: Any) -> tuple[Any, Any] | None:
    return _get(root, "actions")


def _project_ids(folder: str) -> dict[str, str]:
    """Every id written anywhere in the project's data files, with the kind of list it is in."""
    ids: dict[str, str] = {}

    def walk(value: Any, kind: str) -> None:
        if isinstance(value, dict):
            item_id = value.get("id")
            if isinstance(item_id, str):
                ids.setdefault(item_id.strip(), kind)
            for key, child in value.items():
                walk(child, key)
        elif isinstance(value, list):
            for child in value:
                walk(child, kind)

    for name in data_file_names(Path(folder)):
        source, _ = read_source(folder, name)
        if source is not None:
            data, _ = _parsed(source.text, source.shown)
            walk(data, "")
    return ids


_KIND_NAMES = {"axes": "an axis", "principles": "a principle", "themes": "a theme",
               "bodies": "a body", "roadmap": "a roadmap"}


def _find_action(folder: str, action_id: str) -> tuple[_Roadmap, int, Any]:
    roadmaps, broken = _roadmaps(folder)
    known: list[str] = []
    for roadmap in roadmaps:
        pair = _actions_node(roadmap.root)
        if pair is None or not _is(pair[1], "sequence"):
            continue
        for index, item in enumerate(pair[1].value):
            id_pair = _get(item, "id")
            item_id = _scalar_text(id_pair[1]) if id_pair else None
            if item_id == action_id:
                return roadmap, index, item
            if item_id:
                known.append(item_id)
    kind = _project_ids(folder).get(action_id)
    if kind is not None and kind != "actions":
        raise NotFoundError(f"'{action_id}' is {_KIND_NAMES.get(kind, 'not an action')}, not an action; "
                            "psc set changes actions only")
    note = "".join(f"\nnote: {b}" for b in broken)
    raise NotFoundError(f"no action '{action_id}' in the project{did_you_mean(action_id, known)}{note}")


def check_settable(name: str) -> None:
    """UsageError, listing the fields, unless `psc set` may change field `name`."""
    if name == "id":
        raise UsageError("the id can't be changed with `psc set`: renaming needs every reference "
                         f"to it changed too; fields you can set: {', '.join(ACTION_FIELDS)}")
    if name not in ACTION_FIELDS:
        raise UsageError(f"unknown field '{name}'{did_you_mean(name, list(ACTION_FIELDS))}; "
                         f"fields you can set: {', '.join(ACTION_FIELDS)}")


def set_field(folder: str, action_id: str, name: str, value: str) -> EditOutcome:
    """Change one field of one action in place; write only if it brings no new error."""
    check_settable(name)
    new_value = typed_value(name, value)
    with project_lock(folder):
        roadmap, index, item = _find_action(folder, action_id)
        source = roadmap.source
        text, line, summary, held = _edit_mapping(source.text, item, name, new_value)
        outcome = EditOutcome(action_id, source.shown, line, summary)
        if text == source.text:
            outcome.unchanged = True
            return outcome

        def change(data: Any) -> None:
            action = data["actions"][index]
            if held is None:
                action.pop(name, None)
            else:
                action[name] = held

        return _check_and_write(folder, source, text, change, outcome)


def _check_and_write(folder: str, source: SourceFile, text: str, change: Any, outcome: EditOutcome) -> EditOutcome:
    """Prove the new text holds exactly the change, judge the whole project with it, and
    write it (atomically) unless it brings a new error."""
    _prove(source.text, text, source.shown, change)
    outcome.verdict = judge(folder, source.name, source.encode(text))
    if not outcome.verdict.new_errors:
        write_atomic(Path(os.path.realpath(source.path)), source.encode(text))
        outcome.written = True
    return outcome


def _edit_mapping(text: str, item: Any, name: str, value: Any) -> tuple[str, int, str, Any]:
    """The text with field `name` of mapping node `item` set to value (None: removed), the
    line of the change, a summary, and the value as the new text holds it."""
    pair = _get(item, name)
    if value is None:
        if pair is None:
            return text, _line_of(text, item.start_mark.index), f"{name} is already absent", None
        return _remove_key(text, item, pair), _line_of(text, pair[0].start_mark.index), f"{name} removed", None
    shown = value if not isinstance(value, list) else ", ".join(value)
    if pair is None:
        new_text, at = _insert_key(text, item, name, _render_new(name, value))
        return new_text, _line_of(new_text, at), f"{name} = {shown}", value
    key, old = pair
    if isinstance(value, list) and _single(old, value):
        value = value[0]
    start = old.start_mark.index
    if _is_empty_null(old):
        start = _colon_end(text, key)
        rendered = " " + _render_like(text, old, name, value)
        end = start
    else:
        rendered = _render_like(text, old, name, value)
        end = _content_end(text, old, key)
    return text[:start] + rendered + text[end:], _line_of(text, key.start_mark.index), f"{name} = {shown}", value


def _render_new(name: str, value: Any) -> str:
    if isinstance(value, list):
        return _render_flow_list(value, name)
    return _render_scalar(value, name, None)


def _render_like(text: str, old: Any, name: str, value: Any) -> str:
    """The new value in the style of the old one: block or flow list, quote style."""
    if isinstance(value, list):
        if _is(old, "sequence") and not old.flow_style and old.value:
            indent = " " * int(old.start_mark.column)
            nl = _newline(text)
            return (nl + indent).join("- " + _render_scalar(v, name, None) for v in value)
        return _render_flow_list(value, name)
    return _render_scalar(value, name, _style(old) if _is(old, "scalar") else None)


def _single(old: Any, value: list[str]) -> bool:
    """A one-item list replacing a list written as one plain value stays one plain value."""
    return _is(old, "scalar") and not _is_empty_null(old) and len(value) == 1


def _style(node: Any) -> str | None:
    style = getattr(node, "style", None)
    return style if style in ("'", '"') else None


def _remove_key(text: str, item: Any, pair: tuple[Any, Any]) -> str:
    key, value = pair
    pairs = list(item.value)
    position = next(i for i, (k, _) in enumerate(pairs) if k is key)
    following = pairs[position + 1][0] if position + 1 < len(pairs) else None
    if item.flow_style:
        if position > 0:
            previous_key, previous_value = pairs[position - 1]
            start = _content_end(text, previous_value, previous_key)
            return text[:start] + text[_content_end(text, value, key):]
        end = following.start_mark.index if following is not None else _content_end(text, value, key)
        return text[:key.start_mark.index] + text[end:]
    start = _line_start(text, key.start_mark.index)
    if text[start:key.start_mark.index].strip() == "":
        end = _line_end(text, _content_end(text, value, key))
        end = len(text) if end >= len(text) else end + (2 if text[end] == "\r" else 1)
        return text[:start] + text[end:]
    # The key follows `- ` on its line: the next key moves up in its place.
    end = following.start_mark.index if following is not None else _content_end(text, value, key)
    return text[:key.start_mark.index] + text[end:]


def _insert_key(text: str, item: Any, name: str, rendered: str) -> tuple[str, int]:
    """The text with `name: rendered` after the mapping's last key, and where it went."""
    last_key, last_value = item.value[-1]
    anchor = _content_end(text, last_value, last_key)
    if item.flow_style:
        addition = f", {name}: {rendered}"
        return text[:anchor] + addition + text[anchor:], anchor
    column = item.value[0][0].start_mark.column
    at = _line_end(text, anchor)
    nl = _newline(text)
    addition = nl + " " * column + f"{name}: {rendered}"
    return text[:at] + addition + text[at:], at + len(nl)


# --- add ----------------------------------------------------------------------------------


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
    fields = {name: typed_value(name, raw) for name, raw in values.items() if raw is not None}
    fields = {name: value for name, value in fields.items() if value is not None}
    with project_lock(folder):
        roadmaps, broken = _roadmaps(folder)
        roadmap = _pick_roadmap(roadmaps, broken, roadmap_id)
        source = roadmap.source
        pair = _actions_node(roadmap.root)
        if pair is None:
            raise PscError(f"{source.shown} has no `actions:` list; add `actions: []` and try again")
        existing = [
            text for item in (pair[1].value if _is(pair[1], "sequence") else [])
            if (id_pair := _get(item, "id")) and (text := _scalar_text(id_pair[1]))
        ]
        if action_id is None:
            action_id = next_id(existing, set(_project_ids(folder)))
            if action_id is None:
                raise UsageError(f"the roadmap '{roadmap.roadmap_id}' has no id pattern to continue "
                                 "(ids ending in a number); give the new id with --id")
        action = {"id": action_id, **{n: fields[n] for n in ACTION_FIELDS if n in fields}}
        text, at = _append_action(source.text, pair, action)
        outcome = EditOutcome(action_id, source.shown, _line_of(text, at), f"added {action_id}")

        def change(data: Any) -> None:
            if not isinstance(data.get("actions"), list):
                data["actions"] = []
            data["actions"].append(action)

        return _check_and_write(folder, source, text, change, outcome)


def _pick_roadmap(roadmaps: list[_Roadmap], broken: list[str], roadmap_id: str | None) -> _Roadmap:
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


def _append_action(text: str, pair: tuple[Any, Any], action: dict[str, Any]) -> tuple[str, int]:
    """The text with the action appended to the actions list, and the index where it starts."""
    key, seq = pair
    nl = _newline(text)
    if _is(seq, "sequence") and seq.flow_style and seq.value:
        flow = ", ".join(f"{k}: {_render_new(k, v)}" for k, v in action.items())
        at = _content_end(text, seq.value[-1])
        return text[:at] + ", {" + flow + "}" + text[at:], at
    if _is(seq, "sequence") and seq.value:
        last = seq.value[-1]
        # Indentation as in the last action written as a block mapping, else two spaces.
        model = next((i for i in reversed(seq.value) if _is(i, "mapping") and not i.flow_style and i.value), last)
        before = text[_line_start(text, model.start_mark.index):model.start_mark.index]
        dash = before.rfind("-")
        dash_column = dash if dash >= 0 else int(key.start_mark.column) + 2
        key_column = int(model.start_mark.column) if model is not last or not last.flow_style else dash_column + 2
        if key_column <= dash_column:
            key_column = dash_column + 2
        at = _line_end(text, _content_end(text, last))
        # Comment lines indented under the last action belong to it: the new one goes after them.
        while at < len(text):
            following = text[at:_line_end(text, at + len(nl))].lstrip("\r\n")
            if not following.lstrip().startswith("#") or len(following) - len(following.lstrip()) <= dash_column:
                break
            at = _line_end(text, at + len(nl))
        # Keep the list's rhythm: a blank line before the new action if one precedes the last.
        last_line = _line_start(text, last.start_mark.index)
        gap = nl if last_line > 0 and not text[_line_start(text, last_line - 1):last_line].strip() else ""
        block = gap + nl + _block(action, dash_column, key_column, nl)
        return text[:at] + block + text[at:], at + len(gap) + len(nl)
    # An empty list (`actions: []`) or nothing at all (`actions:`): a block list under the key.
    dash_column = key.start_mark.column + 2
    if _is(seq, "sequence") or not _is_empty_null(seq):
        start = _colon_end(text, key)
        text = text[:start] + text[seq.end_mark.index:]
    at = _line_end(text, _colon_end(text, key))
    return text[:at] + nl + _block(action, dash_column, dash_column + 2, nl) + text[at:], at + len(nl)


def _block(action: dict[str, Any], dash_column: int, key_column: int, nl: str) -> str:
    lines = []
    for i, (name, value) in enumerate(action.items()):
        entry = f"{name}: {_render_new(name, value)}"
        if i == 0:
            lines.append(" " * dash_column + "-" + " " * max(key_column - dash_column - 1, 1) + entry)
        else:
            lines.append(" " * key_column + entry)
    return nl.join(lines)


# --- fmt ----------------------------------------------------------------------------------


class FormatError(PscError):
    """A file that `fmt` leaves alone, with the reason and where (1-based line and column)."""

    def __init__(self, message: str, line: int = 1, column: int = 1) -> None:
        super().__init__(message)
        self.line = line
        self.column = column


@dataclass
class FormatReport:
    """Per file: changed, unchanged or skipped (with the reason)."""

    changed: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    #: (file as shown, line, column, reason)
    skipped: list[tuple[str, int, int, str]] = field(default_factory=list)


def _rt_dump(body: str) -> str | None:
    """The body re-laid out by ruamel.yaml's round trip; None for a non-collection document."""
    import io

    from ruamel.yaml import YAML

    yaml = YAML(typ="rt")
    yaml.indent(mapping=2, sequence=4, offset=2)
    yaml.preserve_quotes = True
    yaml.width = _WIDTH
    data = yaml.load(body)
    if not isinstance(data, dict | list):
        return None
    out = io.StringIO()
    yaml.dump(data, out)
    return out.getvalue()


_HEADER_LINE = re.compile(r"[ \t]*(#.*)?|%.*|---[ \t]*(#.*)?")


def _layout(text: str) -> str:
    """One pass of the canonical layout over LF text.

    The comment block before the first key and the lines from a `...` document end on are
    kept as they are (ruamel.yaml drops a `---` and the comments before it); leading blank
    lines go, and the file ends with exactly one line break.
    """
    lines = text.split("\n")
    first = 0
    while first < len(lines) and _HEADER_LINE.fullmatch(lines[first]):
        first += 1
    header_lines = lines[:first]
    while header_lines and not header_lines[0].strip():
        header_lines.pop(0)
    header = "".join(line + "\n" for line in header_lines)
    if first == len(lines):
        return header.rstrip("\n") + "\n" if header.strip() else ""
    rest = lines[first:]
    end = next((i for i, line in enumerate(rest) if re.fullmatch(r"\.\.\.[ \t]*(#.*)?", line)), None)
    trailer = "\n".join(rest[end:]) if end is not None else ""
    body = "\n".join(rest) if end is None else "".join(line + "\n" for line in rest[:end])
    dumped = _rt_dump(body)
    if dumped is None:
        return text
    if trailer:
        if dumped.endswith("...\n"):
            dumped = dumped[:-4]
        trailer = trailer.rstrip("\n") + "\n"
        return header + dumped + trailer
    if not dumped.endswith("...\n"):
        dumped = dumped.rstrip("\n") + "\n"
    return header + dumped


def _comment_lines(text: str) -> Counter[str]:
    return Counter(s for line in text.split("\n") if (s := line.strip()).startswith("#"))


#: Findings that mean a file can't be laid out: its data is not known for sure.
_UNPARSED = frozenset({"yaml-syntax", "duplicate-key"})


def format_text(text: str, shown: str) -> str:
    """The text in the canonical layout, proved to hold the same data and comments.

    Line ends stay as the file has them (CRLF stays CRLF, decided by its first line); the
    caller keeps a UTF-8 BOM. FormatError if the file can't be laid out safely.
    """
    from ruamel.yaml.error import YAMLError

    data, findings = _parsed(text, shown)
    problems = [f for f in findings if f.rule in _UNPARSED]
    if problems:
        first = problems[0]
        raise FormatError(f"{first.rule}: {first.message}", first.position.line, first.position.column)
    crlf = _newline(text) == "\r\n"
    current = text.replace("\r\n", "\n")
    try:
        for _ in range(3):
            laid_out = _layout(current)
            if laid_out == current:
                break
            current = laid_out
        else:
            raise FormatError("the layout does not settle; please report this file")
    except YAMLError as exc:
        raise FormatError(f"ruamel.yaml can't lay this file out: {exc}") from None
    except (ValueError, TypeError, AttributeError, RecursionError) as exc:
        raise FormatError(f"ruamel.yaml can't lay this file out: {type(exc).__name__}: {exc}") from None
    new, new_findings = _parsed(current, shown)
    if any(f.rule in _UNPARSED for f in new_findings) or _canonical(new) != _canonical(data):
        raise FormatError("the new layout would change the data; the file was left as it is (please report it)")
    missing = _comment_lines(text.replace("\r\n", "\n")) - _comment_lines(current)
    if missing:
        raise FormatError(f"the new layout would lose the comment {next(iter(missing))!r}; "
                          "the file was left as it is (please report it)")
    return current.replace("\n", "\r\n") if crlf else current


def format_folder(folder: str, check: bool) -> FormatReport:
    """Lay out every data file of the project; with check, write nothing."""
    report = FormatReport()
    with project_lock(folder):
        for name in data_file_names(Path(folder)):
            source, problem = read_source(folder, name)
            shown = display_path(folder, name)
            if source is None:
                where = problem.position if problem else None
                report.skipped.append((
                    shown, where.line if where else 1, where.column if where else 1,
                    f"{problem.rule}: {problem.message}" if problem else "unreadable",
                ))
                continue
            try:
                laid_out = format_text(source.text, shown)
            except FormatError as exc:
                report.skipped.append((shown, exc.line, exc.column, str(exc)))
                continue
            if laid_out == source.text:
                report.unchanged.append(shown)
                continue
            report.changed.append(shown)
            if not check:
                write_atomic(Path(os.path.realpath(source.path)), source.encode(laid_out))
    return report


# --- init ---------------------------------------------------------------------------------

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
        for name in data_file_names(folder):
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
