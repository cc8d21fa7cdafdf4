"""The base of every NumPy layer: parameters and their gradients, keyed by torch.nn's names.

A NumPy layer keeps its weights in ``params`` and, after ``backward``, their gradients in
``grads``, both dicts with the keys of the matching torch.nn module's ``state_dict()``. That
shared naming is the whole interface between the backends: weights move from torch.nn to NumPy
with ``load_state_dict(torch_module.state_dict())`` and back with
``torch_module.load_state_dict({k: torch.from_numpy(v) for k, v in layer.state_dict().items()})``.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping

import numpy as np

from course_rnn.shapes import check_dtype, expect_finite


def to_numpy(value) -> np.ndarray:
    """A NumPy array from an array or a torch tensor (on any device), without importing torch."""
    if hasattr(value, "detach"):
        return value.detach().cpu().numpy()
    return np.asarray(value)


class Module:
    """Holds ``params`` and ``grads`` (name -> array) and exchanges them with torch.nn.

    Subclasses fill ``self.params`` in torch.nn's order and implement ``forward`` (and
    ``backward``, which fills ``self.grads`` with the same keys).

    Unlike torch's ``.grad``, which accumulates over backward calls, ``grads`` holds the
    gradients of the latest ``backward`` only. ``backward`` reads the arrays given to
    ``forward``: modify them in between and the gradients are those of the modified values.
    """

    def __init__(self, dtype=np.float64):
        self.dtype = check_dtype(dtype)
        self.params: dict[str, np.ndarray] = {}
        self.grads: dict[str, np.ndarray] = {}
        self.training = True

    def train(self, mode: bool = True):
        """Training mode (the default): dropout is active. Returns self, as in torch."""
        self.training = mode
        return self

    def eval(self):
        """Evaluation mode: dropout is off."""
        return self.train(False)

    def __call__(self, *args, **kwargs):
        return self.forward(*args, **kwargs)

    def named_parameters(self) -> Iterator[tuple[str, np.ndarray]]:
        """(name, array) pairs in torch.nn's order; the arrays are the live parameters."""
        return iter(self.params.items())

    def state_dict(self) -> dict[str, np.ndarray]:
        """A copy of every parameter, keyed like the torch.nn module's ``state_dict()``."""
        return {name: value.copy() for name, value in self.params.items()}

    def load_state_dict(self, state: Mapping) -> None:
        """Copy weights in from NumPy arrays or torch tensors (e.g. a torch.nn ``state_dict()``).

        Keys must match exactly and each shape must equal the current one; values are cast to
        this layer's dtype.
        """
        missing = sorted(set(self.params) - set(state))
        unexpected = sorted(set(state) - set(self.params))
        if missing or unexpected:
            raise KeyError(f"load_state_dict: missing keys {missing}, unexpected keys {unexpected}")
        new = {}
        for name, current in self.params.items():
            value = to_numpy(state[name])
            if value.shape != current.shape:
                raise ValueError(f"load_state_dict: {name} expected shape {current.shape}, "
                                 f"got {value.shape}")
            expect_finite(name, value)
            new[name] = value.astype(self.dtype, copy=True)
        self.params.update(new)

    def zero_grad(self) -> None:
        """Forget the gradients of the last backward pass."""
        self.grads = {}
