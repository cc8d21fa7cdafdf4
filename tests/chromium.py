"""Debian's Chromium, as the browser tests launch it: headless, and quiet on a closed network."""

from pathlib import Path

CHROMIUM = Path("/usr/bin/chromium")
# without the background-networking flags Chromium keeps trying to reach Google's hosts
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
