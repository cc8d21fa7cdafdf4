"""Show the package's own source in a notebook, so text and code can never disagree."""

from __future__ import annotations

import inspect
import textwrap


def source_of(obj) -> str:
    """The source text of a function, class or module, dedented."""
    return textwrap.dedent(inspect.getsource(obj))


def show_source(obj):
    """Display the source of ``obj`` as a highlighted Python block.

    Returns an IPython ``Markdown`` object: Jupyter and the rendered book both show it as a
    syntax-highlighted code block.
    """
    from IPython.display import Markdown

    return Markdown(f"```python\n{source_of(obj)}```")
