"""Shared fixtures: a jupyter_server with the ``jlab_alt`` extension, per test.

The server fixtures come from pytest-jupyter (``jp_serverapp``, ``jp_fetch`` ...).
Its default ``jp_base_url`` is ``/a%40b/``: every server test therefore also checks
that jlab-alt works under a non-root base URL that needs URL escaping.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from jlab_alt.assets import STATIC_DIR, FrontendManifest

pytest_plugins = ["pytest_jupyter.jupyter_server"]


@pytest.fixture
def settings_dir(tmp_path: Path) -> Path:
    """The ``JlabAltApp.user_settings_dir`` of the test server (not created yet)."""
    return tmp_path / "user-settings"


@pytest.fixture
def jp_server_config(settings_dir: Path, tmp_path: Path) -> dict:
    """Enable jlab-alt and keep its user settings and workspaces inside the test's tmp
    folder, with no site-wide settings overrides."""
    return {
        "ServerApp": {"jpserver_extensions": {"jlab_alt": True}},
        "JlabAltApp": {
            "user_settings_dir": str(settings_dir),
            "workspaces_dir": str(tmp_path / "workspaces"),
            "settings_overrides_paths": [],
        },
    }


@pytest.fixture
def built_frontend() -> FrontendManifest:
    """The real built frontend (``npm run build``) that the server serves.

    Tests that render the page use the real build, never a stand-in: a missing
    build is a failure with instructions, not a skip.
    """
    if not (STATIC_DIR / "manifest.json").is_file():
        pytest.fail(
            f"The jlab-alt frontend is not built ({STATIC_DIR / 'manifest.json'} is missing). "
            "Run `npm ci && npm run build` in the repository root, then rerun the tests.",
            pytrace=False,
        )
    return FrontendManifest.load(STATIC_DIR)


@pytest.fixture
def server_token(jp_serverapp) -> str:
    """The test server's token (what a user pastes from the printed URL)."""
    return jp_serverapp.identity_provider.token


@pytest.fixture
def no_auth() -> dict[str, str]:
    """Headers that replace jp_fetch's token header with nothing: an anonymous client."""
    return {"Authorization": ""}
