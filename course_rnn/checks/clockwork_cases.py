"""Test inputs for the clockwork-step check: module schedules that make each mistake show.

A clockwork step (Koutnik et al. 2014) reads x (N, D), h_prev (N, H), the step index t (the
first step is t = 0), W_ih (H, D), W_hh (H, H), b (H,) and the periods (g increasing ints,
g dividing H). The cases are chosen so that every typical mistake changes some number:

- t = 0, where every module updates (and code that counts from 1 does not);
- steps where only the fastest module updates, where some modules are idle, and where the
  index of a module and its period disagree (t = 3 with periods (1, 2, 4));
- W_hh drawn full, nonzero outside the block-triangular pattern, so a pattern not applied,
  or applied transposed, shows; a random bias, so a bias added to idle modules shows;
- four modules, a batch of one, and a single module (a plain RNN step).

Shapes: N batch, D input features, H hidden units, g modules.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

ARG_NAMES = ("x", "h_prev", "t", "W_ih", "W_hh", "b", "periods")


@dataclass(frozen=True, eq=False)
class ClockworkCase:
    """Inputs of one test of a clockwork step (float64 arrays, an int t, a tuple of periods)."""

    label: str
    args: tuple[tuple[str, object], ...]   # (name, value) in the order of ARG_NAMES
    upstream: tuple = ()                   # a forward-only exercise has no upstream gradient

    def __getitem__(self, name: str):
        """An argument by name, e.g. ``case["periods"]``."""
        return dict(self.args)[name]

    @property
    def sizes(self) -> tuple[int, int, int]:
        """(N, D, H)."""
        N, D = self["x"].shape
        return N, D, self["W_hh"].shape[0]

    @property
    def title(self) -> str:
        """The label with the step and sizes, for messages."""
        N, D, H = self.sizes
        return f"{self.label} (t={self['t']}, periods={self['periods']}, N={N}, D={D}, H={H})"


def make_clockwork_case(seed: int, t: int, periods: tuple[int, ...], N: int = 2, D: int = 3,
                        units: int = 2, label: str = "") -> ClockworkCase:
    """Random inputs for step ``t`` of modules of ``units`` units with the given periods."""
    rng = np.random.default_rng(seed)
    H = units * len(periods)
    args = (("x", rng.standard_normal((N, D))), ("h_prev", rng.standard_normal((N, H))),
            ("t", t), ("W_ih", rng.standard_normal((H, D)) / np.sqrt(D)),
            ("W_hh", rng.standard_normal((H, H)) / np.sqrt(H)),
            ("b", rng.standard_normal(H)), ("periods", periods))
    return ClockworkCase(label, args)


def forward_cases() -> list[ClockworkCase]:
    """Cases for the check, the first step first."""
    return [
        make_clockwork_case(61, 0, (1, 2, 4), label="first step, every module updates"),
        make_clockwork_case(62, 1, (1, 2, 4), label="only the fastest module updates"),
        make_clockwork_case(63, 6, (1, 2, 4), label="the slowest module is idle"),
        make_clockwork_case(64, 3, (1, 2, 4), label="t = 3"),
        make_clockwork_case(65, 12, (1, 2, 4, 8), units=3, label="four modules"),
        make_clockwork_case(66, 2, (1, 2, 4), N=1, label="batch of one"),
        make_clockwork_case(67, 5, (1,), units=4, label="one module, a plain RNN step"),
    ]
