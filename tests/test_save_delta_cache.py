"""What the save-by-changes handler keeps of the notebooks it wrote (``SavedNotebooks``).

A server that saves many large notebooks by changes must not keep every one it wrote:
the kept notebooks are bounded by count and by their files' bytes together, the least
recently saved or used dropped first.
"""

from __future__ import annotations

import nbformat

from jlab_alt.savedelta.handlers import SavedNotebooks

MB = 1024 * 1024
WHEN = "2026-01-01T00:00:00Z"


class FakeContents:
    """A contents manager that knows each file's size and hash (as ``require_hash`` gives them)."""

    def __init__(self) -> None:
        self.sizes: dict[str, int] = {}

    def get(self, path: str, content: bool = True, require_hash: bool = False) -> dict:
        return {"path": path, "last_modified": WHEN, "size": self.sizes[path], "hash": f"h-{path}", "hash_algorithm": "sha256"}

    def mark_trusted_cells(self, nb, path) -> None:
        pass


def keep(cache: SavedNotebooks, cm: FakeContents, path: str, size: int) -> None:
    cm.sizes[path] = size
    saved = {"path": path, "last_modified": WHEN}
    cache.remember(path, saved, cm.get(path, content=False, require_hash=True), nbformat.v4.new_notebook())


def test_kept_notebooks_stay_within_their_byte_budget_dropping_the_least_recently_used():
    cm = FakeContents()
    cache = SavedNotebooks()
    keep(cache, cm, "a.ipynb", 25 * MB)
    keep(cache, cm, "b.ipynb", 25 * MB)
    # Using a.ipynb for a save makes b.ipynb the least recently used.
    assert cache.content_if_unchanged(cm, "a.ipynb", cm.get("a.ipynb", content=False)) is not None
    keep(cache, cm, "c.ipynb", 25 * MB)
    assert cache.kept_paths() == ["a.ipynb", "c.ipynb"]
    assert cache.kept_bytes == 50 * MB <= SavedNotebooks.MAX_BYTES
    # The next save of the dropped notebook reads the file, as without the cache.
    assert cache.content_if_unchanged(cm, "b.ipynb", cm.get("b.ipynb", content=False)) is None


def test_a_notebook_larger_than_the_budget_is_not_kept_and_saving_again_replaces_its_size():
    cm = FakeContents()
    cache = SavedNotebooks()
    keep(cache, cm, "small.ipynb", 1 * MB)
    keep(cache, cm, "huge.ipynb", SavedNotebooks.MAX_BYTES + 1)
    assert cache.kept_paths() == ["small.ipynb"]
    keep(cache, cm, "small.ipynb", 2 * MB)
    assert cache.kept_bytes == 2 * MB
