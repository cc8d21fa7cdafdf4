"""Figures for the order experiment: what a bag of words keeps, and who learns the order task.

:func:`plot_bags` draws sequences next to their bags of words, so two sequences with the same
tokens in a different order visibly get the same bag. :func:`plot_learning_curves` draws the
training loss and held-out accuracy of several models, with the chance level marked.
"""

from __future__ import annotations

import math

import numpy as np

from course_rnn.data.order import bag_of_words
from course_rnn.shapes import check_tokens
from course_rnn.viz.style import PALETTE, SERIES, new_figure


def plot_bags(tokens, vocab, titles=None, highlight=()):
    """Each sequence as a row of token boxes (top) and all their bags as grouped bars (below).

    Parameters
    ----------
    tokens : (N, T) integer ids into ``vocab``; a handful of short sequences.
    vocab : the V token names.
    titles : N row labels (e.g. the meaning of each sentence), or None.
    highlight : token ids whose boxes are filled, to make them easy to find (e.g. the markers).

    Returns
    -------
    (fig, axes): the matplotlib figure and its two axes.
    """
    tokens = check_tokens(tokens, len(vocab))
    N, T = tokens.shape
    titles = list(titles) if titles is not None else [f"sequence {n + 1}" for n in range(N)]
    if len(titles) != N:
        raise ValueError(f"titles: expected {N} labels (one per sequence), got {len(titles)}")
    counts = bag_of_words(tokens, len(vocab))  # (N, V)
    fig, (ax_seq, ax_bag) = new_figure(nrows=2, width=6.4, height=2.6 + 0.5 * N)
    fontsize = 10 if T <= 12 else 8  # long rows need smaller boxes to stay apart
    for n in range(N):
        y = N - 1 - n
        ax_seq.text(-0.5, y + 0.3, titles[n], ha="left", va="bottom",
                    color=SERIES[n % len(SERIES)])
        for t, token in enumerate(tokens[n]):
            ax_seq.text(t, y, vocab[token], ha="center", va="center", fontsize=fontsize,
                        bbox={"boxstyle": "round,pad=0.3",
                              "facecolor": PALETTE["hidden"] if token in highlight else "white",
                              "edgecolor": PALETTE["input"]})
    ax_seq.set_xlim(-0.6, T - 0.4)
    ax_seq.set_ylim(-0.6, N - 0.1)
    ax_seq.set_title("the sequence: order matters")
    ax_seq.axis("off")
    width = 0.8 / N
    positions = np.arange(len(vocab))
    for n in range(N):
        ax_bag.bar(positions + (n - (N - 1) / 2) * width, counts[n], width,
                   label=titles[n], color=SERIES[n % len(SERIES)])
    ax_bag.set_xticks(positions, vocab)
    ax_bag.set_ylabel("count")
    ax_bag.set_ylim(0, counts.max() * 1.25 + 0.5)  # headroom for the legend above the bars
    ax_bag.yaxis.get_major_locator().set_params(integer=True)
    ax_bag.set_title("its bag of words: order is gone")
    ax_bag.legend(loc="upper center", ncols=min(N, 3), fontsize=8)
    return fig, (ax_seq, ax_bag)


def plot_learning_curves(histories, chance: float = 0.5):
    """Training loss and held-out accuracy per epoch for several models.

    Parameters
    ----------
    histories : ``{model name: history}`` with each history as returned by
        :func:`course_rnn.models.classifier.fit` with ``validation`` (keys ``'loss'`` and
        ``'val_accuracy'``).
    chance : accuracy of guessing; also sets the loss of guessing, -log(chance), for the left
        panel (for balanced classes, chance = 1 / K).

    Returns
    -------
    (fig, axes): the matplotlib figure and its two axes.
    """
    if not 0.0 < chance < 1.0:
        raise ValueError(f"chance: expected a probability in (0, 1), got {chance!r}")
    for name, history in histories.items():
        missing = {"loss", "val_accuracy"} - set(history)
        if missing:
            raise KeyError(f"histories[{name!r}]: missing {sorted(missing)} "
                           "(train with fit(..., validation=...))")
    fig, (ax_loss, ax_acc) = new_figure(ncols=2, width=8.0, height=3.2)
    for name, history in histories.items():
        epochs = np.arange(1, len(history["loss"]) + 1)
        ax_loss.plot(epochs, history["loss"], marker="o", markersize=3, label=name)
        ax_acc.plot(epochs, history["val_accuracy"], marker="o", markersize=3, label=name)
    guess_loss = -math.log(chance)
    ax_loss.axhline(guess_loss, color=PALETTE["muted"], linestyle="--")
    last = max((len(h["loss"]) for h in histories.values()), default=1)
    # labels at the right end, under the line: learning curves leave that corner empty;
    # as large as the tick labels, so that they stay legible on a projected slide
    ax_loss.annotate(f"guessing: -log {chance:g}", (last, guess_loss), xytext=(0, -4),
                     textcoords="offset points", ha="right", va="top",
                     color=PALETTE["weight"])
    ax_loss.set(xlabel="epoch", ylabel="training loss (cross-entropy)", ylim=(0, None))
    ax_acc.axhline(chance, color=PALETTE["muted"], linestyle="--")
    ax_acc.annotate("chance", (last, chance), xytext=(0, -4), textcoords="offset points",
                    ha="right", va="top", color=PALETTE["weight"])
    ax_acc.set(xlabel="epoch", ylabel="held-out accuracy", ylim=(0, 1.05))
    ax_acc.legend(loc="lower right")
    return fig, (ax_loss, ax_acc)
