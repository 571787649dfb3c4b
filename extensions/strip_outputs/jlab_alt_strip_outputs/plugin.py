"""Hook implementations of the strip_outputs extension."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from jlab_alt import hookimpl

PLUGIN_ID = "strip_outputs:plugin"

SCHEMA = {
    "title": "Strip outputs on save",
    "type": "object",
    "properties": {
        "stripOutputs": {
            "type": "boolean",
            "default": False,
            "description": "Remove outputs and execution counts from notebooks when saving them.",
        }
    },
    "additionalProperties": False,
}


def strip_notebook(nb: dict[str, Any]) -> None:
    """Remove outputs and execution counts of every code cell of ``nb`` (nbformat 4), in place."""
    for cell in nb.get("cells", []):
        if cell.get("cell_type") == "code":
            cell["outputs"] = []
            cell["execution_count"] = None


@hookimpl
def jlab_alt_settings_schemas():
    return {PLUGIN_ID: SCHEMA}


@hookimpl
def jlab_alt_pre_save(model, app):
    if model.get("type") != "notebook" or not isinstance(model.get("content"), dict):
        return
    if app.read_settings(PLUGIN_ID).get("stripOutputs"):
        strip_notebook(model["content"])


@hookimpl
def jlab_alt_frontend():
    return {"static": str(Path(__file__).parent / "static"), "entry": "index.js"}
