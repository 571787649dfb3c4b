"""The pytest hooks and fixtures of :mod:`jlab_alt.testing` (its ``pytest11`` plugin).

They live apart from the package so that ``python -m jlab_alt.testing serve`` (the
launcher every UI test and benchmark spawns) starts without importing pytest; the
package takes them in when pytest loads it (see ``jlab_alt/testing/__init__.py``).
"""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path
from typing import Any, Iterator

import pytest

from . import DEFAULT_CHROMIUM
from .server import RunningServer, running_kernels_and_terminals, shut_down, start_server

_REPORTS = pytest.StashKey[dict]()


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("jlab-alt", "jlab-alt browser tests")
    group.addoption("--jlab-alt-chromium", default=None,
                    help="Chromium executable for jlab_alt_page (default: $JLAB_ALT_CHROMIUM, else "
                         f"{DEFAULT_CHROMIUM}; ignored with --browser-channel). Never downloaded.")
    group.addoption("--update-snapshots", action="store_true", default=False,
                    help="jlab_alt_page.expect_screenshot() rewrites the stored screenshots.")
    group.addoption("--jlab-alt-keep", choices=["on-failure", "always", "never"], default="on-failure",
                    help="When to keep a test's Playwright trace, screenshot and server log (default on-failure).")


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "jlab_alt_shared_server: jlab_alt_page uses the module's shared server")


_parked_loop: list = []
_PLAYWRIGHT_FIXTURES = {"jlab_alt_page", "jlab_alt_browser", "playwright", "browser", "context", "page"}


def _unpark_playwright_loop() -> None:
    """Mark Playwright's loop as the running one again before a Playwright call."""
    import asyncio

    if _parked_loop and asyncio._get_running_loop() is None:
        asyncio._set_running_loop(_parked_loop.pop())


def _park_playwright_loop() -> None:
    """Unmark Playwright's loop as running (between tests: other plugins' loops may run)."""
    import asyncio

    running = asyncio._get_running_loop()
    if running is not None:
        asyncio._set_running_loop(None)
        _parked_loop[:] = [running]


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item: pytest.Item) -> None:
    # A test using Playwright (our fixtures or pytest-playwright's) gets its loop back;
    # other tests (asyncio.run, pytest-asyncio...) find no loop marked as running.
    if _PLAYWRIGHT_FIXTURES & set(getattr(item, "fixturenames", ())):
        _unpark_playwright_loop()
    else:
        _park_playwright_loop()


@pytest.hookimpl(wrapper=True)
def pytest_fixture_setup(fixturedef: Any, request: pytest.FixtureRequest) -> Any:
    # pytest-jupyter's autouse ``jp_asyncio_loop`` takes the thread's current event loop
    # and closes it after the test. Playwright's sync API keeps its own loop marked as
    # running between calls, for the whole session once a browser test ran: that loop
    # would be taken ("Cannot close a running event loop"), and async tests could not
    # run theirs. Park Playwright's loop (a browser test takes it back in
    # ``jlab_alt_page``) and let pytest-jupyter make a loop of its own.
    import asyncio

    running = asyncio._get_running_loop()
    if fixturedef.argname == "jp_asyncio_loop" and running is not None:
        asyncio._set_running_loop(None)
        _parked_loop[:] = [running]
        asyncio.set_event_loop(asyncio.new_event_loop())
    return (yield)


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo) -> Any:
    report = yield
    item.stash.setdefault(_REPORTS, {})[report.when] = report
    return report


def _failed(request: pytest.FixtureRequest) -> bool:
    reports = request.node.stash.get(_REPORTS, {})
    return any(r.failed for r in reports.values())


@pytest.fixture
def jlab_alt_server_config(tmp_path: Path) -> dict:
    """Server config enabling the ``jlab_alt`` extension, with settings in ``tmp_path``."""
    from traitlets.config import Config

    return Config(
        {
            "ServerApp": {"jpserver_extensions": {"jlab_alt": True}},
            "JlabAltApp": {"user_settings_dir": str(tmp_path / "user-settings")},
        }
    )


