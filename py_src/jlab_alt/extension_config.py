"""Which extensions and plugins are disabled: the ``disabledExtensions`` setting.

Stored as ``{"disabledExtensions": [name, ...]}`` in ``<jupyter config dir>/jlab_alt/
extensions.json``; a name is an extension's distribution entry-point name
(``server_info``) or a frontend plugin id (``@jlab-alt/filebrowser:plugin``).
``jlab-alt extension enable|disable`` edits it; the ``JLAB_ALT_DISABLE`` environment
variable (comma-separated names) disables more for one run, to debug a broken install.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from jupyter_core.paths import jupyter_config_dir

ENV_DISABLE = "JLAB_ALT_DISABLE"


def default_config_path() -> Path:
    """``<jupyter config dir>/jlab_alt/extensions.json`` (honours ``JUPYTER_CONFIG_DIR``)."""
    return Path(jupyter_config_dir()) / "jlab_alt" / "extensions.json"


def read_disabled(path: Path | None = None) -> list[str]:
    """The names disabled in the config file, then those of ``JLAB_ALT_DISABLE``.

    A missing file disables nothing. Raises ``ValueError`` with the file's path when the
    file is not the expected JSON object, rather than silently enabling everything.
    """
    path = path or default_config_path()
    names: list[str] = []
    if path.exists():
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except ValueError as err:
            raise ValueError(f"{path} is not valid JSON: {err}") from err
        listed = data.get("disabledExtensions", []) if isinstance(data, dict) else None
        if not isinstance(listed, list) or not all(isinstance(n, str) for n in listed):
            raise ValueError(f'{path} must hold {{"disabledExtensions": ["name", ...]}}')
        names.extend(listed)
    for name in os.environ.get(ENV_DISABLE, "").split(","):
        if name.strip() and name.strip() not in names:
            names.append(name.strip())
    return names


def set_enabled(name: str, enabled: bool, path: Path | None = None) -> bool:
    """Enable or disable ``name`` in the config file.

    Returns:
        True when the file changed, False when ``name`` already had that state.

    Raises:
        ValueError: the file is not a JSON object (it is left as it is).
    """
    path = path or default_config_path()
    data: dict = {}
    if path.exists():
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except ValueError as err:
            raise ValueError(f"{path} is not valid JSON: {err}") from err
        if not isinstance(data, dict):
            raise ValueError(f'{path} must hold {{"disabledExtensions": ["name", ...]}}')
    disabled = [n for n in data.get("disabledExtensions", []) if isinstance(n, str)]
    if enabled == (name not in disabled):
        return False
    disabled = [n for n in disabled if n != name] if enabled else [*disabled, name]
    data["disabledExtensions"] = disabled
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".json.tmp")
    tmp.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
    os.replace(tmp, path)
    return True
