"""The VS Code client of `psc lsp` (editors/vscode): its manifest names its entry point and
dependency, and its `activate` starts `psc lsp` for the data files, checked with Node.js
on stand-ins for the `vscode` and `vscode-languageclient` modules (VS Code itself is not
run). Without node the test skips, unless PSC_REQUIRE_TOOLS=1 (CI)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess

import pytest

from tests.conftest import REPO

EXTENSION = REPO / "editors" / "vscode"

STANDINS = r"""
const Module = require("module");
const started = [];
const standins = {
  vscode: {
    workspace: {
      getConfiguration: (section) => ({
        get: (key, fallback) => (section === "psc" && key === "command" ? fallback : undefined),
      }),
      createFileSystemWatcher: (glob) => ({ glob }),
    },
  },
  "vscode-languageclient/node": {
    LanguageClient: class {
      constructor(id, name, server, options) { Object.assign(this, { id, name, server, options }); }
      start() { started.push(this); return Promise.resolve(); }
      stop() { return Promise.resolve(); }
    },
  },
};
const load = Module._load;
Module._load = function (request, ...rest) {
  return request in standins ? standins[request] : load.call(this, request, ...rest);
};
const extension = require(process.argv[1]);
const context = { subscriptions: [] };
Promise.resolve(extension.activate(context)).then(() => {
  const [client] = started;
  console.log(JSON.stringify({
    id: client.id, server: client.server, selector: client.options.documentSelector,
    watcher: client.options.synchronize.fileEvents.glob, disposables: context.subscriptions.length,
  }));
});
"""


def test_the_vscode_extension_starts_psc_lsp_for_the_data_files() -> None:
    manifest = json.loads((EXTENSION / "package.json").read_text(encoding="utf-8"))
    assert manifest["main"] == "./extension.js" and "vscode-languageclient" in manifest["dependencies"]
    assert manifest["contributes"]["configuration"]["properties"]["psc.command"]["default"] == ["psc", "lsp"]
    node = shutil.which("node")
    if node is None:
        if os.environ.get("PSC_REQUIRE_TOOLS") == "1":
            pytest.fail("PSC_REQUIRE_TOOLS=1 but node is missing")
        pytest.skip("node is missing: install Node.js")
    run = subprocess.run([node, "-e", STANDINS, str(EXTENSION / "extension.js")], capture_output=True, text=True,
                         timeout=60, check=True)
    started = json.loads(run.stdout)
    assert started["id"] == "psc" and started["server"] == {"command": "psc", "args": ["lsp"]}
    assert [s["pattern"] for s in started["selector"]] == ["**/axes.yaml", "**/governance.yaml", "**/*_roadmap.yaml"]
    assert all(s["language"] == "yaml" and s["scheme"] == "file" for s in started["selector"])
    assert started["watcher"] == "**/{axes,governance,*_roadmap}.yaml" and started["disposables"] == 1
