"""Speed and memory of `psc lsp` against its targets, beside yaml-language-server.

    .venv/bin/python bench/lsp.py [--quick] [--edits N] [--keep DIR] [--output FILE]

Both servers run as an editor runs them, as subprocesses spoken to over stdio by the
small LSP client below (standard library only, so that the client costs the same for
both). On generated projects (bench/gen_project.py, 1,000 and 10,000 actions), each
server opens the first roadmap file, then the bench edits it as a user would: one
`status:` value turned into a typo and back, each edit an incremental didChange, and
measures the time from sending the didChange to receiving the publishDiagnostics that
reflects it (the typo flagged, or its flag gone). Edits are `--pause` apart (a user who
types a word and looks), so that each is a lone edit to both servers' debounce.
yaml-language-server is given psc's JSON Schema of roadmap files (`schemas/`), the
validation it can do alone; it waits 200 ms after every change before validating (its
fixed debounce), which its figure includes, as an editor user sees it.

Memory: the RSS of the psc server (Linux /proc) over `--edits` edits of the 1,000-action
project, each waiting for its diagnostics.

yaml-language-server comes from `cd tools/lsp && npm install`; without it (or node) its
column reads n/a. Run with the venv's Python (psc and its `lsp` extra installed).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import queue
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
GENERATOR = REPO / "bench" / "gen_project.py"
YLS = REPO / "tools" / "lsp" / "node_modules" / "yaml-language-server" / "bin" / "yaml-language-server"
SCHEMA = REPO / "schemas" / "roadmap.schema.json"
SIZES = (1_000, 10_000)
TARGETS = {1_000: 0.150, 10_000: 1.0}
#: Memory is flat when the last sample is within this ratio of the first after warm-up.
MEMORY_GROWTH = 1.10
TIMEOUT = 120.0


def note(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


# --- a small LSP client -------------------------------------------------------------------


@dataclass
class Published:
    at: float
    uri: str
    version: int | None
    diagnostics: list[dict[str, Any]]


@dataclass
class Connection:
    """A language server subprocess and the messages it sent, each with its arrival time."""

    process: subprocess.Popen[bytes]
    settings: dict[str, Any]
    published: list[Published] = field(default_factory=list)
    responses: dict[int, Any] = field(default_factory=dict)
    arrived: threading.Condition = field(default_factory=threading.Condition)
    next_id: int = 0
    errors: queue.Queue[str] = field(default_factory=queue.Queue)

    @classmethod
    def start(cls, command: list[str], cwd: Path, settings: dict[str, Any]) -> Connection:
        process = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                   stderr=subprocess.PIPE, cwd=cwd)
        connection = cls(process, settings)
        threading.Thread(target=connection._read, daemon=True).start()
        threading.Thread(target=connection._drain, daemon=True).start()
        return connection

    def _drain(self) -> None:
        assert self.process.stderr is not None
        for line in self.process.stderr:
            self.errors.put(line.decode("utf-8", "replace"))

    def _read(self) -> None:
        stream = self.process.stdout
        assert stream is not None
        while True:
            length = 0
            while True:
                line = stream.readline()
                if not line:
                    return
                if line in (b"\r\n", b"\n"):
                    break
                name, _, value = line.decode("ascii").partition(":")
                if name.strip().lower() == "content-length":
                    length = int(value)
            body = stream.read(length)
            now = time.perf_counter()
            message = json.loads(body)
            if "method" in message and "id" in message:
                self._answer(message)
            elif "method" in message:
                if message["method"] == "textDocument/publishDiagnostics":
                    params = message["params"]
                    with self.arrived:
                        self.published.append(Published(now, params["uri"], params.get("version"),
                                                        params["diagnostics"]))
                        self.arrived.notify_all()
            else:
                with self.arrived:
                    self.responses[message["id"]] = message
                    self.arrived.notify_all()

    def _answer(self, request: dict[str, Any]) -> None:
        result: Any = None
        if request["method"] == "workspace/configuration":
            result = [self.settings.get(item.get("section", ""), None) for item in request["params"]["items"]]
        self._send({"jsonrpc": "2.0", "id": request["id"], "result": result})

    def _send(self, message: dict[str, Any]) -> float:
        body = json.dumps(message).encode("utf-8")
        assert self.process.stdin is not None
        sent = time.perf_counter()
        self.process.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        self.process.stdin.flush()
        return sent

    def request(self, method: str, params: Any) -> Any:
        self.next_id += 1
        number = self.next_id
        self._send({"jsonrpc": "2.0", "id": number, "method": method, "params": params})
        deadline = time.monotonic() + TIMEOUT
        with self.arrived:
            while number not in self.responses:
                if not self.arrived.wait(max(deadline - time.monotonic(), 0)):
                    raise TimeoutError(f"no answer to {method}")
        answer = self.responses.pop(number)
        if "error" in answer:
            raise RuntimeError(f"{method}: {answer['error']}")
        return answer.get("result")

    def notify(self, method: str, params: Any) -> float:
        return self._send({"jsonrpc": "2.0", "method": method, "params": params})

    def wait(self, uri: str, since: float, holds: Callable[[Published], bool]) -> Published:
        """The first publication for uri that arrived after `since` and for which `holds`."""
        deadline = time.monotonic() + TIMEOUT
        with self.arrived:
            while True:
                for published in self.published:
                    if published.uri == uri and published.at >= since and holds(published):
                        return published
                left = deadline - time.monotonic()
                if left <= 0 or self.process.poll() is not None:
                    tail = "".join(list(self.errors.queue)[-20:])
                    raise TimeoutError(f"no such diagnostics for {uri}; server stderr: {tail}")
                self.arrived.wait(left)

    def forget(self) -> None:
        with self.arrived:
            self.published.clear()

    def rss_kib(self) -> int | None:
        try:
            status = Path(f"/proc/{self.process.pid}/status").read_text()
        except OSError:
            return None
        for line in status.splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
        return None

    def close(self) -> None:
        try:
            self.request("shutdown", None)
            self.notify("exit", None)
            self.process.wait(10)
        except (OSError, TimeoutError, RuntimeError, subprocess.TimeoutExpired):
            self.process.kill()
            self.process.wait()


# --- the servers --------------------------------------------------------------------------


def psc_command() -> list[str]:
    beside = Path(sys.executable).with_name("psc")
    return [str(beside), "lsp"] if beside.exists() else [sys.executable, "-m", "psc_roadmap", "lsp"]


def yls_command() -> list[str] | None:
    node = shutil.which("node")
    if node is None or not YLS.exists():
        return None
    return [node, str(YLS), "--stdio"]


def yls_settings() -> dict[str, Any]:
    return {"yaml": {"validate": True, "schemas": {SCHEMA.as_uri(): ["*_roadmap.yaml"]},
                     "maxItemsComputed": 1_000_000}}


def start(kind: str, folder: Path) -> Connection:
    command = psc_command() if kind == "psc" else yls_command()
    assert command is not None
    settings = yls_settings() if kind == "yls" else {}
    connection = Connection.start(command, folder, settings)
    connection.request("initialize", {
        "processId": os.getpid(), "rootUri": folder.as_uri(), "capabilities": {
            "textDocument": {"publishDiagnostics": {"versionSupport": True}},
        },
    })
    connection.notify("initialized", {})
    if settings:
        connection.notify("workspace/didChangeConfiguration", {"settings": settings})
    return connection


# --- one edit -----------------------------------------------------------------------------


@dataclass
class Document:
    """The roadmap file open in a server, and the `status:` line the bench edits."""

    uri: str
    text: str
    line: int
    column: int
    version: int = 1
    broken: bool = False

    @classmethod
    def of(cls, path: Path) -> Document:
        text = path.read_text(encoding="utf-8")
        lines = text.splitlines()
        middle = len(lines) // 2
        line = next(i for i in range(middle, len(lines)) if lines[i].strip().startswith("status: "))
        column = lines[line].index("status: ") + len("status: ")
        return cls(path.as_uri(), text, line, column)

    def flagged(self, published: Published) -> bool:
        return any(d["range"]["start"]["line"] == self.line for d in published.diagnostics)


def open_document(connection: Connection, document: Document) -> float:
    """Open the file; seconds until its first diagnostics."""
    sent = connection.notify("textDocument/didOpen", {"textDocument": {
        "uri": document.uri, "languageId": "yaml", "version": document.version, "text": document.text}})
    published = connection.wait(document.uri, sent, lambda p: not document.flagged(p))
    return published.at - sent


def edit(connection: Connection, document: Document, wait: bool = True) -> float:
    """Turn the status into a typo (or back); seconds until the diagnostics reflect it
    (with `wait` False: the time it was sent, without waiting)."""
    line = document.text.splitlines()[document.line]
    old = line[document.column:]
    new = "doen" if not document.broken else next(
        s for s in ("planned", "in_progress", "done", "on_hold", "cancelled") if s != "doen")
    document.broken = not document.broken
    document.version += 1
    change = {"range": {"start": {"line": document.line, "character": document.column},
                        "end": {"line": document.line, "character": document.column + len(old)}}, "text": new}
    lines = document.text.split("\n")
    lines[document.line] = line[:document.column] + new
    document.text = "\n".join(lines)
    sent = connection.notify("textDocument/didChange", {
        "textDocument": {"uri": document.uri, "version": document.version}, "contentChanges": [change]})
    if not wait:
        return sent
    return settled(connection, document, sent)


def settled(connection: Connection, document: Document, sent: float) -> float:
    """Seconds from `sent` until the diagnostics reflect the document as it is now."""
    broken = document.broken
    published = connection.wait(document.uri, sent, lambda p: document.flagged(p) == broken)
    return published.at - sent


# --- the runs -----------------------------------------------------------------------------


def generate(folder: Path, actions: int) -> Path:
    if not (folder / "r1_roadmap.yaml").exists():
        note(f"generating {actions} actions in {folder}")
        subprocess.run([sys.executable, str(GENERATOR), str(folder), "--actions", str(actions), "--seed", "1"],
                       check=True, stdout=subprocess.DEVNULL)
    return folder


#: A burst of typing: this many edits, this many seconds apart.
BURST = (5, 0.05)


@dataclass
class Latency:
    first: float
    edits: list[float]
    #: From the last edit of each burst to the diagnostics that reflect it.
    bursts: list[float] = field(default_factory=list)

    @property
    def median(self) -> float:
        return statistics.median(self.edits)


def latencies(kind: str, folder: Path, edits: int, pause: float) -> Latency:
    connection = start(kind, folder)
    try:
        document = Document.of(folder / "r1_roadmap.yaml")
        first = open_document(connection, document)
        edit(connection, document)  # warm-up: caches, imports, JIT
        edit(connection, document)
        samples = []
        for _ in range(edits):
            time.sleep(pause)
            samples.append(edit(connection, document))
        bursts = []
        for _ in range(max(edits // 4, 3)):
            time.sleep(pause)
            for _ in range(BURST[0] - 1):
                edit(connection, document, wait=False)
                time.sleep(BURST[1])
            sent = edit(connection, document, wait=False)
            bursts.append(settled(connection, document, sent))
        return Latency(first, samples, bursts)
    finally:
        connection.close()


@dataclass
class Memory:
    samples: list[tuple[int, int]]  # (edits done, RSS KiB)
    seconds: float

    @property
    def growth(self) -> float:
        return self.samples[-1][1] / self.samples[0][1]


def memory(folder: Path, edits: int) -> Memory | None:
    connection = start("psc", folder)
    try:
        document = Document.of(folder / "r1_roadmap.yaml")
        open_document(connection, document)
        for _ in range(20):  # warm-up before the first sample
            edit(connection, document)
        began = time.perf_counter()
        samples = []
        step = max(edits // 10, 1)
        for done in range(edits + 1):
            if done % step == 0:
                rss = connection.rss_kib()
                if rss is None:
                    return None
                samples.append((done, rss))
                connection.forget()
            if done < edits:
                edit(connection, document)
        return Memory(samples, time.perf_counter() - began)
    finally:
        connection.close()


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.0f} ms"


def report(results: dict[tuple[str, int], Latency | str], mem: Memory | None, args: argparse.Namespace) -> str:
    out = ["| project | psc lsp: median (min to max) | target | result | yaml-language-server: median "
           "(min to max) | psc / yls |", "| --- | ---: | ---: | --- | ---: | ---: |"]
    for size in SIZES:
        psc = results[("psc", size)]
        yls = results.get(("yls", size), "n/a")
        if isinstance(psc, str):
            out.append(f"| {size:,} actions | {psc} | ≤ {ms(TARGETS[size])} | n/a | | |")
            continue
        ok = "pass" if psc.median <= TARGETS[size] else "**FAIL**"
        yls_text = yls if isinstance(yls, str) else (
            f"{ms(yls.median)} ({ms(min(yls.edits))} to {ms(max(yls.edits))})")
        ratio = "" if isinstance(yls, str) else f"{psc.median / yls.median:.2f}"
        out.append(f"| {size:,} actions | **{ms(psc.median)}** ({ms(min(psc.edits))} to {ms(max(psc.edits))}) "
                   f"| ≤ {ms(TARGETS[size])} | {ok} | {yls_text} | {ratio} |")
    out += ["", f"Typing ({BURST[0]} edits {ms(BURST[1])} apart), from the last edit to the diagnostics that "
            "reflect it, median: " + ", ".join(
                f"{kind} {size:,}: {ms(statistics.median(r.bursts))}" for (kind, size), r in results.items()
                if isinstance(r, Latency) and r.bursts) + "."]
    out += ["", "Time from opening the file to its first diagnostics: " + ", ".join(
        f"{kind} {size:,}: {ms(r.first)}" for (kind, size), r in results.items() if isinstance(r, Latency)) + "."]
    if mem is not None:
        rows = ", ".join(f"{done}: {rss / 1024:.0f} MiB" for done, rss in mem.samples)
        flat = "flat" if mem.growth <= MEMORY_GROWTH else "**GROWING**"
        out += ["", f"Memory of the psc server over {mem.samples[-1][0]:,} edits of the 1,000-action project "
                f"({mem.seconds:.0f} s; RSS after N edits): {rows}; last / first = **{mem.growth:.3f}**, "
                f"{flat} (target ≤ {MEMORY_GROWTH})."]
    out += ["", f"{args.edits_per_size} edits per project, {args.pause:.2f} s apart; "
            f"{platform.python_implementation()} {platform.python_version()}, {platform.system()}, "
            f"{os.cpu_count()} cores; load average {os.getloadavg()[0]:.1f} at the end."]
    return "\n".join(out) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="fewer edits (7 per project, 200 for memory)")
    parser.add_argument("--edits", type=int, default=None, help="edits of the memory run (default 1000)")
    parser.add_argument("--pause", type=float, default=0.3, help="seconds between timed edits (default 0.3)")
    parser.add_argument("--keep", type=Path, help="keep the generated projects in this folder")
    parser.add_argument("--output", type=Path, help="write the report here too")
    args = parser.parse_args(argv)
    args.edits_per_size = 7 if args.quick else 21
    memory_edits = args.edits if args.edits is not None else (200 if args.quick else 1000)
    scratch = args.keep or Path(tempfile.mkdtemp(prefix="psc-lsp-bench-"))
    scratch.mkdir(parents=True, exist_ok=True)
    folders = {size: generate(scratch / f"p{size // 1000}k", size) for size in SIZES}
    results: dict[tuple[str, int], Latency | str] = {}
    kinds = ["psc"] + (["yls"] if yls_command() is not None else [])
    for size in SIZES:
        for kind in kinds:
            note(f"{kind}: {size} actions")
            results[(kind, size)] = latencies(kind, folders[size], args.edits_per_size, args.pause)
        if "yls" not in kinds:
            results[("yls", size)] = "n/a (run `cd tools/lsp && npm install`)"
    note(f"memory: {memory_edits} edits")
    mem = memory(folders[1_000], memory_edits) if memory_edits else None
    text = report(results, mem, args)
    print(text, end="")
    if args.output:
        args.output.write_text(text, encoding="utf-8")
    if args.keep is None:
        shutil.rmtree(scratch, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
