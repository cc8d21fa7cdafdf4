"""Open every page of the built book in headless Chromium and check what a reader sees.

Reads ``_build/html`` (``make test`` builds the book first), serves it on 127.0.0.1 from a
thread, and drives Debian's ``/usr/bin/chromium`` with Playwright for Python (never a browser
that Playwright downloads). Every request that would leave localhost is recorded and blocked:
the book must work with no network. One screenshot per page goes to ``_build/screenshots/``.

Per page (every page but the search page and the root redirect, which have tests of their
own): math typeset by MathJax (no raw TeX left), every image loaded, figures on chapter
pages, no error output (on exercise pages too: a reader sees the tasks, the stubs and the
checks' lines, not the errors of cells that call a stub), no dead widget, solution dropdowns
closed until clicked, every ``.course-rnn-frames`` slider changes its image, every
``.course-rnn-quiz`` opens, local links and the "download .ipynb" file exist. Once: dark mode
and search. The lecture decks have a test of their own (``tests/test_decks.py``).
"""

from __future__ import annotations

import functools
import http.server
import json
import re
import shutil
import threading
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from tests.chromium import CHROMIUM, CHROMIUM_ARGS, Guard

ROOT = Path(__file__).resolve().parent.parent
HTML = ROOT / "_build" / "html"
SCREENSHOTS = ROOT / "_build" / "screenshots"

if not CHROMIUM.exists():
    pytest.skip("browser test skipped: /usr/bin/chromium is missing (Debian: apt-get install "
                "chromium; .ci/run installs it)", allow_module_level=True)
sync_api = pytest.importorskip(
    "playwright.sync_api", reason="browser test skipped: the playwright package is missing "
    "(pip install -e '.[test]')")
if not (HTML / "index.html").exists():
    pytest.skip("browser test skipped: no built book in _build/html (run `make book`, or "
                "`make test`, which builds it first)", allow_module_level=True)

# Every page; search.html has test_search, index.html (a redirect to the first chapter) has
# test_index_redirects.
PAGES = sorted(p.relative_to(HTML).as_posix() for p in HTML.rglob("*.html")
               if p.relative_to(HTML).parts[0] not in ("_static", "_sources", "_images")
               and p.relative_to(HTML).as_posix() not in ("search.html", "index.html"))
# A numbered chapter (book/01_..., book/02_...) teaches with figures; the preface may not.
CHAPTER = re.compile(r"^book/(?!00_)\d\d_.*\.html$")


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - the base class's signature
        pass


@pytest.fixture(scope="module")
def base_url():
    """The built book, served by http.server on a free port of 127.0.0.1."""
    handler = functools.partial(_QuietHandler, directory=str(HTML))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    """Chromium with a fresh profile, and its network guard."""
    shutil.rmtree(SCREENSHOTS, ignore_errors=True)  # only this run's pictures
    guard = Guard()
    with sync_api.sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            str(tmp_path_factory.mktemp("chromium-profile")), executable_path=str(CHROMIUM),
            args=CHROMIUM_ARGS, headless=True, viewport={"width": 1280, "height": 900})
        guard.attach(context)
        yield context, guard
        context.close()


@pytest.fixture
def page(browser):
    context, guard = browser
    page = context.new_page()
    guard.take()
    yield page
    page.close()


def screenshot(page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / (name.replace("/", "__") + ".png")), full_page=True)


def wait_for_mathjax(page) -> list[str]:
    """Wait until MathJax 3 has typeset the page (pages without math do not load it)."""
    try:
        page.wait_for_function(
            "() => !document.querySelector('.math') || (window.MathJax && MathJax.startup"
            " && MathJax.startup.promise)", timeout=20_000)
        page.evaluate("() => window.MathJax && MathJax.startup ? MathJax.startup.promise : 0")
    except sync_api.Error as error:
        return [f"MathJax did not load or finish: {str(error).splitlines()[0]}"]
    return []


