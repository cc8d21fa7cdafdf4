"""Argument checks shared by the NumPy step and sequence functions of every cell type.

Shape legend: N batch, T time, D input features, H hidden units, G gates (1 RNN, 4 LSTM, 3 GRU).
"""

from __future__ import annotations

from course_rnn.shapes import (
    expect_input,
    expect_like,
    expect_same_dtype,
    expect_shape,
    expect_time_steps,
)


def check_weights(W_ih, W_hh, b_ih, b_hh, gates: int) -> tuple[int, int]:
    """Check the torch-layout weights of one cell; return ``(D, H)``.

    W_ih (G*H, D), W_hh (G*H, H), b_ih and b_hh (G*H,) or None.
    """
    expect_input("W_hh", W_hh, ("G*H", "H"), (None, None))
    rows, H = W_hh.shape
    expect_shape("W_hh", W_hh, ("G*H", "H"), (gates * H, H),
                 f"This cell stacks {gates} gate block(s) of H rows (torch layout)")
    expect_input("W_ih", W_ih, ("G*H", "D"), (gates * H, None),
                 "torch layout puts the input features on the second axis")
    for name, b in (("b_ih", b_ih), ("b_hh", b_hh)):
        if b is not None:
            expect_input(name, b, ("G*H",), (gates * H,))
    return W_ih.shape[1], H


def check_step_args(x, h_prev, W_ih, W_hh, b_ih, b_hh, gates: int, c_prev=None) -> None:
    """Check one time step's data (x (N, D), h_prev and c_prev (N, H)) against the weights."""
    D, H = check_weights(W_ih, W_hh, b_ih, b_hh, gates)
    expect_input("x", x, ("N", "D"), (None, D))
    N = x.shape[0]
    expect_input("h_prev", h_prev, ("N", "H"), (N, H))
    if c_prev is not None:
        expect_input("c_prev", c_prev, ("N", "H"), (N, H))
    expect_same_dtype(x=x, h_prev=h_prev, c_prev=c_prev, W_ih=W_ih, W_hh=W_hh, b_ih=b_ih,
                      b_hh=b_hh)


def check_sequence_args(x, h0, W_ih, W_hh, b_ih, b_hh, gates: int, c0=None) -> None:
    """Check a whole time-major sequence (x (T, N, D), h0 and c0 (N, H)) against the weights."""
    D, H = check_weights(W_ih, W_hh, b_ih, b_hh, gates)
    expect_input("x", x, ("T", "N", "D"), (None, None, D), "Sequence functions are time-major")
    expect_time_steps(x.shape[0])
    N = x.shape[1]
    expect_input("h0", h0, ("N", "H"), (N, H))
    if c0 is not None:
        expect_input("c0", c0, ("N", "H"), (N, H))
    expect_same_dtype(x=x, h0=h0, c0=c0, W_ih=W_ih, W_hh=W_hh, b_ih=b_ih, b_hh=b_hh)


def check_upstream(name: str, grad, like) -> None:
    """An upstream gradient must have exactly the shape of the value it is the gradient of."""
    expect_like(name, grad, like.shape, name[1:] if name.startswith("d") else "its value")
