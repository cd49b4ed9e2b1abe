"""`psc render -o annexe.pdf`: the command (bytes on stdout, `--check` byte for byte, a
usage error without WeasyPrint), a PDF that holds no time, path or machine of its own, the
same bytes on any machine with the pinned fonts, and docs/annexe.pdf up to date.

The PDF itself is checked by real tools in tests/test_pdf_tools.py. WeasyPrint comes with
`pip install -e '.[test,pdf]'`; without it these tests skip, unless PSC_REQUIRE_TOOLS=1
(CI), where they fail.
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import zlib
from pathlib import Path

import pytest
from typer.testing import CliRunner

from psc_roadmap.cli import app
from psc_roadmap.errors import PscError
from psc_roadmap.load import load_project
from psc_roadmap.render import pdf
from tests.conftest import REPO, tool_missing

runner = CliRunner()
DATA = REPO / "data"
MINIMAL = REPO / "tests" / "projects" / "print-minimal"


def need_weasyprint() -> None:
    try:
        pdf.check_available()
    except pdf.PdfUnavailable as exc:
        tool_missing(str(exc))


def run(*args: str) -> tuple[int, bytes, str]:
    result = runner.invoke(app, list(args))
    if isinstance(result.exception, PscError):
        return result.exception.exit_code, result.stdout_bytes, result.stderr + f"error: {result.exception}\n"
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.stdout_bytes, result.stderr


def streams(document: bytes) -> bytes:
    """Every stream of the PDF inflated, with the rest of the file: what it says in full."""
    parts = [document]
    for match in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", document, re.S):
        try:
            parts.append(zlib.decompress(match.group(1)))
        except zlib.error:
            continue
    return b"\n".join(parts)


@pytest.fixture(scope="module")
def minimal_pdf() -> bytes:
    need_weasyprint()
    project, _ = load_project(MINIMAL)
    return pdf.render_pdf(project)


# --- the command --------------------------------------------------------------------------


def test_pdf_to_a_file_to_stdout_and_checked_byte_for_byte(tmp_path: Path) -> None:
    need_weasyprint()
    target = tmp_path / "annexe.pdf"
    code, out, err = run("render", "-d", str(MINIMAL), "-o", str(target))
    assert (code, out) == (0, b""), err
    written = target.read_bytes()
    assert written.startswith(b"%PDF-1.7\n") and written.rstrip().endswith(b"%%EOF")
    code, out, _ = run("render", "-d", str(MINIMAL), "--format", "pdf")
    assert code == 0 and out == written  # stdout gets the same bytes
    code, out, err = run("render", "-d", str(MINIMAL), "--check", "-o", str(target))
    assert (code, out) == (0, b"") and "is up to date" in err
    target.write_bytes(written[:-20] + b" " * 20)
    code, out, err = run("render", "-d", str(MINIMAL), "--check", "-o", str(target))
    assert (code, out) == (1, b"") and "its bytes differ" in err  # no diff of binary data
    assert target.read_bytes() == written[:-20] + b" " * 20  # --check wrote nothing


def test_format_option_makes_a_pdf_whatever_the_suffix(tmp_path: Path) -> None:
    need_weasyprint()
    target = tmp_path / "annexe.bin.html"
    assert run("render", "-d", str(MINIMAL), "-f", "pdf", "-o", str(target))[0] == 0
    assert target.read_bytes().startswith(b"%PDF-")


def test_without_weasyprint_a_pdf_is_a_usage_error_naming_the_extra(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "weasyprint", None)  # `import weasyprint` now fails
    for args in (["-o", str(tmp_path / "annexe.pdf")], ["--format", "pdf"]):
        code, out, err = run("render", "-d", str(MINIMAL), *args)
        assert (code, out) == (2, b"")
        assert "pip install 'psc-roadmap[pdf]'" in err
    assert not (tmp_path / "annexe.pdf").exists()
    # The other formats don't need it.
    assert run("render", "-d", str(MINIMAL), "-f", "html")[0] == 0


def test_a_pdf_is_not_written_to_a_terminal() -> None:
    need_weasyprint()
    script = ("import pty, os, sys\n"
              "pid, fd = pty.fork()\n"
              "if pid == 0:\n"
              f"    os.execv(sys.executable, [sys.executable, '-m', 'psc_roadmap', 'render', '-d', {str(MINIMAL)!r},"
              " '-f', 'pdf'])\n"
              "out = b''\n"
              "while True:\n"
              "    try:\n"
              "        chunk = os.read(fd, 1024)\n"
              "    except OSError:\n"
              "        break\n"
              "    if not chunk:\n"
              "        break\n"
              "    out += chunk\n"
              "status = os.waitpid(pid, 0)[1]\n"
              "sys.stdout.write(f'{os.waitstatus_to_exitcode(status)}\\n{out.decode(errors=\"replace\")}')\n")
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120, check=True)
    code, shown = done.stdout.split("\n", 1)
    assert code == "2" and "-o FILE" in shown and "%PDF" not in shown


def test_version_and_other_formats_never_import_weasyprint() -> None:
    for args in (["--version"], ["render", "-d", str(MINIMAL), "-f", "html"]):
        done = subprocess.run([sys.executable, "-X", "importtime", "-m", "psc_roadmap", *args],
                              capture_output=True, text=True, check=False)
        assert done.returncode == 0, done.stderr[-2000:]
        imported = {line.rsplit("|", 1)[-1].strip() for line in done.stderr.splitlines()}
        assert not {name for name in imported if name.split(".")[0] in ("weasyprint", "pydyf", "fontTools")}


# --- what the PDF holds --------------------------------------------------------------------


def test_the_creation_date_is_the_datas_else_source_date_epoch_else_none(
        minimal_pdf: bytes, monkeypatch: pytest.MonkeyPatch) -> None:
    louvre = (DATA / "axes.yaml").read_text(encoding="utf-8")
    assert "date: 2018-11-16" in louvre
    assert pdf.creation_date("2018-11-16") == "2018-11-16"
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    assert pdf.creation_date(None) == "2023-11-14T22:13:20Z"
    assert pdf.creation_date("2018-11-16") == "2018-11-16"  # the data's own date wins
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "not a number")
    assert pdf.creation_date(None) is None
    monkeypatch.delenv("SOURCE_DATE_EPOCH")
    assert pdf.creation_date(None) is None
    # The minimal project has no date: its PDF has no date at all.
    assert b"/CreationDate" not in minimal_pdf and b"/ModDate" not in minimal_pdf
    assert b"CreateDate" not in streams(minimal_pdf)


def test_source_date_epoch_becomes_the_creation_date(monkeypatch: pytest.MonkeyPatch) -> None:
    need_weasyprint()
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    project, _ = load_project(MINIMAL)
    document = pdf.render_pdf(project)
    assert b"/CreationDate (D:20231114221320Z)" in streams(document)


def test_the_pdf_names_no_path_or_host(minimal_pdf: bytes) -> None:
    text = streams(minimal_pdf)
    for trace in (str(REPO), "/usr/share", "/tmp", os.environ.get("HOME") or "/root", socket.gethostname(),
                  "weasyprint-"):
        assert trace.encode() not in text, trace
    assert b"/Producer (WeasyPrint 70.0)" in text and b"/Creator (psc-roadmap)" in text


def test_same_bytes_from_another_folder_user_and_machine(tmp_path: Path) -> None:
    """What differs from one machine to another (working folder, home, temporary folder,
    host name, hash seed, locale) changes nothing: the PDF is the same bytes."""
    need_weasyprint()
    outputs = []
    for n, (seed, lang) in enumerate((("1", "C.UTF-8"), ("2", "fr_FR.UTF-8"))):
        home = tmp_path / f"home{n}"
        home.mkdir()
        (tmp_path / f"tmp{n}").mkdir()
        env = {**os.environ, "PYTHONHASHSEED": seed, "HOME": str(home), "TMPDIR": str(tmp_path / f"tmp{n}"),
               "HOSTNAME": f"machine-{n}", "LANG": lang, "LC_ALL": lang, "XDG_CACHE_HOME": str(home / "cache")}
        env.pop("SOURCE_DATE_EPOCH", None)
        done = subprocess.run([sys.executable, "-m", "psc_roadmap", "render", "-d", str(MINIMAL), "-f", "pdf"],
                              capture_output=True, env=env, cwd=home, check=True, timeout=300)
        outputs.append(done.stdout)
    assert outputs[0] == outputs[1] and outputs[0].startswith(b"%PDF-")


def test_the_fonts_are_the_pinned_files(minimal_pdf: bytes) -> None:
    """Every font of the PDF is one of the pinned files (Debian's paths, installed by
    .ci/run): no other font of the machine can change the bytes."""
    assert pdf.pinned_fonts() == list(pdf.FONT_FILES), (
        "the pinned font files are missing: apt-get install fonts-open-sans fonts-dejavu-core")
    names = set(re.findall(rb"/BaseFont /[A-Z]{6}\+([\w-]+)", streams(minimal_pdf)))
    assert names and all(name.startswith((b"psc-text", b"psc-symbols")) for name in names), names


def test_a_template_can_make_weasyprint_fetch_nothing(tmp_path: Path) -> None:
    """The document is self-contained: a template that names a file or a URL gets nothing
    into the PDF (the fetcher serves the pinned fonts only)."""
    need_weasyprint()
    secret = tmp_path / "secret.svg"
    secret.write_text('<svg xmlns="http://www.w3.org/2000/svg" width="9" height="9"><text>SECRET</text></svg>',
                      encoding="utf-8")
    (tmp_path / "templates" / "html").mkdir(parents=True)
    (tmp_path / "templates" / "html" / "cover.html.j2").write_text(
        f'<header class="cover" id="top"><h1>{{{{ doc.title }}}}</h1><img src="{secret.as_uri()}" alt="x">'
        '<img src="http://127.0.0.1:9/x.png" alt="y"><link rel="attachment" href="/etc/hostname"></header>',
        encoding="utf-8")
    target = tmp_path / "annexe.pdf"
    code, _, err = run("render", "-d", str(MINIMAL), "--templates", str(tmp_path / "templates"), "-o", str(target))
    assert code == 0, err
    text = streams(target.read_bytes())
    assert b"SECRET" not in text and b"/EmbeddedFile" not in text and b"/Subtype /Image" not in text


def test_docs_annexe_pdf_is_up_to_date() -> None:
    """docs/annexe.pdf is the PDF of data/, as `.ci/run` checks it."""
    need_weasyprint()
    target = REPO / "docs" / "annexe.pdf"
    code, _, err = run("render", "-d", str(DATA), "-o", str(target), "--check")
    assert code == 0, f"{target} is stale: run `psc render -d data -o docs/annexe.pdf`\n{err}"


def test_font_css_escapes_the_file_names() -> None:
    css = pdf.font_css([("psc-text", 400, "normal", '/odd "dir"/)x.ttf')])
    assert 'src:url("file:///odd%20%22dir%22/%29x.ttf")' in css or "\\22" in css
    assert ")x.ttf\")" not in css
    assert pdf.font_css([]) == ""
