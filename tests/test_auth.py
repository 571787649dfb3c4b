"""Every jlab-alt route is behind jupyter_server's login and authorizer, except the
build's content-hashed assets.

An anonymous request must not get the page, the build manifest or a setting; a
logged-in user whom the server's Authorizer denies the ``jlab_alt`` resource must not
either. Hashed assets are public, as JupyterLab's are: behind JupyterHub >= 4.1 the
browser's own module-script, chunk and font requests carry no X-XSRFToken and would
be refused (see ``jlab_alt/handlers/static.py``).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from jupyter_server.auth.authorizer import Authorizer

from jlab_alt.assets import STATIC_DIR

PAGE_ROUTES = [["jlab-alt"], ["jlab-alt/"], ["jlab-alt", "tree", "some/dir/file.ipynb"]]


class DenyJlabAlt(Authorizer):
    """Allows everything on the server except the ``jlab_alt`` resource."""

    def is_authorized(self, handler, user, action, resource):  # noqa: ANN001, ANN201
        return resource != "jlab_alt"


def _all_files(root: Path) -> set[Path]:
    return {p for p in root.rglob("*") if p.is_file()} if root.exists() else set()


@pytest.mark.parametrize("parts", PAGE_ROUTES)
async def test_anonymous_page_request_goes_to_login(jp_fetch, no_auth, parts, built_frontend):
    """Opening the app without being logged in sends the browser to the login page
    (or refuses), never to the app page."""
    response = await jp_fetch(
        *parts, headers=no_auth, raise_error=False, follow_redirects=False
    )
    if response.code == 302:
        assert "login" in response.headers["Location"]
    else:
        assert response.code == 403
    assert b"jupyter-config-data" not in response.body


async def test_anonymous_hashed_asset_is_served(jp_fetch, no_auth, built_frontend):
    """A content-hashed bundle is public (the browser fetches module scripts without
    the XSRF header JupyterHub requires), with a public immutable cache header."""
    name = built_frontend.entry_js[0]
    response = await jp_fetch("jlab-alt", "static", name, headers=no_auth, follow_redirects=False)
    assert response.code == 200
    assert response.body == (STATIC_DIR / name).read_bytes()
    assert "public" in response.headers["Cache-Control"]


@pytest.mark.parametrize("name", ["manifest.json", "builtins.json"])
async def test_anonymous_unhashed_build_file_leaks_nothing(
    jp_fetch, no_auth, name, built_frontend
):
    """Build files that are not content-hashed stay behind login: an anonymous request
    for the manifest gets no file content."""
    body = (STATIC_DIR / name).read_bytes()
    for method in ("GET", "HEAD"):
        response = await jp_fetch(
            "jlab-alt", "static", name,
            method=method, headers=no_auth, raise_error=False, follow_redirects=False,
        )
        assert response.code != 200, method
        assert response.code in (302, 403), (method, response.code)
        if response.code == 302:
            assert "login" in response.headers["Location"]
        assert body[:200] not in response.body


async def test_anonymous_settings_requests_are_refused(jp_fetch, no_auth, settings_dir):
    """Anonymous clients can neither read nor write plugin settings: both answer 403
    (an API never redirects to a login page) and nothing is stored."""
    plugin = "@jlab-alt/shell:theme"
    (settings_dir / "@jlab-alt").mkdir(parents=True)
    (settings_dir / "@jlab-alt" / "shell:theme.json").write_text('{"theme": "secret"}')
    before = _all_files(settings_dir)

    response = await jp_fetch(
        "jlab-alt", "api", "settings", plugin,
        headers=no_auth, raise_error=False, follow_redirects=False,
    )
    assert response.code == 403
    assert b"secret" not in response.body

    response = await jp_fetch(
        "jlab-alt", "api", "settings", plugin,
        method="PUT", body=json.dumps({"settings": {"theme": "evil"}}),
        headers=no_auth, raise_error=False, follow_redirects=False,
    )
    assert response.code == 403
    assert _all_files(settings_dir) == before
    assert "secret" in (settings_dir / "@jlab-alt" / "shell:theme.json").read_text()


class TestAuthorizerDeniesJlabAlt:
    """A deployment whose Authorizer refuses the ``jlab_alt`` resource (e.g. a
    JupyterHub role without the app) gets 403 on every jlab-alt route, while the rest
    of the server keeps working for the same user."""

    @pytest.fixture
    def jp_server_config(self, jp_server_config):
        jp_server_config["ServerApp"]["authorizer_class"] = DenyJlabAlt
        return jp_server_config

    async def test_server_itself_still_answers(self, jp_fetch):
        """Sanity check of the set-up: the user is logged in and authorized elsewhere."""
        response = await jp_fetch("api", "contents")
        assert response.code == 200

    @pytest.mark.parametrize("parts", PAGE_ROUTES)
    async def test_page_routes_are_forbidden(self, jp_fetch, parts, built_frontend):
        """The app page is refused, not rendered."""
        response = await jp_fetch(*parts, raise_error=False, follow_redirects=False)
        assert response.code == 403
        assert b"jupyter-config-data" not in response.body

    async def test_unhashed_build_files_are_forbidden(self, jp_fetch, built_frontend):
        """The build manifest is refused (hashed bundles are public, see the module doc)."""
        name = "manifest.json"
        response = await jp_fetch(
            "jlab-alt", "static", name, raise_error=False, follow_redirects=False
        )
        assert response.code == 403
        assert (STATIC_DIR / name).read_bytes()[:200] not in response.body

    async def test_settings_are_forbidden(self, jp_fetch, settings_dir):
        """Settings can be neither read nor written."""
        plugin = "@jlab-alt/shell:theme"
        response = await jp_fetch(
            "jlab-alt", "api", "settings", plugin, raise_error=False, follow_redirects=False
        )
        assert response.code == 403
        response = await jp_fetch(
            "jlab-alt", "api", "settings", plugin,
            method="PUT", body=json.dumps({"settings": {"a": 1}}),
            raise_error=False, follow_redirects=False,
        )
        assert response.code == 403
        assert _all_files(settings_dir) == set()
