"""Bias handling shared by the cells: torch keeps two biases, b_ih and b_hh, either may be absent.

Both biases add to the same pre-activation, so they receive the same gradient; torch keeps two
only for cuDNN compatibility. (The GRU is the exception for the n gate, where b_hh sits inside
the reset product; it handles that itself.)
"""

from __future__ import annotations

import numpy as np


def add_biases(a: np.ndarray, *biases) -> np.ndarray:
    """Add every bias that is not None to ``a`` in place and return ``a``."""
    for b in biases:
        if b is not None:
            a += b
    return a


def has_biases(*biases) -> tuple[bool, ...]:
    """Which biases a forward pass was given, for its backward to mirror."""
    return tuple(b is not None for b in biases)


def bias_grads(db: np.ndarray, present: tuple[bool, ...]) -> tuple:
    """One gradient per bias, each an independent array, or None where there was no bias."""
    return tuple(db.copy() if p else None for p in present)
