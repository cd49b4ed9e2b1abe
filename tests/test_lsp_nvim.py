"""`psc lsp` tried as an editor user would: headless Neovim, started on a copy of the Louvre
data with `vim.lsp.start` (`vim.lsp.start_client` on Neovim 0.7), renames axis AX2 to
VISITEURS with `vim.lsp.buf.rename`, writes every buffer and quits. Every file that named
AX2 must have changed, only there, comments kept, and `psc validate` must report the same
findings as before.

Needs `nvim` (Debian's `neovim` package); without it the test skips with the reason,
unless PSC_REQUIRE_TOOLS=1 (CI), where it fails instead."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO, run_psc

SCRIPT = r"""
local data = vim.env.PSC_TEST_DATA
local report = {notes = {}}
vim.notify = function(message, level) table.insert(report.notes, tostring(message)) end

vim.cmd("edit " .. data .. "/si_roadmap.yaml")
local config = {
  name = "psc",
  cmd = {vim.env.PSC_TEST_PYTHON, "-m", "psc_roadmap", "lsp"},
  root_dir = data,
}
local id
if vim.lsp.start then
  id = vim.lsp.start(config)
else
  id = vim.lsp.start_client(config)
  vim.lsp.buf_attach_client(0, id)
end
report.ready = vim.wait(30000, function()
  local client = vim.lsp.get_client_by_id(id)
  return client ~= nil and client.server_capabilities ~= nil and next(client.server_capabilities) ~= nil
end, 50)

-- The cursor on AX2 in `axes: [AX2, AX3]`, as a user would put it there.
vim.fn.search("axes: \\[AX2, AX3\\]")
vim.fn.search("AX2", "c")
report.word = vim.fn.expand("<cword>")
vim.lsp.buf.rename("VISITEURS")
report.renamed = vim.wait(30000, function()
  return #vim.fn.getbufinfo({bufmodified = 1}) >= 4
end, 50)
report.modified = {}
for _, info in ipairs(vim.fn.getbufinfo({bufmodified = 1})) do
  table.insert(report.modified, vim.fn.fnamemodify(info.name, ":t"))
end
vim.cmd("silent wall")
local out = io.open(vim.env.PSC_TEST_REPORT, "w")
out:write(vim.fn.json_encode(report))
out:close()
vim.cmd("qall!")
"""


def need_nvim() -> str:
    found = shutil.which("nvim")
    if found is None:
        message = "nvim is missing: install Neovim (`apt-get install neovim`)"
        if os.environ.get("PSC_REQUIRE_TOOLS") == "1":
            pytest.fail(f"PSC_REQUIRE_TOOLS=1 but {message}")
        pytest.skip(message)
    return found


def findings(folder: Path) -> list[tuple[str, str, str]]:
    _, out, _ = run_psc("validate", "-d", str(folder), "--format", "json")
    return sorted((d["file"].rsplit("/", 1)[-1], d["rule"], d["message"]) for d in json.loads(out)["diagnostics"])


def test_neovim_renames_an_axis_in_every_file(tmp_path: Path) -> None:
    nvim = need_nvim()
    data = tmp_path / "data"
    shutil.copytree(REPO / "data", data)
    before = {p.name: p.read_text(encoding="utf-8") for p in sorted(data.glob("*.yaml"))}
    found_before = findings(data)
    script = tmp_path / "rename.lua"
    script.write_text(SCRIPT, encoding="utf-8")
    report_path = tmp_path / "report.json"
    env = {**os.environ, "PSC_TEST_DATA": str(data), "PSC_TEST_PYTHON": sys.executable,
           "PSC_TEST_REPORT": str(report_path), "XDG_CONFIG_HOME": str(tmp_path / "config"),
           "XDG_DATA_HOME": str(tmp_path / "share"), "XDG_STATE_HOME": str(tmp_path / "state")}
    run = subprocess.run([nvim, "--headless", "--clean", "-n", "-u", "NONE", "-c", f"luafile {script}"],
                         env=env, capture_output=True, text=True, timeout=120, cwd=tmp_path)
    assert report_path.exists(), f"nvim wrote no report: {run.stdout}{run.stderr}"
    report = json.loads(report_path.read_text(encoding="utf-8"))
    assert report["ready"] and report["word"] == "AX2", report
    assert report["renamed"], report
    assert sorted(report["modified"]) == ["axes.yaml", "governance.yaml", "numerique_roadmap.yaml",
                                          "si_roadmap.yaml"], report
    for name, old in before.items():
        new = (data / name).read_text(encoding="utf-8")
        # Every AX2 and nothing else changed: comments, layout and the rest kept byte for byte.
        assert new == old.replace("AX2", "VISITEURS"), name
        assert "AX2" in old and "VISITEURS" in new
        assert [line for line in new.splitlines() if line.lstrip().startswith("#")] == [
            line for line in old.splitlines() if line.lstrip().startswith("#")]
    assert findings(data) == found_before
