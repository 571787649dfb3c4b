"""``<base_url>jlab-alt/api/workspaces/<name>``: the saved layouts."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

LAYOUT = {"version": 1, "main": {"type": "tabs", "tabs": [{"namespace": "document", "args": {"path": "a ü.ipynb"}}]}}


async def _put(jp_fetch, name: str, body, **kwargs):
    return await jp_fetch(
        "jlab-alt", "api", "workspaces", name, method="PUT",
        body=body if isinstance(body, (str, bytes)) else json.dumps(body), raise_error=False, **kwargs,
    )


async def _get(jp_fetch, name: str) -> dict:
    response = await jp_fetch("jlab-alt", "api", "workspaces", name)
    assert response.code == 200
    return json.loads(response.body)


async def test_round_trip_and_delete(jp_fetch, tmp_path: Path):
    """Never saved: null. Saved: the same object back, in ``<workspaces dir>/<name>.json``,
    with no temporary file left. Deleted: null again."""
    assert await _get(jp_fetch, "default") == {"name": "default", "layout": None}
    assert (await _put(jp_fetch, "default", {"layout": LAYOUT})).code == 204
    assert await _get(jp_fetch, "default") == {"name": "default", "layout": LAYOUT}
    files = sorted(p.name for p in (tmp_path / "workspaces").iterdir())
    assert files == ["default.json"]
    assert (await _get(jp_fetch, "other"))["layout"] is None
    response = await jp_fetch("jlab-alt", "api", "workspaces", "default", method="DELETE")
    assert response.code == 204
    assert (await _get(jp_fetch, "default"))["layout"] is None


@pytest.mark.parametrize("body", [b"{not json", b"[]", b"{}", b'{"layout": [1]}', b'{"layout": "x"}'])
async def test_bad_body_is_400_and_keeps_old_layout(jp_fetch, body):
    assert (await _put(jp_fetch, "default", {"layout": LAYOUT})).code == 204
    response = await _put(jp_fetch, "default", body)
    assert response.code == 400
    assert (await _get(jp_fetch, "default"))["layout"] == LAYOUT


async def test_corrupt_file_reads_as_none(jp_fetch, tmp_path: Path):
    """A file broken by hand does not break the page: the app starts with no layout."""
    folder = tmp_path / "workspaces"
    folder.mkdir()
    (folder / "default.json").write_text("{half", encoding="utf-8")
    assert (await _get(jp_fetch, "default"))["layout"] is None


@pytest.mark.parametrize("raw", ["..", "%2E%2E%2Fevil", "a%2Fb", ".hidden", "a%00b", "x" * 200])
async def test_bad_names_are_refused(http_server_client, jp_auth_header, jp_base_url, tmp_path, raw):
    before = {p for p in tmp_path.rglob("*")}
    url = f"{jp_base_url}jlab-alt/api/workspaces/{raw}"
    for method, body in (("GET", None), ("PUT", json.dumps({"layout": LAYOUT})), ("DELETE", None)):
        response = await http_server_client.fetch(
            url, method=method, body=body, headers=jp_auth_header, raise_error=False, follow_redirects=False
        )
        assert response.code in (400, 404), (method, raw, response.code)
    assert {p for p in tmp_path.rglob("*")} == before


async def test_anonymous_requests_are_refused(jp_fetch, no_auth):
    for method, body in (("GET", None), ("PUT", json.dumps({"layout": LAYOUT}))):
        response = await jp_fetch(
            "jlab-alt", "api", "workspaces", "default", method=method, body=body,
            headers=no_auth, raise_error=False,
        )
        assert response.code == 403, method
