"""Import the book's build scripts from book/_offline, a folder of scripts rather than a package."""

from __future__ import annotations

import importlib
import sys
from pathlib import Path

OFFLINE = Path(__file__).resolve().parent.parent / "book" / "_offline"


def import_offline(name: str):
    """The module ``book/_offline/<name>.py`` (its sibling imports resolve while it loads)."""
    sys.path.insert(0, str(OFFLINE))
    try:
        return importlib.import_module(name)
    finally:
        sys.path.remove(str(OFFLINE))
