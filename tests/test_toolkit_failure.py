"""A failed browser test keeps its Playwright trace, a screenshot and the server log;
a passing one keeps nothing (run in a separate pytest, as an author's project would)."""

from __future__ import annotations

import subprocess
import sys
import zipfile

AUTHOR_TESTS = '''
def test_passes(jlab_alt_page):
    jlab_alt_page.assert_no_failed_plugins()

def test_fails(jlab_alt_page):
    jlab_alt_page.run_command("theme:dark")
    assert jlab_alt_page.kernel_status() == "nonsense", "deliberately failing"
'''


def test_failed_test_keeps_trace_screenshot_and_server_log(tmp_path):
    (tmp_path / "test_author.py").write_text(AUTHOR_TESTS, encoding="utf-8")
    out = tmp_path / "results"
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "--output", str(out),
         "--rootdir", str(tmp_path), str(tmp_path / "test_author.py")],
        cwd=tmp_path, capture_output=True, text=True, timeout=300, stdin=subprocess.DEVNULL,
    )
    assert result.returncode == 1, result.stdout[-3000:] + result.stderr[-2000:]
    assert "1 failed, 1 passed" in result.stdout, result.stdout[-3000:]
    # The failing call was "No notebook is open" from kernel_status: a clear ValueError.
    assert "No notebook is open" in result.stdout
    kept = sorted(p.name for p in out.iterdir())
    assert kept == ["test_author.py-test_fails"], kept
    folder = out / kept[0]
    assert sorted(p.name for p in folder.iterdir()) == ["failure.png", "server.log", "trace.zip"]
    assert (folder / "failure.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert "jlab-alt" in (folder / "server.log").read_text(encoding="utf-8", errors="replace").lower()
    with zipfile.ZipFile(folder / "trace.zip") as trace:
        assert any(name.endswith(".trace") for name in trace.namelist())
