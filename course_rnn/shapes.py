"""Every input validator of the package, and the wording of its messages.

Every public numerical function checks its inputs here, so that a mistake (batch-first data given
to a time-major layer, a transposed weight, a NaN, a float token id) is reported with the expected
and the actual shape or dtype instead of surfacing as a broadcasting error or, worse, a silently
wrong answer. Keeping them in one module keeps one wording for one mistake across the backends,
the data sets and the models, and lets every layer of the package import them (this module
imports nothing else from it).

``expect_*`` functions raise or return None; ``check_*`` functions also return the checked value
in the form the caller computes with (an ndarray of ids, a ``np.dtype``).

The array checks only read ``.shape``, ``.ndim`` and ``.dtype``, so they accept NumPy arrays and
torch tensors alike and never import torch.
"""

from __future__ import annotations

import functools
import inspect
import numbers
from collections.abc import Sequence

import numpy as np

# Arrays of numbers: shape, dtype, finiteness; constructor sizes and switches


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


def expect_probability(**values) -> None:
    """``dropout=1.5`` or ``dropout="0.5"``: a probability is a number in [0, 1]."""
    for name, value in values.items():
        if not isinstance(value, numbers.Number) or not 0 <= value <= 1:
            raise ValueError(f"{name}: expected a probability in [0, 1], got {value!r}")


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


# Arrays whose last axis is the feature axis (Linear, Embedding, the losses)


def expect_features(name: str, array, size: int, label: str) -> None:
    """``array`` is float, finite and has ``size`` entries on its last axis (any leading axes)."""
    dims = (*(f"dim{i}" for i in range(max(np.ndim(array) - 1, 0))), label)
    expect_input(name, array, dims, (*(None for _ in dims[:-1]), size),
                 "The features go on the last axis; any leading axes (T, N) are kept")


def expect_same_shape(name: str, array, other_name: str, other_shape: tuple) -> None:
    """Shapes must match exactly: a broadcast between them is almost always a bug."""
    if tuple(np.shape(array)) != tuple(other_shape):
        raise ValueError(f"{name}: expected shape {tuple(other_shape)} (the shape of "
                         f"{other_name}), got {tuple(np.shape(array))}")


# Integer ids: tokens, class targets, labels


def check_indices(name: str, indices, size: int, allowed=()) -> np.ndarray:
    """Integer ids in [0, size) (or one of ``allowed``), as an ndarray; else a clear error.

    Raises ``TypeError`` for non-integer ids (float ids are usually a forgotten ``astype``) and
    ``IndexError`` naming the valid range and the first offending id otherwise.
    """
    array = np.asarray(indices)
    if not np.issubdtype(array.dtype, np.integer):
        raise TypeError(f"{name}: expected integer ids, got dtype {array.dtype}")
    bad = (array < 0) | (array >= size)
    for value in allowed:
        bad &= array != value
    if bad.any():
        where = tuple(int(i) for i in np.argwhere(bad)[0])
        raise IndexError(f"{name}: ids must lie in the range [0, {size - 1}], found "
                         f"{int(array[where])} at index {where}")
    return array


def check_tokens(tokens, vocab_size: int, name: str = "tokens") -> np.ndarray:
    """(N, T) integer ids in [0, vocab_size) as an ndarray, else a clear error naming ``name``."""
    if np.ndim(tokens) != 2:
        raise ValueError(f"{name}: expected shape (N, T), got {np.shape(tokens)}")
    return check_indices(name, tokens, vocab_size)


def check_lengths(name: str, lengths, count: int, longest: int) -> np.ndarray:
    """(count,) integer lengths in [1, longest], one per padded sequence, as an ndarray.

    A length of 0 has no last step to read; one above ``longest`` reads past the padding.
    """
    array = np.asarray(lengths)
    if array.shape != (count,):
        raise ValueError(f"{name}: expected shape ({count},), one length per sequence, "
                         f"got {array.shape}")
    if not np.issubdtype(array.dtype, np.integer):
        raise TypeError(f"{name}: expected integer lengths, got dtype {array.dtype}")
    bad = (array < 1) | (array > longest)
    if bad.any():
        where = int(np.argmax(bad))
        raise ValueError(f"{name}: expected lengths in [1, {longest}] (the padded length), "
                         f"found {int(array[where])} at index {where}")
    return array


