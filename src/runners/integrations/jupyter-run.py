"""Executes a notebook for `lab run` (type: jupyter) with nbclient.

Called as: python3 jupyter-run.py '<json args>'. Progress goes to stdout as
lines starting with "\x1eLAB "; the executed notebook (partial on error) is
written to args["output"].
"""
import json
import sys

try:
    import nbformat
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError
except ImportError as e:  # pragma: no cover - reported to the user
    print("\x1eLAB missing " + json.dumps(str(e)), flush=True)
    sys.exit(3)

args = json.loads(sys.argv[1])
nb = nbformat.read(args["notebook"], as_version=4)
params = args.get("parameters") or {}
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

kernel = args.get("kernel") or nb.metadata.get("kernelspec", {}).get("name") or "python3"
code_cells = [i for i, c in enumerate(nb.cells) if c.cell_type == "code"]
done = {"n": 0}


def on_cell_complete(cell, cell_index, **kwargs):
    done["n"] += 1
    print("\x1eLAB progress " + json.dumps({"value": done["n"], "max": len(code_cells), "cell": cell_index}), flush=True)


client = NotebookClient(
    nb,
    kernel_name=kernel,
    timeout=args.get("cell_timeout") or -1,
    resources={"metadata": {"path": args["cwd"]}},
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
    print("\x1eLAB error " + json.dumps({"ename": ename, "evalue": evalue, "cell": done["n"]}), flush=True)
except Exception as e:  # kernel missing, dead kernel, timeout
    status = 2
    print("\x1eLAB error " + json.dumps({"ename": type(e).__name__, "evalue": str(e).splitlines()[0] if str(e) else ""}), flush=True)
nbformat.write(nb, args["output"])
sys.exit(status)
