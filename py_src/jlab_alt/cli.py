"""``jlab-alt extension list|enable|disable|new``: manage extensions from the shell."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from traitlets import Bool, Unicode
from traitlets.config import Application

from ._version import __version__
from .assets import STATIC_DIR
from .extension_config import default_config_path, read_disabled, set_enabled
from .extensions import ExtensionManager


def _builtin_plugins() -> list[dict[str, str]]:
    try:
        return json.loads((STATIC_DIR / "builtins.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return []


class _Sub(Application):
    version = __version__

    def _fail(self, message: str) -> None:
        print(f"jlab-alt extension {self.name}: {message}", file=sys.stderr)
        self.exit(1)


class ListApp(_Sub):
    """Print installed extensions (and built-in plugins) with their state."""

    name = "list"
    description = "List installed extensions: name, version, enabled, server part, frontend part, load errors."
    json_output = Bool(False, help="Print the listing as JSON.").tag(config=True)
    flags = {"json": ({"ListApp": {"json_output": True}}, "Print the listing as JSON.")}

    def start(self) -> None:
        try:
            disabled = read_disabled()
        except ValueError as err:
            self._fail(str(err))
            return
        manager = ExtensionManager(disabled)
        manager.load_entry_points()
        builtins = [{**p, "enabled": p["id"] not in manager.disabled} for p in _builtin_plugins()]
        if self.json_output:
            listing = {"extensions": [i.to_json() for i in manager.listing()], "builtins": builtins}
            print(json.dumps(listing, indent=2))
            return
        print("Extensions (pip-installed):")
        if not manager.extensions:
            print("  (none)")
        for info in manager.listing():
            state = "enabled" if info.enabled else "disabled"
            parts = [p for p, on in (("server", info.server), ("frontend", info.frontend)) if on]
            status = "ERROR" if info.errors else "OK"
            # The distribution is what `pip uninstall` takes; the name is what `disable` takes.
            dist = f" (pip: {info.distribution})" if info.distribution else ""
            print(
                f"  {info.name} {info.version or '?'}{dist}  {state}  "
                f"[{', '.join(parts) or 'no parts'}]  {status}"
            )
            for err in info.errors:
                print("      " + err.splitlines()[0])
        print("Built-in plugins:")
        for plugin in builtins:
            print(f"  {plugin['id']}  {'enabled' if plugin['enabled'] else 'disabled'}")
        print(f"(disabled names are kept in {default_config_path()})")


class _ToggleApp(_Sub):
    enable: bool = True

    def start(self) -> None:
        if len(self.extra_args) != 1:
            self._fail(f"give exactly one extension name or plugin id, e.g. `jlab-alt extension {self.name} NAME`")
            return
        name = self.extra_args[0]
        known = {i.name for i in self._manager().listing()} | {p["id"] for p in _builtin_plugins()}
        if name not in known:
            # A frontend plugin id of an extension is fine too; only warn.
            print(f"note: {name!r} is neither an installed extension nor a built-in plugin id", file=sys.stderr)
        try:
            changed = set_enabled(name, self.enable)
        except ValueError as err:
            self._fail(str(err))
            return
        word = "enabled" if self.enable else "disabled"
        print(f"{name} {word}" + ("" if changed else " (it already was)") + "; restart jlab-alt to apply.")

    @staticmethod
    def _manager() -> ExtensionManager:
        manager = ExtensionManager([])
        manager.load_entry_points()
        return manager


class EnableApp(_ToggleApp):
    """Enable an extension or plugin (remove it from disabledExtensions)."""

    name = "enable"
    description = "Enable an extension or a plugin id (built-ins included)."
    enable = True


class DisableApp(_ToggleApp):
    """Disable an extension or plugin (add it to disabledExtensions)."""

    name = "disable"
    description = "Disable an extension or a plugin id (built-ins included)."
    enable = False


class NewApp(_Sub):
    """Scaffold a pip-installable extension project."""

    name = "new"
    description = "Create a new extension project NAME in the current folder (or --dir)."
    directory = Unicode("", help="Where to create the project (default: ./NAME).").tag(config=True)
    aliases = {"dir": "NewApp.directory"}

    def start(self) -> None:
        from .scaffold import ScaffoldError, create_extension

        if len(self.extra_args) != 1:
            self._fail("give the extension's name, e.g. `jlab-alt extension new my_status`")
            return
        name = self.extra_args[0]
        target = Path(self.directory or name)
        try:
            created = create_extension(name, target)
        except ScaffoldError as err:
            self._fail(str(err))
            return
        print(f"Created {created} with:")
        for path in sorted(p for p in created.rglob("*") if p.is_file()):
            print(f"  {path.relative_to(created)}")
        print(f"Next: pip install -e {created} && jlab-alt")


class ExtensionCommandApp(_Sub):
    """``jlab-alt extension``: the extension subcommands."""

    name = "extension"
    description = "Manage jlab-alt extensions."
    subcommands = {
        "list": (ListApp, ListApp.description),
        "enable": (EnableApp, EnableApp.description),
        "disable": (DisableApp, DisableApp.description),
        "new": (NewApp, NewApp.description),
    }

    def start(self) -> None:
        if self.subapp is not None:
            self.subapp.start()
            return
        self.print_subcommands()
        self.exit(1)
