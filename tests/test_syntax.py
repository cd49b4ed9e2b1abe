"""YAML syntax mistakes in plain words: each `yaml-syntax` finding stands where the mistake
is (the tab, the key out of line, the opening bracket), says what to write, and the file
parses once its hint is applied as written."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from psc_roadmap.errors import Finding
from psc_roadmap.loader import parse_text
from tests.conftest import AXES, ROADMAP, MakeProject, apply_hint, run_psc

# Each case: (old, new) in the minimal roadmap, then (line, column) and the words of the hint.
MISTAKES = {
    "colon-in-text": (
        ("title: Base collections", "title: Intranet: replace it"),
        (11, 12), "a text that contains ': ' must be in quotes; write `title: \"Intranet: replace it\"`",
    ),
    "tab-before-key": (
        ("    owner: DSI", "\towner: DSI"),
        (17, 1), "YAML indents with spaces; replace the tab at column 1: indent 'owner' with 4 spaces, "
        "like the keys above it",
    ),
    "tab-after-spaces": (
        ("    owner: DSI", "  \towner: DSI"),
        (17, 3), "YAML indents with spaces; replace the tab at column 3: indent 'owner' with 4 spaces",
    ),
    "key-2-spaces-too-little": (
        ("    owner: DSI", "  owner: DSI"),
        (17, 3), "key 'owner' is out of line: the keys beside it start at column 5, and it starts at "
        "column 3; move it to column 5",
    ),
    "key-2-spaces-too-much": (
        ("    owner: DSI", "      owner: DSI"),
        (17, 7), "key 'owner' is out of line: the keys beside it start at column 5, and it starts at "
        "column 7; move it to column 5",
    ),
    "key-too-far-after-plain-text": (
        ("    axes: AX2", "      axes: AX2"),
        (20, 7), "key 'axes' is out of line: the keys beside it start at column 5",
    ),
    "dash-out-of-line": (
        ("  - id: SI-02", "   - id: SI-02"),
        (18, 4), "this list item's dash is out of line: the dashes of the list above start at column 3",
    ),
    "unclosed-bracket": (
        ("axes: [AX1]", "axes: [AX1, AX2"),
        (12, 11), "the list opened by '[' here is not closed (psc read on to line 13 without finding ']'); "
        "end it with ']' after its last item: `axes: [AX1, AX2]`",
    ),
    "unclosed-quote": (
        ('end: "2019-Q4"', 'end: "2019-Q4'),
        (16, 10), "the text opened by the quote (\") here is not closed on its line (psc read on to line 21, "
        "where it stopped); add the closing quote: `end: \"2019-Q4\"`",
    ),
    "unclosed-quote-at-the-end": (
        ('depends_on: [SI-01]', 'depends_on: "SI-01'),
        (25, 17), "the text opened by the quote (\") here is never closed (psc read on to the end of the file); "
        "add the closing quote: `depends_on: \"SI-01\"`",
    ),
    "text-after-quote": (
        ("title: Billetterie", 'title: "Billetterie" en ligne'),
        (19, 26), "text after the closing quote; put all of the text inside the quotes: "
        "`title: \"Billetterie en ligne\"`",
    ),
    "reserved-first-character": (
        ("owner: DSI", "owner: @dsi"),
        (17, 12), "a text can't start with '@' unless it is in quotes; write `owner: \"@dsi\"`",
    ),
}


def syntax_findings(text: str) -> list[Finding]:
    found: list[Finding] = []
    parse_text(text, "si_roadmap.yaml", found)
    return found


@pytest.mark.parametrize("case", sorted(MISTAKES))
def test_a_syntax_mistake_is_one_finding_at_the_mistake_with_its_fix(make_project: MakeProject, case: str) -> None:
    (old, new), (line, column), words = MISTAKES[case]
    assert old in ROADMAP
    text = ROADMAP.replace(old, new, 1)
    folder = make_project({"si_roadmap.yaml": text})
    _, out, _ = run_psc("validate", "-d", str(folder), "--format", "json")
    diags = json.loads(out)["diagnostics"]
    assert [(d["rule"], Path(d["file"]).name, d["line"], d["column"]) for d in diags] == [
        ("yaml-syntax", "si_roadmap.yaml", line, column)
    ], diags
    message = diags[0]["message"]
    assert words in message
    assert "fix the YAML syntax here" not in message
    fixed = apply_hint(text, line, column, message)
    assert syntax_findings(fixed) == [], fixed
    assert (folder / "si_roadmap.yaml").write_text(fixed, encoding="utf-8")
    code, out, _ = run_psc("validate", "-d", str(folder))
    assert code == 0, out


def test_the_colon_hint_keeps_a_comment_and_quotes_a_text_with_double_quotes() -> None:
    text = ROADMAP.replace("title: Base collections", 'title: Le "Louvre": en ligne  # à revoir')
    (finding,) = syntax_findings(text)
    assert finding.message.endswith("""write `title: 'Le "Louvre": en ligne'  # à revoir`""")


def test_a_key_that_starts_a_block_is_not_out_of_line() -> None:
    # `themes:` opens a block: its first key may start at any deeper column.
    text = ROADMAP.replace("title: Base collections", 'title: "Base" collections')
    (finding,) = syntax_findings(text)
    assert finding.message.startswith("text after the closing quote")


def test_an_indented_top_level_key_is_out_of_line_with_the_others(make_project: MakeProject) -> None:
    text = AXES.replace("principles:", " principles:")
    (finding,) = syntax_findings(text)
    assert (finding.position.line, finding.position.column) == (9, 2)
    assert "key 'principles' is out of line" in finding.message


def test_other_syntax_errors_keep_the_parsers_words_without_jargon() -> None:
    (finding,) = syntax_findings("a: {b: x: y}\n")
    assert finding.message == "did not find expected ',' or '}' (in a {...} mapping)"
    (finding,) = syntax_findings("a: 1\n---\nb: 2\n")
    assert (finding.position.line, finding.message) == (
        2, "a second YAML document starts here ('---'); a data file holds one: remove this line, "
        "or move what follows to a file of its own",
    )
