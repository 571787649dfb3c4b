"""Saved layouts (workspaces) of the app, one JSON file per workspace name."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from .json_files import read_json_object, write_json_atomic

# A workspace name is one path segment: "default", "my-project", "exp_2.1".
_VALID_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$")


class InvalidWorkspaceNameError(ValueError):
    """The name cannot name a workspace file (empty, too long, or characters outside ``[A-Za-z0-9_.-]``)."""


class WorkspacesStore:
    """Store each workspace as ``<root>/<name>.json``.

    The content is the frontend's layout (``ts_src/shell/layout.ts``: a JSON object with a
    ``version``); the server keeps it as is and checks only that it is an object.

    Args:
        root: The folder holding the files; created on first write.
    """

    def __init__(self, root: Path) -> None:
        self.root = Path(root)

    def path_for(self, name: str) -> Path:
        """The file of workspace ``name``.

        Raises:
            InvalidWorkspaceNameError: ``name`` is not 1-128 characters of ``[A-Za-z0-9_.-]``
                starting with a letter or digit.
        """
        if not _VALID_NAME.fullmatch(name):
            raise InvalidWorkspaceNameError(f"Not a valid workspace name: {name!r}")
        return self.root / f"{name}.json"

    def read(self, name: str) -> dict[str, Any] | None:
        """The saved workspace, or None when there is none (or the file is not a JSON object)."""
        # A corrupt layout (a crash mid-edit by hand): start empty rather than fail the page.
        return read_json_object(self.path_for(name), invalid_ok=True)

    def write(self, name: str, layout: dict[str, Any]) -> None:
        """Replace workspace ``name`` atomically."""
        write_json_atomic(self.path_for(name), layout)

    def delete(self, name: str) -> bool:
        """Remove workspace ``name``; False when there was none."""
        path = self.path_for(name)
        try:
            path.unlink()
        except FileNotFoundError:
            return False
        return True
