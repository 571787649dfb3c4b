"""Exact saves (``jlab_alt.builtins.exact_save``): open then save writes the bytes that were read.

The browser's side is played by Node's ``JSON.parse``/``JSON.stringify``, which is what
the page does to a notebook's numbers between the contents API's GET and PUT.
"""

from __future__ import annotations

import copy
import csv
import json
import os
import shutil
import subprocess
from pathlib import Path

import nbformat
import pytest

from jlab_alt.builtins.exact_save import reconcile, reconcile_notebook

CORPUS = Path(os.environ.get("JLAB_ALT_CORPUS") or Path(__file__).parents[1].parent / "shared" / "corpus" / "notebooks")
if not CORPUS.is_dir():
    CORPUS = Path("/work/shared/corpus/notebooks")


def corpus_rows() -> list[dict[str, str]]:
    with open(CORPUS / "MANIFEST.tsv", encoding="utf-8") as f:
        return list(csv.DictReader(f, delimiter="\t"))


def through_javascript(value: object) -> object:
    """``value`` after a JavaScript JSON round trip (what the page sends back)."""
    out = subprocess.run(
        ["node", "-e", "process.stdout.write(JSON.stringify(JSON.parse(require('fs').readFileSync(0, 'utf8'))))"],
        input=json.dumps(value, ensure_ascii=False).encode(),
        capture_output=True,
        check=True,
    )
    return json.loads(out.stdout)


async def get_notebook(jp_fetch, name: str) -> dict:
    response = await jp_fetch("api", "contents", name, params={"content": "1", "type": "notebook"})
    return json.loads(response.body)["content"]


async def put_notebook(jp_fetch, name: str, content: object) -> None:
    body = json.dumps({"type": "notebook", "format": "json", "content": content})
    response = await jp_fetch("api", "contents", name, method="PUT", body=body)
    assert response.code == 200


# -- the reconcile itself ---------------------------------------------------------------


def test_numbers_javascript_respelled_come_back_as_on_disk():
    disk = {"a": 10.0, "b": -0.0, "c": 1e16, "d": 2**64 + 1, "e": [1.5, 2.0], "f": True, "g": "10.0"}
    incoming = through_javascript(disk)
    assert incoming == {"a": 10, "b": 0, "c": 10000000000000000, "d": 18446744073709552000, "e": [1.5, 2], "f": True, "g": "10.0"}
    result = reconcile(copy.deepcopy(incoming), disk)
    assert json.dumps(result) == json.dumps(disk)


def test_real_changes_are_kept():
    disk = {"a": 10.0, "b": [1.0, 2.0], "c": 1, "flag": 1, "s": 3.0}
    incoming = {"a": 10.5, "b": [1, 3], "c": True, "flag": 0, "s": "3.0", "new": 4}
    result = reconcile(copy.deepcopy(incoming), disk)
    assert result == {"a": 10.5, "b": [1.0, 3], "c": True, "flag": 0, "s": "3.0", "new": 4}
    assert isinstance(result["b"][0], float)


def test_cells_are_matched_by_id_when_cells_moved():
    disk = {
        "cells": [
            {"id": "a", "metadata": {"x": 1.0}},
            {"id": "b", "metadata": {"x": 2.0}},
        ],
        "metadata": {"w": 0.0},
    }
    incoming = {
        "cells": [
            {"id": "new", "metadata": {"x": 2}},
            {"id": "b", "metadata": {"x": 2}},
            {"id": "a", "metadata": {"x": 1}},
        ],
        "metadata": {"w": 0},
    }
    result = reconcile_notebook(incoming, disk)
    assert json.dumps(result["cells"]) == json.dumps(
        [{"id": "new", "metadata": {"x": 2}}, {"id": "b", "metadata": {"x": 2.0}}, {"id": "a", "metadata": {"x": 1.0}}]
    )
    assert json.dumps(result["metadata"]) == '{"w": 0.0}'


# -- through the server ------------------------------------------------------------------


def float_notebook() -> nbformat.NotebookNode:
    """A notebook whose outputs and metadata hold every number JavaScript re-spells."""
    nb = nbformat.v4.new_notebook()
    values = {
        "one": 1.0,
        "ten": 10.0,
        "huge": 1e300,
        "tiny": 5e-324,
        "negzero": -0.0,
        "seventeen": 0.30000000000000004,
        "pi17": 3.1415926535897931,
        "e16": 1e16,
        "small": 1e-05,
        "bigint": 2**64 + 1,
        "list": [0.0, 1.0, 2.5, -1.0, 100.0],
    }
    nb.metadata["widgets"] = {
        "application/vnd.jupyter.widget-state+json": {
            "state": {"m1": {"model_name": "FloatSliderModel", "state": {"value": 10.0, "min": 0.0, "max": 100.0, "step": 0.1}}},
            "version_major": 2,
            "version_minor": 0,
        }
    }
    nb.metadata["custom"] = values
    for i in range(3):
        cell = nbformat.v4.new_code_cell(f"values_{i} = {i}", execution_count=i + 1)
        cell.metadata["timing"] = {"elapsed": 1.0 * i, "ratio": 0.1 + 0.2}
        cell.outputs = [
            nbformat.v4.new_output(
                "execute_result",
                data={"application/json": values, "text/plain": repr(values)},
                metadata={"application/json": {"expanded": False, "scale": 2.0}},
                execution_count=i + 1,
            ),
            nbformat.v4.new_output("display_data", data={"application/vnd.plotly.v1+json": {"data": [{"x": [1.0, 2.0], "y": [-0.0, 3.0]}]}}),
        ]
        nb.cells.append(cell)
    nb.cells.append(nbformat.v4.new_markdown_cell("# The end"))
    return nb


