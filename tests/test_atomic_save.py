"""Saving survives faults: a killed server, a full disk, a read-only file.

Real ``jlab-alt`` processes serve a temporary root; the tests save through the
contents REST API as the browser does and then read what is on disk:

- SIGKILL the server at varying moments while it saves a large notebook: the file is
  always the old or the new version, complete (jlab-alt writes whole files atomically,
  see ``jlab_alt.atomic_save``);
- a server whose files may not grow past a size limit (``RLIMIT_FSIZE``, as a full disk
  behaves): the save fails with a 507 naming the cause, the file is untouched, and a
  smaller Save As works;
- a read-only file: 403 naming the cause, untouched, Save As works.
"""

from __future__ import annotations

import json
import os
import resource
import shutil
import signal
import stat
import subprocess
import sys
import sysconfig
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from jlab_alt.atomic_save import write_whole_file

START_TIMEOUT = 180.0  # a loaded 2-core CI machine can take minutes to start a server
TOKEN = "atomic-save-test-token"
_OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def _jlab_alt_script() -> str:
    candidate = Path(sysconfig.get_path("scripts")) / "jlab-alt"
    found = str(candidate) if candidate.is_file() else shutil.which("jlab-alt")
    if not found:
        pytest.fail("The `jlab-alt` command is not installed; run `pip install -e .`", pytrace=False)
    return found


class Server:
    """A ``jlab-alt`` process on a root folder, reached over its REST API."""

    def __init__(self, proc: subprocess.Popen, runtime: Path, log: Path) -> None:
        self.proc, self.runtime, self.log_path = proc, runtime, log
        self.port = 0

    def log(self) -> str:
        return self.log_path.read_text(encoding="utf-8", errors="replace")

    def wait_ready(self) -> None:
        """Wait for the runtime file, then for /api/status to answer (the socket may bind later)."""
        deadline = time.monotonic() + START_TIMEOUT
        info_file = self.runtime / f"jpserver-{self.proc.pid}.json"
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                pytest.fail(f"server exited ({self.proc.returncode}):\n{self.log()}", pytrace=False)
            try:
                self.port = json.loads(info_file.read_text(encoding="utf-8"))["port"]
                if self.request("GET", "/api/status")[0] == 200:
                    return
            except (FileNotFoundError, ValueError, KeyError, OSError):
                pass
            time.sleep(0.05)
        pytest.fail(f"the server did not answer within {START_TIMEOUT}s:\n{self.log()}")

    def request(self, method: str, path: str, body: Any = None, timeout: float = 120) -> tuple[int, dict]:
        data = None if body is None else json.dumps(body).encode()
        req = urllib.request.Request(
            f"http://127.0.0.1:{self.port}{path}",
            data=data,
            method=method,
            headers={"Authorization": f"token {TOKEN}", "Content-Type": "application/json"},
        )
        try:
            with _OPENER.open(req, timeout=timeout) as response:
                return response.status, json.loads(response.read() or b"{}")
        except urllib.error.HTTPError as err:
            return err.code, json.loads(err.read() or b"{}")

    def save(self, path: str, model: dict) -> tuple[int, dict]:
        return self.request("PUT", f"/api/contents/{path}", model)


