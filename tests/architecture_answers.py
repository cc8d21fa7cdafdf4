"""Answers to exercise 6, the architectures, as students write them: right ones written in
different ways, and wrong ones, each with words its check's feedback must contain. Used by
tests/test_checks_architectures.py.
"""

from __future__ import annotations

import numpy as np

from course_rnn.data.tokens import one_hot
from course_rnn.numpy.losses import softmax_cross_entropy

# ---------------------------------------------------------------- classifier forward


def classifier_forward(rnn, head, tokens):
    output, _ = rnn(one_hot(tokens, rnn.input_size))
    return head(output[-1])


def classifier_h_n(rnn, head, tokens):
    _, h_n = rnn(np.eye(rnn.input_size)[tokens.T])
    return head(h_n[0])


def classifier_by_hand(rnn, head, tokens):
    output, _ = rnn(np.eye(rnn.input_size)[tokens].transpose(1, 0, 2))
    return output[-1] @ head.params["weight"].T + head.params["bias"]


def _reading(pick, size=lambda rnn, tokens: rnn.input_size, bias=True):
    """A classifier forward that reads the state ``pick(output, tokens)``."""
    def forward(rnn, head, tokens):
        output, _ = rnn(one_hot(tokens, size(rnn, tokens)))
        state = pick(output, tokens)
        return state @ head.params["weight"].T + head.params["bias"] * bias
    return forward


def _right_padded(output, tokens):
    lengths = (tokens != 0).sum(axis=1)
    return output[lengths - 1, np.arange(len(tokens))]


def _batch_first(rnn, head, tokens):
    output, _ = rnn(np.eye(rnn.input_size)[tokens])
    return head(output[-1])


WRONG_CLASSIFIER_FORWARD = {
    "first state": (_reading(lambda output, tokens: output[0]), "reads the first state"),
    "right-padded lengths": (_reading(_right_padded), "pads on the LEFT"),
    "mean over time": (_reading(lambda output, tokens: output.mean(axis=0)),
                       "mean of the states"),
    "no bias": (_reading(lambda output, tokens: output[-1], bias=False), "bias is missing"),
    "batch first": (_batch_first, "took the sentences for steps"),
    "vocabulary of 16": (_reading(lambda output, tokens: output[-1], lambda rnn, tokens: 16),
                         "rnn.input_size"),
    "size from the batch": (_reading(lambda output, tokens: output[-1],
                                     lambda rnn, tokens: int(tokens.max()) + 1),
                            "rnn.input_size"),
    "every state": (_reading(lambda output, tokens: output), "scores of every state"),
}

# ---------------------------------------------------------------- classifier loss


def classifier_loss(rnn, head, tokens, labels):
    logits = classifier_forward(rnn, head, tokens)
    loss, dlogits = softmax_cross_entropy(logits, labels)
    N, T = tokens.shape
    doutput = np.zeros((T, N, rnn.hidden_size))
    doutput[-1] = head.backward(dlogits)
    rnn.backward(doutput)
    return loss


def classifier_loss_dhx(rnn, head, tokens, labels):
    output, h_n = rnn(one_hot(tokens, rnn.input_size))
    loss, dlogits = softmax_cross_entropy(head(h_n[0]), labels)
    rnn.backward(np.zeros_like(output), head.backward(dlogits)[None])
    return loss


def classifier_loss_own_softmax(rnn, head, tokens, labels):
    logits = classifier_forward(rnn, head, tokens)
    shifted = logits - logits.max(axis=1, keepdims=True)
    p = np.exp(shifted) / np.exp(shifted).sum(axis=1, keepdims=True)
    N = len(labels)
    loss = -np.mean(np.log(p[np.arange(N), labels]))
    p[np.arange(N), labels] -= 1
    doutput = np.zeros((tokens.shape[1], N, rnn.hidden_size))
    doutput[-1] = head.backward(p / N)
    rnn.backward(doutput)
    return loss


def _classifier_backward(where, reduction="mean", rnn_backward=True):
    def loss_fn(rnn, head, tokens, labels):
        loss, dlogits = softmax_cross_entropy(classifier_forward(rnn, head, tokens), labels,
                                              reduction=reduction)
        doutput = np.zeros((tokens.shape[1], len(labels), rnn.hidden_size))
        doutput[where] = head.backward(dlogits)
        if rnn_backward:
            rnn.backward(doutput)
        return loss
    return loss_fn


