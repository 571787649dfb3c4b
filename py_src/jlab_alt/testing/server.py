"""The one launcher of ``jlab-alt`` servers for tests: the pytest plugin, ``python -m
jlab_alt.testing serve --json`` (for the TypeScript UI tests and benchmarks) and authors.

A server runs in its own process group with its own Jupyter config, data and runtime
folders, so the developer's Jupyter set-up is never read, and everything it started
(kernels, terminals) can be found afterwards by its runtime folder and stopped.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Mapping, Sequence

STARTUP_TIMEOUT = 60.0
SHUTDOWN_TIMEOUT = 15.0
# Requests to our own server never go through a proxy the environment names.
_OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))


class ServerStartError(RuntimeError):
    """The server exited before answering, or did not answer in time (its log is in the message)."""


def installed_extensions() -> list[str]:
    """Names of the installed jlab-alt extensions (the ``jlab_alt`` entry points)."""
    from importlib.metadata import entry_points

    return sorted({ep.name for ep in entry_points(group="jlab_alt")})


@dataclass
class RunningServer:
    """A ``jlab-alt`` process started by :func:`start_server`.

    Attributes:
        url: The app's URL with ``?token=`` (open it in the browser).
        base: ``http://127.0.0.1:<port>/``.
        token: The server token.
        root: The server's root folder (put test files here).
        log_path: Everything the server printed (stdout and stderr).
        env: The environment it runs with (JUPYTER_CONFIG_DIR etc.).
        pid: The server's process id (also its process group id).
        port: The port it listens on.
        spawned_at: When its process was spawned (seconds since the epoch, ``time.time()``):
            benchmarks time a server start from here, not from the launcher's own start.
    """

    url: str
    base: str
    token: str
    root: Path
    log_path: Path = field(default=Path())
    env: dict = field(default_factory=dict, repr=False)
    pid: int = 0
    runtime_dir: Path = field(default=Path())
    port: int = 0
    spawned_at: float = 0.0
    _proc: subprocess.Popen | None = field(default=None, repr=False)
    _log: object = field(default=None, repr=False)
    # What start_server was given, so restart() starts the same server again.
    _launch: dict = field(default_factory=dict, repr=False)

    def api(self, method: str, path: str, body: object | None = None, timeout: float = 20) -> object:
        """Call the server's REST API: ``api("GET", "api/kernels")`` -> parsed JSON (None for 204).

        Raises:
            urllib.error.HTTPError: an error status (its body holds the server's message).
        """
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(
            f"{self.base}{path.lstrip('/')}",
            data=data,
            method=method,
            headers={"Authorization": f"token {self.token}", "Content-Type": "application/json"},
        )
        with _OPENER.open(request, timeout=timeout) as response:
            raw = response.read()
        return json.loads(raw) if raw else None

    def log(self) -> str:
        """What the server printed so far."""
        try:
            return self.log_path.read_text(encoding="utf-8", errors="replace")
        except FileNotFoundError:
            return ""

    def info(self) -> dict:
        """The JSON that ``serve --json`` prints.

        Keys: ``url``, ``base``, ``token``, ``port``, ``root``, ``log`` (the log file),
        ``pid``, ``spawned_at`` (epoch seconds), ``config_dir``, ``data_dir``,
        ``runtime_dir`` and ``env`` (the server's whole environment, to run ``jlab-alt``
        commands against its config).
        """
        return {
            "url": self.url,
            "base": self.base,
            "token": self.token,
            "port": self.port,
            "root": str(self.root),
            "log": str(self.log_path),
            "pid": self.pid,
            "spawned_at": self.spawned_at,
            "config_dir": self.env.get("JUPYTER_CONFIG_DIR", ""),
            "data_dir": self.env.get("JUPYTER_DATA_DIR", ""),
            "runtime_dir": str(self.runtime_dir),
            "env": self.env,
        }

    def exited(self) -> int | None:
        """The server's exit status once its process has ended, else None (it runs)."""
        return None if self._proc is None else self._proc.poll()

    def restart(self, timeout: float = STARTUP_TIMEOUT) -> None:
        """Stop the server (and its kernels and terminals), then start it again with the
        same folders, token, environment and arguments, on the same port when that is
        still free (a page left open reconnects to the same origin), else on a new one:
        ``base``, ``url``, ``port`` and ``pid`` follow. The log goes on in the same file.

        Raises:
            ServerStartError: the new server did not start (the old one stays stopped).
        """
        self.stop()
        with open(self.log_path, "ab") as log:
            log.write(b"\n----- jlab-alt restarted -----\n")
        again = _launch(**{**self._launch, "port": self.port or 0, "timeout": timeout})
        for name in ("url", "base", "pid", "port", "spawned_at", "_proc", "_log"):
            setattr(self, name, getattr(again, name))

    def stop(self) -> None:
        """Stop the server (it shuts its kernels down), then whatever it left behind:
        its process group, and kernels and terminals (their own sessions) that name
        its runtime folder. Idempotent."""
        proc = self._proc
        if proc is not None and proc.poll() is None:
            _signal_group(proc.pid, signal.SIGTERM)
            try:
                proc.wait(timeout=SHUTDOWN_TIMEOUT)
            except subprocess.TimeoutExpired:
                _signal_group(proc.pid, signal.SIGKILL)
                proc.wait()
        if proc is not None:
            _signal_group(proc.pid, signal.SIGKILL)
        for pid in processes_mentioning(str(self.runtime_dir)):
            try:
                os.kill(pid, signal.SIGKILL)
            except OSError:
                pass
        if self._log is not None:
            self._log.close()  # type: ignore[attr-defined]
            self._log = None


def _signal_group(pgid: int, sig: int) -> None:
    try:
        os.killpg(pgid, sig)
    except OSError:
        pass  # already gone


def processes_mentioning(marker: str) -> list[int]:
    """Pids whose command line or environment mentions ``marker`` (a unique runtime
    folder): kernels (``-f <runtime>/kernel-*.json``) and terminado's shells run in
    their own sessions, outside the server's process group."""
    pids = []
    if not marker or marker == ".":
        return pids
    me = os.getpid()
    for entry in os.listdir("/proc") if os.path.isdir("/proc") else []:
        if not entry.isdigit() or int(entry) == me:
            continue
        try:
            with open(f"/proc/{entry}/cmdline", "rb") as f:
                cmdline = f.read()
            with open(f"/proc/{entry}/environ", "rb") as f:
                environ = f.read()
        except OSError:
            continue
        if marker.encode() in cmdline or marker.encode() in environ:
            pids.append(int(entry))
    return pids


def _runtime_info(runtime_dir: Path, pid: int) -> dict | None:
    """The server's runtime file (``jpserver-<pid>.json``) once it is fully written."""
    try:
        return json.loads((runtime_dir / f"jpserver-{pid}.json").read_text(encoding="utf-8"))
    except (FileNotFoundError, json.JSONDecodeError):
        return None


def server_env(base_dir: Path, extra: Mapping[str, str] | None = None,
               disable: Iterable[str] = ()) -> dict:
    """The environment of a test server whose Jupyter folders live in ``base_dir``.

    Drops the developer's ``JLAB_ALT_*`` and Jupyter path variables (nothing from the
    shell may change what the server loads), pins ``SHELL`` (terminado falls back to
    ``sh`` when CI leaves it unset), then applies ``extra`` and ``disable`` (extension
    names, joined into ``JLAB_ALT_DISABLE``).
    """
    env = {
        k: v for k, v in os.environ.items()
        if not (k.startswith("JLAB_ALT_") and k != "JLAB_ALT_CORPUS")
        and k not in ("JUPYTER_TOKEN", "JUPYTER_PATH", "JUPYTER_CONFIG_PATH")
    }
    env.update({
        "JUPYTER_CONFIG_DIR": str(base_dir / "config"),
        "JUPYTER_DATA_DIR": str(base_dir / "data"),
        "JUPYTER_RUNTIME_DIR": str(base_dir / "runtime"),
        "JUPYTER_PLATFORM_DIRS": "1",
        "IPYTHONDIR": str(base_dir / "ipython"),
        "PYTHONUNBUFFERED": "1",
        "SHELL": "/bin/bash" if os.path.exists("/bin/bash") else env.get("SHELL", "/bin/sh"),
    })
    env.setdefault("HOME", str(base_dir))
    env.update(extra or {})
    disabled = [n for n in env.get("JLAB_ALT_DISABLE", "").split(",") if n] + list(disable)
    if disabled:
        env["JLAB_ALT_DISABLE"] = ",".join(dict.fromkeys(disabled))
    return env


def start_server(base_dir: Path | None = None, *, env: Mapping[str, str] | None = None,
                 disable: Iterable[str] = (), only: Iterable[str] | None = None,
                 args: Iterable[str] = (), port: int = 0, token: str | None = None,
                 before: Iterable[Sequence[str]] = (), root: Path | None = None,
                 command_prefix: Sequence[str] = (),
                 timeout: float = STARTUP_TIMEOUT) -> RunningServer:
    """Start ``jlab-alt`` and wait until ``/api/status`` answers.

    Args:
        base_dir: Folder for ``root/``, ``config/``, ``data/``, ``runtime/`` and
            ``server.log`` (a new temporary folder when None; it is not removed).
            Files already in ``root/``, ``config/`` (JUPYTER_CONFIG_DIR, e.g.
            ``jlab_alt/extensions.json``) and ``data/`` (JUPYTER_DATA_DIR, e.g.
            ``kernels/<name>/kernel.json``) are kept: write them before the start.
        env: Extra environment variables for the server (applied last).
        disable: Extension names to disable (``JLAB_ALT_DISABLE``).
        only: When given, every installed extension NOT named here is disabled (test
            your extension alone).
        args: Extra command-line arguments (``--ServerApp.base_url=/x/``...).
        port: 0 (default): the server picks a free port itself (``--ServerApp.port=0``),
            so no other process can take it between choosing and binding. Another
            number is tried first and, when it is taken, the server picks one.
        token: The server token (default: a new random one).
        before: ``jlab-alt`` command lines (argument lists, e.g. ``["extension",
            "disable", "server_info"]``) run in order with the server's environment
            before it starts, as a user would have run them.
        root: The server's root folder, when not ``base_dir/root`` (e.g. one folder of
            generated files that several servers serve in turn).
        command_prefix: A command the server runs under, e.g. ``["prlimit",
            "--fsize=262144:unlimited", "--"]`` (a fault test's file size limit); it must
            end by exec'ing its arguments, so the server's pid is the one spawned.
        timeout: Seconds to wait for the server to answer.

    The port is read from the server's runtime file (``jpserver-<pid>.json``).

    Raises:
        ServerStartError: a ``before`` command failed, or the server exited or did not
            answer in time (the output is included).
    """
    base_dir = Path(base_dir) if base_dir else Path(tempfile.mkdtemp(prefix="jlab-alt-test-"))
    root = Path(root) if root else base_dir / "root"
    for d in (root, base_dir / "runtime", base_dir / "config", base_dir / "data"):
        d.mkdir(parents=True, exist_ok=True)
    if only is not None:
        keep = set(only)
        disable = [*disable, *(n for n in installed_extensions() if n not in keep)]
    full_env = server_env(base_dir, env, disable)
    token = token or secrets.token_hex(24)
    for command in before:
        _run_jlab_alt(list(command), full_env, root, timeout)
    (base_dir / "server.log").write_bytes(b"")
    return _launch(base_dir=base_dir, root=root, env=full_env, token=token, args=list(args),
                   port=port, prefix=list(command_prefix), timeout=timeout)


def _run_jlab_alt(argv: list[str], env: Mapping[str, str], cwd: Path, timeout: float) -> str:
    """Run ``jlab-alt <argv>`` (its output on success; ServerStartError otherwise)."""
    try:
        result = subprocess.run([sys.executable, "-m", "jlab_alt", *argv], env=dict(env), cwd=cwd,
                                capture_output=True, text=True, timeout=timeout,
                                stdin=subprocess.DEVNULL)
    except subprocess.TimeoutExpired as err:
        raise ServerStartError(f"jlab-alt {' '.join(argv)} did not finish in {timeout:.0f} s") from err
    if result.returncode:
        raise ServerStartError(f"jlab-alt {' '.join(argv)} exited with {result.returncode}:\n"
                               f"{result.stdout}{result.stderr}")
    return result.stdout + result.stderr


def _launch(*, base_dir: Path, root: Path, env: dict, token: str, args: list[str], port: int,
            prefix: list[str], timeout: float) -> RunningServer:
    """Spawn the server of :func:`start_server` (appending to its log) and wait for it;
    a taken ``port`` falls back once to one the server picks."""
    runtime, log_path = base_dir / "runtime", base_dir / "server.log"
    log = open(log_path, "ab")  # noqa: SIM115 - closed by RunningServer.stop
    log_start = log.tell()
    spawned_at = time.time()
    proc = subprocess.Popen(
        [*prefix, sys.executable, "-m", "jlab_alt", "--no-browser", f"--ServerApp.port={port}",
         "--ServerApp.port_retries=0", "--ServerApp.ip=127.0.0.1",
         f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={root}",
         *(["--allow-root"] if os.geteuid() == 0 else []), *args],
        stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, env=env,
        cwd=root, start_new_session=True,
    )
    server = RunningServer(url="", base="", token=token, root=root, log_path=log_path,
                           env=env, pid=proc.pid, runtime_dir=runtime, spawned_at=spawned_at,
                           _proc=proc, _log=log,
                           _launch={"base_dir": base_dir, "root": root, "env": env, "token": token,
                                    "args": args, "port": port, "prefix": prefix,
                                    "timeout": timeout})
    try:
        deadline = time.monotonic() + timeout
        base = None
        while True:
            if proc.poll() is not None:
                this_run = log_path.read_bytes()[log_start:].decode("utf-8", "replace")
                if port and re.search(r"port \d+ is already in use|address already in use|Errno 98", this_run, re.I):
                    # The port was taken meanwhile: the server picks a free one instead.
                    server.stop()
                    return _launch(base_dir=base_dir, root=root, env=env, token=token, args=args,
                                   port=0, prefix=prefix, timeout=timeout)
                raise ServerStartError(f"jlab-alt exited with {proc.returncode}:\n{server.log()}")
            if base is None:
                info = _runtime_info(runtime, proc.pid)
                if info:
                    server.port = int(info["port"])
                    base = f"http://127.0.0.1:{info['port']}{info.get('base_url', '/')}"
            if base is not None:
                # The runtime file is written before the socket listens: ask until it answers.
                try:
                    with _OPENER.open(f"{base}api/status?token={token}", timeout=5) as r:
                        json.load(r)
                    break
                except (OSError, ValueError):
                    pass
            if time.monotonic() > deadline:
                raise ServerStartError(f"jlab-alt did not answer in {timeout:.0f} s:\n{server.log()}")
            time.sleep(0.05)  # polling the runtime file and the socket, not waiting out time
    except BaseException:
        server.stop()
        raise
    server.base = base
    server.url = f"{base}jlab-alt?token={token}"
    return server


def running_kernels_and_terminals(server: RunningServer) -> tuple[set[str], set[str]]:
    """Ids of the server's kernels and names of its terminals (REST)."""
    kernels = {k["id"] for k in server.api("GET", "api/kernels")}  # type: ignore[union-attr]
    try:
        terminals = {t["name"] for t in server.api("GET", "api/terminals")}  # type: ignore[union-attr]
    except urllib.error.HTTPError:
        terminals = set()  # terminals disabled on this server
    return kernels, terminals


def shut_down(server: RunningServer, kernels: Iterable[str], terminals: Iterable[str]) -> list[str]:
    """Shut down ``kernels`` and ``terminals`` through the REST API (gone ones are fine).

    Returns:
        What could not be shut down, as messages (empty when all went).
    """
    problems = []
    for kind, ids in (("kernels", kernels), ("terminals", terminals)):
        for ident in ids:
            try:
                server.api("DELETE", f"api/{kind}/{ident}")
            except urllib.error.HTTPError as err:
                if err.code != 404:
                    problems.append(f"{kind}/{ident}: HTTP {err.code}")
            except OSError as err:
                problems.append(f"{kind}/{ident}: {err}")
    return problems
