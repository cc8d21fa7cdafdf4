"""Read what a student's function returned, and measure how far it is from the right answer.

Every problem becomes a sentence (``Problem``) rather than an exception, so that a check can
report it and go on.

The one tolerance policy of the exercises: a result is right when it lies within ``RTOL``
(1e-5) of the float64 reference, relative to the larger of 1 and the reference's largest
entry. A correct implementation computed in float32 differs by about 1e-7 and passes; the
checks say so in their pass line, and every comparison in the exercise notebooks uses the
same tolerance (``course_rnn.checks.RTOL``).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

RTOL = 1e-5  # relative to the larger of 1 and the reference's largest entry


class Problem(Exception):
    """A returned value that cannot be graded; the message is meant for the student."""


def unpack(value, names: tuple[str, ...], label: str) -> tuple:
    """Split a returned tuple into its ``names``, or raise Problem saying what came back."""
    expected = "(" + ", ".join(names) + ")"
    if value is None:
        raise Problem(f"{label} returned None: is the `return` statement missing? "
                      f"It should return {expected}.")
    if isinstance(value, np.ndarray):
        raise Problem(f"{label} returned a single array of shape {value.shape}; "
                      f"it should return the tuple {expected}.")
    if not isinstance(value, tuple | list):
        raise Problem(f"{label} returned a {type(value).__name__}; "
                      f"it should return the tuple {expected}.")
    if len(value) != len(names):
        raise Problem(f"{label} returned {len(value)} values; it should return {len(names)}: "
                      f"{expected}.")
    return tuple(value)


def as_array(value, name: str, shape: tuple[int, ...], hints: dict | None = None) -> np.ndarray:
    """``value`` as a float64 array of the given shape with finite entries, or raise Problem.

    ``hints`` maps wrong shapes that betray a specific mistake to a sentence about it.
    """
    if value is None:
        raise Problem(f"{name} is None; it should be an array of shape {shape}.")
    try:
        with np.errstate(all="ignore"):
            array = np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError, RuntimeError) as error:
        raise Problem(f"{name} is a {type(value).__name__} that does not convert to a NumPy "
                      f"array ({error}).") from None
    if array.shape != shape:
        hint = (hints or {}).get(array.shape, "")
        if not hint and len(shape) == 2 and array.shape == shape[::-1]:
            hint = "it looks transposed."
        hint = f": {hint}" if hint else "."
        raise Problem(f"{name} has shape {array.shape}, expected {shape}{hint}")
    bad = ~np.isfinite(array)
    if bad.any():
        index = tuple(int(i) for i in np.argwhere(bad)[0])
        kind = "NaN" if np.isnan(array[index]) else "inf"
        raise Problem(f"{name} contains {int(bad.sum())} NaN/inf entries (the first, {kind}, at "
                      f"{list(index)}): usually an overflow (exp of a large number) or 0/0.")
    return array


def as_array_dict(value, name: str, shapes: dict[str, tuple[int, ...]]) -> dict:
    """A dict with exactly the keys of ``shapes``, each an array of that shape, or Problem."""
    if not isinstance(value, dict):
        raise Problem(f"{name} is a {type(value).__name__}; it should be a dict with the keys "
                      f"{', '.join(shapes)}.")
    missing, extra = set(shapes) - set(value), set(value) - set(shapes)
    if missing or extra:
        raise Problem(f"{name} has the keys {sorted(value)}; it should have exactly "
                      f"{sorted(shapes)}.")
    return {key: as_array(value[key], f"{name}['{key}']", shape) for key, shape in shapes.items()}


@dataclass(frozen=True)
class Mismatch:
    """How far an array is from the reference: the largest absolute error and where."""

    error: float
    index: tuple[int, ...]
    got: float
    want: float
    scale: float

    @property
    def ok(self) -> bool:
        return self.error <= RTOL * self.scale

    def describe(self, name: str) -> str:
        where = f" at {list(self.index)}" if self.index else ""
        return (f"{name} is off by up to {self.error:.3g}{where} "
                f"(yours {self.got:.4g}, expected {self.want:.4g})")


def _scale(want: np.ndarray) -> float:
    """What RTOL is relative to: the larger of 1 and the reference's largest entry."""
    return max(1.0, float(np.max(np.abs(want), initial=0.0)))


def mismatch(got: np.ndarray, want: np.ndarray) -> Mismatch:
    """Compare two arrays of the same shape."""
    want = np.asarray(want, dtype=np.float64)
    scale = _scale(want)
    if want.size == 0:
        return Mismatch(0.0, (), 0.0, 0.0, scale)
    diff = np.abs(got - want)
    index = np.unravel_index(int(np.argmax(diff)), diff.shape)
    index = tuple(int(i) for i in index)
    return Mismatch(float(diff[index]), index, float(got[index]), float(want[index]), scale)


def close(got, want) -> bool:
    """True when ``got`` has ``want``'s shape and lies within the tolerance of it."""
    if got is None or want is None:
        return got is None and want is None
    got, want = np.asarray(got, dtype=np.float64), np.asarray(want, dtype=np.float64)
    if got.shape != want.shape:
        return False
    return bool(np.all(np.abs(got - want) <= RTOL * _scale(want)))


def precision_note(values) -> str:
    """A sentence for a pass line when some returned array is in a precision below float64."""
    low = sorted({str(v.dtype) for v in values if isinstance(v, np.ndarray)
                  and v.dtype.kind == "f" and v.dtype.itemsize < 8})
    if not low:
        return ""
    return (f" Your result is {', '.join(low)}: the exercises accept that, since they compare "
            f"with float64 to a tolerance of {RTOL:g}.")
