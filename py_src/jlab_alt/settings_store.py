"""Per-user settings of frontend plugins, one JSON file per plugin id."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from typing import Any

# Plugin ids look like "@jlab-alt/shell:theme" or "my_ext:plugin".
_VALID_ID = re.compile(r"^[A-Za-z0-9@_.:-]+(/[A-Za-z0-9@_.:-]+)*$")


class InvalidSettingsIdError(ValueError):
    """The plugin id cannot name a settings file (bad characters or ``..``)."""


class SettingsStore:
    """Store settings as ``<root>/<plugin id>.json`` (the id's ``/`` makes folders).

    Args:
        root: The folder holding the files; created on first write.
    """

    def __init__(self, root: Path) -> None:
        self.root = Path(root)

    def path_for(self, plugin_id: str) -> Path:
        """The file holding ``plugin_id``'s settings.

        Raises:
            InvalidSettingsIdError: ``plugin_id`` has characters outside
                ``[A-Za-z0-9@_.:-/]``, an empty or ``..`` segment.
        """
        # fullmatch: with match(), ``$`` also accepts a trailing newline ("a\n").
        if not _VALID_ID.fullmatch(plugin_id) or any(
            part in ("", ".", "..") for part in plugin_id.split("/")
        ):
            raise InvalidSettingsIdError(f"Not a valid plugin id: {plugin_id!r}")
        return self.root.joinpath(*plugin_id.split("/")).with_name(
            plugin_id.split("/")[-1] + ".json"
        )

    def read(self, plugin_id: str) -> dict[str, Any]:
        """The stored settings object, ``{}`` when none or when the file is not an object."""
        path = self.path_for(plugin_id)
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return {}
        return data if isinstance(data, dict) else {}

    def write(self, plugin_id: str, settings: dict[str, Any]) -> None:
        """Replace the stored settings atomically (write a temporary file, then rename)."""
        path = self.path_for(plugin_id)
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".json.tmp")
        tmp.write_text(json.dumps(settings, indent=2, sort_keys=True) + "\n", encoding="utf-8")
        os.replace(tmp, path)
