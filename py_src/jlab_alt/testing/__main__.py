"""``python -m jlab_alt.testing serve --json``: start a test server and say where it is.

The one launcher for every test set-up (the pytest plugin, and the TypeScript UI tests
and benchmarks, which can spawn this instead of their own launchers): a fresh root,
config, data and runtime folder, a port the server picks itself, a random token.

It prints one line once the server answers (with ``--json``, the JSON of
:meth:`RunningServer.info <jlab_alt.testing.server.RunningServer.info>`)::

    {"url": "http://127.0.0.1:PORT/jlab-alt?token=T", "base": "http://127.0.0.1:PORT/",
     "token": "T", "port": PORT, "root": "/tmp/.../root", "log": "/tmp/.../server.log",
     "pid": 1234, "spawned_at": 1767225600.5, "config_dir": "...", "data_dir": "...",
     "runtime_dir": "...", "env": {...}}

Then it reads commands, one a line, on its standard input:

- ``restart``: stop the server and start it again (same folders, token and port when
  free, see :meth:`RunningServer.restart <jlab_alt.testing.server.RunningServer.restart>`),
  then print a new line as above;
- ``stop``, or the end of its input, or SIGTERM/SIGINT: stop the server with every
  kernel and terminal it started, and exit 0.

Exit status 1 (and the server's log on stderr) when the server cannot start or restart;
2 when the server exits by itself while it is being served (its log on stderr).
"""

from __future__ import annotations

import argparse
import json
import queue
import signal
import sys
import threading
from pathlib import Path

from .server import ServerStartError, start_server


def main(argv: list[str] | None = None) -> int:
    """Run the command line in ``argv`` (default: ``sys.argv[1:]``); returns the exit status."""
    parser = argparse.ArgumentParser(prog="python -m jlab_alt.testing")
    sub = parser.add_subparsers(dest="command", required=True)
    serve = sub.add_parser("serve", help="start a jlab-alt test server and print where it is")
    serve.add_argument("--json", action="store_true", help="print the server's details as one JSON line")
    serve.add_argument("--dir", type=Path, default=None,
                       help="folder for root/, config/, runtime/ and server.log (default: a new temporary one)")
    serve.add_argument("--env", action="append", default=[], metavar="NAME=VALUE",
                       help="an environment variable for the server (repeatable)")
    serve.add_argument("--disable", action="append", default=[], metavar="EXTENSION",
                       help="disable an extension (repeatable)")
    serve.add_argument("--only", action="append", default=None, metavar="EXTENSION",
                       help="disable every extension but these (repeatable)")
    serve.add_argument("--root", type=Path, default=None,
                       help="the server's root folder (default: root/ in --dir)")
    serve.add_argument("--port", type=int, default=0,
                       help="try this port first (default: the server picks a free one)")
    serve.add_argument("--token", default=None, help="the server token (default: a random one)")
    serve.add_argument("--before", action="append", default=[], metavar="JSON_ARGS",
                       help='a jlab-alt command line run before the start with the server\'s '
                            'environment, as a JSON list: \'["extension", "disable", "x"]\' (repeatable)')
    serve.add_argument("--prefix", default=None, metavar="JSON_ARGS",
                       help='a command the server runs under, as a JSON list: '
                            '\'["prlimit", "--fsize=262144:unlimited", "--"]\'')
    serve.add_argument("server_args", nargs="*", help="extra jlab-alt arguments (after --)")
    options = parser.parse_args(argv)

    env = {}
    for item in options.env:
        name, sep, value = item.partition("=")
        if not sep:
            parser.error(f"--env needs NAME=VALUE, not {item!r}")
        env[name] = value
    before = []
    for item in options.before:
        try:
            argv_ = json.loads(item)
        except ValueError:
            argv_ = None
        if not (isinstance(argv_, list) and all(isinstance(a, str) for a in argv_)):
            parser.error(f"--before needs a JSON list of strings, not {item!r}")
        before.append(argv_)
    try:
        prefix = json.loads(options.prefix) if options.prefix else []
    except ValueError:
        prefix = None
    if not (isinstance(prefix, list) and all(isinstance(a, str) for a in prefix)):
        parser.error(f"--prefix needs a JSON list of strings, not {options.prefix!r}")
    try:
        server = start_server(options.dir, env=env, disable=options.disable, only=options.only,
                              args=options.server_args, port=options.port, token=options.token,
                              before=before, root=options.root, command_prefix=prefix)
    except ServerStartError as err:
        print(err, file=sys.stderr)
        return 1
    commands: queue.Queue[str] = queue.Queue()
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: commands.put("stop"))

    def read_commands() -> None:
        for line in sys.stdin:
            commands.put(line.strip())
        commands.put("stop")

    threading.Thread(target=read_commands, daemon=True).start()

    def announce() -> None:
        if options.json:
            print(json.dumps(server.info()), flush=True)
        else:
            print(f"jlab-alt test server: {server.url}\nroot: {server.root}\nlog: {server.log_path}", flush=True)

    try:
        announce()
        while True:
            try:
                command = commands.get(timeout=0.5)
            except queue.Empty:
                # Between commands, notice a server that died by itself (the caller's test fails).
                if server.exited() is not None:
                    print(f"jlab-alt exited by itself with {server.exited()}:\n{server.log()}", file=sys.stderr)
                    return 2
                continue
            if command == "stop":
                return 0
            if command == "restart":
                try:
                    server.restart()
                except ServerStartError as err:
                    print(err, file=sys.stderr)
                    return 1
                announce()
            elif command:
                print(f"unknown command {command!r} (restart, stop)", file=sys.stderr, flush=True)
    finally:
        server.stop()

if __name__ == "__main__":
    sys.exit(main())
