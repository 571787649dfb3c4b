"""Which notebooks on disk are, byte for byte in content, what the page last saved.

Saving by changes merges the page's changes into the file on disk, so it is right only
when that file holds what the page last sent. A pre-save hook may rewrite a save (an
extension stripping outputs, say): merged into such a file, the cells the page does not
send again would keep the rewrite, and turning the hook off would never bring them back.
JupyterLab does not meet this because it always sends the whole notebook.

So, while an extension implements ``jlab_alt_pre_save``, each notebook save records
whether the hooks left its content as sent (a fingerprint before and after them, on the
server, only then), and a delta is accepted only onto a file whose last save here was left
as sent. Hooks of the host (``ContentsManager.pre_save_hook`` and ones registered by
other server extensions) run outside jlab-alt's view, so with any of those every save is
whole. jlab-alt's own hooks keep the content (``exact_save`` only re-spells numbers as
they were on disk).
"""

from __future__ import annotations

import hashlib
import json
from typing import Any, Callable

from .merge import parse_time


def fingerprint(content: Any) -> str:
    """A digest of a notebook's content as JSON (key order ignored)."""
    data = json.dumps(content, sort_keys=True, ensure_ascii=False, default=str).encode("utf-8", "surrogatepass")
    return hashlib.blake2b(data, digest_size=16).hexdigest()


class VerbatimSaves:
    """The ``last_modified`` of each notebook whose last save here was written as sent.

    Args:
        third_party_hooks: returns the names of extensions implementing ``jlab_alt_pre_save``.
    """

    def __init__(self, third_party_hooks: Callable[[], list[str]]) -> None:
        self._third_party_hooks = third_party_hooks
        self._pending: dict[str, bool] = {}
        self._saved_at: dict[str, Any] = {}

    def run_pre_save(self, model: dict[str, Any], path: str, hooks: Callable[[], None]) -> None:
        """Run ``hooks`` on ``model`` (being saved at API ``path``), noting whether they changed it."""
        watch = model.get("type") == "notebook" and bool(self._third_party_hooks())
        before = fingerprint(model.get("content")) if watch else None
        hooks()
        if watch:
            self._pending[path.strip("/")] = before == fingerprint(model.get("content"))

    def saved(self, model: dict[str, Any]) -> None:
        """Note a finished save; ``model`` is the host's model of the file written (no content)."""
        path = str(model.get("path") or "").strip("/")
        verbatim = self._pending.pop(path, None)
        if verbatim:
            self._saved_at[path] = model.get("last_modified")
        else:
            self._saved_at.pop(path, None)

    def holds_what_was_sent(self, path: str, on_disk_last_modified: Any) -> bool:
        """Whether the file at ``path`` (of ``on_disk_last_modified``) can take a delta.

        Always true while no extension implements ``jlab_alt_pre_save``; otherwise only
        when the file is the one this server's last save of it wrote as sent.
        """
        if not self._third_party_hooks():
            return True
        saved_at = self._saved_at.get(path.strip("/"))
        return saved_at is not None and parse_time(saved_at) == parse_time(on_disk_last_modified)
