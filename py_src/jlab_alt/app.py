"""The ``jlab_alt`` jupyter_server extension application and the ``jlab-alt`` command."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import copy

import jsonschema
from jupyter_core.paths import jupyter_config_dir, jupyter_config_path, jupyter_data_dir, jupyter_path
from jupyter_server.utils import url_path_join
from jupyter_server.extension.application import ExtensionApp, ExtensionAppJinjaMixin
from tornado.web import HTTPError
from traitlets import Bool, Float, Int, List, Unicode, default

from ._version import __version__
from .assets import STATIC_DIR, FrontendManifest
from .cli import ExtensionCommandApp
from .extension_config import read_disabled
from . import atomic_save
from .builtins import register_builtins
from .extensions import ExtensionManager
from .terminal_coalesce import DEFAULT_MAX_CHARS, DEFAULT_WINDOW_S, enable_terminal_coalescing
from .websocket_nodelay import enable_nodelay, enable_terminal_nodelay
from .handlers.export import ExportFormatsHandler  # documents: export
from .handlers.extensions import ExtensionsHandler, SettingsSchemasHandler, guard
from .handlers.kernelspec_resources import RESOURCE_ROUTE, SafeKernelSpecResourceHandler  # faults: SVG logos
from .handlers.page import PageHandler
from .handlers.sandbox import SandboxHandler
from .handlers.settings import SettingsHandler
from .handlers.static import StaticAssetHandler
from .journal.handlers import JournalHandler
from .savedelta.handlers import SaveDeltaBaseHandler, SaveDeltaHandler  # savedelta: saves send what changed
from .savedelta.verbatim import VerbatimSaves
from .journal import memory
from .journal.plugin import Journal
from .journal.websocket import SETTING_KEY as JOURNAL_SETTING, with_journal
from .page_config import build_page_config
from .shutdown import release_worker_threads
from .settings_store import SettingsStore, read_overrides
from .handlers.workspaces import WorkspacesHandler
from .workspaces_store import WorkspacesStore

HERE = Path(__file__).parent


class JlabAltApp(ExtensionAppJinjaMixin, ExtensionApp):
    """jlab-alt as a jupyter_server extension.

    Routes, all under the server's ``base_url``:

    - ``jlab-alt`` and ``jlab-alt/tree/<path>``: the app page (the second opens ``path``);
    - ``jlab-alt/static/<file>``: built, content-hashed assets;
    - ``jlab-alt/api/...``: the app's JSON APIs (settings, extensions);
    - ``jlab-alt/ext/<name>/...``: each extension's handlers, ``static/`` and ``css/``.
    """

    name = "jlab_alt"
    app_name = "jlab-alt"
    description = "jlab-alt: a light, fast, extensible browser IDE for Jupyter notebooks."
    version = __version__
    extension_url = "/jlab-alt"
    # `jlab-alt some/notebook.ipynb` opens <base_url>jlab-alt/tree/some/notebook.ipynb.
    file_url_prefix = "/jlab-alt/tree"
    load_other_extensions = True
    template_paths = [str(HERE / "templates")]
    subcommands = {
        "extension": (ExtensionCommandApp, "List, enable, disable and create jlab-alt extensions."),
    }

    user_settings_dir = Unicode(
        help="Folder of the users' plugin settings (one JSON file per plugin id)."
    ).tag(config=True)

    settings_overrides_paths = List(
        Unicode(),
        help="Site-wide setting defaults: ``overrides.json`` files, each ``{plugin id: {setting: "
        "value}}`` as JupyterLab's. They replace the schemas' defaults for every user (a user's own "
        "settings still win). Earlier files win over later ones. Read at start-up. Default: "
        "``<dir>/jlab_alt/overrides.json`` for each Jupyter config dir, then "
        "``<dir>/jlab_alt/settings/overrides.json`` for each Jupyter data dir (so an admin puts "
        "one in ``{sys.prefix}/share/jupyter/jlab_alt/settings/`` or ``/etc/jupyter/jlab_alt/``).",
    ).tag(config=True)

    workspaces_dir = Unicode(
        help="Folder of the users' saved layouts (one JSON file per workspace name). "
        "Default: ``<Jupyter data dir>/jlab_alt/workspaces``."
    ).tag(config=True)

    disabled_extensions = List(
        Unicode(),
        help="Extensions (entry-point names) and frontend plugin ids not to load, in "
        "addition to those disabled with `jlab-alt extension disable`.",
    ).tag(config=True)

    kernel_websocket_nodelay = Bool(
        True,
        help="Send kernel WebSocket frames at once (TCP_NODELAY) instead of letting Nagle's "
        "algorithm hold small messages for the browser's delayed ACK (up to 40 ms per "
        "execution on Linux). Applies to every kernel WebSocket of the server.",
    ).tag(config=True)

    terminal_websocket_nodelay = Bool(
        True,
        help="Send terminal WebSocket frames at once (TCP_NODELAY): each key's echo and the "
        "prompt after a command reach the browser without waiting for its delayed ACK (up to "
        "40 ms on Linux). Applies to the host's terminal WebSockets (jupyter_server_terminals).",
    ).tag(config=True)

    terminal_output_coalescing = Bool(
        True,
        help="While a command floods a terminal, join terminado's pty reads (about 4 KB each) "
        "into fewer WebSocket frames, so the browser handles tens of messages instead of "
        "hundreds; a read after a quiet moment (a key's echo) and a short command's small "
        "output are still sent at once. False sends one frame per read, as the host does. "
        "Applies to the host's terminal WebSockets (jupyter_server_terminals).",
    ).tag(config=True)

    terminal_coalesce_window_ms = Float(
        DEFAULT_WINDOW_S * 1000,
        help="With terminal_output_coalescing: the longest a pty read is held to be joined "
        "with the reads that follow, in ms.",
    ).tag(config=True)

    terminal_coalesce_max_chars = Int(
        DEFAULT_MAX_CHARS,
        help="With terminal_output_coalescing: the most characters joined into one frame "
        "(a single larger read is sent as it came).",
    ).tag(config=True)

    atomic_saves = Bool(
        True,
        help="Write saved files whole and atomically (a temporary file in the same folder, "
        "fsync, rename), so a server killed while saving never leaves a truncated file; "
        "read-only files and a full disk fail with a clear message. Applies to the server's "
        "file contents manager (see jlab_alt.atomic_save).",
    ).tag(config=True)

    journal_enabled = Bool(
        True,
        help="Keep a journal of what each local kernel runs and prints, on the server, so a "
        "notebook opened again (after a reload, a closed tab, in another browser) catches up "
        "with outputs produced while no page showed them and follows running cells live. The "
        "journal subscribes to each kernel's IOPub when the kernel starts and lives in memory: "
        "it is cleared with the kernel and lost when the server stops. Gateway (remote) "
        "kernels have no local IOPub, so it is unavailable for them. False turns it off.",
    ).tag(config=True)

    journal_output_limit = Int(
        1_000_000,
        help="Most characters of one stream output (the end is kept, after a marker line) and "
        "most bytes of one rich output (replaced by a marker beyond that) the journal keeps.",
    ).tag(config=True)

    journal_kernel_limit = Int(
        64_000_000,
        help="Most bytes of outputs the journal keeps per kernel. Over it, finished executions "
        "already saved to their notebook are dropped first, then the oldest finished ones, "
        "then the oldest outputs of running ones. Bounds the server's memory under an output flood.",
    ).tag(config=True)

    journal_max_executions = Int(
        2000,
        help="Most executions the journal keeps per kernel (finished ones are dropped first).",
    ).tag(config=True)

    journal_release_memory = Bool(
        True,
        help="Once the server is quiet after an output flood (32 MB or more through the "
        "journal's sockets since the last time), return the memory freed meanwhile to the "
        "system (glibc's malloc_trim; no effect with another C library). Without it the "
        "server's resident memory stays at its peak after a flood.",
    ).tag(config=True)

    malloc_mmap_threshold = Int(
        0,
        help="When above 0 (bytes), set glibc's M_MMAP_THRESHOLD for the server process at start "
        "(mallopt): allocations this large or larger get their own mapping, returned to the "
        "system as soon as they are freed, and glibc stops raising the threshold by itself. "
        "0 keeps glibc's default. See jlab_alt.journal.memory.",
    ).tag(config=True)

    @default("user_settings_dir")
    def _default_user_settings_dir(self) -> str:
        return str(Path(jupyter_config_dir()) / "jlab_alt" / "user-settings")

    @default("settings_overrides_paths")
    def _default_settings_overrides_paths(self) -> list[str]:
        return [
            *(str(Path(d) / "jlab_alt" / "overrides.json") for d in jupyter_config_path()),
            *(str(Path(d) / "overrides.json") for d in jupyter_path("jlab_alt", "settings")),
        ]

    @default("workspaces_dir")
    def _default_workspaces_dir(self) -> str:
        return str(Path(jupyter_data_dir()) / "jlab_alt" / "workspaces")

    def initialize_settings(self) -> None:
        # self.settings holds a copy of the web app's settings and is written back after this.
        if self.kernel_websocket_nodelay and not enable_nodelay(self.settings):
            self.log.debug("jlab-alt: this jupyter_server has no kernel WebSocket connection class to tune")
        self.settings_store = SettingsStore(Path(self.user_settings_dir))
        self.journal: Journal | None = None
        if self.malloc_mmap_threshold > 0:
            memory.set_mmap_threshold(self.malloc_mmap_threshold)
        if self.journal_enabled and with_journal(self.settings):
            self.journal = Journal(
                self.serverapp,
                output_limit=self.journal_output_limit,
                kernel_limit=self.journal_kernel_limit,
                max_executions=self.journal_max_executions,
                release_memory=self.journal_release_memory,
            )
            self.settings[JOURNAL_SETTING] = self.journal
        self._manifest: tuple[float, FrontendManifest] | None = None
        try:
            disabled = [*self.disabled_extensions, *read_disabled()]
        except ValueError as err:
            self.log.error("jlab-alt: %s; no extension is disabled by it", err)
            disabled = list(self.disabled_extensions)
        self.extension_manager = ExtensionManager(disabled, self.log)
        # jlab-alt's own server plugins first, on the same hooks as extensions.
        register_builtins(self.extension_manager)
        self.extension_manager.load_entry_points()
        self.settings_schemas: dict[str, Any] = {}
        for _, schemas in self.extension_manager.call("jlab_alt_settings_schemas"):
            if isinstance(schemas, dict):
                self.settings_schemas.update(schemas)
        self._apply_overrides()
        self.workspaces_store = WorkspacesStore(Path(self.workspaces_dir))
        self._register_save_hooks()
        if self.atomic_saves and not atomic_save.install(self.serverapp.contents_manager):
            self.log.info("jlab-alt: the contents manager does not write local files; saves are as it makes them")

    def initialize_handlers(self) -> None:
        self.handlers.extend(
            [
                (r"/jlab-alt/?", PageHandler),
                (r"/jlab-alt/tree/(.*)", PageHandler),
                (r"/jlab-alt/static/(.*)", StaticAssetHandler, {"path": [str(STATIC_DIR)]}),
                (r"/jlab-alt/api/settings/(.+)", SettingsHandler),
                (r"/jlab-alt/api/settings/?()", SettingsHandler),
                (r"/jlab-alt/api/workspaces/(.+)", WorkspacesHandler),
                (r"/jlab-alt/api/extensions", ExtensionsHandler),
                (r"/jlab-alt/api/settings-schemas", SettingsSchemasHandler),
                (r"/jlab-alt/sandbox", SandboxHandler),
                (r"/jlab-alt/api/export-formats", ExportFormatsHandler),  # documents: export
                (r"/jlab-alt/api/journal", JournalHandler),
                (r"/jlab-alt/api/save-delta/(.+)", SaveDeltaHandler),  # savedelta: saves send what changed
                (r"/jlab-alt/api/save-delta-base/(.+)", SaveDeltaBaseHandler),  # ... read ahead at the first edit
                (RESOURCE_ROUTE, SafeKernelSpecResourceHandler),  # faults: SVG logos never run script
            ]
        )
        self.handlers.extend(self._extension_handlers())

    async def _start_jupyter_server_extension(self, serverapp: Any) -> None:
        # Runs once every extension has added its routes, so the terminal socket's exists.
        if self.terminal_websocket_nodelay:
            enable_terminal_nodelay(serverapp.web_app)
        if self.terminal_output_coalescing:
            enable_terminal_coalescing(
                serverapp.web_app, self.terminal_coalesce_window_ms / 1000, self.terminal_coalesce_max_chars
            )

    async def stop_extension(self) -> None:
        if self.journal is not None:
            self.journal.close()

    # -- extensions ----------------------------------------------------------------

    def _extension_handlers(self) -> list[tuple[Any, ...]]:
        manager = self.extension_manager
        routes: list[tuple[Any, ...]] = []
        # call() has already refused results of the wrong shape (jlab_alt.hook_results).
        for name, handlers in manager.call("jlab_alt_handlers", app=self):
            prefix = f"/jlab-alt/ext/{name}/"
            for pattern, cls, *rest in handlers:
                routes.append((prefix + pattern.lstrip("/"), guard(cls, f"jlab_alt.ext.{name}"), *rest))
        for info in manager.listing():
            if info.enabled and info.frontend:
                routes.append(
                    (f"/jlab-alt/ext/{info.name}/static/(.*)", StaticAssetHandler, {"path": [info.frontend["static"]], "public": "all"})
                )
        for name, css in self._extension_css():
            routes.append(
                (
                    f"/jlab-alt/ext/{name}/css/({Path(css).name.replace('.', '[.]')})",
                    StaticAssetHandler,
                    {"path": [str(Path(css).parent)], "public": "all"},
                )
            )
        return routes

    def _extension_css(self) -> list[tuple[str, str]]:
        files: list[tuple[str, str]] = []
        for name, themes in self.extension_manager.call("jlab_alt_themes"):
            for theme in themes if isinstance(themes, list) else []:
                css = theme.get("css") if isinstance(theme, dict) else None
                if css and Path(css).is_file():
                    files.append((name, str(css)))
                else:
                    self.extension_manager.record_error(name, f"theme CSS {css!r} does not exist")
        return files

    def extension_css_urls(self) -> list[str]:
        """URLs of the stylesheets extensions contribute, in load order."""
        base = self.serverapp.base_url
        return [url_path_join(base, "jlab-alt", "ext", name, "css", Path(css).name) for name, css in self._css_cache()]

    def _css_cache(self) -> list[tuple[str, str]]:
        if not hasattr(self, "_css"):
            self._css = self._extension_css()
        return self._css

    def _register_save_hooks(self) -> None:
        manager = self.extension_manager
        self.verbatim_saves = VerbatimSaves(lambda: manager.third_party_implementers("jlab_alt_pre_save"))

        def pre_save(model: dict[str, Any], path: str, contents_manager: Any, **_: Any) -> None:
            self.verbatim_saves.run_pre_save(model, path, lambda: manager.call(
                "jlab_alt_pre_save", model=model, path=path, contents_manager=contents_manager, app=self, reraise=(HTTPError,)
            ))

        def post_save(model: dict[str, Any], os_path: str, contents_manager: Any, **_: Any) -> None:
            self.verbatim_saves.saved(model)
            manager.call("jlab_alt_post_save", model=model, os_path=os_path, contents_manager=contents_manager, app=self)

        contents_manager = self.serverapp.contents_manager
        contents_manager.register_pre_save_hook(pre_save)
        contents_manager.register_post_save_hook(post_save)
        self._own_pre_save_hook = pre_save

    def host_pre_save_hooks(self) -> bool:
        """Whether the host runs pre-save hooks besides jlab-alt's (its ``pre_save_hook``
        setting, or hooks other server extensions registered): they may rewrite any save,
        out of jlab-alt's view (see :mod:`jlab_alt.savedelta.verbatim`)."""
        cm = self.serverapp.contents_manager
        others = [h for h in getattr(cm, "_pre_save_hooks", []) if h is not getattr(self, "_own_pre_save_hook", None)]
        return bool(cm.pre_save_hook or others)

    def _apply_overrides(self) -> None:
        """Put the site-wide ``overrides.json`` values in the schemas as their ``default``.

        So every reader (GET's ``composite``, the settings editor's "default", ``read_settings``)
        sees the admin's defaults. An override that does not fit its schema is logged and skipped.
        """
        overrides = read_overrides([Path(p) for p in self.settings_overrides_paths], self.log)
        for plugin_id, values in overrides.items():
            schema = self.settings_schemas.get(plugin_id)
            if schema is None:
                self.log.warning("jlab-alt: settings overrides for %s, which has no schema, are ignored", plugin_id)
                continue
            schema = copy.deepcopy(schema)
            properties = schema.setdefault("properties", {})
            for key, value in values.items():
                try:
                    jsonschema.validate({key: value}, {**schema, "required": []})
                except jsonschema.ValidationError as err:
                    self.log.error("jlab-alt: settings override %s.%s ignored: %s", plugin_id, key, err.message)
                    continue
                prop = properties.get(key)
                properties[key] = {**prop, "default": value} if isinstance(prop, dict) else {"default": value}
            self.settings_schemas[plugin_id] = schema

    def read_settings(self, plugin_id: str) -> dict[str, Any]:
        """A plugin's effective settings: the user's over the defaults (schema, then overrides).

        Raises:
            InvalidSettingsIdError: ``plugin_id`` is not a valid id.
        """
        return self.composite_settings(plugin_id, self.settings_store.read(plugin_id))

    def composite_settings(self, plugin_id: str, user: dict[str, Any]) -> dict[str, Any]:
        """``user`` over the ``default`` of each property of ``plugin_id``'s schema.

        The one place defaults are merged; the frontend reads the result (``composite``).
        """
        schema = self.settings_schemas.get(plugin_id) or {}
        defaults = {
            key: copy.deepcopy(prop["default"])
            for key, prop in (schema.get("properties") or {}).items()
            if isinstance(prop, dict) and "default" in prop
        }
        return {**defaults, **user}

    def builtin_plugins(self) -> list[dict[str, str]]:
        """The built-in frontend plugins (``builtins.json`` written by the build)."""
        try:
            return json.loads((STATIC_DIR / "builtins.json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return []

    def extensions_listing(self) -> dict[str, Any]:
        """What ``GET /jlab-alt/api/extensions`` answers (see ``ExtensionsHandler``)."""
        manager = self.extension_manager
        return {
            "extensions": [info.to_json() for info in manager.listing()],
            "builtins": [
                {**plugin, "enabled": plugin["id"] not in manager.disabled} for plugin in self.builtin_plugins()
            ],
            "disabled": sorted(manager.disabled),
        }

    # -- page ------------------------------------------------------------------------

    def frontend_manifest(self) -> FrontendManifest:
        """The built frontend's manifest, read again only when the file changes.

        Re-reading on change lets `npm run watch` rebuilds show up on reload.

        Raises:
            FrontendNotBuiltError: the package was installed without its frontend.
        """
        try:
            mtime = (STATIC_DIR / "manifest.json").stat().st_mtime
        except FileNotFoundError:
            mtime = -1.0
        if self._manifest is None or self._manifest[0] != mtime:
            self._manifest = (mtime, FrontendManifest.load(STATIC_DIR))
        return self._manifest[1]

    def _gateway_enabled(self) -> bool:
        gateway = getattr(self.serverapp, "gateway_config", None)
        return bool(getattr(gateway, "gateway_enabled", False))

    def declared_in_schemas(self, key: str) -> dict[str, Any]:
        """``{plugin id: schema[key]}`` for every settings schema that has ``key``.

        Plugins declare metadata besides their settings in their schema (JupyterLab's
        ``jupyter.lab.shortcuts``): ``"jlab-alt.shortcuts"`` is a list of
        ``{command, keys, selector?, args?}``, ``"jlab-alt.menus"`` a list of menus
        ``{id, label, rank?, items}``. The page checks the entries itself and
        reports bad ones against their plugin.
        """
        return {
            plugin_id: schema[key]
            for plugin_id, schema in self.settings_schemas.items()
            if isinstance(schema, dict) and key in schema
        }

    def page_config(self, *, tree_path: str, static_url: str) -> dict[str, Any]:
        """The page config for one load of the app page (see :mod:`jlab_alt.page_config`)."""
        base = self.serverapp.base_url
        manager = self.extension_manager
        frontends = [
            {
                "name": info.name,
                "version": info.version,
                "url": url_path_join(base, "jlab-alt", "ext", info.name, "static", info.frontend["entry"]),
            }
            for info in manager.listing()
            if info.enabled and info.frontend
        ]
        config = build_page_config(
            base_url=base,
            app_version=__version__,
            tree_path=tree_path,
            static_url=static_url,
            extra={
                "frontendExtensions": frontends,
                "disabledExtensions": sorted(manager.disabled),
                "extensionErrors": {i.name: i.errors for i in manager.listing() if i.errors},
                # Terminals (jupyter_server_terminals): @jupyterlab/services reads this key,
                # and new terminals start under the root, given as an absolute path.
                "terminalsAvailable": bool(self.serverapp.web_app.settings.get("terminals_available", False)),
                "serverRoot": os.path.abspath(os.path.expanduser(self.serverapp.root_dir)),
                # Kernels run behind --gateway-url: the page checks they are alive itself
                # (the host keeps the browser's WebSocket open when the gateway's side fails).
                "remoteKernels": self._gateway_enabled(),
                # Keyboard shortcuts declared beside each plugin, in its schema (as
                # JupyterLab's jupyter.lab.shortcuts): the page adds them at start.
                "shortcuts": self.declared_in_schemas("jlab-alt.shortcuts"),
                # Menus likewise (jupyter.lab.menus): the menu bar adds them.
                "menus": self.declared_in_schemas("jlab-alt.menus"),
            },
        )
        for _, extra in manager.call("jlab_alt_page_config", page_config=dict(config), app=self):
            if isinstance(extra, dict):
                config.update(extra)
        return config


def main(argv: list[str] | None = None) -> None:
    """Entry point of the ``jlab-alt`` command: start a server with the app as its page.

    Accepts every ServerApp option (``--port``, ``--ip``, ``--no-browser``,
    ``--ServerApp.base_url`` ...) and an optional path: a directory becomes the
    server root, a file is opened in the app. ``jlab-alt extension ...`` manages
    extensions instead (see ``jlab-alt extension --help``).
    """
    try:
        JlabAltApp.launch_instance(argv)
    finally:
        # The loop has stopped: threads waiting for tasks it cut off must not hold the exit.
        release_worker_threads()
