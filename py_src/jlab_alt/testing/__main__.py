"""``python -m jlab_alt.testing serve --json``: start a test server and say where it is.

The one launcher for every test set-up (the pytest plugin, and the TypeScript UI tests
and benchmarks, which can spawn this instead of their own launchers): a fresh root,
config, data and runtime folder, a port the server picks itself, a random token.

It prints one line once the server answers, then waits until its standard input
closes or it gets SIGTERM/SIGINT, and stops the server with every kernel and terminal
it started::

    {"url": "http://127.0.0.1:PORT/jlab-alt?token=T", "base": "http://127.0.0.1:PORT/",
     "token": "T", "root": "/tmp/.../root", "log": "/tmp/.../server.log", "pid": 1234}

Exit status 1 (and the server's log on stderr) when the server cannot start.
"""

from __future__ import annotations

import argparse
import json
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
    serve.add_argument("server_args", nargs="*", help="extra jlab-alt arguments (after --)")
    options = parser.parse_args(argv)

    env = {}
    for item in options.env:
        name, sep, value = item.partition("=")
        if not sep:
            parser.error(f"--env needs NAME=VALUE, not {item!r}")
        env[name] = value
    try:
        server = start_server(options.dir, env=env, disable=options.disable, only=options.only,
                              args=options.server_args)
    except ServerStartError as err:
        print(err, file=sys.stderr)
        return 1
    stop = threading.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: stop.set())
    threading.Thread(target=lambda: (sys.stdin.read(), stop.set()), daemon=True).start()
    try:
        if options.json:
            print(json.dumps(server.info()), flush=True)
        else:
            print(f"jlab-alt test server: {server.url}\nroot: {server.root}\nlog: {server.log_path}", flush=True)
        stop.wait()
    finally:
        server.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