@pytest.fixture
def launch(tmp_path: Path) -> Iterator[Callable[..., Server]]:
    """Start ``jlab-alt`` on ``root`` (optionally with a file size limit); all stopped at teardown."""
    servers: list[Server] = []

    def _launch(root: Path, *, fsize: int | None = None, args: list[str] = ()) -> Server:
        n = len(servers)
        runtime = tmp_path / f"runtime{n}"
        runtime.mkdir()
        env = {k: v for k, v in os.environ.items() if k not in ("JUPYTER_TOKEN", "JUPYTER_PASSWORD")}
        env.update(
            JUPYTER_RUNTIME_DIR=str(runtime),
            JUPYTER_CONFIG_DIR=str(tmp_path / f"config{n}"),
            JUPYTER_DATA_DIR=str(tmp_path / "data"),
            PYTHONUNBUFFERED="1",
        )

        def limit() -> None:
            # The file size limit stands in for a full disk: writes past it fail with EFBIG
            # (Python ignores SIGXFSZ, so the write returns an error instead of killing it).
            if fsize is not None:
                resource.setrlimit(resource.RLIMIT_FSIZE, (fsize, fsize))

        log = tmp_path / f"server{n}.log"
        with open(log, "wb") as out:
            proc = subprocess.Popen(
                [
                    _jlab_alt_script(),
                    "--ServerApp.port=0",
                    "--ServerApp.port_retries=0",
                    "--ServerApp.ip=127.0.0.1",
                    "--no-browser",
                    "--allow-root",
                    f"--IdentityProvider.token={TOKEN}",
                    f"--ServerApp.root_dir={root}",
                    *args,
                ],
                cwd=root,
                env=env,
                stdout=out,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                preexec_fn=limit,
            )
        server = Server(proc, runtime, log)
        servers.append(server)
        server.wait_ready()
        return server

    yield _launch
    for server in servers:
        if server.proc.poll() is None:
            server.proc.send_signal(signal.SIGTERM)
    for server in servers:
        try:
            server.proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.proc.kill()
            server.proc.wait(timeout=20)


