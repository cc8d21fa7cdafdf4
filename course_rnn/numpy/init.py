r"""Initialisers that overwrite a Module's parameters in place.

A recurrent weight of torch's layout stacks G gate blocks of H rows: ``weight_ih`` is (G*H, D)
and ``weight_hh`` is (G*H, H), with G = 1 (RNN), 4 (LSTM: i, f, g, o) or 3 (GRU: r, z, n).
Each block is its own linear map (one gate's pre-activation), so the shape-dependent schemes
below treat every block as a separate matrix: an orthogonal (4H, H) matrix would *not* make each
gate's H x H map orthogonal, and Xavier's fan-out of one gate is H, not 4H.

Every function takes the module and a ``np.random.Generator`` (or a seed) where it draws, and
``names``, the base names (without the ``_l{k}`` / ``_reverse`` suffix) of the weights it
touches: by default every weight matrix (``weight`` of a Linear, ``weight_ih`` and ``weight_hh``
of a recurrent layer); ``names=("weight_hh",)`` for the recurrent ones only. Biases (and LSTM
peepholes) are left alone unless the scheme says so.

    torch_default_        the distribution torch.nn uses (re-draw)
    xavier_uniform_       U(-a, a), a = gain sqrt(6 / (fan_in + fan_out))   Glorot & Bengio 2010
    orthogonal_           Q of the QR decomposition of a Gaussian matrix    Saxe et al. 2014
    identity_recurrent_   W_hh = scale I, biases 0, for ReLU RNNs (IRNN)    Le et al. 2015
    forget_gate_bias_     LSTM forget-gate bias b_f = 1                     Gers et al. 2000,
                                                                            Jozefowicz et al. 2015

Shapes: D input features, H hidden units, G gates; V, D for a Linear weight (V, D).
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator

import numpy as np

from course_rnn.numpy.module import Module
from course_rnn.numpy.recurrent import recurrent_uniform


def gate_blocks(module: Module, name: str, weight: np.ndarray) -> list[np.ndarray]:
    """Views of the G gate blocks of a recurrent weight; one block (the whole matrix) otherwise."""
    gates = getattr(module, "gates", 1)
    if gates > 1 and name.startswith(("weight_ih", "weight_hh")):
        return np.split(weight, gates, axis=0)  # G views of (H, D) or (H, H)
    return [weight]


WEIGHTS = ("weight", "weight_ih", "weight_hh")


def base_name(name: str) -> str:
    """``weight_hh_l1_reverse`` -> ``weight_hh``: the name without layer and direction."""
    return re.sub(r"_l\d+(_reverse)?$", "", name)


def weight_blocks(module: Module, names) -> Iterator[np.ndarray]:
    """Every gate block of every parameter whose base name is in ``names``."""
    if not isinstance(module, Module):
        raise TypeError(f"expected a course_rnn.numpy Module, got {type(module).__name__}")
    chosen = [n for n in module.params if base_name(n) in names]
    if not chosen:
        raise ValueError(f"names: {type(module).__name__} has no parameter named like "
                         f"{tuple(names)}; its parameters are {list(module.params)}")
    for name in chosen:
        yield from gate_blocks(module, name, module.params[name])


def torch_default_(module: Module, rng=None) -> None:
    """Re-draw every parameter from the distribution torch.nn would use.

    Layers with their own rule (``Linear``: U(+-1/sqrt(D)), ``Embedding``: N(0, 1)) provide
    ``reset_parameters``; torch.nn's recurrent layers draw everything, biases included, from
    U(-1/sqrt(H), 1/sqrt(H)).
    """
    if hasattr(module, "reset_parameters"):
        module.reset_parameters(rng)
        return
    if not hasattr(module, "hidden_size"):
        raise TypeError(f"torch_default_: no known default for {type(module).__name__}")
    rng = np.random.default_rng(rng)
    for p in module.params.values():
        p[...] = recurrent_uniform(p.shape, module.hidden_size, rng, p.dtype)


def xavier_uniform_(module: Module, rng=None, *, gain: float = 1.0, names=WEIGHTS) -> None:
    """Glorot & Bengio (2010): keep activation and gradient variance equal across a layer.

    Each block W (fan_out, fan_in) is drawn from U(-a, a) with

        a = gain * sqrt(6 / (fan_in + fan_out)),     Var = a^2 / 3 = gain^2 * 2 / (fan_in + fan_out)

    so a (4H, D) LSTM ``weight_ih`` uses fan_out = H per gate block, not 4H.
    """
    rng = np.random.default_rng(rng)
    for block in weight_blocks(module, names):
        fan_out, fan_in = block.shape
        bound = gain * math.sqrt(6.0 / (fan_in + fan_out))
        block[...] = rng.uniform(-bound, bound, block.shape)


def random_orthogonal(rows: int, cols: int, rng: np.random.Generator) -> np.ndarray:
    """A (rows, cols) matrix with orthonormal rows or columns, uniformly distributed.

    Q of the QR decomposition of a Gaussian matrix is orthogonal, but numpy's QR fixes the
    signs of diag(R) in its own way, which biases Q; multiplying column j of Q by
    sign(R_jj) removes that bias (Mezzadri 2007), giving the Haar (uniform) distribution.
    """
    tall = rows >= cols
    a = rng.standard_normal((rows, cols) if tall else (cols, rows))
    q, r = np.linalg.qr(a)  # q: (max, min) with orthonormal columns
    q *= np.where(np.diag(r) < 0, -1.0, 1.0)
    return q if tall else q.T


def orthogonal_(module: Module, rng=None, *, gain: float = 1.0, names=WEIGHTS) -> None:
    """Saxe et al. (2014): orthogonal weights, per gate block.

    An orthogonal W_hh has every singular value equal to 1, so repeated multiplication in BPTT
    neither explodes nor vanishes at initialisation. A square block becomes gain * Q with
    Q^T Q = I; a non-square block gets orthonormal rows (wide) or columns (tall).
    """
    rng = np.random.default_rng(rng)
    for block in weight_blocks(module, names):
        block[...] = gain * random_orthogonal(*block.shape, rng)


def identity_recurrent_(module: Module, scale: float = 1.0) -> None:
    """IRNN (Le, Jaitly & Hinton 2015): W_hh = scale * I and all biases zero.

    With ReLU, h_t = relu(W_ih x_t + h_{t-1}) starts out copying the state forward, so the
    gradient passes through many steps unchanged; the paper pairs it with
    ``nonlinearity='relu'`` and small Gaussian input weights (``weight_ih`` is left as it is).
    Only a single-gate layer (``RNN``) has one H x H recurrent map to set.
    """
    if getattr(module, "gates", None) != 1:
        raise ValueError(f"identity_recurrent_: expected an RNN (one gate block), got "
                         f"{type(module).__name__}")
    for name, p in module.params.items():
        if name.startswith("weight_hh"):
            p[...] = scale * np.eye(p.shape[0])
        elif name.startswith("bias"):
            p[...] = 0.0


def forget_gate_bias_(module: Module, value: float = 1.0) -> None:
    """Set the LSTM forget-gate bias: ``bias_ih[H:2H] = value`` and ``bias_hh[H:2H] = 0``.

    With b_f = 1 the forget gate starts near sigmoid(1) = 0.73 instead of 0.5, so the cell keeps
    its memory by default and gradients flow over longer spans early in training (Gers,
    Schmidhuber & Cummins 2000; Jozefowicz, Zaremba & Sutskever 2015 recommend 1). torch adds
    b_ih and b_hh, so the value goes into one of them and the other's slice is zeroed.
    """
    if getattr(module, "gates", None) != 4:
        raise ValueError(f"forget_gate_bias_: expected an LSTM (gates i, f, g, o), got "
                         f"{type(module).__name__}")
    names = [n for n in module.params if n.startswith("bias_ih")]
    if not names:
        raise ValueError("forget_gate_bias_: the LSTM has no biases (bias=False)")
    H = module.hidden_size
    for name in names:
        module.params[name][H:2 * H] = value  # gate order i, f, g, o: f is the second block
        module.params[name.replace("bias_ih", "bias_hh")][H:2 * H] = 0.0
