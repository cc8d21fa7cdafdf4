r"""Repeating a character-model training run over seeds, to tell an effect from seed noise.

One training run of :func:`~course_rnn.models.char_model.train_char_model` is one draw: the
initial weights come from its seed, and two seeds of the same settings can end a few hundredths
of a nat apart, or one can stall where the other trains. A claim such as "a shorter truncation
length costs little" or "clipping does not rescue a large learning rate" is therefore checked
on several seeds: :func:`runs_over_seeds` trains once per seed and summarises each run in a
:class:`RunSummary`; :func:`spread` gives the range of one quantity over the seeds.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np

from course_rnn.models.char_model import CharModel, char_loss, train_char_model


@dataclass
class RunSummary:
    """One training run, summarised.

    Attributes
    ----------
    seed : the seed of the initial weights.
    clipped : fraction of the steps whose gradient norm exceeded ``max_norm`` (was clipped).
    final_loss : mean training loss of the last ``last`` steps, nats per character.
    held_out : :func:`~course_rnn.models.char_model.char_loss` on the held-out text.
    losses, grad_norms : the run's per-step training losses and gradient norms.
    model : the trained model.
    """

    seed: int
    clipped: float
    final_loss: float
    held_out: float
    losses: np.ndarray
    grad_norms: np.ndarray
    model: CharModel


def runs_over_seeds(train_text: str, held_out: str, seeds: Iterable[int], *, last: int = 100,
                    **settings) -> list[RunSummary]:
    """Train the character model once per seed with the same ``settings``.

    Parameters
    ----------
    train_text, held_out : the training corpus and the text the held-out loss is measured on.
    seeds : the seeds, one run each.
    last : how many final steps the training loss is averaged over.
    settings : keyword arguments of :func:`~course_rnn.models.char_model.train_char_model`
        (everything but ``seed``); ``max_norm`` defaults to its value there.

    Returns
    -------
    One :class:`RunSummary` per seed, in the order of ``seeds``.
    """
    if "seed" in settings:
        raise TypeError("runs_over_seeds: give the seeds as `seeds`, not `seed`")
    max_norm = settings.get("max_norm", 5.0)
    runs = []
    for seed in seeds:
        result = train_char_model(train_text, seed=seed, **settings)
        losses, norms = np.array(result.losses), np.array(result.grad_norms)
        runs.append(RunSummary(seed=seed, clipped=float(np.mean(norms > max_norm)),
                               final_loss=float(np.mean(losses[-last:])),
                               held_out=char_loss(result.model, held_out),
                               losses=losses, grad_norms=norms, model=result.model))
    return runs


def spread(runs: Iterable[RunSummary], attribute: str = "held_out") -> tuple[float, float]:
    """The smallest and largest value of ``attribute`` over ``runs``."""
    values = [getattr(run, attribute) for run in runs]
    return float(min(values)), float(max(values))
