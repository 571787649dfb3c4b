"""Let the ``jlab-alt`` process exit once the server's event loop has stopped.

jupyter_server's contents manager runs file operations in AnyIO worker threads. AnyIO
ends such a thread only when the task that first used it (its "root task") finishes,
and its threads are not daemons, so the interpreter waits for them at exit. When the
server stops (SIGTERM, Ctrl+C) it stops its event loop without finishing the tasks of
requests still in flight, and an open page polls the file listing all the time: a
request caught mid-way leaves its task unfinished forever, and the process hung at
exit until killed (jupyterlab/jupyterlab#10442, agronholm/anyio#321 tell the same story).
"""

from __future__ import annotations

import queue
import threading


def release_worker_threads() -> int:
    """Tell the AnyIO worker threads still alive to end, as their root tasks never will.

    Call it only after the event loop has stopped (nothing can hand them work any more).
    A thread busy with a call finishes that call first. Returns how many were told.
    """
    released = 0
    for thread in threading.enumerate():
        stop = getattr(thread, "stop", None)
        if not type(thread).__module__.startswith("anyio.") or not callable(stop) or getattr(thread, "stopping", False):
            continue
        try:
            stop()  # queues the "shut down" item the thread's loop waits for
        except queue.Full:
            continue  # calls still queued that no loop will collect: nothing more to do
        released += 1
    return released
