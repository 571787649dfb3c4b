"""Saves that send what changed (``jlab_alt.savedelta``): ``POST jlab-alt/api/save-delta/<path>``.

Each test checks the file written by a delta against the file the host writes for the
whole notebook with the same change (a PUT of ``/api/contents``, the page's full save),
so "exact" means: the bytes a full save would write, no number re-spelled.
"""

from __future__ import annotations

import asyncio
import copy
import json
import os
import shutil
from pathlib import Path

import nbformat
import pytest

from jlab_alt.savedelta.handlers import _saved_notebooks
from jlab_alt.savedelta.merge import DeltaMismatch, merge_delta
from test_exact_save import CORPUS, corpus_rows, float_notebook, get_notebook, put_notebook, through_javascript, write_nb


@pytest.fixture
def jp_server_config(jp_server_config: dict) -> dict:
    """No extension hooking pre-save (the example strip_outputs is installed beside the
    tests): with one, a delta goes only onto a file saved here as sent (tested below)."""
    app = jp_server_config.setdefault("JlabAltApp", {})
    app["disabled_extensions"] = [*app.get("disabled_extensions", []), "strip_outputs"]
    return jp_server_config


async def model_of(jp_fetch, name: str) -> dict:
    response = await jp_fetch("api", "contents", name, params={"content": "0"})
    return json.loads(response.body)


async def post_delta(jp_fetch, name: str, delta: dict):
    return await jp_fetch(
        "jlab-alt", "api", "save-delta", name, method="POST", body=json.dumps({"delta": delta}), raise_error=False
    )


def delta_for(model: dict, content: dict, **changes) -> dict:
    return {"format": 1, "base": {"last_modified": model["last_modified"], "cell_count": len(content["cells"])}, **changes}


def id_notebook(n: int = 4) -> nbformat.NotebookNode:
    nb = float_notebook()
    for i, cell in enumerate(nb.cells):
        cell.id = f"cell-{i}"
    while len(nb.cells) < n:
        nb.cells.append(nbformat.v4.new_code_cell(f"x = {len(nb.cells)}", id=f"cell-{len(nb.cells)}"))
    return nb


async def full_save_bytes(jp_fetch, root: Path, original: bytes, content: dict) -> bytes:
    """What the page's full save of ``content`` writes over ``original``; restores ``original``."""
    target = root / "full.ipynb"
    target.write_bytes(original)
    await put_notebook(jp_fetch, "full.ipynb", content)
    return target.read_bytes()


# -- the merge ---------------------------------------------------------------------------


def test_merge_keeps_untouched_cells_as_the_very_objects_read():
    base = {"cells": [{"id": "a", "cell_type": "code"}, {"id": "b", "cell_type": "markdown"}], "metadata": {"k": 1}, "nbformat": 4}
    edited = {"id": "b", "cell_type": "markdown", "source": "new"}
    merged, sent = merge_delta(base, {"base": {"cell_count": 2}, "cells": [edited]})
    assert merged["cells"][0] is base["cells"][0] and merged["cells"][1] is edited
    assert merged["metadata"] is base["metadata"] and base["cells"][1] == {"id": "b", "cell_type": "markdown"}
    assert sent == [(edited, base["cells"][1])]


def test_merge_orders_inserts_and_removes_by_id():
    base = {"cells": [{"id": i, "cell_type": "code"} for i in "abcd"]}
    new = {"id": "n", "cell_type": "raw"}
    merged, _ = merge_delta(base, {"base": {"cell_count": 4}, "cells": [new], "order": ["d", "n", "a", "c"], "metadata": {"m": 2}})
    assert [c["id"] for c in merged["cells"]] == ["d", "n", "a", "c"]
    assert merged["metadata"] == {"m": 2}


