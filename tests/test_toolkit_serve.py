"""``python -m jlab_alt.testing serve --json``: the one launcher other test set-ups spawn."""

from __future__ import annotations

import json
import subprocess
import sys
import time
import urllib.request

from jlab_alt.testing.server import processes_mentioning

_OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def _get(url: str, token: str):
    request = urllib.request.Request(url, headers={"Authorization": f"token {token}"})
    with _OPENER.open(request, timeout=20) as response:
        return json.load(response)


def test_serve_json_prints_the_server_and_stops_it_with_its_kernels(tmp_path):
    proc = subprocess.Popen(
        [sys.executable, "-m", "jlab_alt.testing", "serve", "--json", "--dir", str(tmp_path / "s")],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    try:
        info = json.loads(proc.stdout.readline())
        assert info["url"] == f"{info['base']}jlab-alt?token={info['token']}"
        assert info["root"] == str(tmp_path / "s" / "root")
        assert _get(f"{info['base']}api/status", info["token"])["started"]
        request = urllib.request.Request(
            f"{info['base']}api/kernels", data=b'{"name": "python3"}', method="POST",
            headers={"Authorization": f"token {info['token']}", "Content-Type": "application/json"})
        with _OPENER.open(request, timeout=60) as response:
            assert response.status == 201
        assert processes_mentioning(str(tmp_path / "s" / "runtime"))
    finally:
        proc.stdin.close()  # closing stdin stops it
        assert proc.wait(timeout=60) == 0, proc.stderr.read()
    assert processes_mentioning(str(tmp_path / "s" / "runtime")) == []


def test_serve_reports_a_server_that_cannot_start(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "jlab_alt.testing", "serve", "--json", "--dir", str(tmp_path), "--",
         "--ServerApp.port=not-a-port"],
        capture_output=True, text=True, timeout=120, stdin=subprocess.DEVNULL,
    )
    assert result.returncode == 1
    assert result.stdout == ""
    assert "jlab-alt exited" in result.stderr