def write_nb(path: Path, nb: nbformat.NotebookNode) -> bytes:
    text = nbformat.writes(nb, version=4) + "\n"
    path.write_text(text, encoding="utf-8")
    return text.encode()


async def test_generated_floats_save_byte_exact_without_edits(jp_fetch, jp_root_dir):
    original = write_nb(jp_root_dir / "floats.ipynb", float_notebook())
    assert b"10.0" in original and b"-0.0" in original and b"1e+300" in original
    content = through_javascript(await get_notebook(jp_fetch, "floats.ipynb"))
    await put_notebook(jp_fetch, "floats.ipynb", content)
    assert (jp_root_dir / "floats.ipynb").read_bytes() == original


async def test_after_one_edit_only_that_cell_changes(jp_fetch, jp_root_dir):
    nb = float_notebook()
    write_nb(jp_root_dir / "floats.ipynb", nb)
    content = through_javascript(await get_notebook(jp_fetch, "floats.ipynb"))
    content["cells"][1]["source"] = "values_1 = 'edited'"
    # A new cell run in the page: its numbers exist only as JavaScript numbers.
    content["cells"].insert(0, {"id": "fresh", "cell_type": "code", "execution_count": 7, "metadata": {}, "outputs": [], "source": "x = 1"})
    await put_notebook(jp_fetch, "floats.ipynb", content)
    nb.cells[1].source = "values_1 = 'edited'"
    nb.cells.insert(0, nbformat.from_dict(content["cells"][0]))
    assert (jp_root_dir / "floats.ipynb").read_text(encoding="utf-8") == nbformat.writes(nb, version=4) + "\n"


async def test_a_changed_number_is_saved_as_changed(jp_fetch, jp_root_dir):
    write_nb(jp_root_dir / "floats.ipynb", float_notebook())
    content = through_javascript(await get_notebook(jp_fetch, "floats.ipynb"))
    content["metadata"]["custom"]["ten"] = 11
    await put_notebook(jp_fetch, "floats.ipynb", content)
    saved = json.loads((jp_root_dir / "floats.ipynb").read_text(encoding="utf-8"))
    assert saved["metadata"]["custom"]["ten"] == 11 and saved["metadata"]["custom"]["one"] == 1.0
    assert isinstance(saved["metadata"]["custom"]["one"], float)


@pytest.mark.parametrize("row", corpus_rows(), ids=lambda r: r["file"])
async def test_corpus_notebook_saves_as_the_host_would_with_exact_numbers(jp_fetch, jp_root_dir, row):
    """Every corpus notebook, opened and saved from the page without edits, is written as
    a Python client of the host would write it (no number re-spelled); the files the
    manifest marks as round-tripping exactly are written byte for byte. After one edit
    of a cell's source, the file is the host's save of that one change."""
    name = row["file"]
    target = jp_root_dir / "nb.ipynb"
    shutil.copyfile(CORPUS / name, target)
    original = target.read_bytes()
    python_model = await get_notebook(jp_fetch, "nb.ipynb")

    await put_notebook(jp_fetch, "nb.ipynb", copy.deepcopy(python_model))
    as_host_writes = target.read_bytes()
    if row["roundtrip_exact"] == "yes":
        assert as_host_writes == original

    shutil.copyfile(CORPUS / name, target)
    await put_notebook(jp_fetch, "nb.ipynb", through_javascript(python_model))
    assert target.read_bytes() == as_host_writes

    edited = through_javascript(python_model)
    code = [i for i, c in enumerate(edited["cells"]) if c["cell_type"] == "code"] or [0]
    if not edited["cells"]:
        return
    edited["cells"][code[0]]["source"] = "print('edited')"
    shutil.copyfile(CORPUS / name, target)
    await put_notebook(jp_fetch, "nb.ipynb", edited)
    from_page = target.read_bytes()
    expected = copy.deepcopy(python_model)
    expected["cells"][code[0]]["source"] = "print('edited')"
    shutil.copyfile(CORPUS / name, target)
    await put_notebook(jp_fetch, "nb.ipynb", expected)
    # Same bytes as the host's save of a Python client's one-cell edit.
    assert from_page == target.read_bytes()