@pytest.mark.parametrize(
    "delta, message",
    [
        ({"base": {"cell_count": 3}}, "had 3 cells"),
        ({"base": {"cell_count": 2}, "cells": [{"id": "z", "cell_type": "code"}]}, "'z' is not in the notebook"),
        ({"base": {"cell_count": 2}, "order": ["a", "zz"]}, "'zz' is neither"),
        ({"base": {"cell_count": 2}, "order": ["a", "a"]}, "distinct"),
        ({"base": {"cell_count": 2}, "cells": [{"id": "a", "cell_type": "code"}], "order": ["b"]}, "not in the order"),
        ({"base": {"cell_count": 2}, "cells": [{"cell_type": "code"}]}, "has no id"),
        ({"base": {"cell_count": 2}, "cells": ["x"]}, "nbformat cells"),
        ({"base": {"cell_count": 2}, "metadata": []}, "metadata must be"),
    ],
)
def test_merge_refuses_a_delta_that_does_not_fit(delta, message):
    base = {"cells": [{"id": "a", "cell_type": "code"}, {"id": "b", "cell_type": "code"}]}
    with pytest.raises(DeltaMismatch, match=message):
        merge_delta(base, delta)


def test_merge_refuses_a_base_without_unique_ids():
    base = {"cells": [{"id": "a", "cell_type": "code"}, {"id": "a", "cell_type": "code"}]}
    with pytest.raises(DeltaMismatch, match="duplicate"):
        merge_delta(base, {"base": {"cell_count": 2}})


# -- through the server ------------------------------------------------------------------


async def test_one_edited_cell_is_written_as_a_full_save_writes_it(jp_fetch, jp_root_dir):
    original = write_nb(jp_root_dir / "nb.ipynb", id_notebook())
    content = through_javascript(await get_notebook(jp_fetch, "nb.ipynb"))
    model = await model_of(jp_fetch, "nb.ipynb")
    content["cells"][1]["source"] = "values_1 = 'edited'"
    response = await post_delta(jp_fetch, "nb.ipynb", delta_for(model, content, cells=[content["cells"][1]]))
    assert response.code == 200
    answer = json.loads(response.body)
    assert answer["path"] == "nb.ipynb" and answer["type"] == "notebook" and answer["content"] is None
    assert answer["last_modified"] != model["last_modified"]
    written = (jp_root_dir / "nb.ipynb").read_bytes()
    assert written == await full_save_bytes(jp_fetch, jp_root_dir, original, content)
    # Only the edited line differs; 10.0, -0.0, 1e+300 are as they were.
    diff = [(a, b) for a, b in zip(original.splitlines(), written.splitlines()) if a != b]
    assert diff == [(b'    "values_1 = 1"', b'    "values_1 = \'edited\'"')]


async def test_inserts_moves_removals_and_metadata(jp_fetch, jp_root_dir):
    original = write_nb(jp_root_dir / "nb.ipynb", id_notebook(6))
    content = through_javascript(await get_notebook(jp_fetch, "nb.ipynb"))
    model = await model_of(jp_fetch, "nb.ipynb")
    cells = content["cells"]
    fresh = {"id": "fresh", "cell_type": "code", "execution_count": 3, "metadata": {}, "outputs": [
        {"output_type": "execute_result", "execution_count": 3, "metadata": {}, "data": {"application/json": {"v": 2.5}}}], "source": "y"}
    content["cells"] = [cells[5], fresh, cells[0], cells[2], cells[3]]  # 1 and 4 removed, 5 moved first
    content["metadata"]["custom"]["ten"] = 11
    delta = delta_for(model, {"cells": cells}, cells=[fresh], order=[c["id"] for c in content["cells"]], metadata=content["metadata"])
    assert (await post_delta(jp_fetch, "nb.ipynb", delta)).code == 200
    written = (jp_root_dir / "nb.ipynb").read_bytes()
    assert written == await full_save_bytes(jp_fetch, jp_root_dir, original, content)
    saved = json.loads(written)
    assert [c["id"] for c in saved["cells"]] == ["cell-5", "fresh", "cell-0", "cell-2", "cell-3"]
    assert saved["metadata"]["custom"]["ten"] == 11 and b'"one": 1.0' in written


async def test_a_file_changed_on_disk_is_refused_with_409_and_left_alone(jp_fetch, jp_root_dir):
    write_nb(jp_root_dir / "nb.ipynb", id_notebook())
    content = await get_notebook(jp_fetch, "nb.ipynb")
    model = await model_of(jp_fetch, "nb.ipynb")
    other = id_notebook()
    other.cells[0].source = "changed by another program"
    theirs = write_nb(jp_root_dir / "nb.ipynb", other)
    stat = os.stat(jp_root_dir / "nb.ipynb")
    os.utime(jp_root_dir / "nb.ipynb", ns=(stat.st_atime_ns, stat.st_mtime_ns + 2_000_000_000))
    content["cells"][1]["source"] = "mine"
    response = await post_delta(jp_fetch, "nb.ipynb", delta_for(model, content, cells=[content["cells"][1]]))
    assert response.code == 409
    assert "changed on disk" in json.loads(response.body)["message"]
    assert (jp_root_dir / "nb.ipynb").read_bytes() == theirs


