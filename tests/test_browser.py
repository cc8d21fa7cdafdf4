"""Open every page of the built book in headless Chromium and check what a reader sees.

Reads ``_build/html`` (``make test`` builds the book first) and serves it from a thread on
127.0.0.1 as a static host serves a project site: under ``/course_rnn/``, with nothing at ``/``
(a link to the host's root fails) and no directory listings; no answer of that server may be
an error (404 included). Drives Debian's ``/usr/bin/chromium`` with Playwright for Python (never
a browser that Playwright downloads). Every request that would leave localhost is recorded and
blocked: the book must work with no network. One screenshot per page goes to
``_build/screenshots/``.

Per page (every page but the search page and the root redirect, which have tests of their
own): math typeset by MathJax (no raw TeX left), every image loaded, figures on chapter
pages, no error output (on exercise pages too: a reader sees the tasks, the stubs and the
checks' lines, not the errors of cells that call a stub), no dead widget, solution dropdowns
closed until clicked, every ``.course-rnn-frames`` slider changes its image, every
``.course-rnn-quiz`` opens, every link to the host (navigation, "download .ipynb", references,
slide decks) answers under the prefix. Once: dark mode, search, the sidebar toggle on a desktop
and on a phone, and a few pages opened from disk (``file://``). The decks under ``slides/`` are
not book pages: ``tests/test_decks.py`` checks them slide by slide.
"""

from __future__ import annotations

import functools
import http.server
import json
import re
import shutil
import threading
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urldefrag, urljoin, urlsplit

import pytest

from tests.chromium import CHROMIUM, Guard, guarded_chromium

ROOT = Path(__file__).resolve().parent.parent
HTML = ROOT / "_build" / "html"
SCREENSHOTS = ROOT / "_build" / "screenshots"
# Where a static host puts a project site (https://<user>.github.io/course_rnn/).
PREFIX = "/course_rnn/"

if not CHROMIUM.exists():
    pytest.skip("browser test skipped: /usr/bin/chromium is missing (Debian: apt-get install "
                "chromium; .ci/run installs it)", allow_module_level=True)
sync_api = pytest.importorskip(
    "playwright.sync_api", reason="browser test skipped: the playwright package is missing "
    "(pip install -e '.[test]')")
if not (HTML / "index.html").exists():
    pytest.skip("browser test skipped: no built book in _build/html (run `make book`, or "
                "`make test`, which builds it first)", allow_module_level=True)

# Every page of the book; search.html has test_search, index.html (a redirect to the first
# chapter) has test_index_redirects; the decks in slides/ have tests/test_decks.py.
PAGES = sorted(p.relative_to(HTML).as_posix() for p in HTML.rglob("*.html")
               if p.relative_to(HTML).parts[0] not in ("_static", "_sources", "_images", "slides")
               and p.relative_to(HTML).as_posix() not in ("search.html", "index.html"))
# A numbered chapter (book/01_..., book/02_...) teaches with figures; the preface may not.
CHAPTER = re.compile(r"^book/(?!00_)\d\d_.*\.html$")
FIRST_CHAPTER = next(p for p in PAGES if CHAPTER.match(p))
# Opened from disk too: a chapter, and the first exercise and solution pages.
DISK_PAGES = [FIRST_CHAPTER] + [min(p for p in PAGES if p.startswith(folder))
                                for folder in ("exercises/", "solutions/")]


class _StaticHost(http.server.SimpleHTTPRequestHandler):
    """Files only, as a static host: no directory listings; each answer goes to server.answers."""

    def list_directory(self, path):
        self.send_error(404, "no directory listings")

    def log_request(self, code="-", size="-"):
        self.server.answers.append((int(code), self.path))

    def log_message(self, format, *args):  # noqa: A002 - the base class's signature
        pass


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """The built book under PREFIX of a host on a free port of 127.0.0.1; nothing else there."""
    host_root = tmp_path_factory.mktemp("static-host")
    (host_root / PREFIX.strip("/")).symlink_to(HTML, target_is_directory=True)
    handler = functools.partial(_StaticHost, directory=str(host_root))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.answers = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="module")
def base_url(server):
    return f"http://127.0.0.1:{server.server_address[1]}{PREFIX}"


@pytest.fixture(scope="module")
def browser(tmp_path_factory, server):
    """Chromium with a fresh profile, and its network guard."""
    shutil.rmtree(SCREENSHOTS, ignore_errors=True)  # only this run's pictures
    guard = Guard(server.answers)
    with guarded_chromium(tmp_path_factory.mktemp("chromium-profile"), guard,
                          {"width": 1280, "height": 900}) as context:
        yield context, guard


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


