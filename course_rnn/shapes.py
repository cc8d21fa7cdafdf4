"""Input validation shared by both backends.

Every public numerical function checks its inputs here, so that a mistake (batch-first data given
to a time-major layer, a transposed weight, a NaN) is reported with the expected and the actual
shape instead of surfacing as a broadcasting error or, worse, a silently wrong answer.

The checks only read ``.shape``, ``.ndim`` and ``.dtype``, so they accept NumPy arrays and torch
tensors alike and never import torch.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np


def _describe(dims: Sequence[str], sizes: Sequence[int | None]) -> str:
    parts = [f"{d}={s}" if s is not None else d for d, s in zip(dims, sizes)]
    return "(" + ", ".join(parts) + ")"


def expect_shape(name: str, array, dims: Sequence[str], sizes: Sequence[int | None],
                 hint: str = "") -> None:
    """Raise ``ValueError`` unless ``array`` has ``len(dims)`` axes with the given sizes.

    Parameters
    ----------
    name : what the argument is called at the API, e.g. ``"input"`` or ``"W_hh"``.
    dims : axis names, e.g. ``("T", "N", "D")``.
    sizes : the required size per axis; ``None`` accepts any size.
    hint : an extra sentence appended to the message (e.g. about ``batch_first``).
    """
    shape = tuple(array.shape)
    ok = len(shape) == len(dims) and all(s is None or s == a for s, a in zip(sizes, shape))
    if not ok:
        message = (f"{name}: expected shape {_describe(dims, sizes)}, "
                   f"got {shape}")
        raise ValueError(message + (f". {hint}" if hint else ""))


def expect_float(name: str, array) -> None:
    """Raise ``TypeError`` unless ``array`` holds floating-point numbers."""
    if not hasattr(array, "dtype"):
        raise TypeError(f"{name}: expected an array of floating-point numbers, "
                        f"got {type(array).__name__}")
    dtype = array.dtype
    is_float = (np.issubdtype(dtype, np.floating) if isinstance(dtype, np.dtype)
                else getattr(dtype, "is_floating_point", False))
    if not is_float:
        raise TypeError(f"{name}: expected a floating-point array, got dtype {dtype}")


def expect_finite(name: str, array) -> None:
    """Raise ``ValueError`` if ``array`` contains NaN or infinity, saying where the first one is.

    A sum is finite only if every element is, so one cheap reduction clears the common case;
    only a non-finite sum (a bad element, or finite values overflowing) pays for the search.
    """
    is_numpy = isinstance(array, np.ndarray)
    total = array.sum() if is_numpy else array.detach().sum()
    if bool(np.isfinite(total) if is_numpy else total.isfinite()):
        return
    bad = np.argwhere(~np.isfinite(array)) if is_numpy else (~array.isfinite()).nonzero()
    if len(bad):
        index = tuple(int(i) for i in bad[0])
        raise ValueError(f"{name}: expected finite values, found {float(array[index])} "
                         f"at index {index}")


def expect_like(name: str, array, shape: Sequence[int], what: str) -> None:
    """An upstream gradient must have exactly the shape of ``what``, the value it belongs to."""
    expect_float(name, array)
    if tuple(array.shape) != tuple(shape):
        raise ValueError(f"{name}: expected the shape of {what}, {tuple(shape)}, "
                         f"got {tuple(array.shape)}")
    expect_finite(name, array)


def expect_input(name: str, array, dims: Sequence[str], sizes: Sequence[int | None],
                 hint: str = "") -> None:
    """The usual triple for a data argument: floating point, the right shape, finite."""
    expect_float(name, array)
    expect_shape(name, array, dims, sizes, hint)
    expect_finite(name, array)


def expect_positive_ints(**sizes) -> None:
    """Constructor sizes (``hidden_size=0``, ``num_layers=1.5``) must be positive integers."""
    _expect_ints(sizes, 1, "a positive integer")


def expect_nonnegative_ints(**sizes) -> None:
    """Sizes that may be 0 (a cell's ``hidden_size``, as torch.nn's cells allow) must be ints."""
    _expect_ints(sizes, 0, "an integer >= 0")


def _expect_ints(sizes: dict, minimum: int, expected: str) -> None:
    for name, value in sizes.items():
        # bool is an int subclass, but hidden_size=True is a mistake, not a size
        if isinstance(value, bool) or not isinstance(value, int | np.integer) or value < minimum:
            raise ValueError(f"{name}: expected {expected}, got {value!r}")


def expect_bools(**flags) -> None:
    """Switches (``bias``, ``batch_first``, ``bidirectional``) must be True or False.

    torch.nn raises for a non-bool ``bias`` or ``batch_first``: ``batch_first="False"`` is a
    truthy string and ``bias=0`` would silently drop the biases.
    """
    for name, value in flags.items():
        if not isinstance(value, bool | np.bool_):
            raise TypeError(f"{name}: expected a bool (True or False), "
                            f"got {value!r} of type {type(value).__name__}")


def expect_same_dtype(**arrays) -> None:
    """Arrays that meet in one computation share a dtype; None entries are skipped.

    NumPy would silently promote or, worse, write float64 results into a float32 buffer.
    """
    named = [(name, a) for name, a in arrays.items() if a is not None]
    first_name, first = named[0]
    for name, array in named[1:]:
        if array.dtype != first.dtype:
            raise TypeError(f"{name}: expected dtype {first.dtype} like {first_name}, "
                            f"got {array.dtype}")


STATE_HINT = ("h_0 is never batch-first; a wrong N often means the input is laid out "
              "other than batch_first says")


def expect_choice(name: str, value, choices: Sequence) -> None:
    """``value`` must be one of ``choices``: "nonlinearity: expected 'tanh' or 'relu', got ..."."""
    if value not in choices:
        options = " or ".join(repr(c) for c in choices)
        raise ValueError(f"{name}: expected {options}, got {value!r}")


def layout_hint(batch_first: bool, batched: bool) -> str:
    """The sentence a layer adds to an input-shape error: which layout it reads, and the other."""
    if not batched:
        return "A 2-D input is one unbatched sequence (T, D); a batch is 3-D"
    layout = "(N, T, D)" if batch_first else "(T, N, D)"
    return (f"With batch_first={batch_first} the input is {layout}; for the other layout "
            f"create the layer with batch_first={not batch_first}")


def expect_time_steps(T: int) -> None:
    """A recurrent layer needs at least one step: h_n of an empty sequence is undefined."""
    if T == 0:
        raise ValueError("input: expected at least one time step, got T=0")


def expect_state_pair(hx) -> None:
    """An LSTM's state is a pair (h, c); a single array here is a common slip."""
    if not isinstance(hx, tuple | list) or len(hx) != 2:
        raise TypeError(f"hx: expected a tuple (h_0, c_0), got {type(hx).__name__}")
