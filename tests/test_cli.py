"""The ``jlab-alt`` command and ``jupyter server`` end to end, as real processes.

Each test starts a server in its own process with private Jupyter dirs, waits (with a
deadline, polling) for its runtime file and log lines, talks to it over HTTP like a
browser, and always terminates it.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import sysconfig
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from helpers import parse_page
from jlab_alt.assets import STATIC_DIR

REPO = Path(__file__).resolve().parents[1]
START_TIMEOUT = 60.0
URL_RE = re.compile(r"https?://[^\s\"'<>]+")


def _jlab_alt_script() -> str:
    """The installed ``jlab-alt`` console script (next to this Python, else on PATH)."""
    name = "jlab-alt.exe" if os.name == "nt" else "jlab-alt"
    candidate = Path(sysconfig.get_path("scripts")) / name
    if candidate.is_file():
        return str(candidate)
    found = shutil.which("jlab-alt")
    if found is None:
        pytest.fail(
            "The `jlab-alt` command is not installed for this Python; "
            "run `pip install -e . --no-build-isolation` in the repository root.",
            pytrace=False,
        )
    return found


@dataclass
class RunningServer:
    """A server process started by a test, and where it reports about itself."""

    proc: subprocess.Popen
    runtime_dir: Path
    log_path: Path

    def log(self) -> str:
        return self.log_path.read_text(encoding="utf-8", errors="replace")

    def wait_for(self, what: str, check: Callable[[], object], timeout: float = START_TIMEOUT):
        """Poll ``check`` until it returns something truthy; fail if the process dies
        or the deadline passes (with the server's log in the message)."""
        deadline = time.monotonic() + timeout
        while True:
            result = check()
            if result:
                return result
            if self.proc.poll() is not None:
                pytest.fail(
                    f"server exited ({self.proc.returncode}) before {what}:\n{self.log()}",
                    pytrace=False,
                )
            if time.monotonic() > deadline:
                pytest.fail(f"timed out after {timeout}s waiting for {what}:\n{self.log()}")
            time.sleep(0.05)

    def _read_info(self) -> dict | None:
        path = self.runtime_dir / f"jpserver-{self.proc.pid}.json"
        try:
            return json.loads(path.read_text(encoding="utf-8"))
        except (FileNotFoundError, json.JSONDecodeError):
            return None  # not written yet, or caught half-written

    def _accepts_connections(self, port: int) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=2):
                return True
        except OSError:
            return False

    def started(self) -> dict:
        """Wait until the server listens and has printed its URLs; its runtime info.

        jupyter_server writes its runtime file and prints its URLs before its socket
        listens (``ServerApp.init_httpserver`` binds in an ``io_loop.add_callback``), so
        neither signal alone means a client can connect: wait for the connection too.
        """
        info = self.wait_for("the runtime file", self._read_info)
        self.wait_for("the printed URLs", lambda: "Control-C to stop this server" in self.log())
        self.wait_for(
            f"port {info['port']} to accept connections",
            lambda: self._accepts_connections(info["port"]),
        )
        return info

    def printed_urls(self) -> list[str]:
        return URL_RE.findall(self.log())


# Straight to the local server, whatever *_proxy variables the environment has.
_OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def _get(url: str) -> tuple[int, bytes]:
    try:
        with _OPENER.open(url, timeout=20) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as err:
        return err.code, err.read()


