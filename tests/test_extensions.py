"""The extension system: loading pluggy plugins from the ``jlab_alt`` entry points,
listing them, disabling them, and surviving broken ones.

Unit tests drive :class:`jlab_alt.extensions.ExtensionManager` with synthetic entry
points naming the small modules in ``tests/fixtures/plugins``; server tests use the
extensions really installed in the environment (``extensions/*`` and the deliberately
broken ``tests/fixtures/broken_ext``, armed with ``JLAB_ALT_TEST_BROKEN=1``).
"""

from __future__ import annotations

import importlib
import json
import logging
import re
import sys
import types
from importlib.metadata import EntryPoint, PackageNotFoundError, distribution
from pathlib import Path

import pytest
from tornado.web import HTTPError

from helpers import parse_page
from jlab_alt import hookimpl
from jlab_alt.assets import STATIC_DIR
from jlab_alt.extension_config import set_enabled
from jlab_alt.extensions import ENTRY_POINT_GROUP, ExtensionInfo, ExtensionManager

FIXTURES = Path(__file__).parent / "fixtures"
REAL = ["plotly", "server_info", "strip_outputs"]
BROKEN = ["broken_activate", "broken_import", "broken_missing_dep"]
BUILTIN_ID = "@jlab-alt/filebrowser:plugin"
HASHED_JS = re.compile(r"\.[0-9a-f]{12}\.js$")


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch):
    """Tests decide themselves whether extensions are disabled or armed to break."""
    monkeypatch.delenv("JLAB_ALT_DISABLE", raising=False)
    monkeypatch.delenv("JLAB_ALT_TEST_BROKEN", raising=False)


def _ep(name: str, value: str) -> EntryPoint:
    return EntryPoint(name=name, value=value, group=ENTRY_POINT_GROUP)


@pytest.fixture
def plugins_path(monkeypatch) -> Path:
    """Make the modules of ``tests/fixtures/plugins`` importable."""
    folder = FIXTURES / "plugins"
    monkeypatch.syspath_prepend(str(folder))
    return folder


@pytest.fixture
def manager() -> ExtensionManager:
    return ExtensionManager([], logging.getLogger("test_extensions"))


# -- ExtensionManager, unit level ----------------------------------------------------


def test_results_come_in_load_order_sorted_by_name(plugins_path, manager):
    """Extensions load sorted by entry-point name whatever order they are found in,
    and every hook is called in that order (so a later plugin's page-config keys win,
    and theme CSS is linked in a predictable order)."""
    manager.load_entry_points(
        [_ep("charlie", "jat_plugins:charlie"), _ep("alpha", "jat_plugins:alpha"), _ep("bravo", "jat_plugins:bravo")]
    )
    assert [i.name for i in manager.listing()] == ["alpha", "bravo", "charlie"]
    assert [name for name, _ in manager.call("jlab_alt_settings_schemas")] == ["alpha", "bravo", "charlie"]
    page = manager.call("jlab_alt_page_config", page_config={})
    assert [name for name, _ in page] == ["alpha", "bravo", "charlie"]
    merged: dict = {}
    for _, extra in page:
        merged.update(extra)
    assert merged["last"] == "charlie"
    for info in manager.listing():
        assert info.errors == []
        assert info.enabled and info.server and info.frontend is None
        assert info.module == f"jat_plugins:{info.name}"


def test_tryfirst_and_trylast_marks_are_honoured(manager):
    """Within load order, pluggy's ``tryfirst``/``trylast`` marks still move a hook."""
    names = ["a_last", "b_plain", "c_first", "d_plain"]
    marks = {"a_last": {"trylast": True}, "c_first": {"tryfirst": True}}
    for name in names:
        module = types.ModuleType(f"jat_{name}")
        module.jlab_alt_page_config = hookimpl(**marks.get(name, {}))(lambda name=name: {"who": name})
        manager.register(module, ExtensionInfo(name=name))
    order = [name for name, _ in manager.call("jlab_alt_page_config", page_config={})]
    assert order == ["c_first", "b_plain", "d_plain", "a_last"]


