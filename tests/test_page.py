"""The app page (``<base_url>jlab-alt`` and ``<base_url>jlab-alt/tree/<path>``) and its assets.

These tests load the page as a browser would, with the real built frontend, under
pytest-jupyter's awkward default base URL ``/a%40b/`` (and once under ``/``).
"""

from __future__ import annotations

import os
import re

import pytest

import jlab_alt
from jlab_alt.assets import STATIC_DIR, FrontendManifest
from helpers import parse_page

HASHED = re.compile(r"\.[0-9a-f]{12}\.[A-Za-z0-9]+$")
XSS_PATH = "</script><script>alert(1)</script>"


@pytest.mark.parametrize(
    ("parts", "tree_path"),
    [
        (["jlab-alt"], ""),
        (["jlab-alt/"], ""),
        (["jlab-alt", "tree", "some/dir/file.ipynb"], "some/dir/file.ipynb"),
        (["jlab-alt", "tree", "dir with space/ünïcode.ipynb"], "dir with space/ünïcode.ipynb"),
    ],
)
async def test_page_serves_page_config(jp_fetch, jp_base_url, built_frontend, parts, tree_path):
    """Each page URL answers HTML whose page config points the frontend at this
    server (baseUrl), names the document the URL opens (treePath, decoded) and the
    running version; a wrong value here means the app talks to the wrong URLs or
    opens the wrong file."""
    response = await jp_fetch(*parts)
    assert response.code == 200
    assert response.headers["Content-Type"].startswith("text/html")
    config = parse_page(response.body).page_config()
    assert config["baseUrl"] == jp_base_url
    assert config["treePath"] == tree_path
    assert config["appVersion"] == jlab_alt.__version__
    assert config["staticUrl"] == f"{jp_base_url}jlab-alt/static/"


async def test_page_config_tells_the_frontend_about_terminals(jp_fetch, jp_root_dir, built_frontend):
    """``terminalsAvailable`` (read by ``@jupyterlab/services``' terminal manager, which
    refuses to start terminals without it) follows the host, and ``serverRoot`` is the
    absolute root new terminals start under."""
    config = parse_page((await jp_fetch("jlab-alt")).body).page_config()
    assert config["terminalsAvailable"] is True
    assert os.path.isabs(config["serverRoot"])
    assert os.path.realpath(config["serverRoot"]) == str(jp_root_dir.resolve())


async def test_page_is_never_cached(jp_fetch, built_frontend):
    """The page names the current hashed assets, so a browser must refetch it after
    an upgrade instead of running a stale bundle list."""
    response = await jp_fetch("jlab-alt", "tree", "a.ipynb")
    cache_control = response.headers["Cache-Control"]
    assert "no-cache" in cache_control or "no-store" in cache_control
    assert "max-age=31536000" not in cache_control


async def test_entry_module_is_served_hashed_and_immutable(
    jp_fetch, http_server_client, jp_auth_header, jp_base_url, built_frontend
):
    """The page loads the build's entry module from <base_url>jlab-alt/static/ under
    its content-hashed name, and that URL answers the JavaScript with a one-year
    immutable (public: the same bytes for everyone) cache header, so reloads cost
    no request."""
    page = parse_page((await jp_fetch("jlab-alt")).body)
    srcs = page.module_srcs()
    prefix = f"{jp_base_url}jlab-alt/static/"
    assert srcs == [prefix + name for name in built_frontend.entry_js]
    for src in srcs:
        assert HASHED.search(src), f"{src} is not a content-hashed name"
        response = await http_server_client.fetch(src, headers=jp_auth_header)
        assert response.code == 200
        assert "javascript" in response.headers["Content-Type"]
        cache_control = response.headers["Cache-Control"]
        assert "immutable" in cache_control
        assert "max-age=31536000" in cache_control
        assert "public" in cache_control
        assert response.body == (STATIC_DIR / src[len(prefix) :]).read_bytes()


async def test_every_asset_the_page_names_loads(
    jp_fetch, http_server_client, jp_auth_header, jp_base_url, built_frontend
):
    """Every stylesheet, module preload and icon the page links resolves (a 404 here
    is an unstyled or blank app)."""
    page = parse_page((await jp_fetch("jlab-alt")).body)
    urls = (
        page.link_hrefs("stylesheet")
        + page.link_hrefs("modulepreload")
        + page.link_hrefs("icon")
        + page.module_srcs()
    )
    expected = len(built_frontend.css) + len(built_frontend.preload_js) + len(built_frontend.entry_js)
    assert len(urls) >= expected
    for url in urls:
        assert url.startswith(f"{jp_base_url}jlab-alt/static/"), url
        response = await http_server_client.fetch(url, headers=jp_auth_header, raise_error=False)
        assert response.code == 200, url


