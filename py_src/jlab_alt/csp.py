"""The Content-Security-Policy of the app page.

As strict as the app allows: scripts only from this server (plus the page's one
inline script, the import map, allowed by its hash), no ``eval``, no plugins, no
framing by other sites, connections only to this server (HTTP and WebSocket).
Styles allow inline ``style`` attributes and ``<style>`` elements, which CodeMirror,
dockview and KaTeX create at runtime. Images may be ``data:`` and ``blob:`` URLs
(notebook outputs carry their images inline).
"""

from __future__ import annotations

import base64
import hashlib


def script_hash(text: str) -> str:
    """The CSP source expression allowing one inline script: ``'sha256-<base64>'``."""
    digest = hashlib.sha256(text.encode("utf-8")).digest()
    return f"'sha256-{base64.b64encode(digest).decode('ascii')}'"


def page_policy(*, inline_scripts: list[str], report_uri: str) -> str:
    """The policy for the app page.

    Args:
        inline_scripts: The exact text of each executable inline ``<script>`` (the
            import map); each is allowed by its hash. JSON data scripts need nothing.
        report_uri: Where browsers report violations (jupyter_server's CSP report API).
    """
    scripts = " ".join(["'self'", *(script_hash(s) for s in inline_scripts)])
    return "; ".join(
        [
            "default-src 'self'",
            f"script-src {scripts}",
            "style-src 'self' 'unsafe-inline'",
            "img-src 'self' data: blob:",
            "font-src 'self' data:",
            "connect-src 'self' ws: wss:",
            "media-src 'self' data: blob:",
            "worker-src 'self' blob:",
            "frame-src 'self' blob:",
            "object-src 'none'",
            "base-uri 'self'",
            "form-action 'self'",
            "frame-ancestors 'self'",
            f"report-uri {report_uri}",
        ]
    )
