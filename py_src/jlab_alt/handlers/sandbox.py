"""``/jlab-alt/sandbox``: the frame in which trusted outputs run their scripts.

The app page forbids inline scripts; a trusted notebook's HTML outputs (plotly,
bokeh, folium) need them. They run in this page instead, loaded in an
``<iframe sandbox="allow-scripts">`` (no ``allow-same-origin``): its origin is opaque,
so its scripts cannot read the app's DOM, cookies or storage, nor call the server
as the user. Its own policy allows inline scripts and loading from anywhere.
"""

from __future__ import annotations

from jupyter_server.auth.decorator import authorized
from jupyter_server.extension.handler import ExtensionHandlerJinjaMixin
from tornado import web

from .base import AppHandler

SANDBOX_POLICY = "; ".join(
    [
        "default-src 'none'",
        "script-src 'unsafe-inline' 'unsafe-eval' http: https: data: blob:",
        "style-src 'unsafe-inline' http: https: data:",
        "img-src http: https: data: blob:",
        "font-src http: https: data:",
        "media-src http: https: data: blob:",
        "connect-src http: https: ws: wss:",
        "frame-ancestors 'self'",
        "sandbox allow-scripts",
    ]
)


class SandboxHandler(ExtensionHandlerJinjaMixin, AppHandler):
    """Serve the output sandbox page (static HTML; no data from the server)."""

    @property
    def content_security_policy(self) -> str:
        return SANDBOX_POLICY

    @web.authenticated
    @authorized
    def get(self) -> None:
        self.set_header("Cache-Control", "no-cache")
        self.write(self.get_template("sandbox.html").render())