@pytest.fixture(scope="module")
def jlab_alt_server_options() -> dict:
    """Options for the servers the fixtures start; override it (module scope) to change them:
    ``{"env": {"NAME": "value"}, "disable": ["other_ext"], "only": ["my_ext"], "args": [...]}``.
    ``only`` disables every installed extension not listed (test yours alone)."""
    return {}


def _start(base: Path, options: dict) -> RunningServer:
    return start_server(base, env=options.get("env"), disable=options.get("disable", ()),
                        only=options.get("only"), args=options.get("args", ()))


@pytest.fixture
def jlab_alt_server(tmp_path: Path, jlab_alt_server_options: dict) -> Iterator[RunningServer]:
    """A ``jlab-alt`` process for this test alone, with a fresh root (``.root``), config
    and runtime folder; stopped afterwards with every kernel and terminal it started.

    The server picks its own free port; the fixture waits (up to 60 s) until
    ``/api/status`` answers. Yields a :class:`RunningServer` (``url``, ``base``, ``token``,
    ``root``, ``log_path``, ``api(method, path, body)``).

    Raises:
        ServerStartError: the server exited or did not answer in time (its log is included).
    """
    server = _start(tmp_path, jlab_alt_server_options)
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="module")
def jlab_alt_shared_server(tmp_path_factory: pytest.TempPathFactory,
                           jlab_alt_server_options: dict) -> Iterator[RunningServer]:
    """One ``jlab-alt`` process for the whole test module (faster). Tests share its root,
    settings and kernels: ``jlab_alt_page`` shuts down what each test started, and gives
    each test a fresh sub-folder as its ``root``."""
    server = _start(tmp_path_factory.mktemp("jlab-alt-shared"), jlab_alt_server_options)
    try:
        yield server
    finally:
        server.stop()


def _chromium_path(config: pytest.Config) -> str | None:
    if config.getoption("--browser-channel", None):
        return None
    path = config.getoption("--jlab-alt-chromium") or os.environ.get("JLAB_ALT_CHROMIUM") or DEFAULT_CHROMIUM
    if not (os.path.isfile(path) and os.access(path, os.X_OK)):
        raise pytest.UsageError(
            f"jlab_alt_page needs Chromium: {path} is not an executable. Install your system's "
            "chromium (apt install chromium), or name one with --jlab-alt-chromium=PATH or "
            "JLAB_ALT_CHROMIUM, or use --browser-channel=chrome.")
    return path


@pytest.fixture(scope="session")
def jlab_alt_browser(pytestconfig: pytest.Config, request: pytest.FixtureRequest) -> Iterator[Any]:
    """The Chromium that ``jlab_alt_page`` uses, launched once per session (worker): the
    system's (``--jlab-alt-chromium`` / ``JLAB_ALT_CHROMIUM`` / ``/usr/bin/chromium``), or
    ``--browser-channel``'s; headless unless ``--headed``. Never downloaded."""
    try:
        request.getfixturevalue("playwright")
    except pytest.FixtureLookupError:
        pytest.fail('jlab_alt_page needs pytest-playwright: pip install "jlab-alt[testing]"', pytrace=False)
    playwright = request.getfixturevalue("playwright")
    args = dict(request.getfixturevalue("browser_type_launch_args"))
    executable = _chromium_path(pytestconfig)
    if executable:
        args["executable_path"] = executable
    browser = playwright.chromium.launch(**args)
    yield browser
    _unpark_playwright_loop()
    browser.close()


def _slug(nodeid: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]+", "-", nodeid).strip("-")[:150]