def check_labels(tokens, labels) -> tuple[np.ndarray, np.ndarray]:
    """(N, T) integer tokens and integer labels, (N,) one per sequence or (N, T) one per step."""
    tokens = np.asarray(tokens)
    labels = np.asarray(labels)
    if tokens.ndim != 2:
        raise ValueError(f"tokens: expected shape (N, T), got {tokens.shape}")
    if labels.shape not in (tokens.shape[:1], tokens.shape):
        raise ValueError(f"labels: expected shape {tokens.shape[:1]} (one per sequence) or "
                         f"{tokens.shape} (one per step), got {labels.shape}")
    if not np.issubdtype(labels.dtype, np.integer):
        raise TypeError(f"labels: expected integer classes, got dtype {labels.dtype}")
    return tokens, labels


# Settings of layers and training


def check_dtype(dtype) -> np.dtype:
    """Layers compute in float32 or float64; anything else is a mistake worth naming."""
    dtype = np.dtype(dtype)
    if dtype not in (np.float32, np.float64):
        raise TypeError(f"dtype: expected np.float32 or np.float64, got {dtype}")
    return dtype


def expect_non_negative(**values: float) -> None:
    """Learning rates, decays, epsilons and clipping thresholds are >= 0: lr=-0.1 fails early.

    ``not value >= 0`` also rejects NaN, which compares false with everything.
    """
    for name, value in values.items():
        if not value >= 0.0:
            raise ValueError(f"{name}: expected a non-negative number, got {value!r}")


# Recurrent layers: options, the input layout, the time axis and the state

STATE_HINT = ("h_0 is never batch-first; a wrong N often means the input is laid out "
              "other than batch_first says")


DIRECTION_MERGES = ("concat", "sum", "mean")
"""How a bidirectional layer may merge its two directions' outputs (concat is torch.nn's)."""


def expect_direction_pair(forward, backward) -> None:
    """The two directions' outputs: float arrays (..., H) of one shape, finite."""
    expect_float("forward", forward)
    if not np.ndim(forward):
        raise ValueError("forward: expected an array (..., H) with the features on its last "
                         "axis, got a scalar")
    expect_finite("forward", forward)
    expect_like("backward", backward, tuple(forward.shape), "forward")


def expect_merged_gradient(doutput, merge: str) -> None:
    """The gradient at a merged output: float (..., 2H) for concat (an even size), else (..., H)."""
    expect_float("doutput", doutput)
    if not np.ndim(doutput):
        raise ValueError("doutput: expected an array (..., F) with the features on its last "
                         "axis, got a scalar")
    if merge == "concat" and doutput.shape[-1] % 2:
        raise ValueError("doutput: a concatenated output has 2H features, an even number; got "
                         f"{doutput.shape[-1]} on the last axis of shape {tuple(doutput.shape)}")
    expect_finite("doutput", doutput)


def expect_merge(merge, bidirectional: bool) -> None:
    """A layer's ``merge``: one of DIRECTION_MERGES, and other than concat only if bidirectional."""
    expect_choice("merge", merge, DIRECTION_MERGES)
    if merge != "concat" and not bidirectional:
        raise ValueError(f"merge={merge!r} merges two directions: it needs bidirectional=True "
                         "(a one-way layer has one direction and nothing to merge)")


def expect_choice(name: str, value, choices: Sequence) -> None:
    """``value`` must be one of ``choices``: "nonlinearity: expected 'tanh' or 'relu', got ..."."""
    if value not in choices:
        options = " or ".join(repr(c) for c in choices)
        raise ValueError(f"{name}: expected {options}, got {value!r}")


def expect_bias_for_forget_bias(forget_bias, bias: bool) -> None:
    """An LSTM's ``forget_bias`` sets the forget gate's bias, so it needs ``bias=True``."""
    if forget_bias is not None and not bias:
        raise ValueError("forget_bias: needs bias=True (it sets the forget-gate bias)")


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


