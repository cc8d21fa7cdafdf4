"""Install the book's and the slides' front-end files from the npm registry and copy what pages use.

Nothing a reader opens may be fetched from the internet, so MathJax, require.js, the ipywidgets
HTML manager and reveal.js are served from the site itself. Their versions are pinned in
``package.json`` / ``package-lock.json`` beside this file; ``npm ci`` installs them into an ignored
folder under ``_build/`` and only the files a page loads are copied out:

``python book/_offline/vendor.py``
    into ``_build/book_static/offline/`` (``html_static_path`` in ``_config.yml``, so the pages
    find them under ``_static/offline/``), with ``widgets-paths.js`` from this folder.
``slides.py`` calls :func:`vendor_slides`
    into ``<deck folder>/_vendor/`` (the decks refer to ``_vendor/...`` and open from disk).

Standard library only: it runs before the book's Python packages matter.
"""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import sys
from pathlib import Path

RECIPE = Path(__file__).resolve().parent
ROOT = RECIPE.parent.parent
NPM_DIR = ROOT / "_build" / "vendor_npm"
BOOK_STATIC = ROOT / "_build" / "book_static"

# (source under node_modules, destination under the output folder). A folder is copied whole.
BOOK_FILES = [
    # MathJax 3, all of es5/: the combined tex-chtml.js loads fonts, TeX extensions and the
    # accessibility components from its own folder when a page or the reader's menu asks for them.
    ("mathjax/es5", "offline/mathjax"),
    ("requirejs/require.js", "offline/requirejs/require.js"),
    # embed-amd.js bundles @jupyter-widgets/base, controls and output; its fonts sit beside it.
    ("@jupyter-widgets/html-manager/dist", "offline/html-manager"),
]
# Files of this folder that the book serves beside them: (name here, destination).
BOOK_OWN_FILES = [("widgets-paths.js", "offline/widgets-paths.js")]
SLIDES_FILES = [
    ("reveal.js/dist/reveal.js", "reveal.js/dist/reveal.js"),
    ("reveal.js/dist/reveal.css", "reveal.js/dist/reveal.css"),
    ("reveal.js/dist/theme/white.css", "reveal.js/dist/theme/white.css"),
    ("reveal.js/dist/theme/fonts/source-sans-pro", "reveal.js/dist/theme/fonts/source-sans-pro"),
    ("reveal.js/plugin/notes", "reveal.js/plugin/notes"),
    # MathJax 3 as the book has it, less the speech and accessibility parts a deck never loads
    # (its menu is off): TeX in, CommonHTML out, the TeX extensions it loads on demand, fonts.
    ("mathjax/es5/tex-chtml.js", "mathjax/tex-chtml.js"),
    ("mathjax/es5/input/tex/extensions", "mathjax/input/tex/extensions"),
    ("mathjax/es5/output/chtml/fonts/woff-v2", "mathjax/output/chtml/fonts/woff-v2"),
]
# Source maps and the non-AMD bundle are never loaded by a page.
SKIP = shutil.ignore_patterns("*.map", "embed.js", "embed.js.LICENSE.txt")


def lock_digest(names: tuple[str, ...] = ("package.json", "package-lock.json")) -> str:
    """Hash of the pinned versions (and of ``names``); a change means copying again."""
    h = hashlib.sha256()
    for name in names:
        h.update((RECIPE / name).read_bytes())
    return h.hexdigest()


def npm_install() -> Path:
    """Run ``npm ci`` in ``_build/vendor_npm`` unless the same lock file was installed there."""
    stamp = NPM_DIR / ".installed"
    digest = lock_digest()
    if stamp.exists() and stamp.read_text() == digest:
        return NPM_DIR / "node_modules"
    if shutil.which("npm") is None:
        sys.exit("vendor.py: npm is needed to fetch MathJax and reveal.js (apt install npm)")
    NPM_DIR.mkdir(parents=True, exist_ok=True)
    for name in ("package.json", "package-lock.json"):
        shutil.copy2(RECIPE / name, NPM_DIR / name)
    # --ignore-scripts: only files are needed, no package runs code at install time.
    subprocess.run(
        ["npm", "ci", "--ignore-scripts", "--no-audit", "--no-fund", "--loglevel=error"],
        cwd=NPM_DIR,
        check=True,
    )
    stamp.write_text(digest)
    return NPM_DIR / "node_modules"


def copy_files(node_modules: Path, files: list[tuple[str, str]], out: Path) -> None:
    """Copy each (source, destination) pair, replacing what an older run left."""
    for src_name, dst_name in files:
        src, dst = node_modules / src_name, out / dst_name
        if not src.exists():
            sys.exit(f"vendor.py: {src_name} is not in the npm packages (package.json changed?)")
        dst.parent.mkdir(parents=True, exist_ok=True)
        if src.is_dir():
            shutil.rmtree(dst, ignore_errors=True)
            shutil.copytree(src, dst, ignore=SKIP)
        else:
            shutil.copy2(src, dst)


def vendor(files: list[tuple[str, str]], out: Path,
           own: list[tuple[str, str]] = ()) -> None:
    """Copy ``files`` from the npm packages, and ``own`` files of this folder, into ``out``.

    Skipped when the same versions were copied there before: keeps `make book` rebuilds quick.
    """
    stamp = out / ".vendored"
    digest = lock_digest(("package.json", "package-lock.json", *(name for name, _ in own)))
    if stamp.exists() and stamp.read_text() == digest:
        return
    copy_files(npm_install(), files, out)
    for name, destination in own:
        shutil.copy2(RECIPE / name, out / destination)
    stamp.write_text(digest)
    print(f"vendor.py: front-end files copied into {out}")


def vendor_book() -> None:
    """MathJax 3, require.js and the widget manager for the book, in ``_build/book_static``."""
    vendor(BOOK_FILES, BOOK_STATIC, own=BOOK_OWN_FILES)


def vendor_slides(deck_dir: Path) -> None:
    """reveal.js and MathJax 3 in ``deck_dir/_vendor``."""
    vendor(SLIDES_FILES, Path(deck_dir) / "_vendor")


if __name__ == "__main__":
    vendor_book()