def test_hook_error_is_recorded_and_others_still_contribute(plugins_path, manager):
    """A hook that raises is recorded against its own extension (hook name and error
    in the message); the other extensions' results still arrive, and the failing
    extension's other hooks still work."""
    manager.load_entry_points(
        [_ep("alpha", "jat_plugins:alpha"), _ep("raises", "jat_raises"), _ep("charlie", "jat_plugins:charlie")]
    )
    schemas = manager.call("jlab_alt_settings_schemas")
    assert [name for name, _ in schemas] == ["alpha", "charlie"]
    raises = manager.extensions["raises"]
    assert len(raises.errors) == 1
    first_line = raises.errors[0].splitlines()[0]
    assert "jlab_alt_settings_schemas" in first_line
    assert "jat_raises exploded" in first_line
    assert "Traceback" in raises.errors[0]
    assert manager.extensions["alpha"].errors == manager.extensions["charlie"].errors == []
    assert ("raises", {"from_raises": True}) in manager.call("jlab_alt_page_config", page_config={})


def test_reraise_lets_a_save_hook_reject_the_save(manager):
    """Errors listed in ``reraise`` (a pre-save hook's HTTPError) propagate instead of
    being swallowed, so a plugin can refuse a save."""
    module = types.ModuleType("jat_rejecter")

    @hookimpl
    def jlab_alt_pre_save(model):
        raise HTTPError(400, "no saving today")

    module.jlab_alt_pre_save = jlab_alt_pre_save
    manager.register(module, ExtensionInfo(name="rejecter"))
    with pytest.raises(HTTPError, match="no saving today"):
        manager.call("jlab_alt_pre_save", model={}, reraise=(HTTPError,))
    # Without reraise it is recorded like any other hook error.
    assert manager.call("jlab_alt_pre_save", model={}) == []
    assert "no saving today" in manager.extensions["rejecter"].errors[0]


def _module(name: str, **hooks) -> types.ModuleType:
    module = types.ModuleType(f"jat_{name}")
    for hook, value in hooks.items():
        setattr(module, hook, value)
    return module


def test_results_of_the_wrong_shape_are_reported_and_left_out(manager):
    """A plugin returning the wrong shape is reported against itself, naming the hook
    and what is wrong, and its result never reaches the app; good results still do."""
    from tornado.web import RequestHandler

    class Good(RequestHandler):
        pass

    manager.register(
        _module(
            "bad",
            jlab_alt_themes=hookimpl(lambda: [{"name": "dark"}]),
            jlab_alt_handlers=hookimpl(lambda: [("info", dict)]),
            jlab_alt_settings_schemas=hookimpl(lambda: {"@x/y:plugin": "not a schema"}),
        ),
        ExtensionInfo(name="bad"),
    )
    manager.register(
        _module(
            "good",
            jlab_alt_themes=hookimpl(lambda: [{"name": "dark", "css": "/x.css"}]),
            jlab_alt_handlers=hookimpl(lambda: [("info", Good), ("more", Good, {"a": 1})]),
        ),
        ExtensionInfo(name="good"),
    )
    assert [n for n, _ in manager.call("jlab_alt_themes")] == ["good"]
    assert [n for n, _ in manager.call("jlab_alt_handlers")] == ["good"]
    assert manager.call("jlab_alt_settings_schemas") == []
    errors = [e.splitlines()[0] for e in manager.extensions["bad"].errors]
    assert len(errors) == 3
    assert "hook jlab_alt_themes returned a bad result" in errors[0] and "'css' is a required property" in errors[0]
    assert "hook jlab_alt_handlers returned a bad result" in errors[1] and "RequestHandler" in errors[1]
    assert "jlab_alt_settings_schemas" in errors[2] and "'@x/y:plugin'" in errors[2]
    assert manager.extensions["good"].errors == []


def test_hook_wrappers_are_refused_clearly(manager):
    """jlab-alt calls each implementation on its own, so a pluggy hook wrapper cannot
    work: the plugin is refused with a message saying so, instead of misbehaving."""
    def wrapped_page_config():
        yield

    manager.register(
        _module("wrapping", jlab_alt_page_config=hookimpl(wrapper=True)(wrapped_page_config)),
        ExtensionInfo(name="wrapping"),
    )
    assert "hook wrappers (jlab_alt_page_config)" in manager.extensions["wrapping"].errors[0]
    assert manager.call("jlab_alt_page_config", page_config={}) == []


def test_calling_an_undeclared_hook_is_an_error(manager):
    with pytest.raises(ValueError, match="jlab_alt_nope"):
        manager.call("jlab_alt_nope")


