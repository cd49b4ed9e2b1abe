"""The history of a data folder, by meaning: `psc diff`, `psc log`, `summary --baseline`
and `render --since`.

- `gitrepo`: reading a folder's files and commits from git (argument lists, timeouts,
  never a checkout, never a write);
- `sides`: one side of a comparison (a revision or a folder), loaded and checked;
- `compare`: what changed between two checked projects (pure);
- `report`: a comparison as JSON or terminal text (`render/changes.py` says it in the
  document's language, for Markdown and HTML);
- `log`: the folder's commits, each with what it changed;
- `baseline`: slippage against the plan as it stood at a revision.
"""
