"""Pytest fixtures for jlab-alt and its extension authors (the ``pytest11`` plugin).

Use with pytest-jupyter's server fixtures::

    pytest_plugins = ["pytest_jupyter.jupyter_server"]

    @pytest.fixture
    def jp_server_config(jlab_alt_server_config):
        return jlab_alt_server_config

    async def test_my_handler(jp_fetch):
        response = await jp_fetch("jlab-alt", "ext", "my_ext", "hello")

For browser tests, ``jlab_alt_server`` starts a real ``jlab-alt`` process on a free
port with a temporary root and yields its URL and token (drive it with Playwright).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

import pytest


@pytest.fixture
def jlab_alt_server_config(tmp_path: Path) -> dict:
    """Server config enabling the ``jlab_alt`` extension, with settings in ``tmp_path``."""
    from traitlets.config import Config

    return Config(
        {
            "ServerApp": {"jpserver_extensions": {"jlab_alt": True}},
            "JlabAltApp": {"user_settings_dir": str(tmp_path / "user-settings")},
        }
    )


@dataclass
class RunningServer:
    """A ``jlab-alt`` process started by :func:`jlab_alt_server`.

    Attributes:
        url: The app's URL with ``?token=`` (open it in the browser).
        base: ``http://127.0.0.1:<port>/``.
        token: The server token.
        root: The server's root folder (put test files here).
    """

    url: str
    base: str
    token: str
    root: Path


def _runtime_info(runtime_dir: Path, pid: int) -> dict | None:
    """The server's runtime file (``jpserver-<pid>.json``) once it is fully written."""
    try:
        return json.loads((runtime_dir / f"jpserver-{pid}.json").read_text(encoding="utf-8"))
    except (FileNotFoundError, json.JSONDecodeError):
        return None


@pytest.fixture
def jlab_alt_server(tmp_path: Path) -> Iterator[RunningServer]:
    """Start ``jlab-alt`` in a subprocess for a browser test; stop it afterwards.

    The server picks its own free port (``--ServerApp.port=0``), so no other process
    can take the port between choosing and binding it; the port is read from the
    server's runtime file. Waits (up to 60 s) until ``/api/status`` answers, then yields
    a :class:`RunningServer`.

    Raises:
        RuntimeError: the server exited or did not answer in time (its log is included).
    """
    root = tmp_path / "root"
    root.mkdir()
    runtime = tmp_path / "runtime"
    token = os.urandom(16).hex()
    env = {
        **os.environ,
        "JUPYTER_CONFIG_DIR": str(tmp_path / "config"),
        "JUPYTER_DATA_DIR": str(tmp_path / "data"),
        "JUPYTER_RUNTIME_DIR": str(runtime),
    }
    log_path = tmp_path / "server.log"
    log = open(log_path, "wb")  # noqa: SIM115 - closed in finally
    proc = subprocess.Popen(
        [sys.executable, "-m", "jlab_alt", "--no-browser", "--ServerApp.port=0",
         "--ServerApp.port_retries=0", "--ServerApp.ip=127.0.0.1",
         f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={root}",
         *(["--allow-root"] if os.geteuid() == 0 else [])],
        stdout=log, stderr=subprocess.STDOUT, env=env,
    )
    try:
        deadline = time.monotonic() + 60
        base = None
        while True:
            if proc.poll() is not None:
                raise RuntimeError(f"jlab-alt exited with {proc.returncode}:\n{log_path.read_text()}")
            if base is None:
                info = _runtime_info(runtime, proc.pid)
                if info:
                    base = f"http://127.0.0.1:{info['port']}/"
            if base is not None:
                # The runtime file is written before the socket listens: ask until it answers.
                try:
                    with urllib.request.urlopen(f"{base}api/status?token={token}", timeout=5) as r:
                        json.load(r)
                    break
                except OSError:
                    pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"jlab-alt did not answer in 60 s:\n{log_path.read_text()}")
            time.sleep(0.1)
        yield RunningServer(url=f"{base}jlab-alt?token={token}", base=base, token=token, root=root)
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log.close()
