r"""A lookup table from token ids to vectors in NumPy: the input layer of a language model.

    y[...] = W[idx[...]]

Looking up row k is the same as multiplying the one-hot vector e_k by W, which is why the
backward is a scatter-add: every position that read row k adds its upstream gradient to dW[k],

    dW[k] = sum over positions p with idx[p] = k of dy[p]

A token that occurs several times in a batch collects several contributions. ``np.add.at`` does
that accumulation; plain fancy assignment ``dW[idx] += dy`` would keep only one of them.

The row ``padding_idx`` (if set) starts at zero and never receives a gradient, as in
torch.nn.Embedding: padding tokens then add nothing to the layers above.

Shapes: ``...`` any index shape (e.g. (T, N)), V num_embeddings (the vocabulary),
E embedding_dim. Weight layout as in torch: (V, E).
"""

from __future__ import annotations

import numpy as np

from course_rnn.numpy.module import Module
from course_rnn.shapes import check_indices, expect_features, expect_positive_ints


class Embedding(Module):
    """W[idx] for integer ids of any shape, with torch.nn.Embedding's parameter and initialisation.

    Parameters
    ----------
    num_embeddings : V, the number of ids.   embedding_dim : E.
    padding_idx : an id whose row stays zero and gets no gradient (negative counts from the
        end, as in torch), or None.
    dtype : np.float64 (default) or np.float32.
    rng : a ``np.random.Generator`` or a seed, for the initial weights.

    Attributes
    ----------
    params : ``weight`` (V, E).   grads : ``weight`` (V, E) after :meth:`backward`.
    """

    def __init__(self, num_embeddings, embedding_dim, *, padding_idx=None, dtype=np.float64,
                 rng=None):
        super().__init__(dtype)
        expect_positive_ints(num_embeddings=num_embeddings, embedding_dim=embedding_dim)
        self.num_embeddings, self.embedding_dim = num_embeddings, embedding_dim
        if padding_idx is not None:
            if not -num_embeddings <= padding_idx < num_embeddings:
                raise ValueError(f"padding_idx: expected a value in [{-num_embeddings}, "
                                 f"{num_embeddings - 1}], got {padding_idx}")
            padding_idx %= num_embeddings  # torch stores a negative index counted from the end
        self.padding_idx = padding_idx
        self.reset_parameters(rng)
        self._idx = None

    def reset_parameters(self, rng=None) -> None:
        """Draw W from N(0, 1), as torch.nn.Embedding does, and zero the padding row."""
        rng = np.random.default_rng(rng)
        weight = rng.standard_normal((self.num_embeddings, self.embedding_dim))
        if self.padding_idx is not None:
            weight[self.padding_idx] = 0.0
        self.params = {"weight": weight.astype(self.dtype)}

    def __repr__(self):
        extra = "" if self.padding_idx is None else f", padding_idx={self.padding_idx}"
        return f"Embedding({self.num_embeddings}, {self.embedding_dim}{extra})"

    def forward(self, indices):
        """Look up every id.

        Parameters
        ----------
        indices : integer array of any shape ``...``, e.g. (T, N), values in [0, V).

        Returns
        -------
        y : (..., E), a new array (not a view of the weight).
        """
        self._idx = check_indices("indices", indices, self.num_embeddings)
        return self.params["weight"][self._idx]

    def backward(self, dout) -> None:
        """Scatter-add ``dout`` (..., E) into ``grads['weight']`` (V, E).

        Returns None: integer ids have no gradient.
        """
        if self._idx is None:
            raise RuntimeError("backward: call forward first (backward uses its saved ids)")
        expect_features("dout", dout, self.embedding_dim, "E")
        if dout.shape[:-1] != self._idx.shape:
            raise ValueError(f"dout: expected shape {(*self._idx.shape, self.embedding_dim)} "
                             f"(the output's), got {dout.shape}")
        dweight = np.zeros_like(self.params["weight"])
        np.add.at(dweight, self._idx, np.asarray(dout, dtype=self.dtype))
        if self.padding_idx is not None:
            dweight[self.padding_idx] = 0.0
        self.grads = {"weight": dweight}
        return None
