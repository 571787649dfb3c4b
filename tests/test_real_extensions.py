"""The three extensions shipped in ``extensions/`` (server_info, plotly, strip_outputs),
installed as users install them (pip, entry points), in a real test server."""

from __future__ import annotations

import copy
import hashlib
import json
import os
import platform
from pathlib import Path

import nbformat
import pytest
from jupyter_server.auth.authorizer import Authorizer

import jlab_alt_plotly
import jlab_alt_server_info
import jlab_alt_strip_outputs
from jlab_alt_plotly.prepared import COMPILE_HINT

REPO = Path(__file__).resolve().parents[1]
#: The project's corpus of real notebooks (same lookup as ui-tests/fixtures.ts).
CORPUS = Path(os.environ.get("JLAB_ALT_CORPUS") or REPO.parent / "shared" / "corpus" / "notebooks")
STRIP_ID = "strip_outputs:plugin"
PACKAGES = {"server_info": jlab_alt_server_info, "plotly": jlab_alt_plotly, "strip_outputs": jlab_alt_strip_outputs}


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch):
    monkeypatch.delenv("JLAB_ALT_DISABLE", raising=False)
    monkeypatch.delenv("JLAB_ALT_TEST_BROKEN", raising=False)


def _index_js(name: str) -> bytes:
    return (Path(PACKAGES[name].__file__).parent / "static" / "index.js").read_bytes()


# -- server_info ------------------------------------------------------------------------


async def test_server_info_answers_python_and_kernels(jp_fetch):
    """The status-bar handler reports this server's Python version and how many
    kernels run (it counts: starting one shows up)."""
    response = await jp_fetch("jlab-alt", "ext", "server_info", "info")
    assert response.code == 200
    assert response.headers["Content-Type"].startswith("application/json")
    info = json.loads(response.body)
    assert info["python"] == platform.python_version()
    assert info["kernels"] == 0
    assert isinstance(info["uptime_seconds"], (int, float))
    kernel = json.loads((await jp_fetch("api", "kernels", method="POST", body="{}")).body)
    try:
        info = json.loads((await jp_fetch("jlab-alt", "ext", "server_info", "info")).body)
        assert info["kernels"] == 1
    finally:
        await jp_fetch("api", "kernels", kernel["id"], method="DELETE")


async def test_server_info_refuses_anonymous(jp_fetch, no_auth):
    """Extension handlers are behind login like the rest of the app."""
    response = await jp_fetch(
        "jlab-alt", "ext", "server_info", "info", headers=no_auth, raise_error=False, follow_redirects=False
    )
    assert response.code == 403
    assert b"python" not in response.body


class DenyServerInfo(Authorizer):
    """Allows everything except the server_info extension's resource."""

    def is_authorized(self, handler, user, action, resource):  # noqa: ANN001, ANN201
        return resource != "jlab_alt.ext.server_info"


class TestAuthorizerDeniesOneExtension:
    """A deployment can refuse one extension (resource ``jlab_alt.ext.<name>``)
    without refusing the app or the other extensions."""

    @pytest.fixture
    def jp_server_config(self, jp_server_config):
        jp_server_config["ServerApp"]["authorizer_class"] = DenyServerInfo
        return jp_server_config

    async def test_only_that_extension_is_refused(self, jp_fetch):
        response = await jp_fetch("jlab-alt", "ext", "server_info", "info", raise_error=False)
        assert response.code == 403
        assert b"python" not in response.body
        listing = await jp_fetch("jlab-alt", "api", "extensions")
        assert listing.code == 200
        assert "server_info" in [e["name"] for e in json.loads(listing.body)["extensions"]]
        assert (await jp_fetch("jlab-alt", "ext", "plotly", "lib", "plotly.min.js")).code == 200


# -- plotly and per-extension static files ---------------------------------------------


