"""Hook implementations of the server_info extension."""

from __future__ import annotations

import json
import platform
import time
from pathlib import Path

import jupyter_server

from jlab_alt import ExtensionHandler, hookimpl

_STARTED = time.monotonic()


class InfoHandler(ExtensionHandler):
    """GET: ``{"python": str, "jupyter_server": str, "uptime_seconds": float, "kernels": int}``."""

    def get(self) -> None:
        kernels = len(self.kernel_manager.list_kernel_ids())
        self.finish(
            json.dumps(
                {
                    "python": platform.python_version(),
                    "jupyter_server": jupyter_server.__version__,
                    "uptime_seconds": round(time.monotonic() - _STARTED, 1),
                    "kernels": kernels,
                }
            )
        )


@hookimpl
def jlab_alt_handlers():
    return [("info", InfoHandler)]


@hookimpl
def jlab_alt_frontend():
    return {"static": str(Path(__file__).parent / "static"), "entry": "index.js"}