def test_record_error_is_public_and_names_the_extension(manager):
    manager.register(_module("quiet"), ExtensionInfo(name="quiet"))
    manager.record_error("quiet", "its config file is missing")
    assert manager.extensions["quiet"].errors == ["quiet its config file is missing"]
    with pytest.raises(KeyError):
        manager.record_error("nobody", "x")


def test_every_hook_is_documented_with_its_exact_signature():
    """docs/extensions.md lists each hook of hookspecs.py as ``name(arg, ...)`` with the
    spec's exact arguments, and lists no hook that does not exist."""
    import inspect

    from jlab_alt import hookspecs
    from jlab_alt.extensions import HOOK_NAMES

    docs = (Path(__file__).parent.parent / "docs" / "extensions.md").read_text(encoding="utf-8")
    documented = dict(re.findall(r"`(jlab_alt_[a-z_]+)\(([^)]*)\)`", docs))
    expected = {
        name: ", ".join(inspect.signature(getattr(hookspecs, name)).parameters) for name in sorted(HOOK_NAMES)
    }
    assert documented == expected


def test_misspelt_hook_name_is_an_error_not_ignored(plugins_path, manager):
    """``@hookimpl def jlab_alt_handlerz`` is reported on that extension (naming the
    bad hook) instead of silently never being called; the other extensions load."""
    manager.load_entry_points(
        [_ep("alpha", "jat_plugins:alpha"), _ep("misspelt", "jat_misspelt"), _ep("charlie", "jat_plugins:charlie")]
    )
    errors = manager.extensions["misspelt"].errors
    assert len(errors) == 1
    assert "jlab_alt_handlerz" in errors[0]
    assert "not a valid plugin" in errors[0].splitlines()[0]
    # Not half-registered: none of its hooks run.
    assert [name for name, _ in manager.call("jlab_alt_settings_schemas")] == ["alpha", "charlie"]
    assert manager.extensions["alpha"].errors == manager.extensions["charlie"].errors == []


def test_import_errors_are_recorded_per_extension(plugins_path, manager):
    """A module that raises on import, or does not exist, is listed with the error;
    the app carries on with the others."""
    manager.load_entry_points(
        [
            _ep("alpha", "jat_plugins:alpha"),
            _ep("bad_import", "jat_import_error"),
            _ep("gone", "jat_no_such_module_anywhere"),
        ]
    )
    assert [i.name for i in manager.listing()] == ["alpha", "bad_import", "gone"]
    assert "ImportError" in manager.extensions["bad_import"].errors[0].splitlines()[0]
    assert "jat_import_error cannot be imported" in manager.extensions["bad_import"].errors[0]
    assert "ModuleNotFoundError" in manager.extensions["gone"].errors[0].splitlines()[0]
    assert [name for name, _ in manager.call("jlab_alt_settings_schemas")] == ["alpha"]


def test_disabled_extension_is_listed_but_never_imported(plugins_path):
    """A disabled extension is listed as disabled and its module is not even imported
    (so disabling is the cure for an extension that breaks at import)."""
    manager = ExtensionManager(["bad_import"], logging.getLogger("test_extensions"))
    sys.modules.pop("jat_import_error", None)
    manager.load_entry_points([_ep("alpha", "jat_plugins:alpha"), _ep("bad_import", "jat_import_error")])
    info = manager.extensions["bad_import"]
    assert info.enabled is False
    assert info.errors == []
    assert "jat_import_error" not in sys.modules
    assert [name for name, _ in manager.call("jlab_alt_settings_schemas")] == ["alpha"]


def test_frontend_declarations_are_checked(plugins_path, manager):
    """A frontend-only plugin has a frontend part and no server part; one whose entry
    file does not exist is reported (with the path) and gets no frontend."""
    manager.load_entry_points([_ep("valid", "jat_frontend:valid"), _ep("missing", "jat_frontend:missing_entry")])
    valid, missing = manager.extensions["valid"], manager.extensions["missing"]
    assert valid.server is False
    assert valid.frontend == {"static": str(plugins_path / "jat_frontend_static"), "entry": "index.js"}
    assert valid.errors == []
    assert missing.frontend is None
    assert "no-such-file.js" in missing.errors[0]
    assert missing.to_json()["frontend"] is None
    assert valid.to_json()["frontend"] == {"entry": "index.js"}  # no server paths leak


# -- the running app -------------------------------------------------------------------


def _require_broken_ext() -> None:
    try:
        distribution("jlab-alt-broken-ext")
    except PackageNotFoundError:
        pytest.fail(
            "The test extension package is not installed: run "
            "`pip install -e tests/fixtures/broken_ext --no-build-isolation`.",
            pytrace=False,
        )


