"""``jlab-alt extension new NAME``: write a pip-installable extension project.

The project has a ``pyproject.toml`` registering the ``jlab_alt`` entry point, a
Python module with hook implementations (a handler and the frontend declaration),
a plain ES-module frontend (no Node or bundler needed) server tests and a browser test (``jlab_alt_page``).
"""

from __future__ import annotations

import re
from pathlib import Path
from string import Template

from .._version import __version__

TEMPLATE_DIR = Path(__file__).parent / "template"
_NAME = re.compile(r"^[a-z][a-z0-9_]{1,40}$")


class ScaffoldError(ValueError):
    """The name is not usable or the target folder is not empty."""


def create_extension(name: str, target: Path) -> Path:
    """Write a new extension project called ``name`` into ``target``.

    Args:
        name: Python package name and entry-point name: lower case letters, digits and
            ``_``, starting with a letter (``my_status``).
        target: Folder to create; must not exist or be empty.

    Returns:
        The project folder.

    Raises:
        ScaffoldError: the name is invalid or ``target`` holds files.
    """
    if not _NAME.match(name):
        raise ScaffoldError(
            f"{name!r} is not a valid extension name: use lower case letters, digits and _, "
            "starting with a letter (e.g. my_status)"
        )
    if target.exists() and any(target.iterdir()):
        raise ScaffoldError(f"{target} already exists and is not empty")
    values = {
        "name": name,
        "dist": name.replace("_", "-"),
        "title": name.replace("_", " ").title(),
        "jlab_alt_version": __version__,
    }
    for source in sorted(TEMPLATE_DIR.rglob("*.tmpl")):
        rel = source.relative_to(TEMPLATE_DIR).with_suffix("")
        dest = target / Path(*(part.replace("__name__", name) for part in rel.parts))
        dest.parent.mkdir(parents=True, exist_ok=True)
        dest.write_text(Template(source.read_text(encoding="utf-8")).substitute(values), encoding="utf-8")
    return target
