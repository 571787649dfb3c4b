"""The server-side plugin of jlab-alt's own features, on the same hooks as extensions.

It declares the settings schemas of the built-in frontend plugins, so their settings
are validated like any extension's.
"""

from __future__ import annotations

from typing import Any

from .hookspecs import hookimpl

SCHEMAS: dict[str, dict[str, Any]] = {
    "@jlab-alt/theme:plugin": {
        "title": "Theme",
        "type": "object",
        "properties": {
            "preference": {
                "enum": ["light", "dark", "system"],
                "default": "system",
                "description": "Light, dark, or follow the system's preference.",
            }
        },
        "additionalProperties": False,
    },
    "@jlab-alt/notebook:plugin": {
        "title": "Notebook",
        "type": "object",
        "properties": {
            "autosave": {"type": "boolean", "default": True, "description": "Save notebooks with unsaved changes periodically."},
            "autosaveInterval": {
                "type": "number",
                "minimum": 5,
                "default": 120,
                "description": "Seconds between autosaves.",
            },
        },
        "additionalProperties": False,
    },
    # Code consoles (console helper)
    "@jlab-alt/console:plugin": {
        "title": "Code Console",
        "type": "object",
        "properties": {
            "runOnEnter": {
                "type": "boolean",
                "default": False,
                "description": "Enter runs the input when the kernel says it is complete (Shift+Enter always runs).",
            },
            "showAllKernelActivity": {
                "type": "boolean",
                "default": False,
                "description": "Show code run in the console's kernel by other clients (e.g. the notebook's cells).",
            },
            "maxLogCells": {
                "type": "integer",
                "minimum": 10,
                "default": 500,
                "description": "Most runs kept in a console's log; older ones are removed.",
            },
        },
        "additionalProperties": False,
    },
}


@hookimpl
def jlab_alt_settings_schemas() -> dict[str, dict[str, Any]]:
    return SCHEMAS
