"""The page config: the JSON the app page embeds for the frontend to read at start.

It is written into ``<script id="jupyter-config-data" type="application/json">`` (the
element ``@jupyterlab/services``' ``PageConfig`` reads), so the services connect to the
right base URL. It never holds the server token: the browser authenticates with the
login cookie jupyter_server sets, and mutating requests carry the ``_xsrf`` cookie's
value in ``X-XSRFToken``.
"""

from __future__ import annotations

import json
from typing import Any

from jupyter_server.utils import url_path_join


def build_page_config(
    *,
    base_url: str,
    app_version: str,
    tree_path: str,
    static_url: str,
    extra: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """Assemble the page config for one page load.

    Args:
        base_url: The server's ``base_url``, with leading and trailing slash (``"/"``).
        app_version: jlab-alt's version string.
        tree_path: The document to open, relative to the server root, ``""`` for none;
            API-style path with ``/`` separators, not URL-escaped.
        static_url: Absolute URL path of the hashed assets folder, ending in ``/``.
        extra: Further keys merged last (for later features and plugins).

    Returns:
        A JSON-serialisable dict. Keys follow JupyterLab's names where one exists
        (``baseUrl``, ``appVersion``, ``treePath``) so ``@jupyterlab/services`` works.
    """
    config: dict[str, Any] = {
        "appName": "jlab-alt",
        "appVersion": app_version,
        "baseUrl": base_url,
        "appUrl": url_path_join(base_url, "jlab-alt"),
        "apiUrl": url_path_join(base_url, "jlab-alt", "api"),
        "staticUrl": static_url,
        "treePath": tree_path,
    }
    if extra:
        config.update(extra)
    return config


def to_script_json(value: Any) -> str:
    """Serialise ``value`` as JSON that is safe inside an HTML ``<script>`` element.

    ``<``, ``>`` and ``&`` are written as ``\\u003c`` etc. so no string in the data (a
    file name such as ``</script><script>...``) can close the element or open markup.
    """
    text = json.dumps(value, sort_keys=True, ensure_ascii=False)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
