"""Unit tests of the pieces the handlers rely on: page config JSON, settings store,
build manifest, and the static handler's file lookup."""

from __future__ import annotations

import json
import uuid
from pathlib import Path

import pytest
from jupyter_server.base.handlers import FileFindHandler

import jlab_alt.json_files as json_files_module
from jlab_alt.assets import FrontendManifest, FrontendNotBuiltError
from jlab_alt.handlers.static import StaticAssetHandler
from jlab_alt.page_config import build_page_config, to_script_json
from jlab_alt.settings_store import InvalidSettingsIdError, SettingsStore
from helpers import parse_page

# --- page config -------------------------------------------------------------------


@pytest.mark.parametrize(
    "value",
    [
        {"treePath": "</script><script>alert(1)</script>"},
        {"a": "<!-- x", "b": "]]>", "c": "&amp; & <b>"},
        {"ünï": "çødé ☃", "nested": [{"k": "</SCRIPT >"}], "n": 1.5, "t": True, "z": None},
    ],
)
def test_script_json_cannot_break_out_of_script_element(value):
    """Whatever strings the page config holds, the JSON has no ``<``, ``>`` or ``&``
    (so it cannot close its <script> or start a comment), reads back to the same
    value, and keeps non-ASCII text readable."""
    text = to_script_json(value)
    assert not set("<>&") & set(text)
    assert json.loads(text) == value
    html = f'<script id="jupyter-config-data" type="application/json">{text}</script>'
    assert parse_page(html).page_config() == value
    if "ünï" in value:
        assert "çødé ☃" in text


def test_script_json_escapes_as_unicode_escapes():
    """``<`` is written as ``\\u003c`` (the form the frontend's JSON.parse decodes)."""
    assert to_script_json("</script>") == '"\\u003c/script\\u003e"'
    assert to_script_json({"a": "&"}) == '{"a": "\\u0026"}'


def test_build_page_config_urls():
    """The page config gives the frontend absolute URLs under the base URL, in the
    key names ``@jupyterlab/services`` reads, and never a token."""
    config = build_page_config(
        base_url="/a%40b/",
        app_version="9.9.9",
        tree_path="dir/nb.ipynb",
        static_url="/a%40b/jlab-alt/static/",
        extra={"extraKey": 1},
    )
    assert config["baseUrl"] == "/a%40b/"
    assert config["appUrl"] == "/a%40b/jlab-alt"
    assert config["apiUrl"] == "/a%40b/jlab-alt/api"
    assert config["staticUrl"] == "/a%40b/jlab-alt/static/"
    assert config["treePath"] == "dir/nb.ipynb"
    assert config["appVersion"] == "9.9.9"
    assert config["extraKey"] == 1
    assert not any("token" in key.lower() for key in config)


# --- settings store ------------------------------------------------------------------


def test_store_round_trip_and_layout(tmp_path: Path):
    """Settings read back as written; ``/`` in an id makes folders; the root is
    created on first write; missing settings read as ``{}``."""
    store = SettingsStore(tmp_path / "settings")
    assert store.read("@jlab-alt/shell:theme") == {}
    assert not (tmp_path / "settings").exists()
    store.write("@jlab-alt/shell:theme", {"theme": "dark", "n": [1, 2]})
    store.write("plain_id", {"a": "ü"})
    assert store.read("@jlab-alt/shell:theme") == {"theme": "dark", "n": [1, 2]}
    assert store.read("plain_id") == {"a": "ü"}
    assert (tmp_path / "settings" / "@jlab-alt" / "shell:theme.json").is_file()
    assert (tmp_path / "settings" / "plain_id.json").is_file()
    assert sorted(p.name for p in (tmp_path / "settings").rglob("*")) == [
        "@jlab-alt", "plain_id.json", "shell:theme.json",
    ]


def test_store_ignores_a_file_that_is_not_an_object(tmp_path: Path):
    """A settings file holding a list (hand-edited) reads as ``{}`` instead of
    handing the frontend something it cannot use."""
    store = SettingsStore(tmp_path)
    (tmp_path / "p.json").write_text("[1, 2]")
    assert store.read("p") == {}


