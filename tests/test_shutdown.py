"""The ``jlab-alt`` process exits when its server stops with requests still in flight."""

from __future__ import annotations

import http.client
import signal
import subprocess
import sys
import textwrap
import threading

from jlab_alt.testing.server import start_server

# A request handler as the server's stop leaves it: it used an AnyIO worker thread (as the
# contents manager does for every file read) and its task is still pending when the loop stops.
CUT_OFF_REQUEST = textwrap.dedent(
    """
    import asyncio, sys
    import anyio
    from jlab_alt.shutdown import release_worker_threads

    loop = asyncio.new_event_loop()

    async def request():
        await anyio.to_thread.run_sync(lambda: None)
        loop.stop()
        await asyncio.Event().wait()

    task = loop.create_task(request())
    loop.run_forever()
    released = release_worker_threads() if sys.argv[1] == "release" else 0
    print("released", released, flush=True)
    """
)


def run_cut_off_request(mode: str, timeout: float) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", CUT_OFF_REQUEST, mode], capture_output=True, text=True, timeout=timeout)


def test_the_process_exits_once_worker_threads_of_cut_off_requests_are_released():
    # Without the release the interpreter waits for the thread forever; 120 s only bounds
    # a failing run on a loaded machine, the exit itself takes well under a second.
    done = run_cut_off_request("release", timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "released 1"


def test_the_server_exits_on_sigterm_while_a_page_keeps_reading_files(tmp_path):
    """Before the release, the server hung at exit in most such stops until killed (its
    launcher's SIGKILL after 15 s): an open page polls the file listing all the time."""
    server = start_server(tmp_path / "server")
    (server.root / "big.txt").write_text("x" * 5_000_000)
    stop = threading.Event()
    reading = threading.Barrier(4)

    def page() -> None:
        # One keep-alive connection, as a browser's: its next request arrives during the stop.
        connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
        first = True
        while not stop.is_set():
            try:
                connection.request("GET", "/api/contents/big.txt?content=1", headers={"Authorization": f"token {server.token}"})
                connection.getresponse().read()
            except (OSError, http.client.HTTPException):
                return
            finally:
                if first:
                    first = False
                    reading.wait()

    pages = [threading.Thread(target=page, daemon=True) for _ in range(3)]
    for thread in pages:
        thread.start()
    reading.wait()
    try:
        server.stop()
    finally:
        stop.set()
    assert server.exited() not in (None, -signal.SIGKILL), server.log()[-3000:]
