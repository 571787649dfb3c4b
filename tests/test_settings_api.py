"""``<base_url>jlab-alt/api/settings/<plugin id>``: the frontend plugins' user settings."""

from __future__ import annotations

import json
from http.cookies import SimpleCookie
from pathlib import Path

import pytest

PLUGIN = "@jlab-alt/shell:theme"


def _files(root: Path) -> set[Path]:
    return {p for p in root.rglob("*") if p.is_file()} if root.exists() else set()


async def _get(jp_fetch, plugin_id: str) -> dict:
    response = await jp_fetch("jlab-alt", "api", "settings", plugin_id)
    assert response.code == 200
    assert response.headers["Content-Type"].startswith("application/json")
    return json.loads(response.body)


async def _put(jp_fetch, plugin_id: str, body: bytes | str, **kwargs):
    return await jp_fetch(
        "jlab-alt", "api", "settings", plugin_id, method="PUT", body=body, raise_error=False,
        **kwargs,
    )


async def test_unknown_plugin_has_empty_settings(jp_fetch, settings_dir):
    """A plugin that never saved anything reads ``{}`` (its defaults apply), and
    reading creates no file."""
    assert await _get(jp_fetch, PLUGIN) == {"id": PLUGIN, "settings": {}, "composite": {}, "schema": None}
    assert _files(settings_dir) == set()


async def test_put_then_get_round_trips(jp_fetch, settings_dir):
    """Saved settings come back unchanged (also after a reload), are stored as
    ``<settings dir>/<plugin id>.json``, and a second save replaces the first."""
    settings = {"theme": "dark", "fontSize": 14, "nested": {"list": [1, "ü", None]}}
    response = await _put(jp_fetch, PLUGIN, json.dumps({"settings": settings}))
    assert response.code == 204
    assert await _get(jp_fetch, PLUGIN) == {"id": PLUGIN, "settings": settings, "composite": settings, "schema": None}
    stored = settings_dir / "@jlab-alt" / "shell:theme.json"
    assert json.loads(stored.read_text(encoding="utf-8")) == settings

    response = await _put(jp_fetch, PLUGIN, json.dumps({"settings": {"theme": "light"}}))
    assert response.code == 204
    assert (await _get(jp_fetch, PLUGIN))["settings"] == {"theme": "light"}
    # Other plugins are independent.
    assert (await _get(jp_fetch, "other:plugin"))["settings"] == {}
    assert _files(settings_dir) == {stored}


@pytest.mark.parametrize(
    "body",
    [
        b"{not json",
        b"\xff\xfe",
        b"",
        b"[]",
        b'"settings"',
        b"{}",
        b'{"settings": [1, 2]}',
        b'{"settings": "dark"}',
        b'{"settings": null}',
    ],
)
async def test_put_with_bad_body_is_400_and_keeps_old_settings(jp_fetch, body):
    """A malformed save is refused with 400 and does not clobber what was stored."""
    assert (await _put(jp_fetch, PLUGIN, json.dumps({"settings": {"keep": True}}))).code == 204
    response = await _put(jp_fetch, PLUGIN, body)
    assert response.code == 400
    assert (await _get(jp_fetch, PLUGIN))["settings"] == {"keep": True}


@pytest.mark.parametrize(
    "raw_id",
    ["..", "../evil", "../../evil", "%2E%2E%2Fevil", "a/%2E%2E/%2E%2E/evil", "a%0A", "a%00b"],
)
async def test_bad_plugin_ids_are_refused(
    http_server_client, jp_auth_header, jp_base_url, settings_dir, tmp_path, raw_id
):
    """Ids that would leave the settings folder (``..``) or make odd file names are
    refused and write nothing anywhere."""
    settings_dir.mkdir()
    before = _files(tmp_path)
    url = f"{jp_base_url}jlab-alt/api/settings/{raw_id}"
    for method, body in (("GET", None), ("PUT", json.dumps({"settings": {"x": 1}}))):
        response = await http_server_client.fetch(
            url, method=method, body=body, headers=jp_auth_header, raise_error=False,
            follow_redirects=False,
        )
        assert not 200 <= response.code < 300, (method, response.code)
        assert response.code in (400, 404), (method, response.code)
    assert _files(tmp_path) == before


def _cookies(response) -> dict[str, str]:
    """name -> value as a browser would send it back (``coded_value``)."""
    jar = SimpleCookie()
    for header in response.headers.get_list("Set-Cookie"):
        jar.load(header)
    return {name: morsel.coded_value for name, morsel in jar.items()}


async def test_cookie_authenticated_put_needs_xsrf_token(jp_fetch, server_token, no_auth):
    """A browser logged in by cookie (the normal case after opening the printed
    URL) can save settings only when it echoes the ``_xsrf`` cookie in X-XSRFToken:
    a cross-site form or fetch that rides on the cookie alone is refused."""
    page = await jp_fetch("jlab-alt", params={"token": server_token}, headers=no_auth)
    assert page.code == 200
    cookies = _cookies(page)
    assert "_xsrf" in cookies, "the page must set the _xsrf cookie the frontend echoes"
    login = [name for name in cookies if name.startswith("username-")]
    assert login, f"no login cookie in {sorted(cookies)}"
    cookie_header = "; ".join(f"{name}={cookies[name]}" for name in [*login, "_xsrf"])
    body = json.dumps({"settings": {"theme": "dark"}})

    # The login cookie really authenticates (GET needs no XSRF token).
    read = await jp_fetch(
        "jlab-alt", "api", "settings", PLUGIN, headers={**no_auth, "Cookie": cookie_header}
    )
    assert json.loads(read.body)["settings"] == {}

    refused = await _put(jp_fetch, PLUGIN, body, headers={**no_auth, "Cookie": cookie_header})
    assert refused.code == 403
    wrong = await _put(
        jp_fetch, PLUGIN, body,
        headers={**no_auth, "Cookie": cookie_header, "X-XSRFToken": "2|00|00|00"},
    )
    assert wrong.code == 403
    assert (await _get(jp_fetch, PLUGIN))["settings"] == {}

    accepted = await _put(
        jp_fetch, PLUGIN, body,
        headers={**no_auth, "Cookie": cookie_header, "X-XSRFToken": cookies["_xsrf"]},
    )
    assert accepted.code == 204
    assert (await _get(jp_fetch, PLUGIN))["settings"] == {"theme": "dark"}
