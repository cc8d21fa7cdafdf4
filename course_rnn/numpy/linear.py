r"""A fully connected (affine) layer in NumPy, the usual read-out head on top of a recurrent layer.

    y = x W^T + b

The layer acts on the last axis only, so one call maps a whole sequence of hidden states
(T, N, H) to a sequence of logits (T, N, V): every time step shares the same W and b, exactly as
torch.nn.Linear does.

Backward, given dL/dy, treats every leading position as one more row of a batch:

    dx = dy W          dW = sum over rows of dy^T x          db = sum over rows of dy

Shapes: ``...`` any leading axes (e.g. (T, N) or (N,)), D in_features, V out_features
(the vocabulary or the classes when the layer is a read-out head). Weights use torch's layout:
weight (V, D), bias (V,).
"""

from __future__ import annotations

import math

import numpy as np

from course_rnn.numpy.module import Module
from course_rnn.shapes import expect_features, expect_positive_ints


class Linear(Module):
    """y = x W^T + b on the last axis, with torch.nn.Linear's parameters and initialisation.

    Parameters
    ----------
    in_features : D.   out_features : V.
    bias : whether to learn b.
    dtype : np.float64 (default) or np.float32.
    rng : a ``np.random.Generator`` or a seed, for the initial weights.

    Attributes
    ----------
    params : ``weight`` (V, D) and, with bias, ``bias`` (V,).
    grads : the same keys, filled by :meth:`backward`.
    """

    def __init__(self, in_features, out_features, bias=True, *, dtype=np.float64, rng=None):
        super().__init__(dtype)
        expect_positive_ints(in_features=in_features, out_features=out_features)
        self.in_features, self.out_features, self.bias = in_features, out_features, bias
        self.reset_parameters(rng)
        self._x = None

    def reset_parameters(self, rng=None) -> None:
        """Draw W and b from U(-1/sqrt(D), 1/sqrt(D)), the distribution torch.nn.Linear uses.

        (torch writes it as kaiming_uniform_ with a = sqrt(5), whose bound works out to
        1/sqrt(D) for the weight; the bias uses the same bound directly.)
        """
        rng = np.random.default_rng(rng)
        bound = 1.0 / math.sqrt(self.in_features)
        shapes = {"weight": (self.out_features, self.in_features)}
        if self.bias:
            shapes["bias"] = (self.out_features,)
        self.params = {name: rng.uniform(-bound, bound, shape).astype(self.dtype)
                       for name, shape in shapes.items()}

    def __repr__(self):
        return (f"Linear(in_features={self.in_features}, out_features={self.out_features}, "
                f"bias={self.bias})")

    def forward(self, x):
        """Apply the layer to every position.

        Parameters
        ----------
        x : (..., D), e.g. (N, D) or a whole sequence (T, N, D).

        Returns
        -------
        y : (..., V), the same leading axes as ``x``.
        """
        expect_features("x", x, self.in_features, "D")
        x = np.asarray(x, dtype=self.dtype)
        self._x = x  # backward needs the input for dW
        y = x @ self.params["weight"].T
        if self.bias:
            y += self.params["bias"]
        return y

    def backward(self, dout):
        """Gradients of the last forward: returns dx (..., D); fills ``grads``.

        Parameters
        ----------
        dout : (..., V) gradient of the loss at the output, shaped like the output.
        """
        if self._x is None:
            raise RuntimeError("backward: call forward first (backward uses its saved input)")
        x = self._x
        expect_features("dout", dout, self.out_features, "V")
        if dout.shape[:-1] != x.shape[:-1]:
            raise ValueError(f"dout: expected shape {(*x.shape[:-1], self.out_features)} "
                             f"(the output's), got {dout.shape}")
        dout = np.asarray(dout, dtype=self.dtype)
        # every leading position is one more row of the same affine map
        dout_rows = dout.reshape(-1, self.out_features)  # (rows, V)
        x_rows = x.reshape(-1, self.in_features)  # (rows, D)
        self.grads = {"weight": dout_rows.T @ x_rows}
        if self.bias:
            self.grads["bias"] = dout_rows.sum(axis=0)
        return dout @ self.params["weight"]