# Runs in the page: a list of problems found in the static content.
PAGE_CHECKS_JS = r"""
([chapterPage]) => {
  const problems = [];
  const article = document.querySelector('article') || document.body;
  // Math: every Sphinx math node holds a MathJax container, and no TeX error.
  const math = [...article.querySelectorAll('.math')];
  const raw = math.filter(m => !m.querySelector('mjx-container'));
  if (raw.length) problems.push(`${raw.length} of ${math.length} math nodes not typeset, ` +
                                `first: ${raw[0].textContent.slice(0, 80)}`);
  const merror = article.querySelectorAll('mjx-merror');
  if (merror.length) problems.push(`MathJax error: ${merror[0].textContent.slice(0, 80)}`);
  // Raw $$ in prose means a formula the parser did not see (code is allowed its dollars).
  const prose = article.cloneNode(true);
  prose.querySelectorAll('pre, code, script, style, .highlight, mjx-container')
       .forEach(e => e.remove());
  const tex = prose.textContent.match(/\\\(.{0,60}?\\\)|\\\[.{0,60}?\\\]/s);
  if (tex) problems.push(`TeX left untypeset: ${tex[0]}`);
  if (prose.textContent.includes('$$')) {
    const text = prose.textContent.replace(/\s+/g, ' '), at = text.indexOf('$$');
    problems.push(`raw $$ left in the text: ...${text.slice(Math.max(0, at - 40), at + 40)}...`);
  }
  // Images: loaded, and chapters have figures.
  const images = [...article.querySelectorAll('img')];
  for (const img of images) {
    if (!img.complete || img.naturalWidth === 0)
      problems.push(`image not loaded: ${(img.getAttribute('src') || '').slice(0, 80)}`);
  }
  if (chapterPage && images.length === 0) problems.push('a chapter page without any figure');
  // Error output: tracebacks and stderr, none anywhere.
  for (const out of article.querySelectorAll('.output.traceback, .output.stderr, .output.error')) {
    const text = out.textContent.replace(/\s+/g, ' ').trim();
    problems.push(`error output: ${text.slice(0, 160)}`);
  }
  for (const msg of article.querySelectorAll('.system-message, .problematic'))
    problems.push(`docutils problem: ${msg.textContent.trim().slice(0, 120)}`);
  // A widget view in the static page has no kernel behind it: a dead control.
  const widgets = article.querySelectorAll(
      'script[type="application/vnd.jupyter.widget-view+json"]');
  if (widgets.length) problems.push(`${widgets.length} ipywidgets view(s) on the page: tag ` +
                                    `their cell remove-output (use viz.frames for the book)`);
  return problems;
}
"""


def check_links(page, page_path: str) -> list[str]:
    """Local links (navigation, download .ipynb, references) point at files that exist."""
    problems = []
    hrefs = page.evaluate("() => [...document.querySelectorAll('a[href]')]"
                          ".map(a => a.getAttribute('href'))")
    for href in hrefs:
        parts = urlsplit(href)
        if parts.scheme or parts.netloc or not parts.path:
            continue  # external links are fine to show, and #anchors stay on the page
        target = (HTML / page_path).parent / unquote(parts.path)
        if not target.resolve().exists():
            problems.append(f"broken link: {href}")
        elif target.suffix == ".ipynb" and "cells" not in json.loads(target.read_text()):
            problems.append(f"download {href} is not a notebook")
    return problems


def check_solutions(page) -> list[str]:
    """Solutions start collapsed and show their content when their toggle is clicked."""
    problems = []
    for k, solution in enumerate(page.locator("div.solution").all()):
        content = solution.locator("section").first
        if content.is_visible():
            problems.append(f"solution {k + 1} is open before any click (should be a dropdown)")
            continue
        solution.locator(".toggle-button").first.click()
        try:
            content.wait_for(state="visible", timeout=3_000)
        except sync_api.TimeoutError:
            problems.append(f"solution {k + 1} does not open on click")
    return problems


