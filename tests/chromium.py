"""Debian's Chromium, as the browser tests launch it: headless, quiet on a closed network, and
watched by a :class:`Guard` that blocks and records every request leaving the machine."""

from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit

CHROMIUM = Path("/usr/bin/chromium")
# without the background-networking flags Chromium keeps trying to reach Google's hosts
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
LOCAL_HOSTS = {"127.0.0.1", "localhost"}


BROWSERS_OWN_PROBE = "/favicon.ico"
"""Chromium asks the host's root for an icon on its own, now and then; no page links it, and a
project site under /course_rnn/ does not own the root, so its 404 is no fault of the book."""


class Guard:
    """Blocks and records requests that leave localhost; records failures and JS errors.

    ``answers`` is where a local test server records the (status, path) of what it answered,
    so a 404 counts even where the browser reports none; pages opened from disk have none.
    """

    def __init__(self, answers: list[tuple[int, str]] | None = None):
        self.answers = answers if answers is not None else []
        self.external, self.failed, self.errors = [], [], []

    def route(self, route):
        url = route.request.url
        parts = urlsplit(url)
        if parts.scheme in ("http", "https", "ws", "wss") and parts.hostname not in LOCAL_HOSTS:
            self.external.append(url)
            route.abort()
        else:
            route.continue_()

    def request_failed(self, request):
        if urlsplit(request.url).hostname in LOCAL_HOSTS or request.url.startswith("file:"):
            self.failed.append(f"{request.failure} {request.url}")

    def attach(self, context):
        context.route("**/*", self.route)
        context.on("requestfailed", self.request_failed)
        context.on("weberror", lambda error: self.errors.append(str(error.error)))

    def take(self):
        """Problems seen since the last call, then forget them."""
        answered = self.answers[:]
        del self.answers[:len(answered)]
        found = ([f"request leaving localhost (blocked): {u}" for u in self.external]
                 + [f"server answered {code}: {path}" for code, path in answered
                    if code >= 400 and path != BROWSERS_OWN_PROBE]
                 + [f"failed request: {f}" for f in self.failed]
                 + [f"JavaScript error: {e}" for e in self.errors])
        self.external, self.failed, self.errors = [], [], []
        return found


@contextmanager
def guarded_chromium(profile: Path, guard: Guard, viewport: dict[str, int]):
    """A Chromium context with a fresh profile in ``profile``, watched by ``guard``."""
    from playwright import sync_api  # the tests that import this module skip without it

    with sync_api.sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            str(profile), executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True,
            viewport=viewport)
        guard.attach(context)
        yield context
        context.close()
