"""The export-formats API: nbconvert's exporters, with the missing tools named."""

from __future__ import annotations

import json
import shutil

from jlab_alt.handlers import export


async def test_lists_nbconvert_exporters_with_availability(jp_fetch):
    response = await jp_fetch("jlab-alt", "api", "export-formats")
    formats = {f["name"]: f for f in json.loads(response.body)["formats"]}
    for name in ("html", "markdown", "script", "notebook"):
        assert formats[name]["available"] is True, formats[name]
    assert formats["html"]["extension"] == ".html"
    pdf = formats["pdf"]
    if not shutil.which("xelatex"):
        assert pdf["available"] is False
        assert "xelatex" in pdf["reason"]


def test_missing_tools_are_named(monkeypatch):
    monkeypatch.setattr(export.shutil, "which", lambda tool: None)
    assert "pandoc" in (export._missing("pandoc") or "")
    monkeypatch.setattr(export.importlib.util, "find_spec", lambda name: None)
    assert "playwright" in (export._missing("playwright") or "")