async def test_a_delta_that_does_not_fit_is_refused_with_422_and_changes_nothing(jp_fetch, jp_root_dir):
    original = write_nb(jp_root_dir / "nb.ipynb", id_notebook())
    content = await get_notebook(jp_fetch, "nb.ipynb")
    model = await model_of(jp_fetch, "nb.ipynb")
    ghost = {**content["cells"][0], "id": "ghost"}
    response = await post_delta(jp_fetch, "nb.ipynb", delta_for(model, content, cells=[ghost]))
    assert response.code == 422 and "ghost" in json.loads(response.body)["message"]
    bad = await post_delta(jp_fetch, "nb.ipynb", {"format": 99})
    assert bad.code == 422
    assert (jp_root_dir / "nb.ipynb").read_bytes() == original


async def test_bad_bodies_and_missing_files(jp_fetch, jp_root_dir):
    write_nb(jp_root_dir / "nb.ipynb", id_notebook())
    response = await jp_fetch("jlab-alt", "api", "save-delta", "nb.ipynb", method="POST", body="not json", raise_error=False)
    assert response.code == 400
    missing = await post_delta(jp_fetch, "gone.ipynb", {"format": 1, "base": {"last_modified": "2020-01-01T00:00:00Z", "cell_count": 0}})
    assert missing.code == 404
    (jp_root_dir / "text.txt").write_text("hello")
    text = await model_of(jp_fetch, "text.txt")
    not_nb = await post_delta(jp_fetch, "text.txt", {"format": 1, "base": {"last_modified": text["last_modified"], "cell_count": 0}})
    assert not_nb.code >= 400 and (jp_root_dir / "text.txt").read_text() == "hello"


async def test_post_save_hooks_and_the_host_save_run(jp_fetch, jp_root_dir, jp_serverapp):
    """The save goes through the contents manager: its hooks see it as any save."""
    write_nb(jp_root_dir / "nb.ipynb", id_notebook())
    seen: list[str] = []
    cm = jp_serverapp.contents_manager
    cm.register_post_save_hook(lambda model, os_path, contents_manager, **_: seen.append(os_path))
    content = await get_notebook(jp_fetch, "nb.ipynb")
    model = await model_of(jp_fetch, "nb.ipynb")
    content["cells"][0]["source"] = "hooked"
    assert (await post_delta(jp_fetch, "nb.ipynb", delta_for(model, content, cells=[content["cells"][0]]))).code == 200
    assert seen == [str(jp_root_dir / "nb.ipynb")]


def rows_with_cell_ids() -> list[dict[str, str]]:
    """Corpus notebooks whose cells all have distinct ids on disk (the others are always saved whole)."""
    rows = []
    for row in corpus_rows():
        cells = json.loads((CORPUS / row["file"]).read_text(encoding="utf-8")).get("cells") or []
        ids = [c.get("id") for c in cells]
        if cells and None not in ids and len(set(ids)) == len(ids):
            rows.append(row)
    return rows


@pytest.mark.parametrize("row", rows_with_cell_ids(), ids=lambda r: r["file"])
async def test_corpus_notebook_one_edit_by_delta_is_the_full_save(jp_fetch, jp_root_dir, row):
    """Every corpus notebook with cell ids: an untouched-by-delta save and a one-cell edit write
    the bytes the page's full save writes."""
    target = jp_root_dir / "nb.ipynb"
    shutil.copyfile(CORPUS / row["file"], target)
    original = target.read_bytes()
    python_model = await get_notebook(jp_fetch, "nb.ipynb")
    edited = through_javascript(python_model)
    edited["cells"][0]["source"] = "print('edited')"
    expected = await full_save_bytes(jp_fetch, jp_root_dir, original, copy.deepcopy(edited))
    model = await model_of(jp_fetch, "nb.ipynb")
    response = await post_delta(jp_fetch, "nb.ipynb", delta_for(model, edited, cells=[edited["cells"][0]]))
    assert response.code == 200, response.body
    assert target.read_bytes() == expected


