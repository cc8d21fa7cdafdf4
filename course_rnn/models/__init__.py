"""The course's models and experiments, built from the backends' layers.

A character-level language model (``char_model``) and its runs over several seeds
(``char_experiments``), sequence classifiers and the minibatch loop that trains them
(``classifier``), per-step taggers (``taggers``), the measurement of how far back a gradient
reaches (``gradient_flow``), the parameter counts of shared and unshared networks
(``parameter_counts``), and chapter 5's architectures: one-to-many generators
(``one_to_many``) and encoder-decoders (``encoder_decoder``; with Bahdanau's attention in
``attention_encoder_decoder``), built from one recurrence
(``recurrence``) and one read-out (``readout``), and an LSTM run by pluggable step functions
on the adding problem (``adding_steps``, exercise 08); chapter 10's torch encoder-decoder with
a fixed or an attended context (``seq2seq``) and its training and accuracy by length
(``seq2seq_training``). Additive attention run by pluggable functions on a toy lookup
(``attention_lookup``, exercise 11). Chapter 11's: waveform generators from no input
(``waveform_generation``), an echo state network (``echo_state``), causal self-attention as a
tagger layer (``positional_attention``), memory against sequence length (``memory_by_length``)
and the course's parameter counts (``course_summary``). The chapters' run settings, one torch
thread, the opt-in flag for full runs and a stopwatch, are in ``runs``. The models import the
backends and the data, never the reverse. Import from the submodules; greedy decoding and beam
search for any model that predicts one token at a time (``decoding``) are also exported here.
"""

from course_rnn.models.decoding import beam_search, greedy_decode

__all__ = ["beam_search", "greedy_decode"]
