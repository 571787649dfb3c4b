"""jlab-alt: a light, fast, extensible browser IDE for Jupyter notebooks.

jlab-alt is a jupyter_server extension application named ``jlab_alt``. Running the
``jlab-alt`` command starts a Jupyter server with the app as its default page; a
plain ``jupyter server`` also serves the app at ``<base_url>jlab-alt`` because the
package installs ``etc/jupyter/jupyter_server_config.d/jlab_alt.json``.

For extension authors: ``from jlab_alt import hookimpl, ExtensionHandler`` (see
:mod:`jlab_alt.hookspecs` for the hooks).
"""

from typing import Any

from ._version import __version__
from .hookspecs import hookimpl

__all__ = ["ExtensionHandler", "StaticFilesHandler", "__version__", "hookimpl"]


def __getattr__(name: str) -> Any:
    # Imported on first use so `import jlab_alt` (e.g. by the CLI) stays light.
    if name == "ExtensionHandler":
        from .handlers.extensions import ExtensionHandler

        return ExtensionHandler
    if name == "StaticFilesHandler":
        # Serves files from ``{"path": [folder, ...]}`` behind login (for extensions).
        from .handlers.static import StaticAssetHandler

        return StaticAssetHandler
    raise AttributeError(name)


def _jupyter_server_extension_points() -> list[dict[str, object]]:
    """Tell jupyter_server which ExtensionApp this package provides.

    Returns:
        A one-element list ``[{"module": "jlab_alt.app", "app": JlabAltApp}]`` as the
        jupyter_server extension loader expects.
    """
    from .app import JlabAltApp

    return [{"module": "jlab_alt.app", "app": JlabAltApp}]
