"""The notebooks in JupyterLab, where students work: MyST renders as it does in the book.

Starts a real JupyterLab server (the ``lab`` extra: jupyterlab and jupyterlab-myst) on
127.0.0.1 and opens notebooks in Debian's Chromium with Playwright. Without jupyterlab-myst a
definition, an exercise and a hint are grey code blocks with raw LaTeX, solutions print in
full under their exercises and every hint is open; with it they are boxes, folded until
clicked. (Two things jupyterlab-myst 2.7 does not resolve yet: a citation shows its BibTeX
key where the book shows "(Elman, 1990)", and a ``{prf:ref}`` stays raw text.)
"""

from __future__ import annotations

import os
import re
import secrets
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from tests.chromium import CHROMIUM, CHROMIUM_ARGS

ROOT = Path(__file__).resolve().parent.parent

if not CHROMIUM.exists():
    pytest.skip("Lab test skipped: /usr/bin/chromium is missing", allow_module_level=True)
sync_api = pytest.importorskip("playwright.sync_api",
                               reason="Lab test skipped: the playwright package is missing")
pytest.importorskip("jupyterlab_myst", reason="Lab test skipped: jupyterlab-myst is missing "
                    "(pip install -e '.[lab]')")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_until_up(url: str, server: subprocess.Popen, seconds: float = 90) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"JupyterLab exited with code {server.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except OSError:
            time.sleep(0.5)
    raise TimeoutError(f"JupyterLab did not answer {url} within {seconds} s")


@pytest.fixture(scope="module")
def lab_url(tmp_path_factory):
    """A JupyterLab server on the repository, with its state in a temporary folder."""
    home = tmp_path_factory.mktemp("lab")
    port, token = free_port(), secrets.token_hex(16)
    env = {**os.environ, "JUPYTER_RUNTIME_DIR": str(home / "runtime"),
           "JUPYTERLAB_SETTINGS_DIR": str(home / "settings")}
    server = subprocess.Popen(
        [sys.executable, "-m", "jupyter", "lab", "--no-browser", "--allow-root",
         f"--ServerApp.port={port}", "--ServerApp.ip=127.0.0.1", f"--ServerApp.token={token}",
         f"--ServerApp.root_dir={ROOT}", "--ServerApp.port_retries=0",
         f"--LabApp.workspaces_dir={home / 'workspaces'}"],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(f"{base}/api/status?token={token}", server)
        # reset: a fresh workspace each time, not the notebooks the last test left open
        yield lambda path: f"{base}/lab/tree/{path}?reset&token={token}"
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:  # a kernel slow to shut down on a loaded machine
            server.kill()
            server.wait()


@pytest.fixture(scope="module")
def browser():
    with sync_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


def open_notebook(browser, lab_url, path: str):
    """A page with the notebook open and its markdown rendered by jupyterlab-myst."""
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.route(lambda url: not url.startswith("http://127.0.0.1"),
               lambda route: route.abort())  # Lab works offline; nothing may leave
    page.goto(lab_url(path))
    page.wait_for_selector(".jp-Notebook .jp-MarkdownCell .myst", timeout=90_000)
    # Lab redraws the cells once the kernel is up, which closes any fold opened before
    page.wait_for_selector(".jp-Notebook-ExecutionIndicator[data-status='idle']", timeout=90_000)
    return page


def test_a_definition_is_a_box_with_typeset_math(browser, lab_url):
    page = open_notebook(browser, lab_url, "book/04_bptt.ipynb")
    definition = page.locator("aside.myst-proof").first
    definition.wait_for(timeout=30_000)
    assert "Definition" in definition.locator(".myst-proof-header").inner_text()
    assert definition.locator(".katex").count() > 0
    assert "{prf:definition}" not in page.locator(".jp-Notebook").inner_text()
    page.close()


@pytest.mark.parametrize(("notebook", "selector", "raw"), [
    ("book/02_rnn_structure.ipynb", "details.myst-exercise", "{solution}"),  # solutions
    ("exercises/03_bptt.ipynb", "details.myst-admonition.dropdown", "{admonition}"),  # hints
])
def test_dropdowns_are_folded_until_clicked(browser, lab_url, notebook, selector, raw):
    page = open_notebook(browser, lab_url, notebook)
    folds = page.locator(selector)
    folds.first.wait_for(state="attached", timeout=30_000)
    assert folds.count() > 0
    assert all(folds.nth(k).get_attribute("open") is None for k in range(folds.count()))
    assert raw not in page.locator(".jp-Notebook").inner_text()
    folds.first.locator("summary").click()
    # the renderer may redraw the cell after the click: wait for the fold to settle open
    sync_api.expect(folds.first).to_have_attribute("open", re.compile(".*"), timeout=10_000)
    page.close()