async def _listing(jp_fetch) -> dict:
    response = await jp_fetch("jlab-alt", "api", "extensions")
    assert response.code == 200
    assert response.headers["Content-Type"].startswith("application/json")
    return json.loads(response.body)


async def _page_config(jp_fetch) -> dict:
    response = await jp_fetch("jlab-alt")
    assert response.code == 200
    return parse_page(response.body).page_config()


def _by_name(listing: dict) -> dict[str, dict]:
    return {e["name"]: e for e in listing["extensions"]}


async def test_listing_shows_installed_extensions(jp_fetch):
    """``GET /jlab-alt/api/extensions`` lists the installed extensions with version,
    state and parts, sorted by name, and the built-in plugins of the build."""
    listing = await _listing(jp_fetch)
    names = [e["name"] for e in listing["extensions"]]
    assert names == sorted(names)
    extensions = _by_name(listing)
    for name in REAL:
        ext = extensions[name]
        assert ext["version"] == "0.1.0", name
        assert ext["enabled"] is True
        assert ext["server"] is True
        assert ext["frontend"] == {"entry": "index.js"}
        assert ext["errors"] == []
        assert ext["module"] == f"jlab_alt_{name}.plugin"
    builtins = json.loads((STATIC_DIR / "builtins.json").read_text(encoding="utf-8"))
    assert [b["id"] for b in listing["builtins"]] == [b["id"] for b in builtins]
    assert BUILTIN_ID in [b["id"] for b in listing["builtins"]]
    assert all(b["enabled"] is True and b["description"] for b in listing["builtins"])
    assert listing["disabled"] == []


async def test_broken_test_extension_is_inert_when_not_armed(jp_fetch):
    """Installing the broken test package changes nothing in a normal run: its entry
    points are listed without errors or parts and add no frontend module."""
    _require_broken_ext()
    extensions = _by_name(await _listing(jp_fetch))
    for name in BROKEN:
        assert extensions[name]["errors"] == [], name
        assert extensions[name]["frontend"] is None
        assert extensions[name]["enabled"] is True
    config = await _page_config(jp_fetch)
    assert not {e["name"] for e in config["frontendExtensions"]} & set(BROKEN)
    assert config["extensionErrors"] == {}


async def test_listing_refuses_anonymous(jp_fetch, no_auth):
    """The listing (module paths, errors with tracebacks) is not for anonymous users."""
    for parts in (("jlab-alt", "api", "extensions"), ("jlab-alt", "api", "settings-schemas")):
        response = await jp_fetch(*parts, headers=no_auth, raise_error=False, follow_redirects=False)
        assert response.code == 403, parts
        assert b"server_info" not in response.body


async def test_page_config_lists_frontend_extensions_under_base_url(jp_fetch, jp_base_url, built_frontend):
    """The page names each enabled extension's ES module by a URL under the server's
    base URL, and that URL serves exactly the module file of that extension."""
    config = await _page_config(jp_fetch)
    frontends = {e["name"]: e for e in config["frontendExtensions"]}
    assert set(REAL) <= set(frontends)
    for name in REAL:
        entry = frontends[name]
        assert entry["version"] == "0.1.0"
        assert entry["url"] == f"{jp_base_url}jlab-alt/ext/{name}/static/index.js"
        response = await jp_fetch(entry["url"][len(jp_base_url):])
        on_disk = Path(importlib.import_module(f"jlab_alt_{name}").__file__).parent / "static" / "index.js"
        assert response.body == on_disk.read_bytes(), name
    assert config["disabledExtensions"] == []


async def test_import_map_maps_shared_modules_to_hashed_files(jp_fetch, jp_base_url, built_frontend):
    """Extensions import ``jlab-alt`` and ``@codemirror/*`` as bare specifiers; the
    page's import map resolves them to the app's own hashed copies, which load."""
    page = parse_page((await jp_fetch("jlab-alt")).body)
    maps = [s for s in page.scripts() if s.attrs.get("type") == "importmap"]
    assert len(maps) == 1
    imports = json.loads(maps[0].text)["imports"]
    static = f"{jp_base_url}jlab-alt/static/"
    for specifier in ("jlab-alt", "@codemirror/state", "@codemirror/view"):
        url = imports[specifier]
        assert url.startswith(static), url
        name = url[len(static):]
        assert (STATIC_DIR / name).is_file(), name
        assert HASHED_JS.search(name), name
        response = await jp_fetch("jlab-alt", "static", name)
        assert response.body == (STATIC_DIR / name).read_bytes()
    # The import map precedes every module script, as browsers require.
    tags = [(s.attrs.get("type"), s.attrs.get("src")) for s in page.scripts()]
    first_module = next(i for i, (kind, _) in enumerate(tags) if kind == "module")
    assert tags.index(("importmap", None)) < first_module