def _complete_html(path: Path) -> str | None:
    """The text of a browser-open file once it is completely written."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    return text if "</html>" in text else None


@pytest.fixture
def launch(tmp_path: Path) -> Iterator[Callable[..., RunningServer]]:
    """Start server processes with isolated Jupyter dirs; all are stopped at teardown."""
    started: list[subprocess.Popen] = []
    logs = []

    def _launch(args: list[str], *, cwd: Path, env: dict[str, str] | None = None) -> RunningServer:
        runtime = tmp_path / f"runtime{len(started)}"
        runtime.mkdir()
        config_dir = tmp_path / f"config{len(started)}"
        config_dir.mkdir()
        full_env = {
            k: v for k, v in os.environ.items() if k not in ("JUPYTER_TOKEN", "JUPYTER_PASSWORD")
        }
        full_env.update(
            JUPYTER_RUNTIME_DIR=str(runtime),
            JUPYTER_CONFIG_DIR=str(config_dir),
            JUPYTER_DATA_DIR=str(tmp_path / "data"),
            PYTHONUNBUFFERED="1",
        )
        full_env.update(env or {})
        log_path = tmp_path / f"server{len(started)}.log"
        log = open(log_path, "wb")  # noqa: SIM115 (closed at teardown)
        logs.append(log)
        proc = subprocess.Popen(
            args, cwd=cwd, env=full_env, stdout=log, stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
        )
        started.append(proc)
        return RunningServer(proc, runtime, log_path)

    yield _launch

    for proc in started:
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
    for proc in started:
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=20)
    for log in logs:
        log.close()


# One address: with port 0 and the default "localhost", IPv4 and IPv6 sockets can get
# different free ports, and the runtime file names only one of them.
COMMON = [
    "--ServerApp.port=0",
    "--ServerApp.port_retries=0",
    "--ServerApp.ip=127.0.0.1",
    "--no-browser",
    "--allow-root",
]


@pytest.fixture
def root(tmp_path: Path) -> Path:
    """The folder served as the server root, with a notebook in a folder with a space."""
    folder = tmp_path / "root" / "sub dir"
    folder.mkdir(parents=True)
    (folder / "nb.ipynb").write_text(
        json.dumps({"cells": [], "metadata": {}, "nbformat": 4, "nbformat_minor": 5})
    )
    return tmp_path / "root"


def test_jlab_alt_prints_a_url_that_opens_the_app(launch, root, built_frontend):
    """``jlab-alt`` starts a server whose printed URL (what users click or paste)
    opens the jlab-alt page with the generated token, and logs them in."""
    server = launch([_jlab_alt_script(), *COMMON, f"--ServerApp.root_dir={root}"], cwd=root)
    info = server.started()
    token, port = info["token"], info["port"]
    assert token
    expected = f"http://127.0.0.1:{port}/jlab-alt?token={token}"
    assert expected in server.printed_urls(), server.log()

    try:
        status, body = _get(expected)
    except urllib.error.URLError as err:
        raise AssertionError(f"GET {expected} failed ({err}); the server's log:\n{server.log()}") from err
    assert status == 200
    config = parse_page(body).page_config()
    assert config["baseUrl"] == "/"
    assert config["treePath"] == ""
    assert token.encode() not in body

    # The browser-open file (what `jlab-alt` opens without --no-browser) goes there too.
    open_file = server.runtime_dir / f"jpserver-{server.proc.pid}-open.html"
    text = server.wait_for("the browser-open file", lambda: _complete_html(open_file))
    assert f"/jlab-alt?token={token}" in text


def test_jlab_alt_with_a_notebook_argument_opens_that_notebook(launch, root, built_frontend):
    """``jlab-alt --ServerApp.root_dir=. "sub dir/nb.ipynb"`` opens
    ``jlab-alt/tree/sub%20dir/nb.ipynb``: the page it points the browser at has that
    notebook as its treePath (a space in the path survives the round trip)."""
    server = launch(
        [_jlab_alt_script(), *COMMON, f"--ServerApp.root_dir={root}", "sub dir/nb.ipynb"],
        cwd=root,
    )
    info = server.started()
    open_file = server.runtime_dir / f"jpserver-file-to-run-{server.proc.pid}-open.html"
    text = server.wait_for("the file-to-run browser-open file", lambda: _complete_html(open_file))
    urls = [u for u in URL_RE.findall(text) if "/jlab-alt/tree/" in u]
    assert urls, text
    url = urls[0]
    assert re.match(rf"http://(localhost|127\.0\.0\.1):{info['port']}/jlab-alt/tree/sub%20dir/nb\.ipynb\?token=", url), url
    assert Path(info["root_dir"]).resolve() == root.resolve()

    status, body = _get(url.replace("localhost", "127.0.0.1", 1))
    assert status == 200
    assert parse_page(body).page_config()["treePath"] == "sub dir/nb.ipynb"


def test_jlab_alt_under_a_base_url(launch, root, built_frontend):
    """With ``--ServerApp.base_url=/prefix/`` (behind a proxy, JupyterHub) the app,
    its page config and its assets all live under ``/prefix/``, not at the root."""
    token = "test-token-0123456789"
    server = launch(
        [
            _jlab_alt_script(), *COMMON, f"--ServerApp.root_dir={root}",
            "--ServerApp.base_url=/prefix/", f"--ServerApp.token={token}",
        ],
        cwd=root,
    )
    info = server.started()
    port = info["port"]
    assert info["base_url"] == "/prefix/"
    assert any(
        u.startswith(f"http://127.0.0.1:{port}/prefix/jlab-alt?token=") for u in server.printed_urls()
    ), server.log()

    status, body = _get(f"http://127.0.0.1:{port}/prefix/jlab-alt?token={token}")
    assert status == 200
    page = parse_page(body)
    assert page.page_config()["baseUrl"] == "/prefix/"
    src = page.module_srcs()[0]
    assert src == "/prefix/jlab-alt/static/" + built_frontend.entry_js[0]
    status, script = _get(f"http://127.0.0.1:{port}{src}?token={token}")
    assert status == 200
    assert script == (STATIC_DIR / built_frontend.entry_js[0]).read_bytes()

    status, _ = _get(f"http://127.0.0.1:{port}/jlab-alt?token={token}")
    assert status == 404


def test_plain_jupyter_server_serves_jlab_alt(launch, root, built_frontend):
    """``jupyter server`` with the config file the package installs
    (``jupyter_server_config.d/jlab_alt.json``) also serves the app at ``/jlab-alt``."""
    token = "test-token-abcdef"
    server = launch(
        [
            sys.executable, "-m", "jupyter_server", *COMMON,
            f"--ServerApp.root_dir={root}", f"--ServerApp.token={token}",
        ],
        cwd=root,
        env={"JUPYTER_CONFIG_PATH": str(REPO / "jupyter-config")},
    )
    info = server.started()
    assert "jlab_alt | extension was successfully loaded" in server.log()
    status, body = _get(f"http://127.0.0.1:{info['port']}/jlab-alt/tree/sub%20dir/nb.ipynb?token={token}")
    assert status == 200
    config = parse_page(body).page_config()
    assert config["treePath"] == "sub dir/nb.ipynb"
    assert config["baseUrl"] == "/"
