"""The Content-Security-Policy of the app page.

As strict as the app allows: scripts only from this server (plus the page's one
inline script, the import map, allowed by its hash), no ``eval``, no plugins, no
framing by other sites, connections only to this server (HTTP and WebSocket).
Styles allow inline ``style`` attributes and ``<style>`` elements, which CodeMirror,
dockview and the math typesetter (Temml) create at runtime. Images may be ``data:`` and ``blob:`` URLs
(notebook outputs carry their images inline).
"""

from __future__ import annotations

import base64
import hashlib

#: Directives whose value in jlab-alt's policy always stays as it is when merging an
#: operator's policy: they hold what keeps scripts confined (the import map's hash,
#: no ``eval``, no plugins, no ``<base>`` hijack). An operator's value for one of them
#: could only break the app (a list without the hash) or loosen it ('unsafe-inline').
KEPT_DIRECTIVES = frozenset({"script-src", "object-src", "base-uri"})


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


def parse_policy(policy: str) -> dict[str, str]:
    """Split a CSP header value into ``{directive name (lower case): source list}``.

    Follows CSP Level 3, section 2.2.1 ("parse a serialized CSP"): directives are
    separated by ``;``, names are case-insensitive, and only the first occurrence of
    a repeated directive counts. An empty source list is kept as ``""``.
    """
    directives: dict[str, str] = {}
    for part in policy.split(";"):
        tokens = part.strip().split(None, 1)
        if not tokens:
            continue
        name = tokens[0].lower()
        if name not in directives:
            directives[name] = tokens[1].strip() if len(tokens) > 1 else ""
    return directives


def merge_policies(ours: str, operator: str | None) -> str:
    """jlab-alt's page policy combined with one the host or operator configured.

    JupyterHub's single-user server puts ``frame-ancestors 'none'`` into
    ``ServerApp.tornado_settings["headers"]``; serving that alone would drop every
    script rule of the page. The result has every directive of ``ours``; a directive
    the operator also sets takes the operator's value (``frame-ancestors``,
    ``report-uri``, a stricter ``connect-src``...), except those in
    :data:`KEPT_DIRECTIVES`; directives only the operator sets are added.

    Args:
        ours: The policy from :func:`page_policy`.
        operator: The configured ``Content-Security-Policy`` value, or None/"".

    Returns:
        The merged header value, directives joined by ``"; "``.
    """
    merged = parse_policy(ours)
    for name, value in parse_policy(operator or "").items():
        if name not in KEPT_DIRECTIVES:
            merged[name] = value
    return "; ".join(f"{name} {value}".strip() for name, value in merged.items())