async def test_plotly_serves_plotly_js(jp_fetch):
    """The renderer loads plotly.js from the extension, which serves the copy inside
    the installed ``plotly`` package after V8's compile hint (jlab_alt_plotly.prepared),
    as JavaScript."""
    response = await jp_fetch("jlab-alt", "ext", "plotly", "lib", "plotly.min.js")
    assert response.code == 200
    assert "javascript" in response.headers["Content-Type"]
    on_disk = Path(jlab_alt_plotly.plugin.plotly_js_dir()) / "plotly.min.js"
    # Compared by hash: pytest's diff of two 4.8 MB byte strings takes minutes.
    assert hashlib.sha256(response.body).hexdigest() == hashlib.sha256(COMPILE_HINT + on_disk.read_bytes()).hexdigest()
    assert b"Plotly" in response.body[:5000]


async def test_plotly_lib_serves_nothing_else(jp_fetch):
    """Only plotly.min.js is exposed, not the rest of the plotly package's data."""
    folder = Path(jlab_alt_plotly.plugin.plotly_js_dir())
    assert (folder / "widgetbundle.js").is_file()  # the set-up: a sibling exists
    for name in ("widgetbundle.js", "../__init__.py"):
        response = await jp_fetch("jlab-alt", "ext", "plotly", "lib", name, raise_error=False)
        assert response.code == 404, name


async def test_plotly_lib_refuses_anonymous(jp_fetch, no_auth):
    response = await jp_fetch(
        "jlab-alt", "ext", "plotly", "lib", "plotly.min.js",
        headers=no_auth, raise_error=False, follow_redirects=False,
    )
    assert response.code == 403  # every extension route is guarded (jlab_alt.extensions.guard)
    assert b"Plotly" not in response.body


async def test_each_extension_serves_its_own_index_js(jp_fetch):
    """Every extension's ``static/index.js`` comes from its own folder. (Regression: a
    cache shared by all static handlers once served the first extension's index.js
    for every extension.)"""
    bodies = {}
    for name in PACKAGES:
        response = await jp_fetch("jlab-alt", "ext", name, "static", "index.js")
        assert response.code == 200
        assert "javascript" in response.headers["Content-Type"]
        assert response.body == _index_js(name), name
        bodies[name] = response.body
    assert len(set(bodies.values())) == len(PACKAGES)
    # Asked again in another order, still each its own.
    for name in reversed(list(PACKAGES)):
        assert (await jp_fetch("jlab-alt", "ext", name, "static", "index.js")).body == bodies[name]


async def test_extension_static_is_public_but_its_handlers_are_not(jp_fetch, no_auth):
    """An extension's ``static/`` files are public, like the app's hashed assets: the
    browser loads them as module scripts, which carry no XSRF header, so behind
    JupyterHub >= 4.1 they could not be loaded otherwise (see ``handlers/static.py``).
    Its handlers, which can reach user data, still refuse anonymous requests."""
    response = await jp_fetch(
        "jlab-alt", "ext", "plotly", "static", "index.js",
        headers=no_auth, raise_error=False, follow_redirects=False,
    )
    assert response.code == 200
    assert response.body == _index_js("plotly")
    response = await jp_fetch(
        "jlab-alt", "ext", "server_info", "info",
        headers=no_auth, raise_error=False, follow_redirects=False,
    )
    assert response.code in (302, 403)


# -- strip_outputs ----------------------------------------------------------------------


async def test_strip_outputs_schema_is_served(jp_fetch):
    """The setting's schema reaches the frontend: in the schema list and with the
    plugin's settings (which start empty: the default applies)."""
    schemas = json.loads((await jp_fetch("jlab-alt", "api", "settings-schemas")).body)
    schema = schemas[STRIP_ID]
    assert schema["properties"]["stripOutputs"] == {
        "type": "boolean",
        "default": False,
        "description": schema["properties"]["stripOutputs"]["description"],
    }
    reply = json.loads((await jp_fetch("jlab-alt", "api", "settings", STRIP_ID)).body)
    assert reply == {"id": STRIP_ID, "settings": {}, "composite": {"stripOutputs": False}, "schema": schema}