async def test_anonymous_and_unauthorized_clients_are_refused(jp_fetch, jp_root_dir, no_auth, jp_serverapp):
    """The API is behind the login and the ``jlab_alt`` authorizer resource: 403, file untouched."""
    original = write_nb(jp_root_dir / "nb.ipynb", id_notebook())
    content = await get_notebook(jp_fetch, "nb.ipynb")
    model = await model_of(jp_fetch, "nb.ipynb")
    content["cells"][0]["source"] = "evil"
    body = json.dumps({"delta": delta_for(model, content, cells=[content["cells"][0]])})
    response = await jp_fetch(
        "jlab-alt", "api", "save-delta", "nb.ipynb", method="POST", body=body, headers=no_auth, raise_error=False, follow_redirects=False
    )
    assert response.code == 403

    class DenyJlabAlt(jp_serverapp.authorizer.__class__):
        def is_authorized(self, handler, user, action, resource):  # noqa: ANN001, ANN201
            return resource != "jlab_alt"

    jp_serverapp.web_app.settings["authorizer"] = DenyJlabAlt(parent=jp_serverapp, identity_provider=jp_serverapp.identity_provider)
    response = await jp_fetch("jlab-alt", "api", "save-delta", "nb.ipynb", method="POST", body=body, raise_error=False)
    assert response.code == 403
    assert (jp_root_dir / "nb.ipynb").read_bytes() == original


@pytest.mark.parametrize("kind", ["invalid", "older format"])
async def test_a_file_the_page_normalizes_is_refused_with_422(jp_fetch, jp_root_dir, kind):
    """An invalid file (execution_count "*") or one the host converts on read (nbformat 3):
    the page saves it whole, as it normalized it; a delta would keep the file's version."""
    if kind == "invalid":
        nb = json.loads(nbformat.writes(id_notebook()))
        nb["cells"][0]["execution_count"] = "*"
        (jp_root_dir / "nb.ipynb").write_text(json.dumps(nb, indent=1) + "\n", encoding="utf-8")
    else:
        v3 = {"nbformat": 3, "nbformat_minor": 0, "metadata": {"name": "old"}, "worksheets": [{"cells": [
            {"cell_type": "code", "collapsed": False, "input": "x = 1", "language": "python", "metadata": {}, "outputs": [], "prompt_number": 1}
        ], "metadata": {}}]}
        (jp_root_dir / "nb.ipynb").write_text(json.dumps(v3), encoding="utf-8")
    original = (jp_root_dir / "nb.ipynb").read_bytes()
    content = await get_notebook(jp_fetch, "nb.ipynb")
    model = await model_of(jp_fetch, "nb.ipynb")
    response = await post_delta(jp_fetch, "nb.ipynb", delta_for(model, content))
    assert response.code == 422 and "save it whole" in json.loads(response.body)["message"]
    assert (jp_root_dir / "nb.ipynb").read_bytes() == original


async def test_a_pre_save_hook_that_may_rewrite_the_save_makes_it_whole(jp_fetch, jp_root_dir, jp_serverapp):
    """A hook that strips outputs wrote an earlier save unlike the page's notebook: merging
    into that file would keep its rewrite in every cell the page does not send again, so the
    page is told to send the whole notebook (422), which the hook sees whole."""
    original = write_nb(jp_root_dir / "nb.ipynb", id_notebook())
    content = await get_notebook(jp_fetch, "nb.ipynb")
    model = await model_of(jp_fetch, "nb.ipynb")
    content["cells"][0]["source"] = "edited"
    delta = delta_for(model, content, cells=[content["cells"][0]])
    cm = jp_serverapp.contents_manager

    def strip(model, **_):
        for cell in model["content"]["cells"]:
            cell["outputs"] = [] if cell["cell_type"] == "code" else cell.get("outputs")

    cm.register_pre_save_hook(strip)
    try:
        refused = await post_delta(jp_fetch, "nb.ipynb", delta)
        assert refused.code == 422 and "pre-save hook" in json.loads(refused.body)["message"]
        assert (jp_root_dir / "nb.ipynb").read_bytes() == original
    finally:
        cm._pre_save_hooks.remove(strip)
    assert (await post_delta(jp_fetch, "nb.ipynb", delta)).code == 200


