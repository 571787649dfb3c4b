"""``python -m jlab_alt.testing serve --json``: the one launcher other test set-ups spawn."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

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


def _file_size_limit(pid: int) -> str:
    """The soft "Max file size" of process ``pid`` (from /proc/<pid>/limits)."""
    for line in Path(f"/proc/{pid}/limits").read_text().splitlines():
        if line.startswith("Max file size"):
            return line.split()[3]
    raise AssertionError(f"no file size limit for {pid}")


def _serve(*args: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "jlab_alt.testing", "serve", "--json", *args],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )


def test_serve_restarts_on_the_same_origin_with_config_written_before(tmp_path):
    base = tmp_path / "s"
    (base / "root").mkdir(parents=True)
    (base / "root" / "kept.txt").write_text("a file written before the start")
    proc = _serve("--dir", str(base), "--env", "JLAB_ALT_TEST_MARK=1",
                  "--before", '["extension", "disable", "server_info"]',
                  "--prefix", '["prlimit", "--fsize=262144:unlimited", "--"]')
    try:
        info = json.loads(proc.stdout.readline())
        assert info["base"] == f"http://127.0.0.1:{info['port']}/"
        assert info["env"]["JLAB_ALT_TEST_MARK"] == "1"
        assert info["env"]["JUPYTER_CONFIG_DIR"] == info["config_dir"] == str(base / "config")
        # The command ran with the server's environment, so the server read what it wrote.
        written = json.loads((base / "config" / "jlab_alt" / "extensions.json").read_text())
        assert written == {"disabledExtensions": ["server_info"]}
        assert "server_info" in _get(f"{info['base']}jlab-alt/api/extensions", info["token"])["disabled"]
        assert _get(f"{info['base']}api/contents/kept.txt", info["token"])["type"] == "file"
        assert _file_size_limit(info["pid"]) == "262144"  # the server runs under the prefix

        proc.stdin.write("restart\n")
        proc.stdin.flush()
        again = json.loads(proc.stdout.readline())
        assert again["base"] == info["base"] and again["token"] == info["token"]
        assert again["pid"] != info["pid"]
        assert _get(f"{again['base']}api/status", again["token"])["started"]
        assert "----- jlab-alt restarted -----" in (base / "server.log").read_text()
        assert _file_size_limit(again["pid"]) == "262144"
    finally:
        proc.stdin.close()
        assert proc.wait(timeout=60) == 0, proc.stderr.read()


def test_a_taken_port_falls_back_to_one_the_server_picks_and_root_can_be_elsewhere(tmp_path):
    from jlab_alt.testing import start_server

    (tmp_path / "files").mkdir()
    (tmp_path / "files" / "shared.txt").write_text("served by several servers in turn")
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        server = start_server(tmp_path / "s", port=port, root=tmp_path / "files")
        try:
            assert server.port != port
            assert server.api("GET", "api/status")["started"]
            assert server.root == tmp_path / "files"
            assert server.api("GET", "api/contents/shared.txt")["type"] == "file"
            assert "----- " not in server.log()  # one log, though two processes ran
        finally:
            server.stop()


def test_serve_fails_when_a_before_command_fails_or_the_server_dies(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "jlab_alt.testing", "serve", "--json", "--dir", str(tmp_path / "a"),
         "--before", '["extension", "no-such-subcommand"]'],
        capture_output=True, text=True, timeout=120, stdin=subprocess.DEVNULL,
    )
    assert result.returncode == 1 and result.stdout == ""
    assert "jlab-alt extension no-such-subcommand exited" in result.stderr

    proc = _serve("--dir", str(tmp_path / "b"))
    try:
        info = json.loads(proc.stdout.readline())
        os.killpg(info["pid"], signal.SIGKILL)
        assert proc.wait(timeout=60) == 2
        assert "jlab-alt exited by itself" in proc.stderr.read()
    finally:
        proc.stdin.close()
        if proc.poll() is None:
            proc.kill()
