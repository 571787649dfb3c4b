"""Compressed answers: the build's ``.br``/``.gz`` copies chosen by ``Accept-Encoding``
(never stale or mismatched, right ``Vary`` and per-encoding ETags, 304s), and the
app page and JSON API gzipped when large.

The requests go through tornado's client with ``decompress_response=False``, so the
test sees the bytes on the wire and sends exactly the ``Accept-Encoding`` it names.
"""

from __future__ import annotations

import gzip
import os
import zlib
from pathlib import Path

import pytest
from tornado.httpclient import AsyncHTTPClient

from jlab_alt.assets import STATIC_DIR
from jlab_alt.handlers.compression import accepted_encodings, choose_encoding, pick_variant
from jlab_alt.handlers.static import StaticAssetHandler

# --- choosing the encoding ---------------------------------------------------------


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("gzip, deflate, br, zstd", "br"),  # Chromium
        ("gzip, deflate, br", "br"),
        ("gzip, deflate", "gzip"),
        ("x-gzip", "gzip"),
        ("br;q=0, gzip", "gzip"),
        ("br;q=0.0, gzip;q=0", None),
        ("gzip;q=0.9, br;q=0.5", "gzip"),
        ("BR;Q=1", "br"),
        ("*", "br"),
        ("*;q=0", None),
        ("*;q=0, gzip", "gzip"),
        ("identity", None),
        ("", None),
        (None, None),
        ("gzip;q=abc, br;q=", None),
    ],
)
def test_choose_encoding(header, expected):
    assert choose_encoding(header, ("br", "gzip")) == expected


def test_choose_encoding_only_among_available():
    assert choose_encoding("br, gzip", ("gzip",)) == "gzip"
    assert choose_encoding("br", ("gzip",)) is None


def test_accepted_encodings_clamps_q():
    assert accepted_encodings("gzip;q=5, br;q=0.25") == {"gzip": 1.0, "br": 0.25}


# --- picking the copy ----------------------------------------------------------------


def _built(folder: Path, name: str = "app.0123456789ab.js", text: str = "console.log('x');\n" * 200) -> Path:
    """A file with fresh .br and .gz copies, as the build writes them (same mtime)."""
    original = folder / name
    original.write_text(text, encoding="utf-8")
    data = original.read_bytes()
    (folder / (name + ".gz")).write_bytes(gzip.compress(data))
    # No brotli in the standard library: any bytes do, the server never decodes them.
    (folder / (name + ".br")).write_bytes(b"BROTLI:" + zlib.compress(data))
    stat = original.stat()
    for ext in (".gz", ".br"):
        os.utime(folder / (name + ext), ns=(stat.st_atime_ns, stat.st_mtime_ns))
    return original


def test_pick_variant_prefers_brotli_then_gzip(tmp_path):
    original = _built(tmp_path)
    assert pick_variant(str(original), "gzip, br") == (str(original) + ".br", "br")
    assert pick_variant(str(original), "gzip") == (str(original) + ".gz", "gzip")
    assert pick_variant(str(original), "identity") == (str(original), None)


def test_stale_brotli_falls_back_to_gzip(tmp_path):
    """A .br older than its (unhashed) file, left from an earlier build, is never sent."""
    original = _built(tmp_path, name="schemas.json", text='{"a": 1}\n' * 300)
    old = original.stat().st_mtime_ns - 10**9
    os.utime(str(original) + ".br", ns=(old, old))
    assert pick_variant(str(original), "br, gzip") == (str(original) + ".gz", "gzip")


def test_hashed_copies_survive_a_copy_that_loses_times(tmp_path):
    """`cp -r` without -p, or an installer, may write a hashed file after its copies: its
    name says its content, so its copies are still sent."""
    original = _built(tmp_path)
    later = original.stat().st_mtime_ns + 5 * 10**9
    os.utime(original, ns=(later, later))
    assert pick_variant(str(original), "br, gzip") == (str(original) + ".br", "br")


