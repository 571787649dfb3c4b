"""Loading jlab-alt extensions (pluggy plugins from the ``jlab_alt`` entry points).

One :class:`ExtensionManager` per app instance (no module-level plugin state, so
tests do not leak plugins into each other). Each entry point is loaded on its own:
an import error is recorded against that extension and the others load normally.
"""

from __future__ import annotations

import logging
import traceback
from dataclasses import dataclass, field
from importlib.metadata import EntryPoint, entry_points
from pathlib import Path
from typing import Any

import pluggy

from . import hookspecs
from .hook_results import result_error

#: The entry-point group extensions register under.
ENTRY_POINT_GROUP = "jlab_alt"


@dataclass
class ExtensionInfo:
    """One installed extension, as ``jlab-alt extension list`` shows it.

    Attributes:
        name: The entry-point name; also the URL segment ``/jlab-alt/ext/<name>/``.
        version: The distribution's version ("" when unknown).
        distribution: The name pip knows the extension by (what to ``pip uninstall``;
            "" when unknown), e.g. ``jlab-alt-plotly`` for the extension ``plotly``.
        module: What the entry point names (``package.module``).
        enabled: False when listed in ``disabledExtensions``.
        server: Whether it implements server hooks other than the frontend declaration.
        frontend: ``{"static": path, "entry": file}`` when it has a frontend part.
        errors: Load and hook errors, newest last (one line each, then a traceback).
        builtin: jlab-alt's own plugin (not listed as an extension).
    """

    name: str
    version: str = ""
    distribution: str = ""
    module: str = ""
    enabled: bool = True
    server: bool = False
    frontend: dict[str, str] | None = None
    errors: list[str] = field(default_factory=list)
    builtin: bool = False

    def to_json(self) -> dict[str, Any]:
        """The JSON shape served by ``GET /jlab-alt/api/extensions`` (paths left out)."""
        return {
            "name": self.name,
            "version": self.version,
            "distribution": self.distribution,
            "module": self.module,
            "enabled": self.enabled,
            "server": self.server,
            "frontend": {"entry": self.frontend["entry"]} if self.frontend else None,
            "errors": list(self.errors),
        }


#: Every hook name, from :mod:`jlab_alt.hookspecs` (the one place hooks are declared).
HOOK_NAMES: frozenset[str] = frozenset(
    name for name in vars(hookspecs) if name.startswith("jlab_alt_") and callable(getattr(hookspecs, name))
)
#: Hooks that make an extension's "server" part (all but the frontend declaration).
_SERVER_HOOKS = HOOK_NAMES - {"jlab_alt_frontend"}


