"""No jlab-alt route serves a file outside its folder: ``..`` however encoded,
absolute paths, encoded slashes and symlinks that leave the folder are all refused.

The requests go through tornado's HTTP client, which sends the path as written: no
client normalizes the ``..`` segments away before the server sees them.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from tornado.httpclient import AsyncHTTPClient

from jlab_alt.handlers.static import find_inside

SECRET = "jlab-alt-traversal-secret-7f3a"


@pytest.fixture
def secret_file(tmp_path: Path) -> Path:
    """A file outside every served folder, whose content must never come back."""
    path = tmp_path / "secret.txt"
    path.write_text(SECRET, encoding="utf-8")
    return path


async def _raw_get(port: int, target: str, token: str) -> tuple[int, bytes]:
    # tornado's client sends the path as written (no dot-segment removal, no re-encoding).
    response = await AsyncHTTPClient().fetch(
        f"http://127.0.0.1:{port}{target}",
        headers={"Authorization": f"token {token}"},
        raise_error=False,
        follow_redirects=False,
        request_timeout=30,
    )
    return response.code, response.body or b""


def _vectors(prefix: str, secret: Path) -> list[str]:
    up = "../" * 12
    rel = secret.as_posix().lstrip("/")
    return [
        f"{prefix}{up}{rel}",
        f"{prefix}{up.replace('..', '%2e%2e')}{rel}",
        f"{prefix}{up.replace('..', '%2E%2E')}{rel}",
        f"{prefix}{up.replace('/', '%2f')}{rel.replace('/', '%2f')}",
        f"{prefix}..%5c..%5c..%5c{rel}",
        f"{prefix}%2f{rel.replace('/', '%2f')}",
        f"{prefix}/{rel}",
        f"{prefix}{secret.as_posix()}",
        f"{prefix}.%2e/.%2e/.%2e/.%2e/.%2e/.%2e/.%2e/.%2e/.%2e/.%2e/{rel}",
        f"{prefix}%252e%252e/%252e%252e/%252e%252e/{rel}",
        f"{prefix}index.js/{up}{rel}",
    ]


async def test_static_and_extension_routes_refuse_traversal(
    http_server_client, jp_http_port, jp_base_url, server_token, secret_file, built_frontend
):
    """``/jlab-alt/static/`` and ``/jlab-alt/ext/<name>/static/`` answer 4xx to every
    traversal attempt and never return the outside file, while their own files load.
    (``http_server_client`` makes pytest-jupyter serve on ``jp_http_port``.)"""
    for prefix in (f"{jp_base_url}jlab-alt/static/", f"{jp_base_url}jlab-alt/ext/plotly/static/"):
        for target in _vectors(prefix, secret_file):
            status, body = await _raw_get(jp_http_port, target, server_token)
            assert 400 <= status < 500, (target, status)
            assert SECRET.encode() not in body, target
    status, body = await _raw_get(jp_http_port, f"{jp_base_url}jlab-alt/ext/plotly/static/index.js", server_token)
    assert status == 200 and body
    entry = built_frontend.entry_js[0]
    status, body = await _raw_get(jp_http_port, f"{jp_base_url}jlab-alt/static/{entry}", server_token)
    assert status == 200 and body


def test_symlinks_leaving_a_static_folder_find_nothing(tmp_path: Path, secret_file: Path):
    """A symlink inside an asset folder that points outside it (a file or a folder)
    is never followed; symlinks that stay inside are."""
    root = tmp_path / "static"
    (root / "sub").mkdir(parents=True)
    (root / "sub" / "ok.js").write_text("ok", encoding="utf-8")
    os.symlink(secret_file, root / "leak.txt")
    os.symlink(secret_file.parent, root / "outside")
    os.symlink(root / "sub" / "ok.js", root / "alias.js")
    assert find_inside([str(root)], "leak.txt") is None
    assert find_inside([str(root)], "outside/secret.txt") is None
    assert find_inside([str(root)], "../secret.txt") is None
    assert find_inside([str(root)], str(secret_file)) is None
    assert find_inside([str(root)], "sub/../../secret.txt") is None
    assert find_inside([str(root)], "sub/ok.js") == str(root / "sub" / "ok.js")
    assert find_inside([str(root)], "alias.js") == str(root / "alias.js")
    assert find_inside([str(root)], "sub") is None  # folders are not files
