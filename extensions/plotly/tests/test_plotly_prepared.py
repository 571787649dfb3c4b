"""plotly.min.js as served: the installed file after V8's compile hint, gzip-compressed
for browsers that take gzip, made once per installed plotly (``jlab_alt_plotly.prepared``)."""

import gzip
import time
import urllib.error
import urllib.request
from pathlib import Path

import plotly
import pytest

from jlab_alt_plotly.prepared import COMPILE_HINT, prepared_plotly_js

INSTALLED = Path(plotly.__file__).parent / "package_data" / "plotly.min.js"
URL = "jlab-alt/ext/plotly/lib/plotly.min.js"
_OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))


@pytest.fixture(scope="module")
def cache_home(tmp_path_factory):
    return tmp_path_factory.mktemp("xdg-cache")


@pytest.fixture(scope="module")
def jlab_alt_server_options(cache_home):
    # A cache of its own: the server must make the copy, not find one from an earlier run.
    return {"only": ["plotly"], "env": {"XDG_CACHE_HOME": str(cache_home)}}


def test_copy_is_the_file_after_the_hint_and_is_made_once(tmp_path):
    source = tmp_path / "plotly.min.js"
    source.write_bytes(b"/* plotly */ var Plotly = {};\n" * 100)
    folder = prepared_plotly_js(source, tmp_path / "cache", wait=True)
    served = folder / "plotly.min.js"
    assert served.read_bytes() == COMPILE_HINT + source.read_bytes()
    assert served.read_bytes().startswith(b"//# allFunctionsCalledOnLoad\n")
    assert gzip.decompress((folder / "plotly.min.js.gz").read_bytes()) == served.read_bytes()

    made = served.stat().st_mtime_ns
    assert prepared_plotly_js(source, tmp_path / "cache", wait=True) == folder
    assert served.stat().st_mtime_ns == made, "an unchanged plotly must reuse its copy"

    # A new plotly (another size or time) gets a copy of its own: never the old bytes.
    source.write_bytes(b"var Plotly = {v: 2};\n")
    again = prepared_plotly_js(source, tmp_path / "cache", wait=True)
    assert again != folder
    assert (again / "plotly.min.js").read_bytes() == COMPILE_HINT + b"var Plotly = {v: 2};\n"
    assert not list(again.glob(".*.tmp")), "no half-written file is left behind"


def _get(server, headers):
    request = urllib.request.Request(f"{server.base}{URL}", headers={"Authorization": f"token {server.token}", **headers})
    try:
        with _OPENER.open(request, timeout=30) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as err:
        return err.code, dict(err.headers), err.read()


def test_server_sends_the_prepared_copy_compressed(jlab_alt_server, cache_home):
    expected = COMPILE_HINT + INSTALLED.read_bytes()

    status, headers, body = _get(jlab_alt_server, {"Accept-Encoding": "identity"})
    assert status == 200
    assert "Content-Encoding" not in headers
    assert body == expected

    # The gzip copy is made in the background after the server starts: until it is
    # there the file goes out uncompressed; then it is what a gzip-taking browser gets.
    deadline = time.monotonic() + 60
    while True:
        status, headers, body = _get(jlab_alt_server, {"Accept-Encoding": "gzip, deflate, br"})
        assert status == 200
        if headers.get("Content-Encoding") == "gzip" or time.monotonic() > deadline:
            break
        time.sleep(0.2)
    assert headers.get("Content-Encoding") == "gzip"
    assert "Accept-Encoding" in headers.get("Vary", "")
    assert len(body) < len(expected) / 2
    assert gzip.decompress(body) == expected
    assert headers["Content-Type"].startswith(("application/javascript", "text/javascript"))

    # Revalidation answers 304 for the copy the cache holds.
    status, _, _ = _get(jlab_alt_server, {"Accept-Encoding": "gzip", "If-None-Match": headers["Etag"]})
    assert status == 304
    assert list(cache_home.glob("jlab-alt/plotly/*/*/plotly.min.js")), "the copy lives in the user's cache"
