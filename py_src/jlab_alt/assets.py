"""The built frontend, as described by the ``manifest.json`` that webpack writes.

The build (``npm run build``) emits content-hashed files into ``jlab_alt/static`` and a
manifest naming the files the first paint needs. The page handler reads the manifest
once per server to write ``<script>``/``<link>`` tags, so the HTML names the exact
hashed files and the files themselves can be cached forever.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

#: Where the build puts the frontend inside the installed package.
STATIC_DIR = Path(__file__).parent / "static"


class FrontendNotBuiltError(RuntimeError):
    """The package holds no built frontend (``static/manifest.json`` is missing)."""


@dataclass(frozen=True)
class FrontendManifest:
    """Files of the built frontend, relative to :data:`STATIC_DIR`.

    Attributes:
        entry_js: ES modules to run, in order (``<script type="module">``).
        preload_js: Further modules the entry imports statically (``modulepreload``).
        css: Stylesheets the first paint needs, in order.
        import_map: Bare module specifiers (``"@codemirror/state"``) mapped to files;
            written into the page's import map so extensions share one copy.
    """

    entry_js: list[str]
    preload_js: list[str] = field(default_factory=list)
    css: list[str] = field(default_factory=list)
    import_map: dict[str, str] = field(default_factory=dict)

    @classmethod
    def load(cls, static_dir: Path = STATIC_DIR) -> "FrontendManifest":
        """Read ``manifest.json`` from ``static_dir``.

        Raises:
            FrontendNotBuiltError: the manifest is missing (the frontend was not built).
            ValueError: the manifest is not the JSON object the build writes.
        """
        path = static_dir / "manifest.json"
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError as err:
            raise FrontendNotBuiltError(
                f"The jlab-alt frontend is not built: {path} is missing. "
                "Install with `pip install .` (which runs the npm build) or run `npm run build`."
            ) from err
        if not isinstance(data, dict) or not isinstance(data.get("entry_js"), list):
            raise ValueError(f"{path} is not a jlab-alt build manifest")
        return cls(
            entry_js=list(data["entry_js"]),
            preload_js=list(data.get("preload_js", [])),
            css=list(data.get("css", [])),
            import_map=dict(data.get("import_map", {})),
        )