# -- disabling -------------------------------------------------------------------------


class TestDisabledExtension:
    @pytest.fixture(params=["env", "config", "file"])
    def jp_server_config(self, request, jp_server_config, jp_environ, monkeypatch):
        """Disable server_info before the server starts: with ``JLAB_ALT_DISABLE``, with
        ``JlabAltApp.disabled_extensions``, or in ``<config dir>/jlab_alt/extensions.json``
        (what ``jlab-alt extension disable`` writes)."""
        if request.param == "env":
            monkeypatch.setenv("JLAB_ALT_DISABLE", "server_info")
        elif request.param == "config":
            jp_server_config["JlabAltApp"]["disabled_extensions"] = ["server_info"]
        else:
            set_enabled("server_info", False)  # JUPYTER_CONFIG_DIR is the test's (jp_environ)
        return jp_server_config

    async def test_disabled_extension_is_off_everywhere(self, jp_fetch, built_frontend):
        """A disabled extension is listed as disabled, its handler and static files
        are not mounted, and the page neither loads it nor forgets it is disabled;
        the other extensions are unaffected."""
        listing = await _listing(jp_fetch)
        extensions = _by_name(listing)
        assert extensions["server_info"]["enabled"] is False
        assert extensions["server_info"]["errors"] == []
        assert "server_info" in listing["disabled"]
        for parts in (("info",), ("static", "index.js")):
            response = await jp_fetch("jlab-alt", "ext", "server_info", *parts, raise_error=False)
            assert response.code == 404, parts
        config = await _page_config(jp_fetch)
        names = [e["name"] for e in config["frontendExtensions"]]
        assert "server_info" not in names
        assert {"plotly", "strip_outputs"} <= set(names)
        assert "server_info" in config["disabledExtensions"]
        assert extensions["plotly"]["enabled"] is True
        response = await jp_fetch("jlab-alt", "ext", "plotly", "static", "index.js")
        assert response.code == 200


class TestDisabledBuiltinPlugin:
    """A built-in frontend plugin id is disabled the same way; the frontend reads
    ``disabledExtensions`` from the page config and skips it."""

    @pytest.fixture(params=["env", "config"])
    def jp_server_config(self, request, jp_server_config, monkeypatch):
        if request.param == "env":
            monkeypatch.setenv("JLAB_ALT_DISABLE", f"{BUILTIN_ID},plotly")
        else:
            jp_server_config["JlabAltApp"]["disabled_extensions"] = [BUILTIN_ID, "plotly"]
        return jp_server_config

    async def test_builtin_is_disabled_in_page_config_and_listing(self, jp_fetch, built_frontend):
        config = await _page_config(jp_fetch)
        assert config["disabledExtensions"] == sorted([BUILTIN_ID, "plotly"])
        listing = await _listing(jp_fetch)
        builtins = {b["id"]: b["enabled"] for b in listing["builtins"]}
        assert builtins[BUILTIN_ID] is False
        assert builtins["@jlab-alt/notebook:plugin"] is True
        assert _by_name(listing)["server_info"]["enabled"] is True


class TestUnreadableConfigFile:
    """A corrupt extensions.json is logged and ignored: the app still starts with
    every extension enabled rather than refusing to run."""

    @pytest.fixture
    def jp_server_config(self, jp_server_config, jp_environ):
        from jlab_alt.extension_config import default_config_path

        path = default_config_path()
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("{not json", encoding="utf-8")
        return jp_server_config

    async def test_app_starts_with_everything_enabled(self, jp_fetch, built_frontend):
        extensions = _by_name(await _listing(jp_fetch))
        assert all(extensions[name]["enabled"] for name in REAL)
        assert (await jp_fetch("jlab-alt", "ext", "server_info", "info")).code == 200


# -- a broken extension installed ------------------------------------------------------


