"""jlab-alt's own server plugins, registered before any extension (datasette's ``DEFAULT_PLUGINS``).

Each built-in feature is a module on the public hooks of :mod:`jlab_alt.hookspecs`,
so it works exactly as an extension would and can be read as an example. They are
registered in this order; extensions come after them.
"""

from __future__ import annotations

from types import ModuleType

from .. import builtin_plugin
from ..extensions import ExtensionInfo, ExtensionManager
from . import exact_save


def builtin_modules() -> list[tuple[str, ModuleType]]:
    """``[(plugin name, module)]`` of the built-in server plugins, in registration order.

    The first keeps the name ``jlab_alt`` (settings schemas of the built-in frontend
    plugins); the others are named ``jlab_alt.<feature>``.
    """
    from ..journal import plugin as journal_plugin

    return [
        ("jlab_alt", builtin_plugin),
        ("jlab_alt.exact_save", exact_save),
        ("jlab_alt.journal", journal_plugin),
    ]


def register_builtins(manager: ExtensionManager) -> None:
    """Register every built-in plugin on ``manager`` (hidden from ``jlab-alt extension list``)."""
    for name, module in builtin_modules():
        manager.register(module, ExtensionInfo(name=name, builtin=True))
