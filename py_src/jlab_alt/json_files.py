"""Reading and writing the small JSON files jlab-alt keeps (settings, workspaces)."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any


def read_json_object(path: Path, *, invalid_ok: bool = False) -> dict[str, Any] | None:
    """The JSON object stored at ``path``; None when the file is missing or holds JSON
    that is not an object.

    Args:
        invalid_ok: Also None when the file is not JSON at all (half-written by hand),
            for files the app can do without; otherwise that raises, so a later write
            does not silently replace what the user wrote.

    Raises:
        ValueError: the file is not JSON (unless ``invalid_ok``).
        OSError: the file exists but cannot be read (permissions).
    """
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    except ValueError:
        if invalid_ok:
            return None
        raise
    return data if isinstance(data, dict) else None


def write_json_atomic(path: Path, data: Any) -> None:
    """Write ``data`` as JSON to ``path`` so readers see the old or the new file, never half.

    Writes ``<path>.tmp`` beside it (creating the folders), then renames it over ``path``.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(json.dumps(data, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    os.replace(tmp, path)
