// The VS Code client of `psc lsp`: starts the server for the data files of the workspace.
"use strict";

const vscode = require("vscode");
const { LanguageClient } = require("vscode-languageclient/node");

/** The files psc reads: the server answers for these only. */
const DATA_FILES = ["**/axes.yaml", "**/governance.yaml", "**/*_roadmap.yaml"];

let client;

function activate(context) {
  const [command, ...args] = vscode.workspace.getConfiguration("psc").get("command", ["psc", "lsp"]);
  const server = { command, args };
  client = new LanguageClient("psc", "psc-roadmap", server, {
    documentSelector: DATA_FILES.map((pattern) => ({ scheme: "file", language: "yaml", pattern })),
    synchronize: {
      // A data file changed on disk (a git checkout, another tool): the server checks again.
      fileEvents: vscode.workspace.createFileSystemWatcher("**/{axes,governance,*_roadmap}.yaml"),
    },
  });
  context.subscriptions.push({ dispose: () => client && client.stop() });
  return client.start();
}

function deactivate() {
  return client ? client.stop() : undefined;
}

module.exports = { activate, deactivate };