# The NumPy step and sequence functions: a decorator checks (and completes) their arguments,
# so that their bodies are only the equations. Shapes: N batch, T time, D input features,
# H hidden units, G gates (1 RNN, 4 LSTM, 3 GRU).

def validated(prepare):
    """Decorator: ``prepare(**arguments)`` checks a call's arguments, by name, before the body.

    ``prepare`` returns the arguments the body is called with (it may fill in absent
    biases). ``inspect.unwrap`` gives the plain function, whose body is only the math.
    """
    def decorate(function):
        signature = inspect.signature(function)

        @functools.wraps(function)
        def checked_call(*args, **kwargs):
            bound = signature.bind(*args, **kwargs)
            bound.apply_defaults()
            return function(**prepare(**bound.arguments))
        return checked_call
    return decorate


def check_weights(W_ih, W_hh, b_ih, b_hh, gates: int) -> tuple[int, int]:
    """Check the torch-layout weights of one cell; return ``(D, H)``.

    W_ih (G*H, D), W_hh (G*H, H), b_ih and b_hh (G*H,) or None.
    """
    expect_input("W_hh", W_hh, ("G*H", "H"), (None, None))
    rows, H = W_hh.shape
    expect_shape("W_hh", W_hh, ("G*H", "H"), (gates * H, H),
                 f"This cell stacks {gates} gate block(s) of H rows (torch layout)")
    expect_input("W_ih", W_ih, ("G*H", "D"), (gates * H, None),
                 "torch layout puts the input features on the second axis")
    for name, b in (("b_ih", b_ih), ("b_hh", b_hh)):
        if b is not None:
            expect_input(name, b, ("G*H",), (gates * H,))
    return W_ih.shape[1], H


def cell_arguments(gates: int, sequence: bool = False):
    """``prepare`` for :func:`validated`: the arguments of a step or sequence function.

    A step takes x (N, D) and h_prev, c_prev (N, H); a sequence function takes time-major
    x (T, N, D) and h_init, c_init (N, H). Both take the weights of :func:`check_weights`,
    and may take ``peephole`` (3, H) and ``nonlinearity``. Absent biases (None) become zeros,
    so that the body adds b_ih and b_hh unconditionally.
    """
    states = ("h_init", "c_init") if sequence else ("h_prev", "c_prev")

    def prepare(x, W_ih, W_hh, b_ih, b_hh, **rest):
        D, H = check_weights(W_ih, W_hh, b_ih, b_hh, gates)
        if sequence:
            expect_input("x", x, ("T", "N", "D"), (None, None, D),
                         "Sequence functions are time-major")
            expect_time_steps(x.shape[0])
        else:
            expect_input("x", x, ("N", "D"), (None, D))
        N = x.shape[-2]
        for name in states:
            if name in rest:
                expect_input(name, rest[name], ("N", "H"), (N, H))
        if "peephole" in rest:
            expect_input("peephole", rest["peephole"], ("3", "H"), (3, H),
                         "Rows are the peephole weights of the i, f and o gates")
        if "nonlinearity" in rest:
            expect_choice("nonlinearity", rest["nonlinearity"], ("tanh", "relu"))
        expect_same_dtype(x=x, **{name: rest[name] for name in states if name in rest},
                          W_ih=W_ih, W_hh=W_hh, b_ih=b_ih, b_hh=b_hh,
                          peephole=rest.get("peephole"))
        zeros = np.zeros(gates * H, dtype=W_hh.dtype)
        return dict(x=x, W_ih=W_ih, W_hh=W_hh, b_ih=zeros if b_ih is None else b_ih,
                    b_hh=zeros if b_hh is None else b_hh, **rest)
    return prepare


def gradients_like(**fields):
    """``prepare`` for :func:`validated`: upstream gradients shaped like what they belong to.

    ``fields`` maps an argument to the field of ``cache`` it is the gradient of, e.g.
    ``dh_next="h_next"``, whose shape it must have exactly; an argument that is None (an
    optional gradient) is not checked. Messages name the value: "dh_next: expected the shape
    of h_next, ...".
    """
    def prepare(cache, **upstream):
        missing = [field for field in fields.values() if not hasattr(cache, field)]
        if missing:
            raise TypeError(f"cache: expected what the forward step returned (a cache with "
                            f"the field {missing[0]}), got {type(cache).__name__}")
        for name, field in fields.items():
            if upstream[name] is not None:
                expect_like(name, upstream[name], getattr(cache, field).shape, name[1:])
        return dict(cache=cache, **upstream)
    return prepare