def fetch(url: str) -> tuple[int, bytes]:
    """Status and body of a GET from the test server."""
    try:
        with urllib.request.urlopen(url, timeout=10) as answer:
            return answer.status, answer.read()
    except urllib.error.HTTPError as error:
        return error.code, b""


@functools.cache
def link_problem(url: str, base_url: str) -> str | None:
    """What is wrong with a link to ``url`` on the book's host (None: nothing); asked once."""
    if not url.startswith(base_url):
        return f"outside {PREFIX}"
    status, body = fetch(url)
    if status != 200:
        return f"answers {status}"
    if urlsplit(url).path.endswith(".ipynb") and "cells" not in json.loads(body):
        return "is not a notebook"
    return None


def check_links(page, base_url: str) -> list[str]:
    """Every link to the book's host (navigation, download .ipynb, references, slide decks)
    resolves under the prefix; links to other hosts are fine to show."""
    links = page.evaluate("() => [...document.querySelectorAll('a[href]')]"
                          ".map(a => [a.getAttribute('href'), a.href])")
    host = urljoin(base_url, "/")
    problems = []
    for href, url in dict(links).items():
        if not url.startswith(host):
            continue  # mailto: and other hosts
        problem = link_problem(urldefrag(url).url, base_url)
        if problem:
            problems.append(f"link {href}: {problem}")
    return problems


def check_download(page, page_path: str) -> list[str]:
    """A page made from a notebook offers that notebook for download (check_links fetches it)."""
    notebook = Path("_sources", page_path).with_suffix(".ipynb").as_posix()
    if not (HTML / notebook).exists():
        return []
    offered = page.locator("a.btn-download-source-button").evaluate_all(
        "links => links.map(a => a.href)")
    if any(url.endswith("/" + notebook) for url in offered):
        return []
    return [f"the download menu does not offer {notebook}"]


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
    problems += check_links(page, base_url)
    problems += check_download(page, page_path)
    page.wait_for_load_state("networkidle")
    screenshot(page, page_path)  # as a reader first sees it, before the clicks below
    problems += check_solutions(page)
    problems += check_frames(page)
    problems += check_quizzes(page)
    problems += guard.take()
    assert not problems, f"{page_path}:\n  " + "\n  ".join(problems)


def page_path_of(url: str) -> str:
    """The page a URL of the test server shows, e.g. book/00_preface.html ("/..." outside)."""
    return urlsplit(url).path.removeprefix(PREFIX)


def test_nothing_is_served_outside_the_prefix(base_url):
    """The host's root has nothing: a link that forgets the prefix fails in these tests."""
    host = urljoin(base_url, "/")
    for path in ("", "index.html", PAGES[0], "_static/"):
        assert fetch(host + path)[0] == 404, f"the test server answers /{path}"
    assert fetch(base_url + PAGES[0])[0] == 200


def test_index_redirects(page, browser, base_url):
    """The site's root opens the first page of the table of contents."""
    page.goto(base_url, wait_until="load")
    page.wait_for_url(lambda url: page_path_of(url) in PAGES, timeout=10_000)
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
    """From a chapter, the search box finds the chapter by a word of its title (local index),
    and a click on a result opens a page of the book."""
    page.goto(base_url + FIRST_CHAPTER, wait_until="load")
    title = page.locator("article h1").first.inner_text()
    word = max(re.findall(r"[A-Za-z]{4,}", title), key=len)
    page.locator(".search-button__button").filter(visible=True).first.click()
    page.locator("#pst-search-dialog input[name=q]").fill(word)
    page.keyboard.press("Enter")
    page.wait_for_url(lambda url: page_path_of(url) == "search.html", timeout=10_000)
    results = page.locator("#search-results ul.search li a")
    results.first.wait_for(timeout=20_000)
    # the search page fetches every result page for its summary; leaving before it has finished
    # aborts those requests, which the guard would count as failures
    page.locator("#search-results p.search-summary", has_text="Search finished").wait_for(
        timeout=60_000)
    screenshot(page, "search")
    found = [page_path_of(url) for url in results.evaluate_all("links => links.map(a => a.href)")]
    assert FIRST_CHAPTER in found, f"search for {word!r} found {found}"
    results.first.click()
    page.wait_for_url(lambda url: page_path_of(url) in PAGES, timeout=10_000)
    assert not browser[1].take()
