"""Find a cache that was overwritten after it was stored: the forward is right, its cache not.

A forward that keeps one state buffer, updates it in place at every step (``h[...] = ...``,
``np.tanh(a, out=h)``) and appends that same buffer to its cache returns the right states,
but every step's cache entry ends up holding the last step's values. A correct backward then
computes wrong gradients, and without this test the check would blame the backward.

The test needs no knowledge of what the cache holds. Step 0's entry of a per-step cache must
not depend on how many steps follow, so the forward is run on the first step alone and its
entry compared, array by array, with step 0's entry after the whole sequence.
"""

from __future__ import annotations

import copy

import numpy as np

from course_rnn.checks.outputs import Problem, close
from course_rnn.checks.report import Report, call_and_unpack


def arrays_in(value, depth: int = 0) -> list[np.ndarray]:
    """The NumPy arrays inside ``value`` (tuples, lists, dicts, NamedTuples, plain objects),
    in a fixed order."""
    if isinstance(value, np.ndarray):
        return [value]
    if depth > 4:  # a cache is shallow; deeper structures are not the student's arrays
        return []
    if isinstance(value, dict):
        items = list(value.values())
    elif isinstance(value, tuple | list):
        items = list(value)
    elif hasattr(value, "__dict__"):
        items = list(vars(value).values())
    else:
        return []
    return [array for item in items for array in arrays_in(item, depth + 1)]


def overwritten_first_entry(forward_fn, case, cache, time_limit: float) -> bool:
    """True when step 0's entry of ``cache`` (from the whole sequence of ``case``) differs
    from the entry a one-step run stores: later steps overwrote what step 0 stored.

    Only per-step caches (a list or tuple with one entry per step) are tested; arrays whose
    shapes differ between the two runs (e.g. all states, stacked) are not compared.
    """
    T = case.sizes[0]
    if T < 2 or not isinstance(cache, list | tuple) or len(cache) != T:
        return False
    args = case.sequence_args()
    first_step = [(name, value[:1] if name == "x" else value) for name, value in args]
    try:
        _, short = call_and_unpack(Report("one step"), forward_fn, first_step, "forward",
                                   ("h", "cache"), time_limit)
    except Problem:
        return False
    if not isinstance(short, list | tuple) or len(short) != 1:
        return False
    alone, within = arrays_in(copy.deepcopy(short[0])), arrays_in(cache[0])
    return len(alone) == len(within) and any(
        a.shape == b.shape and not close(b, a)
        for a, b in zip(alone, within))


def stale_cache_message(forward_name: str) -> tuple[str, str]:
    """Headline and detail for an overwritten cache."""
    return (f"your {forward_name} returns the right states, but its cache does not hold "
            "what each step computed.",
            "Step 0's cache entry holds different values after the whole sequence than "
            "after step 0 alone: an array stored in the cache was overwritten by later steps "
            "(one buffer updated in place, with `h[...] =` or `out=`, and stored at every "
            "step). Store a new array for every step, e.g. `h_next = np.tanh(a)` or "
            "`.copy()`. A backward pass reads the cache, so it cannot be right before this is.")
