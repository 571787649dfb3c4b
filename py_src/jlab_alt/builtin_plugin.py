"""The server-side plugin of jlab-alt's own features, on the same hooks as extensions.

It declares the settings schemas of the built-in frontend plugins, so their settings
are validated like any extension's. The schemas live beside the TypeScript that reads
them (``ts_src/<feature>/schema.json``); the build merges them into
``static/schemas.json``, read here.
"""

from __future__ import annotations

import json
from typing import Any

from .assets import STATIC_DIR
from .hookspecs import hookimpl


def load_schemas() -> dict[str, dict[str, Any]]:
    """``{plugin id: JSON Schema}`` of the built-in plugins; ``{}`` when the frontend is not built."""
    try:
        data = json.loads((STATIC_DIR / "schemas.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


@hookimpl
def jlab_alt_settings_schemas() -> dict[str, dict[str, Any]]:
    return load_schemas()