async def test_with_an_extension_pre_save_hook_a_delta_goes_only_onto_a_save_it_left_alone(jp_fetch, jp_root_dir, jp_serverapp):
    """strip_outputs-like: while the extension's hook rewrites saves, every save is whole;
    once a whole save is written as sent, deltas are merged again."""
    from jlab_alt.hookspecs import hookimpl

    app = next(iter(jp_serverapp.extension_manager.extension_apps["jlab_alt"]))
    strip = {"on": True}

    class Stripper:
        @staticmethod
        @hookimpl
        def jlab_alt_pre_save(model):
            if strip["on"] and model.get("type") == "notebook":
                for cell in model["content"]["cells"]:
                    if cell["cell_type"] == "code":
                        cell["outputs"] = []

    write_nb(jp_root_dir / "nb.ipynb", id_notebook())
    content = await get_notebook(jp_fetch, "nb.ipynb")
    assert any(c.get("outputs") for c in content["cells"])
    app.extension_manager.pm.register(Stripper, name="stripper")
    try:
        assert app.extension_manager.third_party_implementers("jlab_alt_pre_save") == ["stripper"]
        # Not saved here yet: whole. A whole save the hook rewrites: the next delta is refused too.
        model = await model_of(jp_fetch, "nb.ipynb")
        assert (await post_delta(jp_fetch, "nb.ipynb", delta_for(model, content, cells=[]))).code == 422
        await put_notebook(jp_fetch, "nb.ipynb", content)
        model = await model_of(jp_fetch, "nb.ipynb")
        assert (await post_delta(jp_fetch, "nb.ipynb", delta_for(model, content, cells=[]))).code == 422
        # The hook off: a whole save is written as sent, outputs back; then deltas merge.
        strip["on"] = False
        await put_notebook(jp_fetch, "nb.ipynb", content)
        assert any(c.get("outputs") for c in json.loads((jp_root_dir / "nb.ipynb").read_text())["cells"])
        model = await model_of(jp_fetch, "nb.ipynb")
        content["cells"][0]["source"] = "after"
        assert (await post_delta(jp_fetch, "nb.ipynb", delta_for(model, content, cells=[content["cells"][0]]))).code == 200
        on_disk = json.loads((jp_root_dir / "nb.ipynb").read_text())
        assert "".join(on_disk["cells"][0]["source"]) == "after" and any(c.get("outputs") for c in on_disk["cells"])
    finally:
        app.extension_manager.pm.unregister(Stripper)


# -- the notebook kept from the last delta save (SavedNotebooks) -------------------------


def rewrite_cell_keeping_mtime(path: Path, index: int, source: str) -> None:
    """Another program rewrites cell ``index`` of ``path`` and puts its modification time back: only the bytes tell."""
    stat = os.stat(path)
    on_disk = json.loads(path.read_bytes())
    on_disk["cells"][index]["source"] = source
    path.write_text(json.dumps(on_disk, indent=1, sort_keys=True, ensure_ascii=False) + "\n", encoding="utf-8")
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))


def count_full_reads(jp_serverapp, monkeypatch) -> list[str]:
    """The paths read with their content through the contents manager from now on."""
    cm = jp_serverapp.contents_manager
    reads: list[str] = []
    real_get = cm.get

    def get(path, content=True, *args, **kwargs):
        if content:
            reads.append(path)
        return real_get(path, content, *args, **kwargs)

    monkeypatch.setattr(cm, "get", get)
    return reads


