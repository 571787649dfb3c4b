"""``/jlab-alt/api/export-formats``: the host's nbconvert exporters and whether each can run.

``GET`` answers ``{"formats": [{"name": str, "label": str, "extension": str,
"mimetype": str, "available": bool, "reason": str}]}`` in nbconvert's order
(``nbconvert.exporters.get_export_names``). ``reason`` says what is missing when
``available`` is false: pandoc (reST, AsciiDoc, LaTeX, PDF), xelatex (PDF), the
playwright package and its Chromium (WebPDF), Qt WebEngine (Qt PDF/PNG). The export
itself stays the host's ``/nbconvert/<format>/<path>``; this only probes, so the app
can show a format disabled with its reason instead of a bare 500 page.
"""

from __future__ import annotations

import asyncio
import importlib.util
import json
import shutil
from functools import lru_cache

from jupyter_server.auth.decorator import authorized
from tornado import web

from .base import AppAPIHandler

#: Tools each exporter needs beyond nbconvert itself.
NEEDS: dict[str, tuple[str, ...]] = {
    "asciidoc": ("pandoc",),
    "rst": ("pandoc",),
    "latex": ("pandoc",),
    "pdf": ("pandoc", "xelatex"),
    "webpdf": ("playwright",),
    "qtpdf": ("qtwebengine",),
    "qtpng": ("qtwebengine",),
}

#: Labels for exporters whose class has none worth showing.
LABELS = {"python": "Python", "script": "Executable Script", "custom": "Custom template", "webpdf": "PDF via HTML (WebPDF)"}


def _missing(tool: str) -> str | None:
    """Why `tool` cannot be used here, or None when it can."""
    if tool in ("pandoc", "xelatex"):
        return None if shutil.which(tool) else f"{tool} is not installed on the server"
    if tool == "playwright":
        if importlib.util.find_spec("playwright") is None:
            return "the playwright package (pip install nbconvert[webpdf]) is not installed on the server"
        return None
    if tool == "qtwebengine":
        for name in ("PyQt6", "PyQt5"):
            if importlib.util.find_spec(name) is not None:
                return None
        return "Qt WebEngine (PyQt) is not installed on the server"
    return None


@lru_cache(maxsize=1)
def export_formats() -> list[dict[str, object]]:
    """Every nbconvert exporter with its label, file extension, mime type and availability."""
    from nbconvert.exporters import get_export_names, get_exporter

    formats: list[dict[str, object]] = []
    for name in get_export_names():
        try:
            cls = get_exporter(name)
            exporter = cls()
            extension = str(getattr(exporter, "file_extension", "") or "")
            mimetype = str(getattr(exporter, "output_mimetype", "") or "")
            label = LABELS.get(name) or str(getattr(cls, "export_from_notebook", None) or name)
        except Exception as err:  # an exporter that cannot even be built
            formats.append(
                {"name": name, "label": name, "extension": "", "mimetype": "", "available": False, "reason": str(err)}
            )
            continue
        reasons = [r for r in (_missing(t) for t in NEEDS.get(name, ())) if r]
        if name == "custom":
            reasons.append("it needs a template chosen on the server")
        formats.append(
            {
                "name": name,
                "label": label,
                "extension": extension,
                "mimetype": mimetype,
                "available": not reasons,
                "reason": "; ".join(reasons),
            }
        )
    return formats


class ExportFormatsHandler(AppAPIHandler):
    """List the export formats and whether the tools each needs are installed."""

    @web.authenticated
    @authorized
    async def get(self) -> None:
        # The first listing builds every exporter (imports, entry points: seconds on a
        # cold server): off the event loop, so an export asked for at the same time
        # (the app sends both at once) is not held up behind it.
        formats = await asyncio.to_thread(export_formats)
        self.finish(json.dumps({"formats": formats}))
