"""``JlabAltPage``: a Playwright page on a running jlab-alt, with helpers that drive the app
as a user would and wait on the app's own signals (``document.body.dataset.jaState``,
``window.jlabAlt``, ``data-testid`` attributes, a notebook's ``data-built``), never on time.

Every helper raises ``playwright.sync_api.TimeoutError`` (or ``AssertionError`` from
Playwright's ``expect``) when the condition it waits for does not come within the page's
default timeout (30 s; kernels get :data:`KERNEL_TIMEOUT`), and ``ValueError`` for bad
arguments (an unknown command, cell index, menu item, sidebar panel).
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from urllib.parse import urlsplit
from typing import Any

from .server import RunningServer
from .snapshots import compare_screenshot

KERNEL_TIMEOUT = 60_000
"""Milliseconds a kernel may take to start or to finish a cell's run."""

# Observes a cell's class list so a run that starts and ends between two of our
# round trips is still seen (MutationObserver records keep the old class value).
_WATCH_RUNS = """(cells) => cells.map((cell) => {
  const state = { cell, seen: cell.classList.contains('ja-mod-running') };
  state.observer = new MutationObserver((records) => {
    for (const r of records) {
      if ((r.oldValue || '').includes('ja-mod-running') || cell.classList.contains('ja-mod-running')) state.seen = true;
    }
  });
  state.observer.observe(cell, { attributes: true, attributeFilter: ['class'], attributeOldValue: true });
  return state;
})"""
_RUNS_DONE = """(states) => states.every((s) => s.seen && !s.cell.classList.contains('ja-mod-running'))"""
_STOP_WATCHING = """(states) => states.forEach((s) => s.observer.disconnect())"""


def _empty_notebook(kernel: str | None) -> str:
    metadata: dict[str, Any] = {}
    if kernel:
        metadata["kernelspec"] = {"name": kernel, "display_name": kernel, "language": "python"}
    cell = {"cell_type": "code", "id": "cell-0", "metadata": {}, "source": [],
            "execution_count": None, "outputs": []}
    return json.dumps({"cells": [cell], "metadata": metadata, "nbformat": 4, "nbformat_minor": 5}, indent=1) + "\n"


#: Fonts that Debian and Ubuntu images (and most CI runners) install with Chromium.
SCREENSHOT_FONTS: tuple[str, str] = ("DejaVu Sans", "DejaVu Sans Mono")

_PIN_FONTS = """([text, mono]) => {
  const root = document.documentElement.style;
  if (text === null) { root.removeProperty('--ja-font'); root.removeProperty('--ja-font-mono'); return; }
  root.setProperty('--ja-font', `"${text}", sans-serif`);
  root.setProperty('--ja-font-mono', `"${mono}", monospace`);
  return document.fonts.ready.then(() => undefined);
}"""