async def test_a_second_delta_save_needs_no_read_and_writes_what_a_full_save_writes(jp_fetch, jp_root_dir, jp_serverapp, monkeypatch):
    write_nb(jp_root_dir / "nb.ipynb", id_notebook())
    content = through_javascript(await get_notebook(jp_fetch, "nb.ipynb"))
    model = await model_of(jp_fetch, "nb.ipynb")
    reads = count_full_reads(jp_serverapp, monkeypatch)
    content["cells"][1]["source"] = "first edit"
    first = await post_delta(jp_fetch, "nb.ipynb", delta_for(model, content, cells=[content["cells"][1]]))
    assert first.code == 200 and reads == ["nb.ipynb"]
    after_first = (jp_root_dir / "nb.ipynb").read_bytes()
    content["cells"][2]["source"] = "second edit"
    second = await post_delta(jp_fetch, "nb.ipynb", delta_for(json.loads(first.body), content, cells=[content["cells"][2]]))
    assert second.code == 200
    assert reads == ["nb.ipynb"], "the second save merged onto the notebook the first one wrote, without reading it"
    written = (jp_root_dir / "nb.ipynb").read_bytes()
    assert written == await full_save_bytes(jp_fetch, jp_root_dir, after_first, content)
    assert b'"one": 1.0' in written


async def test_after_a_delta_save_a_file_changed_by_another_program_is_still_refused_with_409(jp_fetch, jp_root_dir, jp_serverapp, monkeypatch):
    write_nb(jp_root_dir / "nb.ipynb", id_notebook())
    content = await get_notebook(jp_fetch, "nb.ipynb")
    model = await model_of(jp_fetch, "nb.ipynb")
    content["cells"][1]["source"] = "mine"
    first = await post_delta(jp_fetch, "nb.ipynb", delta_for(model, content, cells=[content["cells"][1]]))
    assert first.code == 200
    other = id_notebook()
    other.cells[0].source = "changed by another program"
    theirs = write_nb(jp_root_dir / "nb.ipynb", other)
    stat = os.stat(jp_root_dir / "nb.ipynb")
    os.utime(jp_root_dir / "nb.ipynb", ns=(stat.st_atime_ns, stat.st_mtime_ns + 2_000_000_000))
    content["cells"][2]["source"] = "mine again"
    response = await post_delta(jp_fetch, "nb.ipynb", delta_for(json.loads(first.body), content, cells=[content["cells"][2]]))
    assert response.code == 409
    assert (jp_root_dir / "nb.ipynb").read_bytes() == theirs


async def test_a_file_rewritten_with_the_same_modification_time_is_read_again_not_taken_from_the_last_save(
    jp_fetch, jp_root_dir, jp_serverapp, monkeypatch
):
    write_nb(jp_root_dir / "nb.ipynb", id_notebook())
    content = await get_notebook(jp_fetch, "nb.ipynb")
    model = await model_of(jp_fetch, "nb.ipynb")
    content["cells"][1]["source"] = "mine"
    first = await post_delta(jp_fetch, "nb.ipynb", delta_for(model, content, cells=[content["cells"][1]]))
    assert first.code == 200
    path = jp_root_dir / "nb.ipynb"
    rewrite_cell_keeping_mtime(path, 0, "changed by another program")
    reads = count_full_reads(jp_serverapp, monkeypatch)
    content["cells"][2]["source"] = "mine again"
    response = await post_delta(jp_fetch, "nb.ipynb", delta_for(json.loads(first.body), content, cells=[content["cells"][2]]))
    assert response.code == 200 and reads == ["nb.ipynb"]
    saved = json.loads(path.read_bytes())
    assert "".join(saved["cells"][0]["source"]) == "changed by another program"
    assert "".join(saved["cells"][1]["source"]) == "mine"
    assert "".join(saved["cells"][2]["source"]) == "mine again"


