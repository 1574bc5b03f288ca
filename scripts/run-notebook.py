#!/usr/bin/env python3
"""Run one notebook headless with the project kernel and say precisely what went wrong.

    python3 scripts/run-notebook.py notebooks/00-getting-started.ipynb \
        [--output artifacts/executed/00-getting-started.ipynb] [--kernel replication-workbook] \
        [--timeout 120]

Why not plain `jupyter execute`: tslab reports compile and type errors only as stderr
text ("1:7 - Type 'string' is not assignable to type 'number'.") plus an execute_reply
with status "error" and no traceback, and errors thrown later in callbacks as
"UncaughtException: ..." with status "ok". This runner treats all of those as failures,
stops at the first failing cell, writes the executed notebook (also when it failed), and
prints one JSON report as the last line of stdout:

    {"notebook": ..., "ok": false, "seconds": 3.2, "executed_cells": 2,
     "failure": {"cell_index": 2, "first_line": "...", "kind": "type-error", "message": "..."}}

Exit status: 0 when every cell ran cleanly, 1 when a cell failed, 2 when the notebook
could not be run at all (no Jupyter packages, kernel missing, bad arguments).
"""
import argparse
import json
import os
import re
import sys
import time

try:
    import nbformat
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError
except ImportError as missing:  # pragma: no cover - depends on the machine
    # A pyenv/venv python3 first on PATH often lacks Jupyter while Debian's has it.
    import subprocess
    if os.path.realpath(sys.executable) != os.path.realpath("/usr/bin/python3") and os.path.exists("/usr/bin/python3") \
            and subprocess.call(["/usr/bin/python3", "-c", "import nbclient"], stderr=subprocess.DEVNULL) == 0:
        os.execv("/usr/bin/python3", ["/usr/bin/python3", os.path.abspath(__file__)] + sys.argv[1:])
    print(json.dumps({
        "ok": False,
        "setup_error": f"{missing}. Install Jupyter's headless runner: "
                       "sudo apt-get install -y python3-nbclient jupyter-nbconvert "
                       "(or python3 -m pip install --user nbclient nbconvert)",
    }))
    sys.exit(2)

# tslab prints diagnostics as "[file ]line:col - message" (see tslab/dist/executor.js).
TYPE_ERROR_LINE = re.compile(r"^(?:\S.* )?\d+:\d+ - \S.*$", re.MULTILINE)
# Errors tslab catches in its process-wide handlers, e.g. a throw inside a timer callback.
UNCAUGHT_MARKERS = ("UncaughtException:", "UnhandledPromiseRejection:", "unexpected error:")


class CellFailed(Exception):
    """Raised from the per-cell hook to stop the run at the first failing cell."""


def first_line(source):
    for line in source.splitlines():
        if line.strip():
            return line.strip()
    return ""


def stderr_text(cell):
    return "".join(
        output.get("text", "")
        for output in cell.get("outputs", [])
        if output.get("output_type") == "stream" and output.get("name") == "stderr"
    )


def error_outputs(cell):
    return [output for output in cell.get("outputs", []) if output.get("output_type") == "error"]


def judge_cell(cell, execute_reply):
    """Return (kind, message) when the cell failed, else None."""
    status = ((execute_reply or {}).get("content") or {}).get("status", "ok")
    errors = error_outputs(cell)
    stderr = stderr_text(cell)
    type_errors = TYPE_ERROR_LINE.findall(stderr)
    if type_errors:
        return "type-error", "\n".join(type_errors)
    if errors:
        message = "\n".join(f"{e.get('ename', 'Error')}: {e.get('evalue', '')}" for e in errors)
        return "error", message
    if status != "ok":
        return "error", stderr.strip() or f"execute_reply status {status!r} without any error text"
    if any(marker in stderr for marker in UNCAUGHT_MARKERS):
        return "uncaught-error", stderr.strip()
    return None


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebook")
    parser.add_argument("--output", help="where to write the executed notebook")
    parser.add_argument("--kernel", default="replication-workbook", help="kernelspec name")
    parser.add_argument("--timeout", type=int, default=120, help="seconds allowed per cell")
    args = parser.parse_args()

    report = {"notebook": args.notebook, "ok": False, "seconds": None, "executed_cells": 0, "failure": None}
    try:
        notebook = nbformat.read(args.notebook, as_version=4)
    except Exception as problem:  # unreadable or invalid JSON
        report["setup_error"] = f"cannot read {args.notebook}: {problem}"
        print(json.dumps(report))
        return 2

    def on_cell_executed(cell, cell_index, execute_reply):
        report["executed_cells"] += 1
        verdict = judge_cell(cell, execute_reply)
        if verdict:
            kind, message = verdict
            report["failure"] = {
                "cell_index": cell_index,
                "first_line": first_line(cell.source),
                "kind": kind,
                "message": message,
            }
            raise CellFailed(message)

    client = NotebookClient(
        notebook,
        kernel_name=args.kernel,
        timeout=args.timeout,
        startup_timeout=60,
        # Let our hook judge errors, so a cell's stderr is in hand before we stop.
        allow_errors=True,
        record_timing=False,
        on_cell_executed=on_cell_executed,
        resources={"metadata": {"path": os.path.dirname(os.path.abspath(args.notebook))}},
    )
    started = time.monotonic()
    exit_status = 0
    try:
        client.execute()
        report["ok"] = True
    except CellFailed:
        exit_status = 1
    except (CellExecutionError, CellTimeoutError, DeadKernelError) as problem:
        report["failure"] = report["failure"] or {
            "cell_index": None, "first_line": "", "kind": type(problem).__name__, "message": str(problem)[:2000],
        }
        exit_status = 1
    except Exception as problem:  # e.g. NoSuchKernel: the kernelspec is not registered
        report["setup_error"] = f"{type(problem).__name__}: {problem}"
        exit_status = 2
    report["seconds"] = round(time.monotonic() - started, 2)

    if args.output:
        os.makedirs(os.path.dirname(os.path.abspath(args.output)), exist_ok=True)
        nbformat.write(notebook, args.output)
        report["output"] = args.output
    print(json.dumps(report))
    return exit_status


if __name__ == "__main__":
    sys.exit(main())
