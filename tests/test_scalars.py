"""The YAML scalar writer: a value written by `set` or `add` reads back as exactly that value."""

from __future__ import annotations

import os
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from psc_roadmap.edit.scalars import yaml_flow_list, yaml_scalar, yaml_text, yaml_value
from psc_roadmap.errors import Finding
from psc_roadmap.loader import parse_text
from psc_roadmap.text import unbalanced_bidi

EXAMPLES = int(os.environ.get("PSC_HYPOTHESIS_EXAMPLES", "300"))

#: Characters the loader refuses in a double-quoted scalar (every C0 and C1 control but tab
#: and line feed): the writer escapes them, and they read back as U+FFFD with a finding.
REFUSED = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
WRITABLE = st.characters(exclude_categories=["Cs"])


def read_back(line: str) -> tuple[object, list[Finding]]:
    findings: list[Finding] = []
    data = parse_text(line, "x.yaml", findings)
    return (data.get("k") if isinstance(data, dict) else data), findings


def read_block(scalar: str) -> tuple[object, list[Finding]]:
    return read_back(f"k: {scalar}\n")


def read_flow(scalar: str) -> tuple[object, list[Finding]]:
    value, findings = read_back(f"k: [{scalar}]\n")
    return (value[0] if isinstance(value, list) and len(value) == 1 else value), findings


# --- plain when safe ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    ["Plain text", "Direction du numérique", "é à ç", "a:b", "a#b", "-x", "?x", "x`", "it's", 'say "hi"',
     "back\\slash", "a,b", "a]b", "https://example.org/a", "😀"],
)
def test_plain_when_safe(text: str) -> None:
    assert yaml_text(text) == text
    assert read_block(text) == (text, [])


@pytest.mark.parametrize("text", ["a b", "a#b", "-x", "it's", "x`", "-"])
def test_plain_in_a_flow_list_when_safe(text: str) -> None:
    assert yaml_text(text, in_flow=True) == text
    assert read_flow(text) == (text, [])


# --- quoted when needed ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "written"),
    [
        # YAML 1.1 booleans and nulls, which other tools still read as such
        ("yes", '"yes"'), ("no", '"no"'), ("on", '"on"'), ("off", '"off"'), ("y", '"y"'), ("N", '"N"'),
        ("Yes", '"Yes"'), ("null", '"null"'), ("~", '"~"'), ("true", '"true"'), ("False", '"False"'),
        # numbers and dates
        ("2024", '"2024"'), ("1.5", '"1.5"'), ("1e3", '"1e3"'), ("0x1F", '"0x1F"'), ("0o17", '"0o17"'),
        ("+1", '"+1"'), (".inf", '".inf"'), (".NaN", '".NaN"'), ("2020-09-01", '"2020-09-01"'),
        # indicators: a key, a comment
        ("a: b", '"a: b"'), ("a:", '"a:"'), ("#x", '"#x"'), ("a #b", '"a #b"'),
        # indicators at the start
        ("-", '"-"'), ("- x", '"- x"'), ("?", '"?"'), ("? x", '"? x"'), ("&x", '"&x"'), ("*x", '"*x"'),
        ("!x", '"!x"'), ("|x", '"|x"'), (">x", '">x"'), ("%x", '"%x"'), ("@x", '"@x"'), ("`x", '"`x"'),
        (",x", '",x"'), ("[x]", '"[x]"'), ("{x}", '"{x}"'), ("'x'", "\"'x'\""), ('"x"', '"\\"x\\""'),
        # spaces, line breaks, tabs
        ("", '""'), (" x", '" x"'), ("x ", '"x "'), (" ", '" "'), ("x\ny", '"x\\ny"'), ("x\n", '"x\\n"'),
        ("x\ty", '"x\\ty"'), ("\t", '"\\t"'),
        # characters a plain scalar can't hold safely
        ("a\u2028b", '"a\\u2028b"'), ("a\u2029b", '"a\\u2029b"'), ("\ufeffa", '"\\ufeffa"'),
        ("back\\slash\n", '"back\\\\slash\\n"'),
    ],
)
def test_quoted_when_needed(text: str, written: str) -> None:
    assert yaml_text(text) == written
    assert read_block(written) == (text, [])


@pytest.mark.parametrize("text", ["a,b", "a]b", "[x", "a}b", "{x", "a:b", "?x", "https://example.org/a"])
def test_quoted_in_a_flow_list_when_needed(text: str) -> None:
    written = yaml_text(text, in_flow=True)
    assert written.startswith('"')
    assert read_flow(written) == (text, [])