async def test_a_file_rewritten_right_after_the_answer_is_not_taken_for_what_the_save_wrote(
    jp_fetch, jp_root_dir, jp_serverapp, monkeypatch
):
    """Another program rewrites the file (keeping its modification time) as soon as the page has its answer.

    What the handler keeps for the next save must carry the hash of the bytes its save wrote: a
    slow look at the file after answering would find the other program's bytes and keep the
    page's notebook under their hash, and the next save would drop that program's edit.
    """
    cm = jp_serverapp.contents_manager
    real_get = cm.get

    async def slow_look(path, content=True, *args, **kwargs):
        if not content:
            await asyncio.sleep(0.3)
        return await real_get(path, content, *args, **kwargs)

    write_nb(jp_root_dir / "nb.ipynb", id_notebook())
    content = await get_notebook(jp_fetch, "nb.ipynb")
    model = await model_of(jp_fetch, "nb.ipynb")
    monkeypatch.setattr(cm, "get", slow_look)
    content["cells"][1]["source"] = "mine"
    first = await post_delta(jp_fetch, "nb.ipynb", delta_for(model, content, cells=[content["cells"][1]]))
    assert first.code == 200
    path = jp_root_dir / "nb.ipynb"
    rewrite_cell_keeping_mtime(path, 0, "changed by another program")
    # The handler keeps the notebook it saved, for the next save (after answering).
    cache = _saved_notebooks(cm)
    for _ in range(500):
        if "nb.ipynb" in cache.kept_paths():
            break
        await asyncio.sleep(0.01)
    assert cache.kept_paths() == ["nb.ipynb"]
    content["cells"][2]["source"] = "mine again"
    response = await post_delta(jp_fetch, "nb.ipynb", delta_for(json.loads(first.body), content, cells=[content["cells"][2]]))
    assert response.code == 200
    saved = json.loads(path.read_bytes())
    assert "".join(saved["cells"][0]["source"]) == "changed by another program"
    assert ["".join(c["source"]) for c in saved["cells"][1:3]] == ["mine", "mine again"]


# -- reading ahead at the first edit (save-delta-base) -----------------------------------


async def post_base(jp_fetch, name: str):
    return await jp_fetch("jlab-alt", "api", "save-delta-base", name, method="POST", body=b"", allow_nonstandard_methods=True, raise_error=False)


async def test_a_notebook_read_ahead_is_saved_by_changes_without_another_read(jp_fetch, jp_root_dir, jp_serverapp, monkeypatch):
    write_nb(jp_root_dir / "nb.ipynb", id_notebook())
    original = (jp_root_dir / "nb.ipynb").read_bytes()
    content = through_javascript(await get_notebook(jp_fetch, "nb.ipynb"))
    model = await model_of(jp_fetch, "nb.ipynb")
    ahead = await post_base(jp_fetch, "nb.ipynb")
    assert ahead.code == 204
    reads = count_full_reads(jp_serverapp, monkeypatch)
    content["cells"][1]["source"] = "first edit"
    response = await post_delta(jp_fetch, "nb.ipynb", delta_for(model, content, cells=[content["cells"][1]]))
    assert response.code == 200
    assert reads == [], "the save merged onto the notebook read ahead, without reading the file"
    assert (jp_root_dir / "nb.ipynb").read_bytes() == await full_save_bytes(jp_fetch, jp_root_dir, original, content)


async def test_a_file_changed_after_it_was_read_ahead_is_read_again_or_refused(jp_fetch, jp_root_dir, jp_serverapp, monkeypatch):
    write_nb(jp_root_dir / "nb.ipynb", id_notebook())
    content = await get_notebook(jp_fetch, "nb.ipynb")
    model = await model_of(jp_fetch, "nb.ipynb")
    assert (await post_base(jp_fetch, "nb.ipynb")).code == 204
    path = jp_root_dir / "nb.ipynb"
    rewrite_cell_keeping_mtime(path, 0, "changed by another program")
    reads = count_full_reads(jp_serverapp, monkeypatch)
    content["cells"][1]["source"] = "mine"
    response = await post_delta(jp_fetch, "nb.ipynb", delta_for(model, content, cells=[content["cells"][1]]))
    assert response.code == 200 and reads == ["nb.ipynb"]
    saved = json.loads(path.read_bytes())
    assert "".join(saved["cells"][0]["source"]) == "changed by another program"
    assert "".join(saved["cells"][1]["source"]) == "mine"


async def test_reading_ahead_a_missing_or_invalid_notebook(jp_fetch, jp_root_dir):
    assert (await post_base(jp_fetch, "missing.ipynb")).code == 404
    nb = id_notebook()
    nb.cells[1].execution_count = "*"
    (jp_root_dir / "bad.ipynb").write_text(json.dumps(nb), encoding="utf-8")
    assert (await post_base(jp_fetch, "bad.ipynb")).code == 204
    # Nothing was kept: the save still reads the file and refuses a delta onto it.
    model = await model_of(jp_fetch, "bad.ipynb")
    response = await post_delta(jp_fetch, "bad.ipynb", delta_for(model, nb, cells=[{**nb.cells[0], "source": "x"}]))
    assert response.code == 422