class JlabAltPage:
    """The app loaded and started in a Playwright page, with helpers.

    Attributes:
        page: The Playwright ``Page`` (use any Playwright call on it; string
            expressions work: the test context bypasses the app's CSP).
        server: The :class:`~jlab_alt.testing.server.RunningServer`.
        root: The server's root folder (``Path``): files written here can be opened.
        url: The app's URL with the token.
        token: The server's token.
        output_dir: Where this test's screenshots, traces and logs go.
    """

    def __init__(self, page: Any, server: RunningServer, output_dir: Path, snapshot_dir: Path,
                 update_snapshots: bool = False) -> None:
        self.page = page
        self.server = server
        self.root = server.root
        self.url = server.url
        self.token = server.token
        self.output_dir = output_dir
        self.snapshot_dir = snapshot_dir
        self.update_snapshots = update_snapshots
        self.screenshot_fonts: tuple[str, str] | None = SCREENSHOT_FONTS
        """The ``(text, monospace)`` font families screenshots are taken with, so a baseline
        does not depend on which system fonts a machine picks for the app's font stacks;
        None keeps the app's own."""
        self.prefix = ""
        """Where :attr:`root` is inside the server's root ("" or "sub/folder/")."""
        self.path: str | None = None
        """Server-root-relative path of the notebook the notebook helpers act on (the last opened)."""

    # ------------------------------------------------------------------ the app
    def goto(self) -> None:
        """Load the app and wait until it has started (every plugin activated or failed)."""
        from playwright.sync_api import expect

        self.page.goto(self.url)
        expect(self.page.locator("body")).to_have_attribute("data-ja-state", "ready")
        self.page.evaluate("() => window.jlabAlt.started")

    def plugin_failures(self) -> list[dict]:
        """Plugins that failed to activate and extensions that failed to load:
        ``[{"id": plugin id or extension name, "extension": name or None, "error": str}]``."""
        return self.page.evaluate("""() => {
          const app = window.jlabAlt;
          const out = app.plugins.list().filter((p) => p.status.state === 'failed')
            .map((p) => ({ id: p.id, extension: app.pluginSource.get(p.id) || null, error: p.status.error }));
          for (const f of app.extensionFailures) out.push({ id: f.extension, extension: f.extension, error: f.error });
          return out;
        }""")

    def assert_no_failed_plugins(self) -> None:
        """Raise ``AssertionError`` naming every plugin that failed to activate (and its
        error, and its extension) and every extension that failed to load."""
        failures = self.plugin_failures()
        if failures:
            lines = [f"- {f['id']}" + (f" (extension {f['extension']!r})" if f["extension"] else "") + f": {f['error']}"
                     for f in failures]
            raise AssertionError("jlab-alt plugins failed to activate:\n" + "\n".join(lines))

    # ------------------------------------------------------------------ commands
    def run_command(self, command: str, args: dict | None = None) -> Any:
        """Run a command by id (``"notebook:run-all-cells"``) or label (``"Run All Cells"``)
        through the app's command registry; returns what it returns (if JSON-able).

        Raises:
            ValueError: no command has that id or label.
        """
        result = self.page.evaluate("""async ([command, args]) => {
          const commands = window.jlabAlt.commands;
          let id = command;
          if (!commands.hasCommand(id)) {
            id = commands.listCommands().find((c) => commands.label(c, args) === command);
            if (!id) return { missing: true };
          }
          const value = await commands.execute(id, args);
          try { return { value: JSON.parse(JSON.stringify(value ?? null)) }; } catch { return { value: null }; }
        }""", [command, args or {}])
        if result.get("missing"):
            raise ValueError(f"No command has the id or label {command!r}")
        return result.get("value")

    def palette(self, label: str) -> str:
        """Open the command palette (Ctrl+Shift+C), type ``label`` and choose the entry whose
        label is exactly ``label``; waits until the palette closes. Returns the command id.

        Raises:
            ValueError: no palette entry has that label.
        """
        from playwright.sync_api import expect

        self.page.keyboard.press("Control+Shift+C")
        palette = self.page.get_by_test_id("command-palette")
        expect(palette).to_be_visible()
        self.page.get_by_test_id("command-palette-input").fill(label)
        item = palette.get_by_test_id("command-palette-item").filter(
            has=self.page.locator(".ja-Palette-label", has_text=re.compile(f"^{re.escape(label)}$")))
        try:
            expect(item.first).to_be_visible(timeout=5_000)
        except AssertionError:
            self.page.keyboard.press("Escape")
            raise ValueError(f"The command palette has no entry labelled {label!r}") from None
        command = item.first.get_attribute("data-command") or ""
        item.first.click()
        expect(palette).to_be_hidden()
        return command

    def menu(self, path: str | list[str]) -> None:
        """Choose a menu item: ``menu("File>New>Notebook")`` or ``menu(["File", "New", "Notebook"])``
        (labels as shown, trailing "…" optional). Waits until the menu closes.

        Raises:
            ValueError: a label is not in the menu bar or the open menu.
        """
        from playwright.sync_api import expect

        parts = [p.strip() for p in (path.split(">") if isinstance(path, str) else path)]
        top = self.page.get_by_test_id("menubar-item").filter(has_text=re.compile(f"^{re.escape(parts[0])}$"))
        if top.count() == 0:
            raise ValueError(f"The menu bar has no menu {parts[0]!r}")
        top.click()
        container = self.page.get_by_test_id("menu")
        for i, label in enumerate(parts[1:]):
            expect(container.last).to_be_visible()
            pattern = re.compile(f"^{re.escape(label.rstrip('…'))}…?$")
            item = container.last.locator(".ja-Menu-item").filter(
                has=self.page.locator(".ja-Menu-label", has_text=pattern))
            if item.count() == 0:
                self.page.keyboard.press("Escape")
                raise ValueError(f"The menu {' > '.join(parts[:i + 1])} has no item {label!r}")
            item.first.click()
            container = self.page.get_by_test_id("submenu")
        expect(self.page.get_by_test_id("menu")).to_have_count(0)

    def sidebar(self, name: str, side: str = "left") -> Any:
        """Show the sidebar panel whose id or label is ``name`` (clicking its tab when it
        is not shown) and return a locator of the panel.

        Raises:
            ValueError: no sidebar tab has that id or label.
        """
        from playwright.sync_api import expect

        tab = self.page.locator(f".ja-SideBar-tab[data-id={json.dumps(name)}], "
                                f".ja-SideBar-tab[aria-label={json.dumps(name)}]")
        if tab.count() == 0:
            raise ValueError(f"No sidebar tab has the id or label {name!r}")
        widget_id = tab.first.get_attribute("data-id")
        shown = f"(id) => window.jlabAlt.shell.{side}.current?.id === id"
        if not self.page.evaluate(shown, widget_id):
            tab.first.click()
        self.page.wait_for_function(shown, arg=widget_id)
        panel = self.page.locator(f".ja-SideBar-panel.ja-mod-{side} > :not([hidden])")
        expect(panel.first).to_be_visible()
        return panel.first

    def set_theme(self, name: str) -> None:
        """Switch to the theme ``"light"``, ``"dark"`` or ``"system"`` (the theme's command, as
        the View menu does) and wait until the page shows it (``<html data-theme>``)."""
        if name not in ("light", "dark", "system"):
            raise ValueError(f"Unknown theme {name!r}: use light, dark or system")
        self.run_command(f"theme:{name}")
        if name != "system":
            self.page.wait_for_function("(t) => document.documentElement.dataset.theme === t", arg=name)

    def setting(self, plugin_id: str, key: str, value: Any) -> dict:
        """Set one user setting of ``plugin_id`` (kept with the user's other values) through the
        app's settings client, so the app follows it live; returns the composite settings.

        Raises:
            playwright.sync_api.Error: the server refused the value (its schema message).
        """
        return self.page.evaluate("""async ([id, key, value]) => {
          const settings = window.jlabAlt.settings;
          const current = (await settings.fetch(id)).settings || {};
          const saved = await settings.save(id, { ...current, [key]: value });
          return saved.composite || {};
        }""", [plugin_id, key, value])

    # ------------------------------------------------------------------ documents
    def document(self, path: str | None = None) -> Any:
        """The locator of the open document panel of ``path`` (default: the current notebook)."""
        path = self.prefix + path if path else self.path
        if not path:
            raise ValueError("No notebook is open: call open() or new_notebook() first")
        return self.page.locator(f'[data-testid="document"][data-path={json.dumps(path)}]')

    def open(self, path: str) -> Any:
        """Open ``path`` (relative to :attr:`root`) as a user would from "Open from Path", and
        wait until it is shown (a notebook: the cells near the screen drawn; the others are
        empty shells until scrolled to, which the cell helpers do). Returns the panel
        locator; a notebook becomes the one the notebook helpers act on.

        Raises:
            FileNotFoundError: ``path`` is not under the root.
        """
        from playwright.sync_api import expect

        if not (self.root / path).exists():
            raise FileNotFoundError(f"{self.root / path} does not exist")
        path = self.prefix + path
        self.run_command("docmanager:open-path", {"path": path})
        panel = self.page.locator(f'[data-testid="document"][data-path={json.dumps(path)}]')
        expect(panel).to_be_visible()
        if path.endswith(".ipynb"):
            self.path = path
            expect(panel.get_by_test_id("notebook")).to_have_attribute("data-built", "near")
        return panel

    def new_notebook(self, kernel: str | None = "python3", path: str | None = None) -> Any:
        """Create a notebook with one empty code cell and open it; with ``kernel``, wait until
        its kernel is idle. ``path`` (root-relative) defaults to an "Untitled" name chosen
        by the app ("File > New > Notebook"). Returns the panel locator."""
        if path is None:
            self.run_command("notebook:create-new", {"cwd": self.prefix.rstrip("/"), "kernelName": kernel or ""})
            created = self.page.evaluate(
                "() => window.jlabAlt.docManager.pathOf(window.jlabAlt.shell.currentWidget)")
            if not created:
                raise AssertionError(f"No notebook was created (the app's notifications say why)")
            panel = self.open(created[len(self.prefix):])
        else:
            target = self.root / path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(_empty_notebook(kernel), encoding="utf-8")
            panel = self.open(path)
        if kernel:
            self.wait_for_idle()
        return panel

    # ------------------------------------------------------------------ cells
    def _cells(self) -> Any:
        return self.document().get_by_test_id("cell")

    def _cell(self, index: int) -> Any:
        from playwright.sync_api import expect

        count = self._cells().count()
        if not 0 <= index < count:
            raise ValueError(f"{self.path} has no cell {index} (it has {count})")
        cell = self._cells().nth(index)
        # Only cells near the screen are drawn (the others are empty shells of their
        # height): scrolled to first, as a person would.
        cell.scroll_into_view_if_needed()
        expect(cell).not_to_have_class(re.compile(r"\bja-mod-unbuilt\b"))
        return cell

    def _select(self, index: int) -> Any:
        from playwright.sync_api import expect

        cell = self._cell(index)
        cell.click(position={"x": 6, "y": 3})  # the margin beside the input, as a person would
        expect(cell).to_have_class(re.compile(r"ja-mod-active"))
        expect(self.document().get_by_test_id("notebook")).to_be_focused()
        return cell

    def cell_count(self) -> int:
        """How many cells the current notebook shows."""
        return self._cells().count()

    def set_cell(self, index: int, source: str) -> None:
        """Replace cell ``index``'s text with ``source`` (pasted, so it is kept exactly) and
        return to command mode."""
        from playwright.sync_api import expect

        cell = self._select(index)
        self.page.keyboard.press("Enter")
        editor = cell.locator(".cm-content")
        expect(editor).to_be_focused()
        self.page.keyboard.press("Control+A")
        self.page.evaluate("""(text) => {
          const data = new DataTransfer();
          data.setData('text/plain', text);
          document.activeElement.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
        }""", source)
        expect(editor).to_have_text(source.replace("\n", ""))
        self.page.keyboard.press("Escape")
        expect(self.document().get_by_test_id("notebook")).to_be_focused()

    def add_cell(self, source: str = "", type: str = "code") -> int:  # noqa: A002 - nbformat's word
        """Add a ``type`` cell ("code", "markdown", "raw") after the last one, with ``source``;
        returns its index."""
        from playwright.sync_api import expect

        if type not in ("code", "markdown", "raw"):
            raise ValueError(f"Unknown cell type {type!r}")
        count = self.cell_count()
        self._select(count - 1)
        self.page.keyboard.press("b")
        expect(self._cells()).to_have_count(count + 1)
        if type != "code":
            self.run_command("notebook:change-cell-type", {"type": type})
            expect(self._cells().nth(count)).to_have_attribute("data-type", type)
        if source:
            self.set_cell(count, source)
        return count

    def _run_and_wait(self, cells: list[Any], start: Any) -> None:
        handles = [c.element_handle() for c in cells]
        states = self.page.evaluate_handle(_WATCH_RUNS, handles)
        try:
            start()
            self.page.wait_for_function(_RUNS_DONE, arg=states, timeout=KERNEL_TIMEOUT)
        finally:
            self.page.evaluate(_STOP_WATCHING, states)
            states.dispose()

    def _code_cells_to_run(self, indices: list[int]) -> list[Any]:
        out = []
        for i in indices:
            cell = self._cell(i)
            # Only code cells run (a rendered Markdown cell has no input in the page to read).
            if cell.get_attribute("data-type") != "code":
                continue
            text = cell.locator(":is(.cm-content, pre.ja-Cell-static)").first.inner_text()
            if text.strip():
                out.append(cell)
        return out

    def run_cell(self, index: int) -> str:
        """Run cell ``index`` (Ctrl+Enter) and wait until its run has finished (an empty or
        non-code cell is only rendered). Returns the cell's output text."""
        self._select(index)
        self._run_and_wait(self._code_cells_to_run([index]), lambda: self.page.keyboard.press("Control+Enter"))
        self._wait_rendered([index])
        return self.cell_output_text(index)

    def _wait_rendered(self, indices: list[int]) -> None:
        # Rich outputs render asynchronously (lazy-loaded renderers): wait until every
        # output of these cells has content.
        from playwright.sync_api import expect

        for i in indices:
            expect(self._cell(i).locator(".ja-Output > .ja-Output-body:empty")).to_have_count(0)

    def run_all(self) -> None:
        """Run every cell ("Run All Cells") and wait until each code cell with source has run."""
        todo = self._code_cells_to_run(list(range(self.cell_count())))
        self._select(0)
        self._run_and_wait(todo, lambda: self.run_command("notebook:run-all-cells"))
        self._wait_rendered(list(range(self.cell_count())))

    def wait_for_idle(self, timeout: float = KERNEL_TIMEOUT) -> None:
        """Wait until the current notebook's kernel is idle (started, or done running)."""
        from playwright.sync_api import expect

        expect(self.document().get_by_test_id("kernel-status")).to_have_attribute(
            "data-status", "idle", timeout=timeout)

    def kernel_status(self) -> str:
        """The current notebook's kernel status as shown: "idle", "busy", "starting", "dead"..."""
        return self.document().get_by_test_id("kernel-status").get_attribute("data-status") or ""

    def cell_output_text(self, index: int) -> str:
        """The text of cell ``index``'s outputs as rendered (all outputs, joined by newlines)."""
        outputs = self._cell(index).get_by_test_id("output-area").locator(".ja-Output > .ja-Output-body")
        return "\n".join(t.rstrip("\n") for t in outputs.all_inner_texts())

    def cell_outputs(self, index: int) -> list[dict]:
        """Cell ``index``'s outputs as rendered: ``[{"output_type": "stream" | "execute_result" |
        "display_data" | "error", "text": str, "html": str, "images": [src, ...]}]``."""
        return self._cell(index).get_by_test_id("output-area").locator(".ja-Output").evaluate_all(
            """(nodes) => nodes.map((n) => ({
              output_type: n.dataset.outputType,
              text: n.querySelector('.ja-Output-body').innerText.trimEnd(),
              html: n.querySelector('.ja-Output-body').innerHTML,
              images: [...n.querySelectorAll('img')].map((i) => i.getAttribute('src')),
            }))""")

    def save(self) -> None:
        """Save the current notebook (Ctrl+S) and wait until the server has written it and its
        tab shows no unsaved changes.

        Raises:
            AssertionError: the server refused the save (its status).
        """
        from playwright.sync_api import expect

        name = self.path.rsplit("/", 1)[-1]
        self.document().get_by_test_id("notebook").focus()
        with self.page.expect_response(_is_save_answer) as saved:
            self.page.keyboard.press("Control+S")
        status = saved.value.status
        if status != 200:
            raise AssertionError(f"The server refused to save {self.path}: HTTP {status}")
        expect(self.page.locator(".dv-tab").filter(has_text=re.compile(f"{re.escape(name)}$")).first).to_have_text(name)

    # ------------------------------------------------------------------ screenshots
    def expect_screenshot(self, name: str, locator: Any = None, *, threshold: float = 0.1,
                          max_diff_ratio: float = 0.0) -> None:
        """Compare a screenshot of the page (or ``locator``) with ``<snapshot dir>/<name>.png``.

        Rendering is made stable first: caret hidden, animations and transitions off, the
        app's fonts pinned to :attr:`screenshot_fonts` (and restored afterwards), web fonts
        loaded, pointer moved away. ``threshold`` is the per-pixel colour distance
        (0-1) under which pixels count as equal; ``max_diff_ratio`` the share of differing
        pixels allowed. With ``--update-snapshots`` the stored file is (re)written instead.

        Raises:
            AssertionError: no stored file (it is written, so the next run compares), a
                different size, or too many differing pixels; the message names the
                actual, expected and diff images written to :attr:`output_dir`.
        """
        if not name.endswith(".png"):
            name += ".png"
        self.page.mouse.move(0, 0)
        if self.screenshot_fonts is not None:
            self.page.evaluate(_PIN_FONTS, list(self.screenshot_fonts))
        self.page.evaluate("() => document.fonts.ready.then(() => undefined)")
        target = locator if locator is not None else self.page
        try:
            png = target.screenshot(animations="disabled", caret="hide")
        finally:
            if self.screenshot_fonts is not None:
                self.page.evaluate(_PIN_FONTS, [None, None])
        compare_screenshot(png, self.snapshot_dir / name, self.output_dir, update=self.update_snapshots,
                           threshold=threshold, max_diff_ratio=max_diff_ratio)


def _is_save_answer(response: Any) -> bool:
    """Whether ``response`` is the server's answer to the page saving a document.

    A notebook whose cells have ids is saved by its changes (``POST
    jlab-alt/api/save-delta/<path>``); one the server cannot merge into (422) is then sent
    whole, as every other document is (``PUT api/contents/<path>``), so 422 is not the answer.
    """
    method, path = response.request.method, urlsplit(response.url).path
    if method == "POST" and "/jlab-alt/api/save-delta/" in path:
        return response.status != 422
    return method == "PUT" and "/api/contents/" in path