@pytest.mark.parametrize("char", ["\x00", "\x07", "\x1b", "\r", "\x7f", "\x85"])
def test_a_control_character_is_escaped_and_refused_on_reading(char: str) -> None:
    written = yaml_text(f"a{char}b")
    assert written == f'"a\\u{ord(char):04x}b"'
    value, findings = read_block(written)
    assert value == "a\ufffdb"
    assert [f.rule for f in findings] == ["schema"]
    assert f"control character U+{ord(char):04X}" in findings[0].message


# --- the old value's quote style ---------------------------------------------------------------


def test_the_old_quote_style_is_kept() -> None:
    assert yaml_text("plain", "'") == "'plain'"
    assert yaml_text("it's", "'") == "'it''s'"
    assert yaml_text('say "hi"', "'") == "'say \"hi\"'"
    assert yaml_text("plain", '"') == '"plain"'
    assert yaml_text("it's", '"') == '"it\'s"'
    assert yaml_text("yes", "'") == "'yes'"


def test_single_quotes_give_way_to_double_where_they_cannot_escape() -> None:
    assert yaml_text("line\nbreak", "'") == '"line\\nbreak"'
    assert yaml_text("tab\there", "'") == '"tab\\there"'
    assert yaml_text("a\u2028b", "'") == '"a\\u2028b"'


def test_force_quotes_a_plain_safe_text() -> None:
    assert yaml_text("plain", force=True) == '"plain"'
    assert yaml_text("plain", "'", force=True) == "'plain'"


# --- periods and other fields ------------------------------------------------------------------


def test_periods_are_quoted_years_are_not() -> None:
    assert yaml_scalar("2024-Q3", "end", None) == '"2024-Q3"'
    assert yaml_scalar("2024-09", "start", None) == '"2024-09"'
    assert yaml_scalar("2024-Q3", "end", "'") == "'2024-Q3'"
    assert yaml_scalar(2024, "end", '"') == "2024"
    assert yaml_scalar(2024, "start", None) == "2024"
    assert yaml_scalar("2024-Q3", "title", None) == "2024-Q3"  # only periods are forced
    assert yaml_scalar("2024", "title", None) == '"2024"'


def test_a_flow_list_quotes_items_with_commas_and_brackets() -> None:
    written = yaml_flow_list(["a", "b,c", "[d]", "e]", "{f}", "g h", "yes"], "tags")
    assert written == '[a, "b,c", "[d]", "e]", "{f}", g h, "yes"]'
    assert read_block(written) == (["a", "b,c", "[d]", "e]", "{f}", "g h", "yes"], [])
    assert yaml_flow_list([], "tags") == "[]"


def test_yaml_value_writes_a_list_as_a_flow_list() -> None:
    assert yaml_value("axes", ["AX1", "AX2"]) == "[AX1, AX2]"
    assert yaml_value("end", "2024-Q3") == '"2024-Q3"'
    assert yaml_value("start", 2024) == "2024"
    assert yaml_value("owner", "Direction : SI") == '"Direction : SI"'


# --- any text reads back -----------------------------------------------------------------------


@settings(max_examples=EXAMPLES, deadline=None)
@given(text=st.text(WRITABLE), style=st.sampled_from([None, "'", '"']))
def test_any_text_reads_back_as_itself(text: str, style: str | None) -> None:
    """Read back as `k: <scalar>` and `k: [<scalar>]`, a written text is that text, or, for a
    control character, that text with U+FFFD in its place and the finding that refuses it
    (one finding also for an unbalanced bidi control, which is kept)."""
    refused = REFUSED.search(text) or unbalanced_bidi(text)
    expected = (REFUSED.sub("\ufffd", text), ["schema"] if refused else [])
    value, findings = read_block(yaml_text(text, style))
    assert (value, [f.rule for f in findings]) == expected
    value, findings = read_flow(yaml_text(text, style, in_flow=True))
    assert (value, [f.rule for f in findings]) == expected


@settings(max_examples=EXAMPLES, deadline=None)
@given(values=st.lists(st.text(WRITABLE), max_size=4), name=st.sampled_from(["tags", "end"]))
def test_any_flow_list_reads_back_as_itself(values: list[str], name: str) -> None:
    value, findings = read_block(yaml_flow_list(values, name))
    assert value == [REFUSED.sub("\ufffd", v) for v in values]
    assert [f.rule for f in findings] == ["schema"] * sum(bool(REFUSED.search(v) or unbalanced_bidi(v)) for v in values)


@pytest.mark.parametrize("char", ["\x80", "\x9f", "\ufffe", "\uffff"])
def test_characters_yaml_cannot_hold_are_escaped(char: str) -> None:
    _, findings = read_block(yaml_text(f"a{char}b"))
    assert "yaml-syntax" not in [f.rule for f in findings]