async def test_strip_outputs_rejects_an_invalid_setting(jp_fetch, settings_dir):
    """A value of the wrong type is refused with 400 naming the setting and the
    expected type, and nothing is stored."""
    response = await jp_fetch(
        "jlab-alt", "api", "settings", STRIP_ID, method="PUT",
        body=json.dumps({"settings": {"stripOutputs": "yes"}}), raise_error=False,
    )
    assert response.code == 400
    message = json.loads(response.body)["message"]
    assert "stripOutputs" in message
    assert "boolean" in message
    reply = json.loads((await jp_fetch("jlab-alt", "api", "settings", STRIP_ID)).body)
    assert reply["settings"] == {}
    # Unknown keys are refused too (the schema forbids additional properties).
    response = await jp_fetch(
        "jlab-alt", "api", "settings", STRIP_ID, method="PUT",
        body=json.dumps({"settings": {"stripOutput": True}}), raise_error=False,
    )
    assert response.code == 400
    assert "stripOutput" in json.loads(response.body)["message"]


def _corpus_notebook(name: str = "nbformat__test4.5.ipynb") -> nbformat.NotebookNode:
    path = CORPUS / name
    if not path.is_file():
        pytest.fail(f"corpus notebook {path} is missing (set JLAB_ALT_CORPUS to the corpus folder)", pytrace=False)
    nb = nbformat.read(path, as_version=4)
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert any(c.outputs for c in code) and any(c.execution_count for c in code), "the set-up needs outputs"
    return nb


async def _save(jp_fetch, path: str, nb: nbformat.NotebookNode) -> None:
    response = await jp_fetch(
        "api", "contents", path, method="PUT",
        body=json.dumps({"type": "notebook", "format": "json", "content": nb}),
    )
    assert response.code in (200, 201)


async def _set_strip(jp_fetch, value: bool) -> None:
    response = await jp_fetch(
        "jlab-alt", "api", "settings", STRIP_ID, method="PUT",
        body=json.dumps({"settings": {"stripOutputs": value}}),
    )
    assert response.code == 204


async def test_strip_outputs_on_strips_saved_notebooks(jp_fetch, jp_root_dir):
    """With the setting on, a notebook saved through the contents API is written
    without outputs or execution counts; everything else is kept."""
    nb = _corpus_notebook()
    await _set_strip(jp_fetch, True)
    await _save(jp_fetch, "stripped.ipynb", nb)
    saved = nbformat.read(jp_root_dir / "stripped.ipynb", as_version=4)
    assert len(saved.cells) == len(nb.cells)
    for before, after in zip(nb.cells, saved.cells):
        assert after.cell_type == before.cell_type
        assert after.source == before.source
        if after.cell_type == "code":
            assert after.outputs == []
            assert after.execution_count is None
    assert saved.metadata == nb.metadata
    # Only the save was affected: the model the client holds had outputs.
    assert any(c.get("outputs") for c in nb.cells)


@pytest.mark.parametrize("setting", [None, False])
async def test_strip_outputs_off_keeps_outputs(jp_fetch, jp_root_dir, setting):
    """By default (never set) or when turned off, saving keeps outputs and counts."""
    nb = _corpus_notebook()
    if setting is not None:
        await _set_strip(jp_fetch, True)
        await _set_strip(jp_fetch, setting)
    expected = copy.deepcopy(nb)
    await _save(jp_fetch, "kept.ipynb", nb)
    saved = nbformat.read(jp_root_dir / "kept.ipynb", as_version=4)
    for before, after in zip(expected.cells, saved.cells):
        if after.cell_type == "code":
            assert after.outputs == before.outputs
            assert after.execution_count == before.execution_count


async def test_strip_outputs_leaves_other_files_alone(jp_fetch, jp_root_dir):
    """Text files saved with the setting on are written unchanged."""
    await _set_strip(jp_fetch, True)
    text = '{"cells": [{"cell_type": "code", "outputs": [1]}]}'
    response = await jp_fetch(
        "api", "contents", "data.json", method="PUT",
        body=json.dumps({"type": "file", "format": "text", "content": text}),
    )
    assert response.code in (200, 201)
    assert (jp_root_dir / "data.json").read_text() == text