async def test_unhashed_asset_is_revalidated(jp_fetch, built_frontend):
    """Files without a content hash in their name (manifest.json) must not be
    cached for a year, or an upgrade would keep serving the old file."""
    response = await jp_fetch("jlab-alt", "static", "manifest.json")
    assert response.code == 200
    cache_control = response.headers["Cache-Control"]
    assert "no-cache" in cache_control
    assert "immutable" not in cache_control


async def test_head_of_asset_has_headers_but_no_body(
    http_server_client, jp_auth_header, jp_base_url, built_frontend
):
    """HEAD on an asset (used by caches and link checkers) answers like GET, without a body."""
    url = f"{jp_base_url}jlab-alt/static/{built_frontend.entry_js[0]}"
    response = await http_server_client.fetch(url, method="HEAD", headers=jp_auth_header)
    assert response.code == 200
    assert response.body == b""
    assert "immutable" in response.headers["Cache-Control"]


async def test_missing_asset_is_404(jp_fetch, built_frontend):
    """A stale or mistyped asset name answers 404, not the page or a server error."""
    response = await jp_fetch("jlab-alt", "static", "nope.0123456789ab.js", raise_error=False)
    assert response.code == 404


@pytest.mark.parametrize("escaped", ["%2E%2E/app.py", "%2E%2E/%2E%2E/jlab_alt/app.py", "/etc/passwd"])
async def test_static_route_does_not_serve_files_outside_the_build(
    http_server_client, jp_auth_header, jp_base_url, escaped, built_frontend
):
    """The assets route never serves files outside the build folder (the package's
    Python source, or any file on the machine)."""
    url = f"{jp_base_url}jlab-alt/static/{escaped}"
    response = await http_server_client.fetch(url, headers=jp_auth_header, raise_error=False)
    assert response.code in (403, 404), response.code
    assert b"JlabAltApp" not in response.body
    assert b"root:" not in response.body


async def test_page_never_contains_the_server_token(jp_fetch, server_token, no_auth, built_frontend):
    """The token grants full access to the server; the page must not leak it into
    the DOM (browser extensions, screenshots, saved pages), whether the user came
    with the token in the Authorization header or in the URL."""
    by_header = await jp_fetch("jlab-alt", "tree", "x.ipynb")
    by_query = await jp_fetch(
        "jlab-alt", "tree", "x.ipynb", params={"token": server_token}, headers=no_auth
    )
    for response in (by_header, by_query):
        assert response.code == 200
        assert server_token.encode() not in response.body
        assert parse_page(response.body).page_config()["treePath"] == "x.ipynb"


async def test_tree_path_cannot_inject_markup(jp_fetch, built_frontend):
    """A file name that closes the config <script> and opens another one stays data:
    it is absent from the HTML as written, no extra script appears, and the
    frontend still reads the exact name."""
    response = await jp_fetch("jlab-alt", "tree", XSS_PATH)
    assert response.code == 200
    html = response.body.decode()
    assert XSS_PATH not in html
    assert "<script>alert(1)" not in html
    page = parse_page(html)
    assert page.page_config()["treePath"] == XSS_PATH
    assert not any("alert(1)" in s.text for s in page.scripts() if s.attrs.get("id") is None)
    normal = parse_page((await jp_fetch("jlab-alt")).body)
    assert len(page.scripts()) == len(normal.scripts())


def test_build_manifest_names_existing_hashed_files(built_frontend: FrontendManifest):
    """Every file the manifest tells the page to load exists in the installed build,
    and the JS/CSS ones are content-hashed (so the immutable cache is safe)."""
    assert built_frontend.entry_js, "the build names no entry module"
    for name in [*built_frontend.entry_js, *built_frontend.preload_js, *built_frontend.css]:
        assert (STATIC_DIR / name).is_file(), name
        assert HASHED.search(name), f"{name} is not content-hashed"
    for name in built_frontend.import_map.values():
        assert (STATIC_DIR / name).is_file(), name


class TestRootBaseUrl:
    """The common case: a server at ``/`` (``jupyter server`` with default options)."""

    @pytest.fixture
    def jp_base_url(self) -> str:
        return "/"

    async def test_page_and_entry_under_root_base_url(
        self, jp_fetch, http_server_client, jp_auth_header, built_frontend
    ):
        """At base URL ``/`` the page config says ``/`` and the entry module loads
        from ``/jlab-alt/static/``."""
        response = await jp_fetch("jlab-alt", "tree", "nb.ipynb")
        page = parse_page(response.body)
        config = page.page_config()
        assert config["baseUrl"] == "/"
        assert config["treePath"] == "nb.ipynb"
        src = page.module_srcs()[0]
        assert src == "/jlab-alt/static/" + built_frontend.entry_js[0]
        asset = await http_server_client.fetch(src, headers=jp_auth_header)
        assert asset.code == 200
        assert "immutable" in asset.headers["Cache-Control"]
