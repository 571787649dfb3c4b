"""Kernelspec resources (logos) served so that an SVG logo can never run script.

A kernelspec's folder may hold ``logo-svg.svg``, and any package or user can install
a kernelspec. jupyter_server serves those files from the app's own origin with only
``frame-ancestors`` in their Content-Security-Policy, so an SVG carrying ``<script>``,
``onload=`` or ``javascript:`` links runs with the user's session when the logo URL
is opened as a page (a link, a new tab, an ``<object>``): CWE-79, the same class of
bug as JupyterLab's CVE-2021-32797/32798 for untrusted outputs.

The app itself draws logos as ``<img>`` (an image document never runs script nor
fetches external references, per the SVG Integration spec's "secure animated
mode"). This handler closes the other path: the same host route, answered by the
host's own handler, with a policy that sandboxes the response (no script, no
plugins, no forms, an opaque origin) and forbids every fetch but inline styles and
same-origin images. Registered under the host's pattern, jlab-alt's route wins
because tornado tries extension routes before the host's.
"""

from __future__ import annotations

from jupyter_server.kernelspecs.handlers import KernelSpecResourceHandler, kernel_name_regex

#: The policy for kernelspec resources (CSP Level 3; ``sandbox`` without
#: ``allow-scripts`` keeps script off even for a top-level navigation).
RESOURCE_POLICY = "; ".join(
    [
        "default-src 'none'",
        "img-src data:",
        "style-src 'unsafe-inline'",
        "sandbox",
        "frame-ancestors 'self'",
    ]
)

#: The host's route for kernelspec resources (relative to the base URL).
RESOURCE_ROUTE = r"/kernelspecs/%s/(?P<path>.*)" % kernel_name_regex


class SafeKernelSpecResourceHandler(KernelSpecResourceHandler):
    """The host's kernelspec resource handler with :data:`RESOURCE_POLICY` and
    ``X-Content-Type-Options: nosniff`` on every answer (errors included)."""

    @property
    def content_security_policy(self) -> str:  # type: ignore[override]
        return RESOURCE_POLICY

    def set_default_headers(self) -> None:
        super().set_default_headers()
        self.set_header("X-Content-Type-Options", "nosniff")