@pytest.fixture
def jlab_alt_page(request: pytest.FixtureRequest, jlab_alt_browser: Any, pytestconfig: pytest.Config) -> Iterator[Any]:
    """A :class:`~jlab_alt.testing.page.JlabAltPage`: the app loaded in a fresh browser
    context and started (``document.body.dataset.jaState == "ready"`` and
    ``jlabAlt.started``), on this test's own server (``jlab_alt_server``), or on the
    module's (``jlab_alt_shared_server``) when the test is marked
    ``@pytest.mark.jlab_alt_shared_server`` (then ``.root`` is a fresh sub-folder).

    The context bypasses the page's Content-Security-Policy (tests only: the product's
    policy is unchanged) so ``page.wait_for_function("...")`` and other string scripts
    work. Rendering is stable: 1280x800, light colour scheme, reduced motion, UTC, en-US.

    Teardown shuts down every kernel and terminal the test started (REST), and, for a
    failed test, keeps ``trace.zip`` (``playwright show-trace``), ``failure.png`` and
    ``server.log`` in ``<--output>/<test id>/`` (``test-results/`` by default).
    """
    from .page import JlabAltPage

    _unpark_playwright_loop()
    shared = request.node.get_closest_marker("jlab_alt_shared_server") is not None
    server = request.getfixturevalue("jlab_alt_shared_server" if shared else "jlab_alt_server")
    before = running_kernels_and_terminals(server)
    root = server.root
    if shared:
        root = server.root / _slug(request.node.name)
        root.mkdir(parents=True, exist_ok=True)
    output_root = Path(pytestconfig.getoption("--output", None) or "test-results").absolute()
    output_dir = output_root / _slug(request.node.nodeid)
    test_file = Path(str(request.node.fspath))
    snapshot_dir = test_file.parent / "__snapshots__" / test_file.stem
    context = jlab_alt_browser.new_context(
        bypass_csp=True, viewport={"width": 1280, "height": 800}, color_scheme="light",
        reduced_motion="reduce", locale="en-US", timezone_id="UTC", device_scale_factor=1,
    )
    context.set_default_timeout(30_000)
    keep = pytestconfig.getoption("--jlab-alt-keep")
    if keep != "never":
        context.tracing.start(screenshots=True, snapshots=True, sources=False)
    page = context.new_page()
    app = JlabAltPage(page, server, output_dir, snapshot_dir, pytestconfig.getoption("--update-snapshots"))
    app.root = root
    app.prefix = "" if root == server.root else root.relative_to(server.root).as_posix() + "/"
    started = False
    try:
        app.goto()
        started = True
        yield app
    finally:
        _unpark_playwright_loop()
        # An app that did not start is a failure too (its trace says why).
        failed = not started or _failed(request)
        if keep == "always" or (keep == "on-failure" and failed):
            output_dir.mkdir(parents=True, exist_ok=True)
            try:
                page.screenshot(path=str(output_dir / "failure.png"))
            except Exception:  # noqa: BLE001 - a crashed page must not hide the test's failure
                pass
            context.tracing.stop(path=str(output_dir / "trace.zip"))
            if server.log_path.exists():
                shutil.copyfile(server.log_path, output_dir / "server.log")
        elif keep != "never":
            context.tracing.stop()
        context.close()
        # pytest-jupyter's autouse teardown (``jp_server_cleanup``) runs its own loop next.
        _park_playwright_loop()
        kernels, terminals = running_kernels_and_terminals(server)
        problems = shut_down(server, kernels - before[0], terminals - before[1])
        if problems:
            raise RuntimeError("jlab_alt_page could not shut down: " + "; ".join(problems))

__all__ = [
    "pytest_addoption",
    "pytest_configure",
    "pytest_runtest_setup",
    "pytest_fixture_setup",
    "pytest_runtest_makereport",
    "jlab_alt_server_config",
    "jlab_alt_server_options",
    "jlab_alt_server",
    "jlab_alt_shared_server",
    "jlab_alt_browser",
    "jlab_alt_page",
]
