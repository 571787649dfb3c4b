"""Hook implementations of the plotly extension."""

from __future__ import annotations

import logging
from pathlib import Path

from jlab_alt import StaticFilesHandler, hookimpl

from .prepared import prepared_plotly_js


def plotly_js_dir() -> str:
    """The folder holding ``plotly.min.js`` in the installed ``plotly`` package.

    Raises:
        FileNotFoundError: the installed plotly has no ``package_data/plotly.min.js``.
    """
    import plotly

    folder = Path(plotly.__file__).parent / "package_data"
    if not (folder / "plotly.min.js").is_file():
        raise FileNotFoundError(f"plotly.min.js is not in {folder}; reinstall plotly")
    return str(folder)


@hookimpl
def jlab_alt_handlers():
    # Only plotly.min.js, not the rest of the package data; served from a prepared copy
    # (see .prepared) so that the browser compiles it off the main thread.
    original = plotly_js_dir()
    try:
        folder = str(prepared_plotly_js(Path(original) / "plotly.min.js"))
    except OSError as err:
        logging.getLogger(__name__).warning("plotly: serving plotly.min.js as installed (%s)", err)
        folder = original
    return [(r"lib/(plotly\.min\.js)", StaticFilesHandler, {"path": [folder]})]


@hookimpl
def jlab_alt_frontend():
    return {"static": str(Path(__file__).parent / "static"), "entry": "index.js"}
