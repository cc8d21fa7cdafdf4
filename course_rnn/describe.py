"""How both backends print a layer: torch.nn's rule, the sizes and then only the options that
differ from their defaults, so ``LSTM(10, 20, num_layers=2)`` reads like the call that made it.
"""

from __future__ import annotations

DEFAULTS = {"num_layers": 1, "nonlinearity": "tanh", "bias": True, "batch_first": False,
            "dropout": 0.0, "bidirectional": False, "merge": "concat", "peephole": False,
            "forget_bias": None, "reset_after": True}


def arguments(module) -> str:
    """'10, 20, num_layers=2': input and hidden size, then every non-default option it has."""
    parts = [str(module.input_size), str(module.hidden_size)]
    parts += [f"{name}={getattr(module, name)!r}" for name, default in DEFAULTS.items()
              if hasattr(module, name) and getattr(module, name) != default]
    return ", ".join(parts)
