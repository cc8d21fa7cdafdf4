"""The book's configuration agrees with the files it names (no build needed).

- ``only_build_toc_files`` makes Jupyter Book skip, silently, any page that ``_toc.yml`` does not
  list: every chapter, exercise and solution must be listed, and every listed file exist.
- Every front-end file the pages load is served from the site: ``_config.yml`` names only
  relative paths, each of which ``book/_offline/vendor.py`` copies there.
- No root ``_static/``: Jupyter Book would then inject every .js file of every static path,
  MathJax's components included, into every page.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import yaml

from tests.offline_scripts import import_offline

ROOT = Path(__file__).resolve().parent.parent
CONFIG = yaml.safe_load((ROOT / "_config.yml").read_text())
TOC = yaml.safe_load((ROOT / "_toc.yml").read_text())


def toc_files(node) -> list[str]:
    """Every ``file:`` (and the root) named anywhere in the table of contents."""
    if isinstance(node, dict):
        found = [node["file"]] if "file" in node else []
        found += [node["root"]] if "root" in node else []
        return found + [f for value in node.values() for f in toc_files(value)]
    if isinstance(node, list):
        return [f for item in node for f in toc_files(item)]
    return []


def test_every_page_is_in_the_toc_and_every_entry_exists():
    assert CONFIG["only_build_toc_files"] is True
    listed = {f.removesuffix(".ipynb").removesuffix(".md") for f in toc_files(TOC)}
    pages = {p.relative_to(ROOT).with_suffix("").as_posix()
             for folder in ("book", "exercises", "solutions")
             for pattern in ("**/*.ipynb", "**/*.md") for p in (ROOT / folder).glob(pattern)
             if not any(part.startswith(("_", ".")) for part in p.relative_to(ROOT).parts)}
    assert not pages - listed, f"pages missing from _toc.yml (never built): {pages - listed}"
    assert not listed - pages, f"_toc.yml lists files that do not exist: {listed - pages}"


def test_no_root_static_folder():
    assert not (ROOT / "_static").exists(), (
        "a root _static/ makes Jupyter Book inject every .js of every html_static_path "
        "(the vendored MathJax included) into every page; put styles elsewhere")


def test_page_assets_are_local_copies_made_by_vendor_py():
    vendor = import_offline("vendor")
    sphinx = CONFIG["sphinx"]["config"]
    static = [(ROOT / p).resolve() for p in sphinx["html_static_path"]]
    assert static == [vendor.BOOK_STATIC]
    made = [dst for _, dst in vendor.BOOK_FILES + vendor.BOOK_OWN_FILES]
    assets = [sphinx["mathjax_path"], *sphinx["nb_ipywidgets_js"]]
    for asset in assets:
        assert "://" not in asset, f"{asset} would be fetched from outside the site"
        assert any(asset == d or asset.startswith(d + "/") for d in made), \
            f"{asset} (relative to _static) is not among vendor.py's copies {made}"
    assert "sphinx_thebe" not in sphinx["extensions"]


def test_npm_recipe_pins_exact_versions_and_matches_its_lock():
    recipe = ROOT / "book" / "_offline"
    wanted = json.loads((recipe / "package.json").read_text())["dependencies"]
    locked = json.loads((recipe / "package-lock.json").read_text())["packages"][""]
    loose = {k: v for k, v in wanted.items() if not re.fullmatch(r"(npm:[\w.-]+@)?\d[\w.-]*", v)}
    assert not loose, f"pin exact versions: {loose}"
    assert locked["dependencies"] == wanted, "stale lock: npm install --package-lock-only"
