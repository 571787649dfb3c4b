"""Saving files whole: a server killed mid-save leaves the old version or the new one.

jupyter_server's ``FileContentsManager`` (with its default ``use_atomic_writing``)
copies the old file to ``.~name`` and then rewrites the file *in place*: a server
killed with SIGKILL while it writes leaves a truncated file next to the copy. The
host restores a notebook from that copy the next time it is read (silently, moving
the damaged file to ``name.invalid``); a text file stays damaged.

jlab-alt instead writes whole files atomically, as editors do: the new content goes
to a temporary file in the same folder, is flushed and ``fsync``-ed, then renamed over
the file (``os.replace`` is atomic on POSIX), and the folder is ``fsync``-ed so the
rename itself survives a power cut. At every instant the path names either the old
or the new complete file; a killed save only leaves a hidden ``.~name.*.tmp`` behind.
We chose this over detecting the host's ``.~name`` at open because it prevents the
damage for every file type instead of repairing notebooks after the fact; the host's
repair stays in place as a second net for files written by other frontends.

A rename would replace a read-only file (it needs only the folder's permission), so
a file without write permission is refused with a clear 403, as an in-place write
would be. A full disk (``ENOSPC``, ``EDQUOT``, or ``EFBIG`` over a file size limit)
fails with a clear 507 and leaves the file untouched. The file's permission bits,
owner (when the server may set it) and symlinks are kept. Folders the server may
not write to fall back to the host's own (in-place) writing.

Installed on the server's contents manager by :func:`install` (``JlabAltApp.atomic_saves``,
on by default); ``AtomicSaveMixin`` can also be mixed into a custom contents manager.
"""

from __future__ import annotations

import errno
import os
import stat
import tempfile
from contextlib import contextmanager
from typing import Any, Iterator

from jupyter_server.services.contents.fileio import FileManagerMixin
from jupyter_server.utils import to_api_path
from tornado.web import HTTPError

#: Errors that mean "no room for the file": disk full, quota, file size limit.
DISK_FULL_ERRNOS = {errno.ENOSPC, errno.EDQUOT, errno.EFBIG}


def _umask() -> int:
    """The process's umask, read without changing it (Linux), else the common 022."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError):
        pass
    return 0o022


def _fsync_dir(path: str) -> None:
    """Flush a folder's entries (the rename) to disk; not every platform allows it."""
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


@contextmanager
def write_whole_file(path: str, text: bool = True, encoding: str = "utf-8", **kwargs: Any) -> Iterator[Any]:
    """Open a temporary file beside ``path``; on success it atomically replaces ``path``.

    Args:
        path: The file to write (a symlink's target is written; the link stays).
        text: Text mode with ``encoding`` and Unix line feeds, else binary.
        **kwargs: Passed to :func:`io.open` (``newline``...); ``log`` is ignored.

    Raises:
        PermissionError: ``path`` exists without write permission (a rename would
            bypass it), or the folder refuses the temporary file.
        OSError: writing failed (disk full...); ``path`` is untouched and the
            temporary file removed.
    """
    kwargs.pop("log", None)
    path = os.path.realpath(path)
    folder = os.path.dirname(path) or os.getcwd()
    try:
        old = os.stat(path)
    except FileNotFoundError:
        old = None
    if old is not None and (not os.access(path, os.W_OK) or not stat.S_IMODE(old.st_mode) & 0o222):
        raise PermissionError(errno.EACCES, "The file is read-only", path)
    fd, tmp = tempfile.mkstemp(prefix=".~" + os.path.basename(path) + ".", suffix=".tmp", dir=folder)
    try:
        mode = stat.S_IMODE(old.st_mode) if old is not None else 0o666 & ~_umask()
        os.chmod(tmp, mode)
        if old is not None and (old.st_uid != os.getuid() or old.st_gid != os.getgid()):
            try:
                os.chown(tmp, old.st_uid, old.st_gid)
            except OSError:
                pass  # Not allowed: the file becomes the server user's, as a new file would.
        if text:
            kwargs.setdefault("newline", "\n")
            fileobj = open(fd, "w", encoding=encoding, **kwargs)  # noqa: SIM115
        else:
            fileobj = open(fd, "wb", **kwargs)  # noqa: SIM115
        with fileobj:
            yield fileobj
            fileobj.flush()
            os.fsync(fileobj.fileno())
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
    _fsync_dir(folder)


class AtomicSaveMixin(FileManagerMixin):
    """Make a file contents manager's saves atomic (see the module's docstring).

    Overrides ``atomic_writing``, through which ``_save_notebook`` and ``_save_file``
    of jupyter_server's (async) file contents managers write. ``use_atomic_writing =
    False`` keeps the host's plain in-place writing.
    """

    @contextmanager
    def atomic_writing(self, os_path: str, *args: Any, **kwargs: Any) -> Iterator[Any]:
        api_path = to_api_path(os_path, root=self.root_dir)  # type: ignore[attr-defined]
        folder = os.path.dirname(os.path.realpath(os_path)) or os.getcwd()
        if not self.use_atomic_writing or not os.access(folder, os.W_OK):
            with super().atomic_writing(os_path, *args, **kwargs) as f:
                yield f
            return
        try:
            with write_whole_file(os_path, *args, **kwargs) as f:
                yield f
        except PermissionError as err:
            raise HTTPError(
                403,
                f"Permission denied: {api_path} is read-only, so it was not changed.",
            ) from err
        except OSError as err:
            if err.errno in DISK_FULL_ERRNOS:
                raise HTTPError(
                    507,
                    f"Not enough disk space to save {api_path} ({err.strerror}); the file on disk was not changed.",
                ) from err
            raise


def install(contents_manager: Any) -> bool:
    """Give a running file contents manager atomic saves, by mixing in :class:`AtomicSaveMixin`.

    Returns:
        Whether it was installed: False for contents managers that do not write
        local files through ``FileManagerMixin`` (e.g. a database-backed one).
    """
    cls = type(contents_manager)
    if not isinstance(contents_manager, FileManagerMixin):
        return False
    if isinstance(contents_manager, AtomicSaveMixin):
        return True
    atomic = type(cls)(f"Atomic{cls.__name__}", (AtomicSaveMixin, cls), {"__module__": cls.__module__})
    contents_manager.__class__ = atomic
    return True
