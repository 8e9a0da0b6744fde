"""Sphinx extension: downloadable notebooks that are the same in every clean build.

The notebooks under ``_sources/**/*.ipynb`` are the pages converted by jupytext, with the outputs of
the build's execution. Two things in them vary between builds of the same sources, and both are
made stable here, after the build:

* jupytext gives every cell a random id: each id becomes a hash of the cell's position and source;
* the kernel sends what one ``print`` writes as one stream message or several, depending on timing
  (``print`` writes its arguments and its line end separately): consecutive stream outputs of the
  same name are merged into one, as ``nb_merge_streams`` already does for the HTML.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

from sphinx.application import Sphinx


def _text(value: Any) -> str:
    return "".join(value) if isinstance(value, list) else str(value)


def merge_streams(outputs: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Consecutive stream outputs to the same stream (stdout, stderr) as one output."""
    merged: list[dict[str, Any]] = []
    for output in outputs:
        previous = merged[-1] if merged else None
        if (
            output.get("output_type") == "stream"
            and previous is not None
            and previous.get("output_type") == "stream"
            and previous.get("name") == output.get("name")
        ):
            previous["text"] = _text(previous.get("text", "")) + _text(output.get("text", ""))
        else:
            merged.append(dict(output))
    for output in merged:
        if output.get("output_type") == "stream":
            output["text"] = _text(output.get("text", "")).splitlines(keepends=True)
    return merged


def stable_notebook(notebook: dict[str, Any]) -> dict[str, Any]:
    """Give every cell an id that depends only on its position and source; merge its streams."""
    for index, cell in enumerate(notebook.get("cells", [])):
        text = _text(cell.get("source", ""))
        cell["id"] = hashlib.sha256(f"{index}\0{text}".encode()).hexdigest()[:8]
        if "outputs" in cell:
            cell["outputs"] = merge_streams(cell["outputs"])
    return notebook


def _stabilise_notebooks(app: Sphinx, exc: Exception | None) -> None:
    if exc is not None or app.builder.format != "html":
        return
    for path in sorted(Path(app.outdir, "_sources").rglob("*.ipynb")):
        notebook = json.loads(path.read_text(encoding="utf-8"))
        text = json.dumps(stable_notebook(notebook), indent=1, ensure_ascii=False, sort_keys=True)
        path.write_text(text + "\n", encoding="utf-8")


def setup(app: Sphinx) -> dict[str, object]:
    app.connect("build-finished", _stabilise_notebooks)
    return {"parallel_read_safe": True, "parallel_write_safe": True, "version": "1.0"}