def test_mismatched_gzip_falls_back_to_identity(tmp_path):
    """A .gz whose recorded length is not the file's (another build's copy) is never sent."""
    original = _built(tmp_path)
    os.remove(str(original) + ".br")
    stat = original.stat()
    Path(str(original) + ".gz").write_bytes(gzip.compress(b"something else"))
    os.utime(str(original) + ".gz", ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert pick_variant(str(original), "br, gzip") == (str(original), None)


def test_symlinked_copy_is_not_sent(tmp_path):
    original = _built(tmp_path)
    outside = tmp_path / "elsewhere.br"
    outside.write_bytes(b"not this")
    os.remove(str(original) + ".br")
    os.symlink(outside, str(original) + ".br")
    assert pick_variant(str(original), "br") == (str(original), None)


def test_compressed_formats_have_no_copies(tmp_path):
    """woff2 and png are compressed already: a copy beside them is ignored."""
    font = tmp_path / "font.0123456789ab.woff2"
    font.write_bytes(b"wOF2" * 500)
    Path(str(font) + ".br").write_bytes(b"x")
    assert pick_variant(str(font), "br, gzip") == (str(font), None)


# --- through the server ---------------------------------------------------------------------


@pytest.fixture
def served(jp_serverapp, http_server_client, jp_base_url, tmp_path) -> tuple[Path, str]:
    """A folder served by the app's static handler (as an extension's files are) and its URL."""
    folder = tmp_path / "served"
    folder.mkdir()
    prefix = f"{jp_base_url}jlab-alt-test-static/"
    jp_serverapp.web_app.add_handlers(
        ".*$", [(prefix + "(.*)", StaticAssetHandler, {"path": [str(folder)], "public": "all"})]
    )
    return folder, prefix


async def _get(port: int, url: str, accept: str | None, **headers: str):
    if accept is not None:
        headers["Accept-Encoding"] = accept
    return await AsyncHTTPClient().fetch(
        f"http://127.0.0.1:{port}{url}",
        headers=headers,
        decompress_response=False,
        raise_error=False,
        follow_redirects=False,
        request_timeout=30,
    )


async def test_server_sends_the_accepted_encoding(served, jp_http_port):
    folder, prefix = served
    original = _built(folder)
    url = prefix + original.name
    br = await _get(jp_http_port, url, "gzip, deflate, br")
    assert br.code == 200
    assert br.headers["Content-Encoding"] == "br"
    assert br.body == Path(str(original) + ".br").read_bytes()
    assert "javascript" in br.headers["Content-Type"]
    assert "Accept-Encoding" in br.headers["Vary"]

    gz = await _get(jp_http_port, url, "gzip")
    assert gz.headers["Content-Encoding"] == "gzip"
    assert gzip.decompress(gz.body) == original.read_bytes()
    assert "Accept-Encoding" in gz.headers["Vary"]

    plain = await _get(jp_http_port, url, "br;q=0, gzip;q=0")
    assert "Content-Encoding" not in plain.headers
    assert plain.body == original.read_bytes()
    assert "Accept-Encoding" in plain.headers["Vary"]
    assert "javascript" in plain.headers["Content-Type"]

    assert len({br.headers["Etag"], gz.headers["Etag"], plain.headers["Etag"]}) == 3


async def test_304_only_for_the_etag_of_the_same_encoding(served, jp_http_port):
    folder, prefix = served
    original = _built(folder)
    url = prefix + original.name
    br_tag = (await _get(jp_http_port, url, "br")).headers["Etag"]
    gz_tag = (await _get(jp_http_port, url, "gzip")).headers["Etag"]

    again = await _get(jp_http_port, url, "br", **{"If-None-Match": br_tag})
    assert again.code == 304
    assert again.body == b""
    # A cache holding the brotli bytes asks a gzip-only client's question: full answer.
    other = await _get(jp_http_port, url, "gzip", **{"If-None-Match": br_tag})
    assert other.code == 200
    assert other.headers["Content-Encoding"] == "gzip"
    assert (await _get(jp_http_port, url, "gzip", **{"If-None-Match": gz_tag})).code == 304


async def test_server_never_sends_a_stale_copy(served, jp_http_port):
    """A rebuilt file with its copies left from before: the file itself goes out."""
    folder, prefix = served
    original = _built(folder, name="manifest.json", text='{"old": true}' * 200)
    original.write_text('{"new": true}' * 300, encoding="utf-8")
    later = original.stat().st_mtime_ns + 10**9
    os.utime(original, ns=(later, later))
    response = await _get(jp_http_port, prefix + "manifest.json", "gzip, br")
    assert response.code == 200
    assert "Content-Encoding" not in response.headers
    assert response.body == original.read_bytes()


async def test_missing_copy_falls_back(served, jp_http_port):
    folder, prefix = served
    original = _built(folder)
    os.remove(str(original) + ".br")
    response = await _get(jp_http_port, prefix + original.name, "br")
    assert "Content-Encoding" not in response.headers
    assert response.body == original.read_bytes()


async def test_compressed_name_requested_directly_is_not_double_encoded(served, jp_http_port):
    folder, prefix = served
    original = _built(folder)
    response = await _get(jp_http_port, prefix + original.name + ".gz", "gzip, br")
    assert response.code == 200
    assert "Content-Encoding" not in response.headers


async def test_traversal_still_refused_with_encodings(served, jp_http_port, tmp_path):
    """``..`` towards a file that has a .br copy outside the folder finds nothing."""
    folder, prefix = served
    outside = _built(tmp_path, name="secret.0123456789ab.js", text="secret();\n" * 300)
    for target in (f"{prefix}../{outside.name}", f"{prefix}%2e%2e/{outside.name}", f"{prefix}..%2f{outside.name}"):
        response = await _get(jp_http_port, target, "br, gzip")
        assert response.code in (400, 403, 404), target
        assert b"secret" not in response.body
        assert b"BROTLI" not in response.body


async def test_real_build_ships_brotli_for_the_entry(http_server_client, built_frontend, jp_http_port, jp_base_url):
    """The build wrote the entry module's copies; the server sends the brotli one to a browser."""
    name = built_frontend.entry_js[0]
    assert (STATIC_DIR / (name + ".br")).is_file()
    assert (STATIC_DIR / (name + ".gz")).is_file()
    response = await _get(jp_http_port, f"{jp_base_url}jlab-alt/static/{name}", "gzip, deflate, br, zstd")
    assert response.code == 200
    assert response.headers["Content-Encoding"] == "br"
    assert "immutable" in response.headers["Cache-Control"]
    assert len(response.body) < (STATIC_DIR / name).stat().st_size / 3


async def test_page_and_api_are_gzipped_when_accepted(http_server_client, jp_http_port, jp_base_url, server_token, built_frontend):
    auth = {"Authorization": f"token {server_token}"}
    page = await _get(jp_http_port, f"{jp_base_url}jlab-alt", "gzip, br", **auth)
    assert page.code == 200
    assert page.headers["Content-Encoding"] == "gzip"
    assert b"<html" in gzip.decompress(page.body).lower()
    assert "Accept-Encoding" in page.headers["Vary"]
    schemas = await _get(jp_http_port, f"{jp_base_url}jlab-alt/api/settings-schemas", "gzip", **auth)
    assert schemas.code == 200
    assert schemas.headers["Content-Encoding"] == "gzip"
    assert gzip.decompress(schemas.body).startswith(b"{")
    refused = await _get(jp_http_port, f"{jp_base_url}jlab-alt/api/settings-schemas", "gzip;q=0", **auth)
    assert "Content-Encoding" not in refused.headers
    assert refused.body.startswith(b"{")
