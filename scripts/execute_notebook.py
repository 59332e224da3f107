"""Execute one notebook with the LLM Lab kernel and report what came out, as JSON.

Run it with the python of .venv (set up by `npm start` or `node scripts/jupyter-setup.js`);
Jupyter's folders default to the ones in .venv, as `jupyterEnv()` in jupyter-setup.js sets them:

    .venv/bin/python scripts/execute_notebook.py NOTEBOOK --output EXECUTED.ipynb
        [--timeout SECONDS_PER_CELL] [--kernel llm-lab] [--cwd DIR]

Cells run in order, in DIR (default: the notebook's folder), and stop at the first error, as
"Run All" does. The executed notebook (with the outputs so far) is written to EXECUTED even
when a cell fails. The summary printed on stdout:

    {"notebook", "output", "kernel", "seconds", "cells", "codeCells", "executedCells",
     "errors": [{"cell", "ename", "evalue", "stderr"?}], "mimeTypes": [...], "outputsByCell": {...}}

Exit status: 0 when no cell failed, 1 when one did, 2 when the notebook could not be run at all.
"""

import argparse
import json
import os
import re
import sys
import time

# Run from .venv without the environment `npm start` sets: keep Jupyter's per-user folders
# (runtime files, user kernels) in .venv too, as jupyter-setup.js does, not in the home folder.
if sys.prefix != sys.base_prefix:
    for _name, _folder in (("JUPYTER_CONFIG_DIR", "config"), ("JUPYTER_DATA_DIR", "data"),
                           ("JUPYTER_RUNTIME_DIR", "runtime")):
        os.environ.setdefault(_name, os.path.join(sys.prefix, "jupyter", _folder))

import nbformat  # noqa: E402 (after the environment is set)
from nbclient import NotebookClient  # noqa: E402
from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError  # noqa: E402


def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebook", help="the .ipynb file to run")
    parser.add_argument("--output", required=True, help="where to write the executed notebook")
    parser.add_argument("--timeout", type=int, default=600, help="seconds a single cell may run (default 600)")
    parser.add_argument("--kernel", default="llm-lab", help="kernel name (default llm-lab)")
    parser.add_argument("--cwd", help="folder the kernel runs in (default: the notebook's folder)")
    return parser.parse_args(argv)


def cell_errors(nb):
    """Error outputs saved in the notebook, with the index of their cell."""
    errors = []
    for index, cell in enumerate(nb.cells):
        for output in cell.get("outputs", []):
            if output.get("output_type") == "error":
                errors.append({"cell": index, "ename": output.get("ename", ""), "evalue": output.get("evalue", "")})
    return errors


def mime_types(nb):
    """The MIME types of display and result outputs, overall and per cell index."""
    every, by_cell = set(), {}
    for index, cell in enumerate(nb.cells):
        kinds = []
        for output in cell.get("outputs", []):
            if output.get("output_type") in ("display_data", "execute_result"):
                kinds.extend(output.get("data", {}).keys())
            elif output.get("output_type") == "stream":
                kinds.append("stream/" + output.get("name", "stdout"))
        if kinds:
            by_cell[str(index)] = sorted(set(kinds))
            every.update(kinds)
    return sorted(every), by_cell


def find_running_cell(nb):
    """The index of the last code cell that was given an execution count: the one that failed."""
    last = None
    for index, cell in enumerate(nb.cells):
        if cell.cell_type == "code" and cell.get("execution_count") is not None:
            last = index
    return last


EXCEPTION_LINE = re.compile(r"^([A-Za-z_$][\w$.]*(?:Error|Exception)): (.*)$")
COMPILE_ERROR_LINE = re.compile(r"^\d+:\d+ - .+$")


def describe_failure(nb, index, ename, evalue):
    """tslab reports a failed cell on stderr, not as an error output: name it from there.

    A thrown exception prints `SomeError: message` with its stack; a type error prints
    `line:column - message` (the cell did not compile and did not run).
    """
    stderr = ""
    if index is not None:
        stderr = "".join(o.get("text", "") for o in nb.cells[index].get("outputs", [])
                         if o.get("output_type") == "stream" and o.get("name") == "stderr")
    lines = stderr.splitlines()
    compile_errors = [line for line in lines if COMPILE_ERROR_LINE.match(line)]
    if compile_errors:
        ename, evalue = "CompileError", "\n".join(compile_errors)
    else:
        for line in lines:
            match = EXCEPTION_LINE.match(line.strip())
            if match:
                ename, evalue = match.group(1), match.group(2)
                break
    if not ename or ename == "<Error>":
        ename = "Error"
    return {"cell": index, "ename": ename, "evalue": evalue, "stderr": stderr[-4000:]}


def main(argv):
    args = parse_args(argv)
    notebook = os.path.abspath(args.notebook)
    try:
        nb = nbformat.read(notebook, as_version=4)
    except (OSError, ValueError) as error:
        print(f"Cannot read {notebook} as a notebook: {error}", file=sys.stderr)
        return 2
    cwd = os.path.abspath(args.cwd) if args.cwd else os.path.dirname(notebook)
    client = NotebookClient(
        nb,
        kernel_name=args.kernel,
        timeout=args.timeout,
        allow_errors=False,
        resources={"metadata": {"path": cwd}},
    )
    started = time.time()
    failure = None
    try:
        client.execute()
    except CellTimeoutError as error:
        failure = describe_failure(nb, find_running_cell(nb), "CellTimeoutError",
                                   f"a cell ran longer than {args.timeout} s: {str(error).splitlines()[0]}")
    except DeadKernelError as error:
        failure = describe_failure(nb, find_running_cell(nb), "DeadKernelError", str(error))
    except CellExecutionError as error:
        failure = describe_failure(nb, find_running_cell(nb), error.ename, error.evalue or str(error))
    except Exception as error:  # the kernel would not start: no such kernel, bad spec, …
        print(f"Could not run {notebook} with kernel '{args.kernel}': {type(error).__name__}: {error}",
              file=sys.stderr)
        return 2
    seconds = round(time.time() - started, 2)

    output = os.path.abspath(args.output)
    os.makedirs(os.path.dirname(output), exist_ok=True)
    nbformat.write(nb, output)

    errors = cell_errors(nb)
    # A failure the kernel reported without an error output (tslab prints errors on stderr)
    # or that came from nbclient itself (timeout, dead kernel) is listed too.
    if failure is not None and not any(e["cell"] == failure["cell"] for e in errors):
        errors.append(failure)
    every, by_cell = mime_types(nb)
    summary = {
        "notebook": notebook,
        "output": output,
        "kernel": args.kernel,
        "seconds": seconds,
        "cells": len(nb.cells),
        "codeCells": sum(1 for cell in nb.cells if cell.cell_type == "code"),
        "executedCells": sum(1 for cell in nb.cells
                             if cell.cell_type == "code" and cell.get("execution_count") is not None),
        "errors": errors,
        "mimeTypes": every,
        "outputsByCell": by_cell,
    }
    print(json.dumps(summary, indent=2))
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
