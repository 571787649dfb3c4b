"""Pytest fixtures for jlab-alt and its extension authors (the ``pytest11`` plugin).

Server-side tests, in-process, with pytest-jupyter's server fixtures::

    pytest_plugins = ["pytest_jupyter.jupyter_server"]

    @pytest.fixture
    def jp_server_config(jlab_alt_server_config):
        return jlab_alt_server_config

    async def test_my_handler(jp_fetch):
        response = await jp_fetch("jlab-alt", "ext", "my_ext", "hello")

Browser tests (``pip install "jlab-alt[testing]"``, pytest-playwright, the system's
Chromium) with ``jlab_alt_page``::

    def test_hello(jlab_alt_page):
        jlab_alt_page.new_notebook()
        jlab_alt_page.set_cell(0, "print('hi')")
        assert jlab_alt_page.run_cell(0) == "hi"

``jlab_alt_server`` starts a real ``jlab-alt`` process per test (a fresh root, config and
runtime folder); ``jlab_alt_shared_server`` one per test module. See ``docs/testing.md``.
"""

from __future__ import annotations

import sys
from typing import Any

from .server import RunningServer, ServerStartError, start_server

__all__ = ["RunningServer", "ServerStartError", "start_server", "JlabAltPage", "DEFAULT_CHROMIUM"]

DEFAULT_CHROMIUM = "/usr/bin/chromium"
"""The browser used when neither ``--jlab-alt-chromium`` nor ``JLAB_ALT_CHROMIUM`` names one."""


def __getattr__(name: str) -> Any:
    # JlabAltPage needs Playwright: imported on use, so server-only users need not install it.
    if name == "JlabAltPage":
        from .page import JlabAltPage

        return JlabAltPage
    raise AttributeError(name)


if "pytest" in sys.modules:
    # pytest loads this package as its plugin (the pytest11 entry point): the hooks and
    # fixtures must be attributes here. Without pytest (the launcher, a script) they are
    # not needed, and importing pytest would slow every server start by ~0.2 s.
    from .plugin import *  # noqa: E402,F401,F403
