r"""First-order optimizers in NumPy that follow torch.optim step for step.

Each optimizer walks every (parameter, gradient) pair of the modules it was given, reads the
gradient that ``backward`` left in ``module.grads`` and updates ``module.params`` in place. A
parameter without a gradient is skipped, as torch skips a parameter whose ``.grad`` is None.
Per-parameter state (momentum buffers, running averages) is kept by (module, name).

Weight decay is L2 regularisation applied to the gradient, exactly as torch.optim does:

    g <- g + lambda * W

This is the gradient of (lambda / 2) ||W||^2, so for SGD it is the same as adding that penalty to
the loss; the decay then also passes through momentum and, for Adagrad and Adam, through the
adaptive scaling (which is why AdamW, decoupled decay, differs from Adam with weight_decay).
``module.grads`` itself is left unchanged.

Update rules (t counts the steps from 1, lr is the learning rate, all products elementwise):

    SGD:      b <- mu b + g (b = g at t = 1);  g <- g + mu b (nesterov) or g <- b;  W <- W - lr g
    Adagrad:  s <- s + g^2;                     W <- W - lr g / (sqrt(s) + eps)
    Adam:     m <- beta1 m + (1 - beta1) g;     v <- beta2 v + (1 - beta2) g^2
              W <- W - lr / (1 - beta1^t) * m / (sqrt(v) / sqrt(1 - beta2^t) + eps)

References: Sutskever et al. 2013 (momentum, Nesterov), Duchi et al. 2011 (Adagrad),
Kingma & Ba 2015 (Adam).
"""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np

from course_rnn.numpy.module import Module
from course_rnn.shapes import expect_non_negative


def as_modules(module_or_modules) -> list[Module]:
    """One Module, or a list/tuple of them (e.g. ``[rnn, head]``), as a list of Modules."""
    modules = (list(module_or_modules) if isinstance(module_or_modules, list | tuple)
               else [module_or_modules])
    for m in modules:
        if not isinstance(m, Module):
            raise TypeError(f"expected a course_rnn.numpy Module or a list of them, got "
                            f"{type(m).__name__}")
    if not modules:
        raise ValueError("expected at least one Module, got an empty list")
    return modules


def params_with_grads(modules: list[Module]) -> Iterator[tuple[tuple[int, str], np.ndarray,
                                                               np.ndarray]]:
    """(key, param, grad) for every parameter that has a gradient; key is (module index, name)."""
    for index, module in enumerate(modules):
        for name, param in module.params.items():
            grad = module.grads.get(name)
            if grad is None:
                continue
            if grad.shape != param.shape:
                raise ValueError(f"grads[{name!r}]: expected shape {param.shape} (the "
                                 f"parameter's), got {grad.shape}")
            yield (index, name), param, grad


class Optimizer:
    """Base class: the param/grad walk, the per-parameter state and ``zero_grad``.

    Subclasses implement ``_update(param, grad, state)``, which changes ``param`` in place;
    ``state`` is a dict that persists for that parameter across steps.
    """

    def __init__(self, module_or_modules, lr: float, weight_decay: float = 0.0):
        self.modules = as_modules(module_or_modules)
        expect_non_negative(lr=lr, weight_decay=weight_decay)
        self.lr, self.weight_decay = lr, weight_decay
        self.state: dict[tuple[int, str], dict] = {}

    def step(self) -> None:
        """Update every parameter that has a gradient, in place."""
        for key, param, grad in params_with_grads(self.modules):
            if self.weight_decay:
                grad = grad + self.weight_decay * param  # a new array: grads stay untouched
            self._update(param, grad, self.state.setdefault(key, {}))

    def zero_grad(self) -> None:
        """Clear the gradients of every module (torch's default ``set_to_none=True``)."""
        for module in self.modules:
            module.zero_grad()

    def _update(self, param: np.ndarray, grad: np.ndarray, state: dict) -> None:
        raise NotImplementedError


class SGD(Optimizer):
    """Stochastic gradient descent with optional (Nesterov) momentum, as torch.optim.SGD.

    Parameters
    ----------
    module_or_modules : a Module or a list of Modules.
    lr : learning rate.   momentum : mu in [0, 1).   weight_decay : lambda (L2, see module notes).
    nesterov : look ahead along the momentum buffer (needs momentum > 0).
    """

    def __init__(self, module_or_modules, lr, momentum=0.0, weight_decay=0.0, nesterov=False):
        super().__init__(module_or_modules, lr, weight_decay)
        expect_non_negative(momentum=momentum)
        if nesterov and momentum == 0.0:
            raise ValueError("nesterov: needs momentum > 0")
        self.momentum, self.nesterov = momentum, nesterov

    def _update(self, param, grad, state):
        if self.momentum:
            # torch starts the buffer at g, which is mu * 0 + g: a zero start gives the same
            buf = state.setdefault("momentum_buffer", np.zeros_like(param))
            buf *= self.momentum
            buf += grad
            grad = grad + self.momentum * buf if self.nesterov else buf
        param -= self.lr * grad


class Adagrad(Optimizer):
    """Adagrad (Duchi et al. 2011): per-element steps shrink with the summed squared gradients.

    Parameters
    ----------
    module_or_modules : a Module or a list of Modules.
    lr : learning rate.   eps : added to sqrt(s) to avoid division by zero.
    weight_decay : lambda (L2, see module notes).
    """

    def __init__(self, module_or_modules, lr=1e-2, eps=1e-10, weight_decay=0.0):
        super().__init__(module_or_modules, lr, weight_decay)
        expect_non_negative(eps=eps)
        self.eps = eps

    def _update(self, param, grad, state):
        s = state.setdefault("sum", np.zeros_like(param))
        s += grad * grad
        param -= self.lr * grad / (np.sqrt(s) + self.eps)


class Adam(Optimizer):
    """Adam (Kingma & Ba 2015): momentum on g and per-element scaling by a running mean of g^2.

    The bias corrections 1 - beta^t undo the pull towards zero of averages started at zero.

    Parameters
    ----------
    module_or_modules : a Module or a list of Modules.
    lr : learning rate.   betas : (beta1, beta2), decay rates of the two running averages.
    eps : added to the denominator.   weight_decay : lambda (L2, see module notes).
    """

    def __init__(self, module_or_modules, lr=1e-3, betas=(0.9, 0.999), eps=1e-8,
                 weight_decay=0.0):
        super().__init__(module_or_modules, lr, weight_decay)
        beta1, beta2 = betas
        expect_non_negative(eps=eps, beta1=beta1, beta2=beta2)
        if not (beta1 < 1.0 and beta2 < 1.0):
            raise ValueError(f"betas: expected values in [0, 1), got {betas}")
        self.betas, self.eps = (beta1, beta2), eps

    def _update(self, param, grad, state):
        beta1, beta2 = self.betas
        t = state["step"] = state.get("step", 0) + 1
        m = state.setdefault("exp_avg", np.zeros_like(param))
        v = state.setdefault("exp_avg_sq", np.zeros_like(param))
        m *= beta1
        m += (1 - beta1) * grad
        v *= beta2
        v += (1 - beta2) * grad * grad
        denom = np.sqrt(v) / np.sqrt(1 - beta2**t) + self.eps
        param -= (self.lr / (1 - beta1**t)) * m / denom
