"""Per-user settings of frontend plugins, one JSON file per plugin id."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from .json_files import read_json_object, write_json_atomic

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
        return read_json_object(self.path_for(plugin_id)) or {}

    def write(self, plugin_id: str, settings: dict[str, Any]) -> None:
        """Replace the stored settings atomically (write a temporary file, then rename)."""
        write_json_atomic(self.path_for(plugin_id), settings)


def read_overrides(paths: list[Path], log: Any = None) -> dict[str, dict[str, Any]]:
    """Merge the site-wide ``overrides.json`` files at ``paths`` (earlier files win per key).

    Each file is ``{plugin id: {setting: value}}``, as JupyterLab's ``overrides.json``.
    A missing file is skipped; an unreadable one, or one that is not such an object, is
    skipped with an error on ``log``.
    """
    merged: dict[str, dict[str, Any]] = {}
    for path in reversed(paths):
        try:
            data = json.loads(Path(path).read_text(encoding="utf-8"))
        except FileNotFoundError:
            continue
        except (OSError, ValueError) as err:
            if log:
                log.error("jlab-alt: ignoring settings overrides %s: %s", path, err)
            continue
        if not isinstance(data, dict) or not all(isinstance(v, dict) for v in data.values()):
            if log:
                log.error("jlab-alt: ignoring settings overrides %s: not {plugin id: {setting: value}}", path)
            continue
        for plugin_id, values in data.items():
            merged.setdefault(plugin_id, {}).update(values)
    return merged
