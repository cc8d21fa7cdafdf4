"""Run torch on one thread inside a block.

The course's networks are tiny: a second thread only waits on the first, and on a shared
machine it slows every other job down. :func:`one_thread` sets torch's thread count to 1 for the
block and restores the previous count afterwards, so a notebook need not change it globally.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import torch


@contextmanager
def one_thread() -> Iterator[None]:
    """Run torch on one thread inside the block, then restore the previous count."""
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        yield
    finally:
        torch.set_num_threads(threads)