def big_notebook(version: str, cells: int = 150, size: int = 40_000) -> dict:
    """A notebook of about ``cells * size`` bytes of stream outputs, tagged with ``version``."""
    text = (version + " ") * (size // (len(version) + 1))
    return {
        "cells": [
            {
                "cell_type": "code",
                "execution_count": i,
                "id": f"c{i}",
                "metadata": {},
                "source": [f"print('{version} {i}')"],
                "outputs": [{"output_type": "stream", "name": "stdout", "text": [text]}],
            }
            for i in range(cells)
        ],
        "metadata": {"version": version},
        "nbformat": 4,
        "nbformat_minor": 5,
    }


def write_notebook(path: Path, nb: dict) -> None:
    path.write_text(json.dumps(nb, indent=1) + "\n", encoding="utf-8")


def version_on_disk(path: Path) -> str:
    """The ``metadata.version`` of the complete notebook at ``path``; fails on a damaged file."""
    raw = path.read_bytes()
    try:
        nb = json.loads(raw)
    except ValueError as err:
        raise AssertionError(f"{path.name} is damaged ({len(raw)} bytes): {err}") from err
    assert len(nb["cells"]) == 150, "a complete notebook"
    return nb["metadata"]["version"]


# -- the writer itself ----------------------------------------------------------------


def test_a_whole_file_write_keeps_mode_and_symlinks_and_leaves_nothing_on_failure(tmp_path: Path):
    target = tmp_path / "data.txt"
    target.write_text("old\n")
    target.chmod(0o640)
    link = tmp_path / "link.txt"
    link.symlink_to(target)

    with write_whole_file(str(link)) as f:
        f.write("new\n")
    assert link.is_symlink(), "the link stays a link"
    assert target.read_text() == "new\n"
    assert stat.S_IMODE(target.stat().st_mode) == 0o640

    with pytest.raises(RuntimeError), write_whole_file(str(target)) as f:
        f.write("half")
        raise RuntimeError("the writer failed")
    assert target.read_text() == "new\n", "a failed write leaves the old file"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["data.txt", "link.txt"], "no temporary file left"


def test_a_read_only_file_is_refused_even_for_root(tmp_path: Path):
    target = tmp_path / "ro.txt"
    target.write_text("keep\n")
    target.chmod(0o444)
    with pytest.raises(PermissionError), write_whole_file(str(target)) as f:
        f.write("overwritten")
    assert target.read_text() == "keep\n"


# -- real servers ---------------------------------------------------------------------


@pytest.mark.timeout(900)  # six server starts; slow on a loaded 2-core machine
def test_a_server_killed_at_any_moment_of_a_save_leaves_the_old_or_the_new_notebook(launch, tmp_path: Path):
    """SIGKILL the server at delays spread over a save of a ~6 MB notebook, many times:
    the file on disk is always a complete notebook, the old one or the new one."""
    root = tmp_path / "root"
    root.mkdir()
    target = root / "big.ipynb"
    write_notebook(target, big_notebook("v0"))

    # How long one save takes here, to spread the kills over it.
    server = launch(root)
    started = time.monotonic()
    status, _ = server.save("big.ipynb", {"type": "notebook", "content": big_notebook("v1")})
    duration = time.monotonic() - started
    assert status == 200
    assert version_on_disk(target) == "v1"
    server.proc.kill()
    server.proc.wait(timeout=20)

    outcomes: dict[str, int] = {}
    runs = 5
    for i in range(runs):
        old = version_on_disk(target)
        new = f"v{i + 2}"
        server = launch(root)
        delay = duration * (0.1 + 1.1 * i / (runs - 1))
        threading.Timer(delay, server.proc.kill).start()
        try:
            server.save("big.ipynb", {"type": "notebook", "content": big_notebook(new)})
        except OSError:
            pass  # the connection died with the server
        server.proc.kill()
        server.proc.wait(timeout=20)
        now = version_on_disk(target)
        assert now in (old, new), f"run {i}: {now!r} is neither the old {old!r} nor the new {new!r}"
        outcomes[now == new and "new" or "old"] = outcomes.get(now == new and "new" or "old", 0) + 1
    # Killed saves may leave a hidden temporary file; never a damaged notebook.
    for leftover in root.glob(".~big.ipynb.*.tmp"):
        assert leftover.stat().st_size >= 0
    print(f"save took {duration:.2f}s; outcomes {outcomes}")


def test_a_full_disk_fails_the_save_clearly_and_damages_nothing(launch, tmp_path: Path):
    root = tmp_path / "root"
    root.mkdir()
    target = root / "nb.ipynb"
    write_notebook(target, big_notebook("small", size=100))
    before = target.read_bytes()
    server = launch(root, fsize=1_000_000)

    status, reply = server.save("nb.ipynb", {"type": "notebook", "content": big_notebook("large", size=10_000)})
    assert status == 507, reply
    assert "Not enough disk space to save nb.ipynb" in reply["message"]
    assert "File too large" in reply["message"], "the system's own words for the cause"
    assert target.read_bytes() == before, "the file on disk is untouched"
    assert [p.name for p in root.iterdir()] == ["nb.ipynb"], "no temporary file left"

    # Save As a version that fits works; the original still stands.
    status, _ = server.save("copy.ipynb", {"type": "notebook", "content": big_notebook("small2", size=100)})
    assert status == 201, "created"
    assert json.loads((root / "copy.ipynb").read_text())["metadata"]["version"] == "small2"
    assert target.read_bytes() == before


def test_a_read_only_file_fails_the_save_clearly_and_save_as_works(launch, tmp_path: Path):
    root = tmp_path / "root"
    root.mkdir()
    target = root / "notes.txt"
    target.write_text("keep me\n")
    target.chmod(0o444)
    server = launch(root)

    status, reply = server.save("notes.txt", {"type": "file", "format": "text", "content": "changed\n"})
    assert status == 403, reply
    assert "notes.txt is read-only" in reply["message"]
    assert target.read_text() == "keep me\n"
    assert stat.S_IMODE(target.stat().st_mode) == 0o444

    status, _ = server.save("notes-copy.txt", {"type": "file", "format": "text", "content": "changed\n"})
    assert status == 201, "created"
    assert (root / "notes-copy.txt").read_text() == "changed\n"


def test_atomic_saves_can_be_turned_off(launch, tmp_path: Path):
    """``--JlabAltApp.atomic_saves=False`` keeps the host's own writing (in place)."""
    root = tmp_path / "root"
    root.mkdir()
    target = root / "a.txt"
    target.write_text("one\n")
    inode = target.stat().st_ino
    server = launch(root, args=["--JlabAltApp.atomic_saves=False"])
    assert server.save("a.txt", {"type": "file", "format": "text", "content": "two\n"})[0] == 200
    assert target.read_text() == "two\n"
    assert target.stat().st_ino == inode, "written in place"

    server2 = launch(root)
    assert server2.save("a.txt", {"type": "file", "format": "text", "content": "three\n"})[0] == 200
    assert target.read_text() == "three\n"
    assert target.stat().st_ino != inode, "replaced whole"