# Attention: one query per sequence, S keys per sequence (time-major), a mask of the real keys.
# Shapes: N batch, S key positions, Q query features, K key features, A attention units.

def expect_mask(mask, S: int, N: int) -> None:
    """``mask`` is None or an (S, N) boolean array (or tensor) with a real key in every column.

    True marks a real key, False padding. A column without a real key has nothing to attend
    to: its softmax would divide zero by zero, so it is refused here rather than become NaN.
    """
    if mask is None:
        return
    expected = f"a boolean mask of shape (S={S}, N={N}), True at the real keys"
    if not hasattr(mask, "dtype") or tuple(mask.shape) != (S, N):
        raise ValueError(f"mask: expected {expected}, got shape {tuple(np.shape(mask))}")
    if str(mask.dtype) not in ("bool", "torch.bool"):
        raise TypeError(f"mask: expected {expected}, got dtype {mask.dtype}")
    empty = ~mask.any(0)
    if bool(empty.any()):
        n = int(empty.nonzero()[0][0])
        raise ValueError(f"mask: column {n} has no real key (every entry is False); each "
                         "sequence needs at least one position to attend to")


def attention_sizes(query, keys, mask) -> tuple[int, int, int, int]:
    """Check the data of an attention call; return ``(S, N, Q, K)``.

    query (N, Q) and keys (S, N, K) floating-point and finite, mask as :func:`expect_mask`.
    """
    expect_input("keys", keys, ("S", "N", "K"), (None, None, None),
                 "Keys are time-major: one row of N keys per source position")
    S, N, K = keys.shape
    if S == 0:
        raise ValueError("keys: expected at least one key position, got S=0")
    expect_input("query", query, ("N", "Q"), (N, None), "One query per sequence of keys")
    expect_mask(mask, S, N)
    return S, N, query.shape[1], K


def expect_dot_sizes(Q: int, K: int) -> None:
    """The dot score q . k needs queries of the keys' size; Luong's general score does not."""
    if Q != K:
        raise ValueError(f"query: the dot score q . k needs queries of the keys' size K={K}, "
                         f"got Q={Q}; use Luong's general score q^T W k, with W (Q, K)")


# The clockwork RNN: modules of equal size with increasing clock periods. Shapes: H hidden units.

def expect_periods(periods, H: int) -> tuple[int, ...]:
    """``periods``: a non-empty tuple of strictly increasing positive ints whose count divides H.

    Module i holds H / g units (g = len(periods)); sorted by period, the block-triangular
    recurrent mask lets a module read only modules of equal or longer period.
    """
    if not isinstance(periods, tuple | list) or not periods:
        raise TypeError(f"periods: expected a non-empty tuple of positive ints such as "
                        f"(1, 2, 4, 8), got {periods!r}")
    for period in periods:
        if isinstance(period, bool) or not isinstance(period, int | np.integer) or period < 1:
            raise ValueError(f"periods: expected positive ints, got {period!r} in {periods!r}")
    if any(b <= a for a, b in zip(periods, periods[1:])):
        raise ValueError(f"periods: expected strictly increasing periods (fast modules "
                         f"first), got {tuple(periods)}")
    if H % len(periods):
        raise ValueError(f"periods: {len(periods)} modules must split the H={H} hidden units "
                         f"into equal modules; H is not a multiple of {len(periods)}")
    return tuple(int(p) for p in periods)


def expect_step_index(t) -> None:
    """The clockwork step index t is an int >= 0: the first step is t = 0."""
    if isinstance(t, bool) or not isinstance(t, int | np.integer) or t < 0:
        raise ValueError(f"t: expected the step index, an int >= 0 (the first step is t = 0), "
                         f"got {t!r}")