def test_store_write_is_atomic(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """If a save dies before it completes (crash, full disk), the previous settings
    file is intact and valid: the new content is only ever swapped in whole."""
    store = SettingsStore(tmp_path)
    store.write("p", {"version": 1})

    def crash(src, dst):  # noqa: ANN001
        raise OSError("simulated crash before the rename")

    monkeypatch.setattr(json_files_module.os, "replace", crash)
    with pytest.raises(OSError, match="simulated crash"):
        store.write("p", {"version": 2, "big": "x" * 100_000})
    monkeypatch.undo()

    assert json.loads((tmp_path / "p.json").read_text()) == {"version": 1}
    assert store.read("p") == {"version": 1}
    store.write("p", {"version": 3})
    assert store.read("p") == {"version": 3}
    assert [p.name for p in tmp_path.iterdir()] == ["p.json"], "no temporary file is left"


@pytest.mark.parametrize(
    "plugin_id",
    [
        "", "..", ".", "../evil", "a/../../evil", "a/..", "/abs", "a//b", "a/./b", "a/",
        "a\\b", "a b", "a\n", "a\x00b", "~user", "é", "a?b", "a*b",
    ],
)
def test_store_refuses_invalid_ids(tmp_path: Path, plugin_id: str):
    """Ids that could escape the settings folder or make odd file names raise
    InvalidSettingsIdError for reads and writes, and nothing is written anywhere."""
    store = SettingsStore(tmp_path / "settings")
    with pytest.raises(InvalidSettingsIdError):
        store.read(plugin_id)
    with pytest.raises(InvalidSettingsIdError):
        store.write(plugin_id, {"x": 1})
    assert list(tmp_path.rglob("*")) == []


# --- build manifest ------------------------------------------------------------------


def test_manifest_missing_says_how_to_build(tmp_path: Path):
    """A package installed without its frontend fails with a message that names the
    missing file and the command that builds it."""
    with pytest.raises(FrontendNotBuiltError) as info:
        FrontendManifest.load(tmp_path)
    message = str(info.value)
    assert str(tmp_path / "manifest.json") in message
    assert "npm run build" in message
    assert isinstance(info.value, RuntimeError)


def test_manifest_loads_build_output(tmp_path: Path):
    """The manifest webpack writes is read field by field; omitted lists default empty."""
    (tmp_path / "manifest.json").write_text(
        json.dumps(
            {
                "entry_js": ["main.0123456789ab.js"],
                "preload_js": ["vendor.0123456789ab.js"],
                "css": ["main.0123456789ab.css"],
                "import_map": {"@codemirror/state": "cm-state.0123456789ab.js"},
            }
        )
    )
    manifest = FrontendManifest.load(tmp_path)
    assert manifest.entry_js == ["main.0123456789ab.js"]
    assert manifest.preload_js == ["vendor.0123456789ab.js"]
    assert manifest.css == ["main.0123456789ab.css"]
    assert manifest.import_map == {"@codemirror/state": "cm-state.0123456789ab.js"}

    (tmp_path / "manifest.json").write_text('{"entry_js": ["a.0123456789ab.js"]}')
    minimal = FrontendManifest.load(tmp_path)
    assert (minimal.preload_js, minimal.css, minimal.import_map) == ([], [], {})


@pytest.mark.parametrize("text", ["[]", '{"css": []}', '{"entry_js": "main.js"}', "{oops"])
def test_manifest_rejects_garbage(tmp_path: Path, text: str):
    """A corrupt or foreign manifest.json is an error, not a page without scripts."""
    (tmp_path / "manifest.json").write_text(text)
    with pytest.raises(ValueError):
        FrontendManifest.load(tmp_path)


# --- static file lookup --------------------------------------------------------------


def test_asset_lookup_is_not_shadowed_by_other_static_handlers(tmp_path: Path):
    """jupyter_server's FileFindHandler caches "file name -> path" on the class. A
    name the server's own /static/ handler (or another extension's) resolved first
    must still be looked up in jlab-alt's build folder, or the asset answers 403."""
    name = f"shared-{uuid.uuid4().hex}.css"
    other, ours = tmp_path / "other", tmp_path / "ours"
    other.mkdir()
    ours.mkdir()
    (other / name).write_text("other")
    (ours / name).write_text("ours")
    try:
        assert FileFindHandler.get_absolute_path((str(other) + "/",), name) == str(other / name)
        found = StaticAssetHandler.get_absolute_path((str(ours) + "/",), name)
        assert found == str(ours / name)
    finally:
        FileFindHandler._static_paths.pop(name, None)
        StaticAssetHandler._static_paths.pop(name, None)
