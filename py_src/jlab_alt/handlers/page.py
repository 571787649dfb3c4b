"""The app page: ``/jlab-alt`` and ``/jlab-alt/tree/<path>``."""

from __future__ import annotations

from typing import Any

from jupyter_server.auth.decorator import authorized
from jupyter_server.extension.handler import ExtensionHandlerJinjaMixin
from jupyter_server.utils import url_path_join
from tornado import web

from ..csp import merge_policies, page_policy
from ..page_config import to_script_json
from .base import AppHandler


class PageHandler(ExtensionHandlerJinjaMixin, AppHandler):
    """Serve the single HTML page of the app; ``tree_path`` names a document to open.

    The page is never cached (it names the current hashed assets); the assets are.
    """

    @web.authenticated
    @authorized
    def get(self, tree_path: str = "") -> None:
        app = self.extensionapp
        manifest = app.frontend_manifest()
        static = url_path_join(self.base_url, "jlab-alt", "static") + "/"
        config = app.page_config(tree_path=tree_path.strip("/"), static_url=static)
        config = apply_page_config_hook(self, config)
        import_map = {"imports": {k: static + v for k, v in manifest.import_map.items()}}
        import_map_json = to_script_json(import_map)
        self.set_header("Cache-Control", "no-cache, no-store, must-revalidate")
        # A policy the operator (or JupyterHub, which sets frame-ancestors 'none') put in
        # ServerApp.tornado_settings["headers"] is merged in, directive by directive.
        self.set_header(
            "Content-Security-Policy",
            merge_policies(
                page_policy(
                    inline_scripts=[import_map_json],
                    report_uri=url_path_join(self.base_url, "api", "security", "csp-report"),
                ),
                self.settings.get("headers", {}).get("Content-Security-Policy"),
            ),
        )
        # Reading xsrf_token sets the _xsrf cookie, which the frontend echoes in
        # X-XSRFToken on PUT/POST/DELETE (the page itself never holds the token).
        self.xsrf_token  # noqa: B018
        # Not self.render_template(): it merges the host's template namespace over
        # these values (its ``static_url`` is a method, so every asset URL became
        # "<bound method ...>"), and that namespace also carries the server token.
        self.write(
            self.get_template("page.html").render(
                static_url=static,
                entry_js=manifest.entry_js,
                preload_js=manifest.preload_js,
                css=manifest.css,
                extension_css=app.extension_css_urls(),
                page_config_json=to_script_json(config),
                import_map_json=import_map_json,
            )
        )


#: Page-config keys a host's ``page_config_hook`` may add that never reach the page.
#: JupyterHub's hook offers the server's API ``token``; the browser authenticates
#: with the hub's OAuth cookie instead, and a token in the HTML would outlive it.
SECRET_PAGE_CONFIG_KEYS = frozenset({"token"})


def apply_page_config_hook(handler: web.RequestHandler, config: dict[str, Any]) -> dict[str, Any]:
    """Let the host's ``settings["page_config_hook"]`` add to the page config.

    JupyterHub's single-user extension installs one (the same JupyterLab calls) that
    adds ``hubPrefix``, ``hubHost``, ``hubUser``, ``hubServerName`` (and ``token``,
    dropped here, see :data:`SECRET_PAGE_CONFIG_KEYS`). A hook that raises is logged
    and ignored: the page still loads, without the hub's keys.
    """
    hook = handler.settings.get("page_config_hook")
    if hook:
        try:
            result = hook(handler, dict(config))
            if isinstance(result, dict):
                config = result
        except Exception:  # noqa: BLE001 - a host's hook must not take the page down
            handler.log.exception("jlab-alt: the host's page_config_hook failed; ignored")
    return {k: v for k, v in config.items() if k not in SECRET_PAGE_CONFIG_KEYS}