class ExtensionManager:
    """The app's extensions: load them, call their hooks, list them.

    Args:
        disabled: Names never to load (their entry points are listed, not imported).
        log: Where load and hook errors are logged.
    """

    def __init__(self, disabled: list[str] | None = None, log: logging.Logger | None = None) -> None:
        self.disabled = set(disabled or [])
        self.log = log or logging.getLogger("jlab_alt")
        self.pm = pluggy.PluginManager(ENTRY_POINT_GROUP)
        self.pm.add_hookspecs(hookspecs)
        self.extensions: dict[str, ExtensionInfo] = {}

    def load_entry_points(self, eps: list[EntryPoint] | None = None) -> None:
        """Load every ``jlab_alt`` entry point (or ``eps``), sorted by name."""
        found = list(eps) if eps is not None else list(entry_points(group=ENTRY_POINT_GROUP))
        for ep in sorted(found, key=lambda e: e.name):
            version = ep.dist.version if ep.dist is not None else ""
            distribution = (ep.dist.metadata["Name"] or "") if ep.dist is not None else ""
            info = ExtensionInfo(name=ep.name, version=version, distribution=distribution, module=ep.value)
            self.extensions[ep.name] = info
            if ep.name in self.disabled:
                info.enabled = False
                continue
            try:
                plugin = ep.load()
            except Exception as err:  # an extension's import error must not stop the app
                self._record(info, f"failed to load: {err!r}", err)
                continue
            self.register(plugin, info)

    def register(self, plugin: Any, info: ExtensionInfo) -> None:
        """Register an already imported plugin object under ``info.name``."""
        self.extensions.setdefault(info.name, info)
        try:
            self.pm.register(plugin, name=info.name)
            # A misspelt hook name would otherwise be ignored silently.
            self.pm.check_pending()
        except Exception as err:
            self._record(info, f"is not a valid plugin: {err}", err)
            if self.pm.is_registered(plugin):
                self.pm.unregister(plugin)
            return
        impls = self._impls_of(info.name)
        wrappers = sorted(name for name, impl in impls.items() if impl.hookwrapper or getattr(impl, "wrapper", False))
        if wrappers:
            # call() runs each implementation on its own (to keep errors per extension),
            # so a wrapper would be called as a plain function and break: refuse it.
            self.record_error(
                info.name,
                f"uses hook wrappers ({', '.join(wrappers)}), which jlab-alt does not support: "
                "drop hookwrapper=True / wrapper=True",
            )
            self.pm.unregister(plugin)
            return
        info.server = bool(impls.keys() & _SERVER_HOOKS)
        if "jlab_alt_frontend" in impls:
            info.frontend = self._frontend_of(info, impls["jlab_alt_frontend"])

    def call(self, hook: str, reraise: tuple[type[BaseException], ...] = (), **kwargs: Any) -> list[tuple[str, Any]]:
        """Call every implementation of ``hook``; return ``[(extension name, result)]``.

        Implementations run in load order (pluggy's ``tryfirst``/``trylast`` honoured) with
        only the arguments they accept; one that raises is recorded in its extension's
        ``errors`` and skipped, unless the error is one of ``reraise`` (e.g. ``HTTPError``
        from a pre-save hook rejecting a save). A result of the wrong shape (see
        :mod:`jlab_alt.hook_results`) is recorded the same way and left out, as are
        ``None`` results.

        Raises:
            ValueError: ``hook`` is not declared in :mod:`jlab_alt.hookspecs`.
        """
        if hook not in HOOK_NAMES:
            raise ValueError(f"{hook!r} is not a jlab-alt hook (see jlab_alt.hookspecs)")
        results: list[tuple[str, Any]] = []
        caller = getattr(self.pm.hook, hook)
        # get_hookimpls() is in registration (= load) order, except that pluggy moves
        # trylast implementations to the front and tryfirst ones to the back.
        impls = sorted(caller.get_hookimpls(), key=lambda impl: (not impl.tryfirst, impl.trylast))
        for impl in impls:
            info = self.extensions.get(impl.plugin_name)
            try:
                value = impl.function(**{k: kwargs[k] for k in impl.argnames if k in kwargs})
            except reraise:
                raise
            except Exception as err:
                if info:
                    self._record(info, f"hook {hook} failed: {err!r}", err)
                continue
            problem = result_error(hook, value)
            if problem is not None:
                if info:
                    self._record(info, f"hook {hook} returned a bad result: {problem}")
                continue
            if value is not None:
                results.append((impl.plugin_name, value))
        return results

    def third_party_implementers(self, hook: str) -> list[str]:
        """Names of the extensions (not jlab-alt's built-in plugins) that implement ``hook``.

        Raises:
            ValueError: ``hook`` is not declared in :mod:`jlab_alt.hookspecs`.
        """
        if hook not in HOOK_NAMES:
            raise ValueError(f"{hook!r} is not a jlab-alt hook (see jlab_alt.hookspecs)")
        names = [impl.plugin_name for impl in getattr(self.pm.hook, hook).get_hookimpls()]
        return [n for n in names if not (n in self.extensions and self.extensions[n].builtin)]

    def listing(self) -> list[ExtensionInfo]:
        """Every extension found (not jlab-alt's own plugin), sorted by name."""
        return [self.extensions[k] for k in sorted(self.extensions) if not self.extensions[k].builtin]

    def _impls_of(self, name: str) -> dict[str, pluggy.HookImpl]:
        """``{hook name: implementation}`` of the plugin registered as ``name``."""
        plugin = self.pm.get_plugin(name)
        if plugin is None:
            return {}
        return {
            caller.name: impl
            for caller in self.pm.get_hookcallers(plugin) or []
            for impl in caller.get_hookimpls()
            if impl.plugin_name == name
        }

    def _frontend_of(self, info: ExtensionInfo, impl: pluggy.HookImpl) -> dict[str, str] | None:
        try:
            value = impl.function()
        except Exception as err:
            self._record(info, f"hook jlab_alt_frontend failed: {err!r}", err)
            return None
        if value is None:
            return None
        problem = result_error("jlab_alt_frontend", value)
        if problem is not None:
            self._record(info, f'jlab_alt_frontend must return {{"static": folder, "entry": file}}: {problem}')
            return None
        static = Path(value["static"])
        if not (static / value["entry"]).is_file():
            self._record(info, f"frontend entry {static / value['entry']} does not exist")
            return None
        return {"static": str(static), "entry": str(value["entry"])}

    def record_error(self, name: str, message: str, err: BaseException | None = None) -> None:
        """Record a problem against extension ``name``: logged, and shown by
        ``jlab-alt extension list`` and ``GET /jlab-alt/api/extensions``.

        Args:
            name: The extension's entry-point name (``ExtensionInfo.name``).
            message: One line saying what went wrong, without the name (it is prefixed).
            err: The exception, if any; its traceback is kept under the message.

        Raises:
            KeyError: No extension of that name was loaded.
        """
        self._record(self.extensions[name], message, err)

    def _record(self, info: ExtensionInfo, message: str, err: BaseException | None = None) -> None:
        text = f"{info.name} {message}"
        if err is not None:
            text += "\n" + "".join(traceback.format_exception(err)).rstrip()
        info.errors.append(text)
        self.log.error("jlab-alt extension %s", text)
