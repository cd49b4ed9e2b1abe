"""Round-trip edits of data files: `fmt` (one canonical layout), `set` and `add` (text
splices that leave every other byte alone), each checked before an atomic write made
under a lock on the project folder.

Edits never re-dump a file: `set` and `add` find the exact span of a value with
ruamel.yaml's pure-Python composer (its marks are character offsets) and splice new text
into the original. Every edit is then proved: the new text is parsed again and its data
must equal the old data with exactly the intended change, else nothing is written.
"""

from psc_roadmap.edit.adding import add_action, next_id
from psc_roadmap.edit.fmt import FormatError, FormatReport, format_folder, format_text
from psc_roadmap.edit.lock import LOCK_TIMEOUT, project_lock
from psc_roadmap.edit.proof import EditOutcome, Verdict, judge
from psc_roadmap.edit.scalars import FieldValue, typed_value, yaml_flow_list, yaml_scalar, yaml_text, yaml_value
from psc_roadmap.edit.setting import check_settable, set_field

__all__ = [
    "LOCK_TIMEOUT",
    "EditOutcome",
    "FieldValue",
    "FormatError",
    "FormatReport",
    "Verdict",
    "add_action",
    "check_settable",
    "format_folder",
    "format_text",
    "judge",
    "next_id",
    "project_lock",
    "set_field",
    "typed_value",
    "yaml_flow_list",
    "yaml_scalar",
    "yaml_text",
    "yaml_value",
]
