"""The ``jlab_alt_server`` fixture that extension authors get from the pytest plugin."""

from __future__ import annotations

import json
import urllib.request

from helpers import parse_page

_OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def test_jlab_alt_server_serves_the_app_with_its_token(jlab_alt_server, built_frontend):
    """The fixture yields a server that already answers: the app page with the
    token logs in, the API answers, and the root is the folder the test writes to."""
    (jlab_alt_server.root / "hello.txt").write_text("hi", encoding="utf-8")
    with _OPENER.open(jlab_alt_server.url, timeout=20) as response:
        assert response.status == 200
        config = parse_page(response.read()).page_config()
    assert config["baseUrl"] == "/"
    contents = f"{jlab_alt_server.base}api/contents?token={jlab_alt_server.token}"
    with _OPENER.open(contents, timeout=20) as response:
        names = [item["name"] for item in json.load(response)["content"]]
    assert names == ["hello.txt"]
