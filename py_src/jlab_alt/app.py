"""The ``jlab_alt`` jupyter_server extension application and the ``jlab-alt`` command."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from jupyter_core.paths import jupyter_config_dir
from jupyter_server.extension.application import ExtensionApp, ExtensionAppJinjaMixin
from traitlets import Unicode, default

from ._version import __version__
from .assets import STATIC_DIR, FrontendManifest
from .handlers.page import PageHandler
from .handlers.settings import SettingsHandler
from .handlers.static import StaticAssetHandler
from .page_config import build_page_config
from .settings_store import SettingsStore

HERE = Path(__file__).parent


class JlabAltApp(ExtensionAppJinjaMixin, ExtensionApp):
    """jlab-alt as a jupyter_server extension.

    Routes, all under the server's ``base_url``:

    - ``jlab-alt`` and ``jlab-alt/tree/<path>``: the app page (the second opens ``path``);
    - ``jlab-alt/static/<file>``: built, content-hashed assets;
    - ``jlab-alt/api/...``: the app's JSON APIs.
    """

    name = "jlab_alt"
    app_name = "jlab-alt"
    description = "jlab-alt: a light, fast, extensible browser IDE for Jupyter notebooks."
    version = __version__
    extension_url = "/jlab-alt"
    # `jlab-alt some/notebook.ipynb` opens <base_url>jlab-alt/tree/some/notebook.ipynb.
    file_url_prefix = "/jlab-alt/tree"
    load_other_extensions = True
    template_paths = [str(HERE / "templates")]

    user_settings_dir = Unicode(
        help="Folder of the users' plugin settings (one JSON file per plugin id)."
    ).tag(config=True)

    @default("user_settings_dir")
    def _default_user_settings_dir(self) -> str:
        return str(Path(jupyter_config_dir()) / "jlab_alt" / "user-settings")

    def initialize_settings(self) -> None:
        self.settings_store = SettingsStore(Path(self.user_settings_dir))
        self._manifest: tuple[float, FrontendManifest] | None = None

    def initialize_handlers(self) -> None:
        self.handlers.extend(
            [
                (r"/jlab-alt/?", PageHandler),
                (r"/jlab-alt/tree/(.*)", PageHandler),
                (r"/jlab-alt/static/(.*)", StaticAssetHandler, {"path": [str(STATIC_DIR)]}),
                (r"/jlab-alt/api/settings/(.+)", SettingsHandler),
            ]
        )

    def frontend_manifest(self) -> FrontendManifest:
        """The built frontend's manifest, read again only when the file changes.

        Re-reading on change lets `npm run watch` rebuilds show up on reload.

        Raises:
            FrontendNotBuiltError: the package was installed without its frontend.
        """
        try:
            mtime = (STATIC_DIR / "manifest.json").stat().st_mtime
        except FileNotFoundError:
            mtime = -1.0
        if self._manifest is None or self._manifest[0] != mtime:
            self._manifest = (mtime, FrontendManifest.load(STATIC_DIR))
        return self._manifest[1]

    def page_config(self, *, tree_path: str, static_url: str) -> dict[str, Any]:
        """The page config for one load of the app page (see :mod:`jlab_alt.page_config`)."""
        return build_page_config(
            base_url=self.serverapp.base_url,
            app_version=__version__,
            tree_path=tree_path,
            static_url=static_url,
        )


def main(argv: list[str] | None = None) -> None:
    """Entry point of the ``jlab-alt`` command: start a server with the app as its page.

    Accepts every ServerApp option (``--port``, ``--ip``, ``--no-browser``,
    ``--ServerApp.base_url`` ...) and an optional path: a directory becomes the
    server root, a file is opened in the app.
    """
    JlabAltApp.launch_instance(argv)