class TestBrokenExtensions:
    """``tests/fixtures/broken_ext`` armed with ``JLAB_ALT_TEST_BROKEN=1``: one
    extension fails at import, two have frontends that fail in the browser."""

    @pytest.fixture
    def jp_server_config(self, jp_server_config, monkeypatch):
        # jp_serverapp depends on jp_server_config: the variable is set before it starts.
        _require_broken_ext()
        monkeypatch.setenv("JLAB_ALT_TEST_BROKEN", "1")
        # An earlier server in this process imported the module unarmed; import it anew.
        monkeypatch.delitem(sys.modules, "jlab_alt_broken_ext.broken_import", raising=False)
        return jp_server_config

    async def test_listing_reports_the_import_error_and_the_rest_is_fine(self, jp_fetch):
        extensions = _by_name(await _listing(jp_fetch))
        errors = extensions["broken_import"]["errors"]
        assert len(errors) == 1
        assert "ImportError" in errors[0].splitlines()[0]
        assert "deliberately broken for tests" in errors[0]
        assert extensions["broken_import"]["frontend"] is None
        for name in ["broken_activate", "broken_missing_dep", *REAL]:
            assert extensions[name]["errors"] == [], name
            assert extensions[name]["frontend"] == {"entry": "index.js"}, name
        # The working extensions still work.
        info = json.loads((await jp_fetch("jlab-alt", "ext", "server_info", "info")).body)
        assert info["python"]

    async def test_page_renders_and_loads_the_browser_side_breakage(self, jp_fetch, jp_base_url, built_frontend):
        """The page still renders; the two extensions that break only in the browser
        are handed to it (the UI tests check how it copes) and the import error is in
        the page config for the frontend to show."""
        response = await jp_fetch("jlab-alt")
        assert response.code == 200
        page = parse_page(response.body)
        assert page.module_srcs(), "the page names no module to run"
        config = page.page_config()
        frontends = {e["name"]: e["url"] for e in config["frontendExtensions"]}
        assert {"broken_activate", "broken_missing_dep", *REAL} <= set(frontends)
        assert "broken_import" not in frontends
        assert "ImportError" in config["extensionErrors"]["broken_import"][0]
        module = await jp_fetch(frontends["broken_activate"][len(jp_base_url):])
        assert b"deliberately throws" in module.body
        module = await jp_fetch(frontends["broken_missing_dep"][len(jp_base_url):])
        assert b"@jlab-alt-test/does-not-exist:plugin" in module.body


async def test_page_config_carries_the_shortcuts_and_menus_declared_in_schemas(jp_fetch, built_frontend):
    """Keyboard shortcuts live in each plugin's ``schema.json`` (``jlab-alt.shortcuts``,
    as JupyterLab's ``jupyter.lab.shortcuts``): the server reads them from the built
    schemas and hands them to the page by plugin id, with the settings schemas."""
    config = await _page_config(jp_fetch)
    shortcuts = config["shortcuts"]
    assert {"command": "docmanager:save", "keys": ["Accel S"]} in shortcuts["@jlab-alt/docmanager:plugin"]
    notebook = shortcuts["@jlab-alt/notebook:plugin"]
    assert {"command": "notebook:delete-cell", "keys": ["D", "D"], "selector": ".ja-Notebook.ja-mod-commandMode:focus"} in notebook
    schemas = json.loads((await jp_fetch("jlab-alt", "api", "settings-schemas")).body)
    assert shortcuts == {i: s["jlab-alt.shortcuts"] for i, s in schemas.items() if "jlab-alt.shortcuts" in s}
    # The menu bar's menus too (jupyter.lab.menus).
    menus = config["menus"]["@jlab-alt/menus:plugin"]
    assert [m["label"] for m in menus] == ["File", "Edit", "View", "Run", "Kernel", "Tabs", "Settings", "Help"]


def test_declared_in_schemas_reads_one_key_of_every_schema():
    """An extension's schema may declare shortcuts too; schemas without the key are left out."""
    from jlab_alt.app import JlabAltApp

    app = types.SimpleNamespace(
        settings_schemas={
            "ext:a": {"type": "object", "jlab-alt.shortcuts": [{"command": "a:run", "keys": ["Accel K"]}]},
            "ext:b": {"type": "object", "properties": {}},
        }
    )
    assert JlabAltApp.declared_in_schemas(app, "jlab-alt.shortcuts") == {
        "ext:a": [{"command": "a:run", "keys": ["Accel K"]}]
    }