def check_frames(page) -> list[str]:
    """Each precomputed-frames slider shows another image when moved."""
    problems = []
    for k, root in enumerate(page.locator(".course-rnn-frames").all()):
        image, slider = root.locator("img").first, root.locator("input[type=range]").first
        if image.count() == 0 or slider.count() == 0:
            problems.append(f"frames slider {k + 1} lacks its image or its range input")
            continue
        before = image.get_attribute("src")
        last = slider.get_attribute("max")
        slider.evaluate("(s, v) => { s.value = v; s.dispatchEvent(new Event('input')); }", last)
        if last == "0" or image.get_attribute("src") == before:
            problems.append(f"frames slider {k + 1} does not change its image when moved")
    return problems


def check_quizzes(page) -> list[str]:
    """Every <details> of every quiz opens on a click on its summary and shows its answer."""
    problems = []
    for k, quiz in enumerate(page.locator(".course-rnn-quiz").all()):
        is_details = quiz.evaluate("e => e.tagName === 'DETAILS'")
        options = [quiz] if is_details else quiz.locator("details").all()
        if not options:
            problems.append(f"quiz {k + 1} has no <details> to open")
        for j, details in enumerate(options):
            details.locator("summary").first.click()
            opened = details.evaluate(
                "d => d.open && d.innerText.trim().length >"
                " d.querySelector('summary').innerText.trim().length")
            if not opened:
                problems.append(f"quiz {k + 1}, option {j + 1} does not open on click")
    return problems


@pytest.mark.parametrize("page_path", PAGES)
def test_page(page, browser, base_url, page_path):
    guard = browser[1]
    page.goto(base_url + page_path, wait_until="load")
    problems = wait_for_mathjax(page)
    problems += page.evaluate(PAGE_CHECKS_JS, [bool(CHAPTER.match(page_path))])
    problems += check_links(page, page_path)
    page.wait_for_load_state("networkidle")
    screenshot(page, page_path)  # as a reader first sees it, before the clicks below
    problems += check_solutions(page)
    problems += check_frames(page)
    problems += check_quizzes(page)
    problems += guard.take()
    assert not problems, f"{page_path}:\n  " + "\n  ".join(problems)


def test_index_redirects(page, browser, base_url):
    """The site's root opens the first page of the table of contents."""
    page.goto(base_url, wait_until="load")
    page.wait_for_url(lambda url: urlsplit(url).path.lstrip("/") in PAGES, timeout=10_000)
    assert not browser[1].take()


def test_dark_mode(page, browser, base_url):
    """The theme switch reaches dark mode and the page background turns dark."""
    page.goto(base_url + PAGES[0], wait_until="load")
    for _ in range(3):
        if page.evaluate("() => document.documentElement.dataset.theme") == "dark":
            break
        page.locator(".theme-switch-button").first.click()
    assert page.evaluate("() => document.documentElement.dataset.theme") == "dark"
    rgb = page.evaluate("() => getComputedStyle(document.body).backgroundColor")
    channels = [int(c) for c in re.findall(r"\d+", rgb)[:3]]
    assert sum(channels) < 3 * 80, f"dark mode background is {rgb}"
    screenshot(page, "dark_mode")
    page.evaluate("() => localStorage.clear()")  # later pages open in the default theme
    assert not browser[1].take()


def test_search(page, browser, base_url):
    """The search page finds a chapter by a word of its title, from the local index."""
    page.goto(base_url + PAGES[0], wait_until="load")
    title = page.locator("article h1").first.inner_text()
    word = max(re.findall(r"[A-Za-z]{4,}", title), key=len)
    page.goto(f"{base_url}search.html?q={word}", wait_until="load")
    results = page.locator("#search-results ul.search li")
    results.first.wait_for(timeout=20_000)
    assert results.count() >= 1, f"search for {word!r} found nothing"
    screenshot(page, "search")
    assert not browser[1].take()
