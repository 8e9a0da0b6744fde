"""The downloadable notebooks are the same in every build (book/_ext/mlcalc_notebooks.py)."""

from __future__ import annotations

import sys

from _bookbuild import ROOT

sys.path.insert(0, str(ROOT / "book" / "_ext"))
from mlcalc_notebooks import merge_streams, stable_notebook  # noqa: E402


def _cell(source, outputs):
    return {"cell_type": "code", "id": "random", "source": source, "outputs": outputs}


def test_split_and_whole_stream_outputs_give_the_same_notebook():
    whole = [{"output_type": "stream", "name": "stdout", "text": ["a: [1 2]\n", "b\n"]}]
    split = [
        {"output_type": "stream", "name": "stdout", "text": ["a: [1 2]\n", "b"]},
        {"output_type": "stream", "name": "stdout", "text": ["\n"]},
    ]
    one = stable_notebook({"cells": [_cell("print(x)", whole)]})
    two = stable_notebook({"cells": [_cell("print(x)", split)]})
    assert one == two
    assert one["cells"][0]["outputs"][0]["text"] == ["a: [1 2]\n", "b\n"]


def test_streams_of_different_names_and_other_outputs_stay_apart():
    outputs = [
        {"output_type": "stream", "name": "stdout", "text": "out\n"},
        {"output_type": "stream", "name": "stderr", "text": "warn\n"},
        {"output_type": "display_data", "data": {"text/plain": "x"}, "metadata": {}},
        {"output_type": "stream", "name": "stdout", "text": "more\n"},
    ]
    assert [o.get("name", o["output_type"]) for o in merge_streams(outputs)] == [
        "stdout", "stderr", "display_data", "stdout"
    ]


def test_cell_ids_depend_on_position_and_source_only():
    a = stable_notebook({"cells": [_cell("x = 1", []), _cell("y = 2", [])]})
    b = stable_notebook({"cells": [_cell("x = 1", []), _cell("y = 2", [])]})
    assert [c["id"] for c in a["cells"]] == [c["id"] for c in b["cells"]]
    assert a["cells"][0]["id"] != a["cells"][1]["id"]
