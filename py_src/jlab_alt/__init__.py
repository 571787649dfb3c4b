"""jlab-alt: a light, fast, extensible browser IDE for Jupyter notebooks.

jlab-alt is a jupyter_server extension application named ``jlab_alt``. Running the
``jlab-alt`` command starts a Jupyter server with the app as its default page; a
plain ``jupyter server`` also serves the app at ``<base_url>jlab-alt`` because the
package installs ``etc/jupyter/jupyter_server_config.d/jlab_alt.json``.
"""

from ._version import __version__

__all__ = ["__version__"]


def _jupyter_server_extension_points() -> list[dict[str, object]]:
    """Tell jupyter_server which ExtensionApp this package provides.

    Returns:
        A one-element list ``[{"module": "jlab_alt.app", "app": JlabAltApp}]`` as the
        jupyter_server extension loader expects.
    """
    from .app import JlabAltApp

    return [{"module": "jlab_alt.app", "app": JlabAltApp}]
