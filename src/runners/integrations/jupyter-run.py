"""Executes a notebook for `lab run` (type: jupyter) with nbclient.

Called as: python3 jupyter-run.py '<json args>'. Progress goes to stdout as
lines starting with "\x1eLAB "; the executed notebook (partial on error) is
written to args["output"]. Every cell's saved outputs are cleared first, so the
written notebook holds only what this run produced.
"""
import json
import os
import sys

try:
    import nbformat
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError
except ImportError as e:  # pragma: no cover - reported to the user
    print("\x1eLAB missing " + json.dumps(str(e)), flush=True)
    sys.exit(3)


def say(kind, value):
    print("\x1eLAB " + kind + " " + json.dumps(value), flush=True)


args = json.loads(sys.argv[1])
nb = nbformat.read(args["notebook"], as_version=4)
# The author's saved outputs are not this run's results: a cell that never runs must show nothing.
for c in nb.cells:
    if c.cell_type == "code":
        c.outputs = []
        c.execution_count = None
        c.metadata.pop("execution", None)

params = args.get("parameters") or {}
injected_at = None
if params:
    lines = ["# Parameters injected by lab run"] + [f"{k} = {v!r}" for k, v in params.items()]
    cell = nbformat.v4.new_code_cell("\n".join(lines))
    cell.metadata["tags"] = ["injected-parameters"]
    at = 0
    for i, c in enumerate(nb.cells):
        if "parameters" in c.get("metadata", {}).get("tags", []):
            at = i + 1
            break
    nb.cells.insert(at, cell)
    injected_at = at

kernel = args.get("kernel") or nb.metadata.get("kernelspec", {}).get("name") or "python3"
code_cells = [i for i, c in enumerate(nb.cells) if c.cell_type == "code"]
state = {"n": 0, "current": None}


def source_position(index):
    """1-based position of a cell in the source notebook (the injected cell is not in the file)."""
    if injected_at is None or index < injected_at:
        return index + 1
    return index if index > injected_at else None


def on_cell_start(cell, cell_index, **kwargs):
    state["current"] = cell_index


def on_cell_complete(cell, cell_index, **kwargs):
    state["n"] += 1
    say("progress", {"value": state["n"], "max": len(code_cells), "cell": cell_index})


client = NotebookClient(
    nb,
    kernel_name=kernel,
    timeout=args.get("cell_timeout") or -1,
    resources={"metadata": {"path": args["cwd"]}},
    on_cell_start=on_cell_start,
    on_cell_complete=on_cell_complete,
)
status = 0
try:
    client.execute()
except CellExecutionError as e:
    status = 1
    msg = str(e).strip().splitlines()
    ename = getattr(e, "ename", "") or "Error"
    evalue = getattr(e, "evalue", "") or (msg[-1] if msg else "")
    index = state["current"]
    source = nb.cells[index].source if index is not None else ""
    say("error", {"ename": ename, "evalue": evalue, "cell": source_position(index) if index is not None else None, "source": source})
except Exception as e:  # kernel missing, dead kernel, timeout
    status = 2
    name = type(e).__name__
    detail = {"ename": name, "evalue": str(e).splitlines()[0] if str(e) else ""}
    if name == "NoSuchKernel":
        try:
            from jupyter_client.kernelspec import KernelSpecManager

            detail["kernels"] = sorted(KernelSpecManager().find_kernel_specs().keys())
        except Exception:  # pragma: no cover
            detail["kernels"] = []
        detail["kernel"] = kernel
    say("error", detail)
nbformat.write(nb, args["output"])
sys.exit(status)