WRONG_CLASSIFIER_LOSS = {
    "gradient at the first state": (_classifier_backward(0), "back to the first state"),
    "gradient at every state": (_classifier_backward(slice(None)), "copied to every state"),
    "summed loss": (_classifier_backward(-1, reduction="sum"), "summed over the sentences"),
    "no rnn backward": (_classifier_backward(-1, rnn_backward=False), "rnn.grads is empty"),
}

# ---------------------------------------------------------------- generator forward


def generator_forward(rnn, head, labels, steps):
    x = np.eye(rnn.input_size)[labels]
    output, _ = rnn(np.broadcast_to(x, (steps, *x.shape)))
    return head(output).transpose(1, 0, 2)


def generator_repeat(rnn, head, labels, steps):
    x = np.repeat(np.eye(rnn.input_size)[labels][None], steps, axis=0)
    output, _ = rnn(x)
    return np.stack([head(output[t]) for t in range(steps)], axis=1)


def generator_one_hot(rnn, head, labels, steps):
    tokens = np.tile(labels[:, None], (1, steps))  # the label as a token at every step
    output, _ = rnn(one_hot(tokens, rnn.input_size))
    return np.einsum("tnh,vh->ntv", output, head.params["weight"]) + head.params["bias"]


def _generator(size=lambda rnn, head, labels: rnn.input_size, first_only=False, bias=True,
               layout=lambda scores: scores.transpose(1, 0, 2)):
    def forward(rnn, head, labels, steps):
        x = np.zeros((steps, len(labels), size(rnn, head, labels)))
        if first_only:
            x[0] = np.eye(x.shape[2])[labels]
        else:
            x[:] = np.eye(x.shape[2])[labels]
        output, _ = rnn(x)
        return layout(output @ head.params["weight"].T + head.params["bias"] * bias)
    return forward


WRONG_GENERATOR_FORWARD = {
    "label at step 0 only": (_generator(first_only=True), "step 0 only"),
    "no bias": (_generator(bias=False), "bias is missing"),
    "time-major": (_generator(layout=lambda scores: scores), "time-major"),
    "reshaped": (_generator(layout=lambda scores: scores.reshape(
        scores.shape[1], scores.shape[0], -1)), "reshaped to (N, T, V)"),
    "size from the batch": (_generator(size=lambda rnn, head, labels: int(labels.max()) + 1),
                            "rnn.input_size"),
    "output size": (_generator(size=lambda rnn, head, labels: head.out_features),
                    "rnn.input_size"),
    "last step only": (_generator(layout=lambda scores: scores[-1]), "that is one step"),
}

# ---------------------------------------------------------------- generator loss


def generator_loss(rnn, head, labels, targets):
    logits = generator_forward(rnn, head, labels, targets.shape[1])
    loss, dlogits = softmax_cross_entropy(logits, targets)
    rnn.backward(head.backward(dlogits.transpose(1, 0, 2)))
    return loss


def generator_loss_time_major(rnn, head, labels, targets):
    N, T = targets.shape
    output, _ = rnn(np.broadcast_to(np.eye(rnn.input_size)[labels], (T, N, rnn.input_size)))
    loss, dscores = softmax_cross_entropy(head(output), targets.T)
    rnn.backward(head.backward(dscores))
    return loss


def _generator_backward(divide=lambda N, T: N * T, back=lambda d: d.transpose(1, 0, 2),
                        rnn_backward=True):
    def loss_fn(rnn, head, labels, targets):
        N, T = targets.shape
        logits = generator_forward(rnn, head, labels, T)
        total, dlogits = softmax_cross_entropy(logits, targets, reduction="sum")
        dstates = head.backward(back(dlogits / divide(N, T)))
        if rnn_backward:
            rnn.backward(dstates)
        return total / divide(N, T)
    return loss_fn


WRONG_GENERATOR_LOSS = {
    "sum over time, mean over the batch": (_generator_backward(lambda N, T: N),
                                           "summed over the steps and averaged"),
    "mean over time only": (_generator_backward(lambda N, T: T), "averaged over the steps only"),
    "a sum": (_generator_backward(lambda N, T: 1), "summed over every position"),
    "reshaped back": (_generator_backward(back=lambda d: d.reshape(
        d.shape[1], d.shape[0], -1)), "reshaped back"),
    "no rnn backward": (_generator_backward(rnn_backward=False), "rnn.grads is empty"),
}
